"""Probe inputs of lec08_bayes for `aimath mutants`: inputs only, never expected values.

A mutant that survives the graders and its reference are both called on every input below, each
in a sandboxed worker, and what they return (or raise) is compared. The probabilities are Python
floats and the ints 0 and 1, the counts Python and numpy integers, the labels numpy arrays of
0/1 integers and floats (not lists or bools), on which the reference's behaviour is the
specification: the lecture's examples, random rates (binary fractions and arbitrary floats, rare
diseases), every probability at 0 and at 1, uninformative tests (s = f), evidence exactly 1,
0 to 30 tests, labels of one class, with no positive predictions or labels and single labels,
and inputs the reference rejects (ValueError): probabilities just and far outside [0, 1], inf
and NaN, evidence 0, negative and fractional counts (also with no test), labels of different
lengths (those numpy would broadcast included), not 1-D, empty, or other than 0 and 1.
"""

import math

import numpy as np

PROBABILITY_FUNCTIONS = ("evidence", "posterior")
NOT_PROBABILITIES = (-0.5, 1.5, -1e-3, 1.001, -2.0, 3.0, math.inf, -math.inf, math.nan)


def _exact(rng):
    return int(rng.integers(1, 1024)) / 1024


def probes(rng):
    """(function name, args, kwargs) for every function of lec08_bayes."""
    out = []
    # The rates: the lecture's, random ones, rare diseases, every probability at 0 and 1.
    p, s, f = _exact(rng), _exact(rng), _exact(rng)
    rates = [(0.1, 0.99, 0.01), (0.1, 0.99, 0.1), (p, s, f), (f, p, s), (s, f, p)]
    rates += [tuple(rng.uniform(0.01, 0.99, size=3).tolist()) for _ in range(3)]
    rates += [(1e-4, 0.99, 0.02), (0.003, 0.9, 0.0005), (0.5, 1 - 1e-6, 0.5)]
    rates += [(0.0, s, f), (1.0, s, f), (p, 0.0, f), (p, 1.0, f), (p, s, 0.0), (p, s, 1.0),
              (p, s, s), (p, 1.0, 1.0), (1.0, 1.0, f), (p, 1.0, 0.0), (p, 0.0, 1.0),
              (0.0, s, 1.0), (1.0, s, 0.0), (0, s, 1), (1, 0, f), (1, s, 0)]  # fmt: skip
    # No positive test possible (evidence 0), and probabilities that are not ones.
    zero_evidence = [(0.0, s, 0.0), (1.0, 0.0, f), (p, 0.0, 0.0), (0.0, 0.0, 0.0), (1.0, 0.0, 0.0)]
    bad = [(x, s, f) for x in NOT_PROBABILITIES] + [(p, x, f) for x in NOT_PROBABILITIES]
    bad += [(p, s, x) for x in NOT_PROBABILITIES]
    for name in PROBABILITY_FUNCTIONS:
        out += [(name, args, {}) for args in rates + zero_evidence + bad]
    # posterior_after_tests: 0 to 4 tests and many, numpy counts; no test with evidence 0 or bad
    # rates; evidence 0 after a test; negative and fractional counts.
    for args in rates:
        for n in (0, 1, 2, 3):
            out.append(("posterior_after_tests", (*args, n), {}))
    for n in (4, 10, 30, np.int64(2), np.int32(3), np.int64(0)):
        out.append(("posterior_after_tests", (p, s, f, n), {}))
    for args in zero_evidence:
        out += [("posterior_after_tests", (*args, n), {}) for n in (0, 1, 3)]
    for args in bad:
        out += [("posterior_after_tests", (*args, n), {}) for n in (0, 2)]
    for n in (-1, -2, -10, 1.5, 0.5, -0.5, 2.25):
        out.append(("posterior_after_tests", (p, s, f, n), {}))
    # confusion_metrics: random labels, one class, no positive predictions or labels, single
    # labels, int32 and float labels; lengths that differ, not 1-D, empty, other values.
    n = 12
    mixed, other = (rng.random(n) < 0.5).astype(np.int64), (rng.random(n) < 0.5).astype(np.int64)
    mixed[:2], other[:2] = (0, 1), (1, 0)
    zeros, ones = np.zeros(n, dtype=np.int64), np.ones(n, dtype=np.int64)
    one_positive = zeros.copy()
    one_positive[5] = 1
    big_true, big_pred = (rng.random(300) < 0.2).astype(np.int64), (rng.random(300) < 0.3)
    pairs = [(mixed, other), (other, mixed), (mixed, zeros), (zeros, mixed), (ones, mixed),
             (mixed, ones), (ones, ones), (zeros, zeros), (ones, zeros), (zeros, ones),
             (mixed, mixed), (mixed, 1 - mixed), (one_positive, one_positive),
             (mixed, one_positive), (one_positive, mixed), (big_true, big_pred.astype(np.int64)),
             (mixed.astype(np.int32), other.astype(np.int32)),
             (mixed.astype(float), other.astype(float)),
             (np.array([1, 0, 1, 1, 1, 0, 0, 0, 0, 0]),
              np.array([1, 1, 1, 0, 0, 1, 0, 0, 0, 0]))]  # fmt: skip
    pairs += [(np.array([t]), np.array([q])) for t in (0, 1) for q in (0, 1)]
    wrong_value = mixed.copy()
    wrong_value[3] = 2
    minus_one = other.copy()
    minus_one[4] = -1
    half, not_a_number = other.astype(float), other.astype(float)
    half[1], not_a_number[2] = 0.5, math.nan
    pairs += [(mixed, other[:-1]), (mixed[:-2], other), (mixed, other[:1]), (mixed[:1], other),
              (mixed.reshape(n, 1), other), (mixed, other.reshape(1, n)),
              (mixed.reshape(n, 1), other.reshape(n, 1)),
              (mixed.reshape(3, 4), other.reshape(3, 4)),
              (np.array(1), np.array(1)), (np.array(0), np.array(1)),
              (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)),
              (wrong_value, other), (other, wrong_value), (minus_one, mixed), (mixed, minus_one),
              (mixed, half), (half, mixed), (mixed, not_a_number),
              (not_a_number, mixed)]  # fmt: skip
    out += [("confusion_metrics", pair, {}) for pair in pairs]
    return out
