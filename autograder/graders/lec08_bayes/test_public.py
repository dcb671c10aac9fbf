"""Public tests for lec08_bayes: students run these with `aimath check`.

Expected values are exact: the oracles in support.py compute in fractions.Fraction, and random
probabilities are binary fractions (exact in floats), so a right answer is within rounding of the
exact one. The lecture's examples are also compared with the values it prints (to 3 decimals,
within LECTURE_ATOL). Every test also calls its function on inputs the student has not seen.
"""

import math

import numpy as np
import pytest

from autograder.checks import check_close, check_raises
from autograder.graders.lec08_bayes.support import (
    LECTURE_ATOL,
    check_batch,
    check_metrics,
    check_probability,
    distinct_counts,
    exact_after_tests,
    exact_evidence,
    exact_posterior,
    exact_probability,
    interior_probability,
    labels,
    labels_with_counts,
    not_probabilities,
    random_rates,
)

# The lecture's test (AI Math 8강): 10% of people have the disease, the test finds 99% of them,
# and it is falsely positive for 1% (then 10%) of the others.
PRIOR, SENSITIVITY = 0.1, 0.99
FALSE_ALARM, FALSE_ALARM_HIGH = 0.01, 0.1
# P(D) = 0.99 * 0.1 + 0.01 * 0.9 = 0.108, and 0.099 + 0.09 = 0.189 with the higher false alarm.
EVIDENCE_LECTURE, EVIDENCE_LECTURE_HIGH = 0.108, 0.189
# The posteriors the lecture prints: 0.916 (0.099 / 0.108), 0.524 (0.099 / 0.189), and 0.916 after
# a second positive test of the second kind (0.524 used as the new prior).
POSTERIOR_LECTURE, POSTERIOR_LECTURE_HIGH, POSTERIOR_TWO_TESTS = 0.916, 0.524, 0.916

# Ten people, five with the disease: the test finds three of them (TP = 3, FN = 2) and is
# falsely positive for one of the five others (FP = 1, TN = 4).
Y_TRUE = np.array([1, 1, 1, 1, 1, 0, 0, 0, 0, 0])
Y_PRED = np.array([1, 1, 1, 0, 0, 1, 0, 0, 0, 0])
METRICS_EXAMPLE = {"precision": 0.75, "recall": 0.6, "specificity": 0.8, "false_alarm": 0.2}


def positions(rng, n, k):
    """k distinct random positions in range(n)."""
    return rng.choice(n, size=k, replace=False)


# -- evidence -------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_evidence_lecture_example(sub, rng):
    """evidence: the lecture's P(D) = 0.108 and 0.189, and random exact rates"""
    value = sub.evidence(PRIOR, SENSITIVITY, FALSE_ALARM)
    check_close(value, EVIDENCE_LECTURE, name=sub.last_call, rtol=0, atol=LECTURE_ATOL)
    check_probability(value, exact_evidence(PRIOR, SENSITIVITY, FALSE_ALARM), name=sub.last_call)
    value = sub.evidence(PRIOR, SENSITIVITY, FALSE_ALARM_HIGH)
    check_close(value, EVIDENCE_LECTURE_HIGH, name=sub.last_call, rtol=0, atol=LECTURE_ATOL)
    check_probability(value, exact_evidence(PRIOR, SENSITIVITY, FALSE_ALARM_HIGH),
                      name=sub.last_call)  # fmt: skip
    check_batch(sub.evidence, [random_rates(rng) for _ in range(12)], exact_evidence)


@pytest.mark.points(1)
def test_evidence_edge_probabilities(sub, rng):
    """evidence: probabilities of 0 and 1 (P(D) is the false alarm when nobody is ill, ...)"""
    p, s, f = random_rates(rng)
    calls = [
        (0.0, s, f), (1.0, s, f), (p, 0.0, f), (p, 1.0, f), (p, s, 0.0), (p, s, 1.0),
        (p, s, s),  # as often positive with the disease as without: P(D) = s, whatever the prior
        (p, 0.0, 0.0), (p, 1.0, 1.0), (0.0, 0.0, 0.0), (1.0, 1.0, 1.0), (0, s, 1), (1, 0, f),
    ]  # fmt: skip
    check_batch(sub.evidence, calls, exact_evidence)


