"""Helpers shared by the public and hidden tests of lec08_bayes: inputs, exact oracles and checks.

The oracles compute in exact rational arithmetic (fractions.Fraction: every float is a binary
fraction, so Fraction(x) is x exactly), and the metrics count the four cells of the confusion
matrix one pair of labels at a time: nothing here depends on how a float computation is ordered.
"""

import math
from fractions import Fraction

import numpy as np

from autograder.checks import CheckError, check_close, check_true
from autograder.formatting import format_call, format_value
from autograder.i18n import msg

# A correct float computation of the evidence or the posterior makes a handful of roundings of
# non-negative terms (no cancellation), so it is within ~1e-15 relative of the exact value, and a
# chain of 30 tests within ~1e-14; computing P(D) as 1 - P(not D) instead loses ~1e-16 absolute to
# cancellation, still far below this for evidences above 1e-6. Every mistake the graders look
# for is off by 1e-3 relative or more, and a result rounded to fewer than 9 digits fails too.
EXACT_RTOL = 1e-9
# Where the exact value is 0, another correct route (1 - P(not D)) can leave a rounding residue
# of ~1e-16. It loosens the check only on tiny values (a posterior of 1e-9 after many tests is
# still checked to 1e-6 relative), where a wrong update is off by orders of magnitude.
EXACT_ATOL = 1e-15
# The lecture prints its results to 3 decimals, and one of them truncated rather than rounded
# (0.099 / 0.108 = 0.91666... is printed 0.916): the published values are within one unit of
# their last digit, 1e-3, of the exact ones. The mistakes the graders look for land far outside.
# On the lecture's two posteriors (published 0.916 and 0.524, exactly 0.91667 and 0.52381):
#   the posterior not normalised (sensitivity * prior):       0.099, 0.099
#   the evidence without the false-alarm term:                1.0,   1.0
#   the false alarm weighted by the prior, not 1 - prior:     0.99,  0.908
#   the false alarm in place of its term (s * p + f):         0.908, 0.497
# and after its two tests (published 0.916, exactly 0.91590): the first posterior not fed back
# 0.524, one test too many 0.991 or too few 0.524, the mistakes above chained 0.098, 1.0, 0.908,
# 0.831. The nearest, 0.908, is 0.0077 from 0.916: more than seven times the tolerance.
LECTURE_ATOL = 1e-3

# Random probabilities are drawn as k / 2**PROBABILITY_BITS: binary fractions, exact in floats,
# whose products and sums of two are exact too, so the evidence of such inputs is computed without
# any rounding by every correct formula, and the posterior with one (the division).
PROBABILITY_BITS = 10
METRIC_FORMULAS = {
    "precision": "TP / (TP + FP)",
    "recall": "TP / (TP + FN)",
    "specificity": "TN / (TN + FP)",
    "false_alarm": "FP / (FP + TN)",
}
METRICS = tuple(METRIC_FORMULAS)


# -- inputs ---------------------------------------------------------------------------------
def exact_probability(rng, low=0, high=2**PROBABILITY_BITS):
    """A probability k / 2**PROBABILITY_BITS (exact in floats) with low <= k < high."""
    return int(rng.integers(low, high)) / 2**PROBABILITY_BITS


def interior_probability(rng):
    """An exact probability strictly between 0 and 1, away from both by 2**-PROBABILITY_BITS."""
    return exact_probability(rng, 1, 2**PROBABILITY_BITS)


def random_rates(rng):
    """(prior, sensitivity, false_alarm), exact in floats and strictly inside (0, 1), drawn again
    in the rare case that a mistake would not show: a test that carries no information (s = f),
    a prior of 1/2 (1 - p = p) or the false alarm equal to the miss rate (f = 1 - s)."""
    while True:
        p, s, f = interior_probability(rng), interior_probability(rng), interior_probability(rng)
        if s != f and p != 0.5 and s + f != 1:
            return p, s, f


def out_of_range(rng):
    """Finite numbers outside [0, 1]: just below 0 and above 1, and far outside."""
    return [
        -rng.uniform(1e-3, 1.0),
        1.0 + rng.uniform(1e-3, 1.0),
        -0.001,
        1.001,
        -rng.uniform(1.0, 10.0),
        rng.uniform(2.0, 10.0),
    ]


def not_probabilities(rng):
    """Numbers that are not probabilities: out_of_range's, inf, -inf and NaN (which fails every
    comparison, so a check written as "p < 0 or p > 1" lets it through)."""
    return [*out_of_range(rng), math.inf, -math.inf, math.nan]


def labels(rng, n, p_one=0.5):
    """n labels, each 1 with probability p_one, else 0 (an integer array)."""
    return (rng.random(n) < p_one).astype(np.int64)


def labels_with_counts(rng, tp, fp, fn, tn):
    """(y_true, y_pred) with exactly these counts of the four cells, in a random order."""
    pairs = [(1, 1)] * tp + [(0, 1)] * fp + [(1, 0)] * fn + [(0, 0)] * tn
    order = rng.permutation(len(pairs))
    y_true = np.array([pairs[i][0] for i in order], dtype=np.int64)
    y_pred = np.array([pairs[i][1] for i in order], dtype=np.int64)
    return y_true, y_pred


def distinct_counts(rng):
    """Random counts (TP, FP, FN, TN), each at least 1, with FP != FN and TP != TN, so the four
    rates differ from one another and a mix-up of any two shows."""
    tp, fp = int(rng.integers(1, 5)), int(rng.integers(1, 5))
    return tp, fp, fp + int(rng.integers(1, 4)), tp + int(rng.integers(1, 4))