@pytest.mark.points(1)
def test_evidence_invalid_input(sub, rng):
    """evidence: a probability outside [0, 1] (or inf, NaN) in any argument raises ValueError"""
    p, s, f = random_rates(rng)
    check_probability(sub.evidence(p, s, f), exact_evidence(p, s, f), name=sub.last_call)
    for bad in not_probabilities(rng):
        check_raises(ValueError, sub.evidence, bad, s, f)
        check_raises(ValueError, sub.evidence, p, bad, f)
        check_raises(ValueError, sub.evidence, p, s, bad)


# -- posterior ------------------------------------------------------------------------------
@pytest.mark.points(3)
def test_posterior_lecture_example(sub, rng):
    """posterior: the lecture's 0.916 and 0.524, and random exact rates"""
    value = sub.posterior(PRIOR, SENSITIVITY, FALSE_ALARM)
    check_close(value, POSTERIOR_LECTURE, name=sub.last_call, rtol=0, atol=LECTURE_ATOL)
    check_probability(value, exact_posterior(PRIOR, SENSITIVITY, FALSE_ALARM), name=sub.last_call)
    value = sub.posterior(PRIOR, SENSITIVITY, FALSE_ALARM_HIGH)
    check_close(value, POSTERIOR_LECTURE_HIGH, name=sub.last_call, rtol=0, atol=LECTURE_ATOL)
    check_probability(value, exact_posterior(PRIOR, SENSITIVITY, FALSE_ALARM_HIGH),
                      name=sub.last_call)  # fmt: skip
    calls = [random_rates(rng) for _ in range(12)]
    # A rare disease: a prior of 1/1024 to 8/1024, where the false alarms swamp the true positives.
    calls += [(exact_probability(rng, 1, 9), interior_probability(rng), interior_probability(rng))
              for _ in range(4)]  # fmt: skip
    check_batch(sub.posterior, calls, exact_posterior)


@pytest.mark.points(2)
def test_posterior_edge_probabilities(sub, rng):
    """posterior: probabilities of 0 and 1, and a test that carries no information (s = f)"""
    p, s, f = random_rates(rng)
    calls = [
        (0.0, s, f), (1.0, s, f),  # certain beforehand: the test changes nothing
        (p, 0.0, f), (p, s, 0.0),  # never positive with (without) the disease: 0 (1)
        (p, 1.0, f), (p, s, 1.0), (p, 1.0, 1.0), (1.0, 1.0, f), (1, s, 0), (p, 1.0, 0.0),
        (p, s, s),  # as often positive with the disease as without: the posterior is the prior
    ]  # fmt: skip
    check_batch(sub.posterior, calls, exact_posterior)


@pytest.mark.points(2)
def test_posterior_invalid_input(sub, rng):
    """posterior: a probability outside [0, 1] raises ValueError, and so does evidence 0"""
    p, s, f = random_rates(rng)
    check_probability(sub.posterior(p, s, f), exact_posterior(p, s, f), name=sub.last_call)
    for bad in not_probabilities(rng):
        check_raises(ValueError, sub.posterior, bad, s, f)
        check_raises(ValueError, sub.posterior, p, bad, f)
        check_raises(ValueError, sub.posterior, p, s, bad)
    # P(D) = 0: nobody ill and no false alarms, everybody ill and a test that misses them all, or a
    # test that is never positive. A positive test cannot happen, so there is no posterior.
    for args in ((0.0, s, 0.0), (1.0, 0.0, f), (p, 0.0, 0.0), (0.0, 0.0, 0.0), (1.0, 0.0, 0.0)):
        check_raises(ValueError, sub.posterior, *args)


# -- posterior_after_tests ------------------------------------------------------------------
@pytest.mark.points(3)
def test_posterior_after_tests_lecture_example(sub, rng):
    """posterior_after_tests: the lecture's 0.524 after one test, 0.916 after two, random rates"""
    value = sub.posterior_after_tests(PRIOR, SENSITIVITY, FALSE_ALARM_HIGH, 2)
    check_close(value, POSTERIOR_TWO_TESTS, name=sub.last_call, rtol=0, atol=LECTURE_ATOL)
    check_probability(value, exact_after_tests(PRIOR, SENSITIVITY, FALSE_ALARM_HIGH, 2),
                      name=sub.last_call)  # fmt: skip
    value = sub.posterior_after_tests(PRIOR, SENSITIVITY, FALSE_ALARM_HIGH, 1)
    check_close(value, POSTERIOR_LECTURE_HIGH, name=sub.last_call, rtol=0, atol=LECTURE_ATOL)
    value = sub.posterior_after_tests(PRIOR, SENSITIVITY, FALSE_ALARM, 1)
    check_close(value, POSTERIOR_LECTURE, name=sub.last_call, rtol=0, atol=LECTURE_ATOL)
    check_close(sub.posterior_after_tests(PRIOR, SENSITIVITY, FALSE_ALARM, 0), PRIOR,
                name=sub.last_call, rtol=0, atol=0)  # fmt: skip
    calls = [(*random_rates(rng), n) for n in (0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 8)]
    check_batch(sub.posterior_after_tests, calls, exact_after_tests)


@pytest.mark.points(2)
def test_posterior_after_tests_edge_cases(sub, rng):
    """posterior_after_tests: no test, certain and uninformative tests, 30 tests, numpy counts"""
    p, s, f = random_rates(rng)
    n = int(rng.integers(2, 6))
    calls = [
        (p, s, f, 0), (p, 0.0, 0.0, 0), (0.0, s, 0.0, 0), (1.0, 0.0, f, 0),  # no test
        (p, s, 0.0, n),  # no false alarms: one positive test makes the disease certain
        (p, 0.0, f, n),  # never positive with the disease: a positive test rules it out
        (0.0, s, f, n), (1.0, s, f, n), (p, s, s, n), (p, 1.0, 1.0, n),  # nothing changes
        (p, s, f, 30), (p, s, f, np.int64(n)), (p, s, f, np.int32(n + 1)),
    ]  # fmt: skip
    check_batch(sub.posterior_after_tests, calls, exact_after_tests)


@pytest.mark.points(2)
def test_posterior_after_tests_invalid_input(sub, rng):
    """posterior_after_tests: bad counts, probabilities or evidence 0 raise ValueError"""
    p, s, f = random_rates(rng)
    n = int(rng.integers(2, 6))
    check_probability(sub.posterior_after_tests(p, s, f, n), exact_after_tests(p, s, f, n),
                      name=sub.last_call)  # fmt: skip
    for bad_n in (-1, -int(rng.integers(2, 10)), 1.5, 0.5, n + 0.25):
        check_raises(ValueError, sub.posterior_after_tests, p, s, f, bad_n)
    for bad in not_probabilities(rng):
        for count in (0, n):
            check_raises(ValueError, sub.posterior_after_tests, bad, s, f, count)
            check_raises(ValueError, sub.posterior_after_tests, p, bad, f, count)
            check_raises(ValueError, sub.posterior_after_tests, p, s, bad, count)
    for args in ((0.0, s, 0.0, n), (1.0, 0.0, f, 1), (p, 0.0, 0.0, n)):
        check_raises(ValueError, sub.posterior_after_tests, *args)