# -- exact oracles --------------------------------------------------------------------------
def exact_evidence(prior, sensitivity, false_alarm):
    """P(D) = P(D | θ) P(θ) + P(D | not θ) (1 - P(θ)), as a Fraction."""
    p, s, f = Fraction(prior), Fraction(sensitivity), Fraction(false_alarm)
    return s * p + f * (1 - p)


def exact_posterior(prior, sensitivity, false_alarm):
    """P(θ | D) by Bayes' theorem, as a Fraction (None when the evidence is 0)."""
    total = exact_evidence(prior, sensitivity, false_alarm)
    if total == 0:
        return None
    return Fraction(sensitivity) * Fraction(prior) / total


def exact_after_tests(prior, sensitivity, false_alarm, n_positive):
    """The posterior after n_positive positive tests, each posterior the next prior, as a
    Fraction: every step exact, nothing rounded (None when a step's evidence is 0)."""
    belief = Fraction(prior)
    for _ in range(n_positive):
        belief = exact_posterior(belief, sensitivity, false_alarm)
        if belief is None:
            return None
    return belief


def confusion_counts(y_true, y_pred):
    """(TP, FP, FN, TN), counting one pair of labels at a time."""
    counts = {(1, 1): 0, (0, 1): 0, (1, 0): 0, (0, 0): 0}
    for t, p in zip(np.asarray(y_true).tolist(), np.asarray(y_pred).tolist(), strict=True):
        counts[int(t), int(p)] += 1
    return counts[1, 1], counts[0, 1], counts[1, 0], counts[0, 0]


def exact_metrics(y_true, y_pred):
    """The four rates as Fractions (0 where the denominator is 0), and the counts."""
    tp, fp, fn, tn = confusion_counts(y_true, y_pred)

    def rate(part, whole):
        return Fraction(part, whole) if whole else Fraction(0)

    rates = {
        "precision": rate(tp, tp + fp),
        "recall": rate(tp, tp + fn),
        "specificity": rate(tn, tn + fp),
        "false_alarm": rate(fp, tn + fp),
    }
    return rates, (tp, fp, fn, tn)


# -- checks ---------------------------------------------------------------------------------
def check_probability(actual, expected, *, name):
    """A returned probability against its exact value (a Fraction), within EXACT_RTOL."""
    check_close(actual, float(expected), name=name, rtol=EXACT_RTOL, atol=EXACT_ATOL)


def check_batch(function, calls, oracle):
    """Call a submission's function on every argument tuple in ``calls`` (one round trip) and
    check each result against ``oracle(*args)``, its exact value."""
    for args, value in zip(calls, function.map(calls), strict=True):
        check_probability(value, oracle(*args), name=format_call(function.__name__, args, {}))


def check_metrics(actual, y_true, y_pred, *, name):
    """confusion_metrics' dict against the exact rates: the four keys, each a finite number
    equal to its ratio of counts, 0.0 where the ratio's denominator is 0."""
    rates, (tp, fp, fn, tn) = exact_metrics(y_true, y_pred)
    counts = f"TP={tp}, FP={fp}, FN={fn}, TN={tn}"
    check_true(
        type(actual) is dict, name=name,
        message=msg("lec08_bayes.not_a_dict", value=format_value(actual),
                    keys=", ".join(map(repr, METRICS))),
    )  # fmt: skip
    missing = [k for k in METRICS if k not in actual]
    extra = [k for k in actual if k not in METRIC_FORMULAS]
    check_true(
        not missing and not extra, name=name,
        message=msg("lec08_bayes.wrong_keys",
                    keys=", ".join(map(repr, actual)) or msg("checks.none"),
                    expected=", ".join(map(repr, METRICS))),
    )  # fmt: skip
    for key in METRICS:
        value, label = actual[key], f"{name}[{key!r}]"
        denominator = METRIC_FORMULAS[key].split(" / ")[1]
        zero_denominator = _sum_of_counts(denominator, tp, fp, fn, tn) == 0
        if isinstance(value, float | np.floating) and math.isnan(value) and zero_denominator:
            check_true(
                False, name=label,
                message=msg("lec08_bayes.nan_ratio", counts=counts, key=key,
                            formula=METRIC_FORMULAS[key], rate=str(rates[key]),
                            denominator=denominator),
            )  # fmt: skip
        try:
            check_probability(value, rates[key], name=label)
        except CheckError as exc:
            zero = ""
            if zero_denominator:
                zero = msg("lec08_bayes.metric_hint_zero_denominator", denominator=denominator)
            mixed_up = ""
            for other in METRICS:
                if (other != key and rates[other] != rates[key]
                        and _is_close(value, rates[other])):  # fmt: skip
                    mixed_up = msg("lec08_bayes.metric_hint_other_metric", other=other,
                                   formula=METRIC_FORMULAS[other])  # fmt: skip
                    break
            exc.failure.details.append(
                msg("lec08_bayes.metric_hint", key=key, formula=METRIC_FORMULAS[key], counts=counts,
                    zero_denominator=zero, other_metric=mixed_up)
            )  # fmt: skip
            raise CheckError(exc.failure) from None


def _sum_of_counts(expression, tp, fp, fn, tn):
    """The value of a sum of counts such as "(TP + FP)"."""
    values = {"TP": tp, "FP": fp, "FN": fn, "TN": tn}
    return sum(values[term.strip(" ()")] for term in expression.split("+"))


def _is_close(value, exact):
    try:
        return math.isclose(float(value), float(exact), rel_tol=EXACT_RTOL, abs_tol=EXACT_ATOL)
    except (TypeError, ValueError, OverflowError):
        return False