# -- confusion_metrics ----------------------------------------------------------------------
@pytest.mark.points(3)
def test_confusion_metrics_example(sub, rng):
    """confusion_metrics: a hand-worked confusion matrix, random labels (int and float labels)"""
    metrics = sub.confusion_metrics(Y_TRUE, Y_PRED)
    check_metrics(metrics, Y_TRUE, Y_PRED, name=sub.last_call)
    for key, value in METRICS_EXAMPLE.items():
        check_close(metrics[key], value, name=f"{sub.last_call}[{key!r}]")
    for n, p_true, p_pred in ((7, 0.5, 0.5), (20, 0.3, 0.6), (60, 0.8, 0.3), (200, 0.1, 0.15)):
        y_true, y_pred = labels(rng, n, p_true), labels(rng, n, p_pred)
        y_true[:2], y_pred[:2] = (0, 1), (1, 0)  # both labels, in both arrays
        check_metrics(sub.confusion_metrics(y_true, y_pred), y_true, y_pred, name=sub.last_call)
    y_true = labels(rng, 30)
    y_pred = np.where(rng.random(30) < 0.8, y_true, 1 - y_true)  # a test right 80% of the time
    check_metrics(sub.confusion_metrics(y_true, y_pred), y_true, y_pred, name=sub.last_call)
    # Labels of other dtypes: 32-bit integers, and floats 0.0 and 1.0.
    y_true, y_pred = labels_with_counts(rng, *distinct_counts(rng))
    for dtype in (np.int32, float):
        a, b = y_true.astype(dtype), y_pred.astype(dtype)
        check_metrics(sub.confusion_metrics(a, b), y_true, y_pred, name=sub.last_call)


@pytest.mark.points(2)
def test_confusion_metrics_edge_cases(sub, rng):
    """confusion_metrics: a ratio whose denominator is 0 is 0.0 (one class, no positives, ...)"""
    n = int(rng.integers(6, 15))
    mixed = labels(rng, n)
    mixed[positions(rng, n, 2)] = (0, 1)
    zeros, ones = np.zeros(n, dtype=np.int64), np.ones(n, dtype=np.int64)
    one_positive = zeros.copy()
    one_positive[positions(rng, n, 1)] = 1
    pairs = [
        (mixed, zeros),  # no positive predictions: precision 0.0
        (zeros, mixed),  # no positive labels: recall 0.0
        (ones, mixed), (mixed, ones), (ones, ones), (zeros, zeros), (ones, zeros), (zeros, ones),
        (mixed, mixed), (mixed, 1 - mixed), (one_positive, one_positive), (mixed, one_positive),
        (one_positive, mixed),
    ]  # fmt: skip
    pairs += [(np.array([t]), np.array([q])) for t in (0, 1) for q in (0, 1)]
    for y_true, y_pred in pairs:
        check_metrics(sub.confusion_metrics(y_true, y_pred), y_true, y_pred, name=sub.last_call)


@pytest.mark.points(2)
def test_confusion_metrics_invalid_input(sub, rng):
    """confusion_metrics: lengths that differ, not 1-D, empty, labels not 0/1 raise ValueError"""
    y_true, y_pred = labels_with_counts(rng, *distinct_counts(rng))
    n = len(y_true)
    check_metrics(sub.confusion_metrics(y_true, y_pred), y_true, y_pred, name=sub.last_call)
    # Lengths n and 1 broadcast in numpy: only an explicit length check catches them.
    for a, b in ((y_true, y_pred[:-1]), (y_true[:-2], y_pred), (y_true, y_pred[:1]),
                 (y_true[:1], y_pred), (y_true.reshape(n, 1), y_pred),
                 (y_true, y_pred.reshape(1, n)), (y_true.reshape(n, 1), y_pred.reshape(n, 1)),
                 (np.tile(y_true, (2, 1)), np.tile(y_pred, (2, 1))), (np.array(1), np.array(1)),
                 (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))):  # fmt: skip
        check_raises(ValueError, sub.confusion_metrics, a, b)
    k = positions(rng, n, 1)
    for bad in (2, -1, int(rng.integers(3, 10))):
        wrong = y_true.copy()
        wrong[k] = bad
        check_raises(ValueError, sub.confusion_metrics, wrong, y_pred)
        check_raises(ValueError, sub.confusion_metrics, y_true, wrong)
    for bad in (0.5, math.nan):
        wrong = y_pred.astype(float)
        wrong[k] = bad
        check_raises(ValueError, sub.confusion_metrics, y_true, wrong)
        check_raises(ValueError, sub.confusion_metrics, wrong, y_pred)
