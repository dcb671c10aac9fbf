"""Hidden tests for lec08_bayes: unseen rates (any float, rare diseases, nearly certain tests),
unseen counts of tests and unseen labels (large, imbalanced, of other dtypes), compared with the
reference and with the exact oracles; unseen invalid inputs (out-of-range numbers: inf and NaN are
the public tests' to grade, fixed values that would only take the same points twice)."""

import numpy as np
import pytest

from autograder.checks import check_close, check_raises
from autograder.formatting import format_call
from autograder.graders.lec08_bayes.support import (
    EXACT_ATOL,
    EXACT_RTOL,
    check_metrics,
    check_probability,
    exact_after_tests,
    exact_evidence,
    exact_posterior,
    interior_probability,
    labels,
    out_of_range,
    random_rates,
)

pytestmark = pytest.mark.hidden


def float_rates(rng, k):
    """k unseen (prior, sensitivity, false_alarm) triples of arbitrary floats (not binary
    fractions of few bits): ordinary ones, rare diseases and nearly perfect tests."""
    out = [tuple(rng.uniform(0.01, 0.99, size=3).tolist()) for _ in range(k)]
    out += [(10 ** rng.uniform(-5, -2), rng.uniform(0.9, 1.0), 10 ** rng.uniform(-4, -1))
            for _ in range(k)]  # fmt: skip
    out += [(rng.uniform(0.2, 0.8), 1 - 10 ** rng.uniform(-6, -3), rng.uniform(0.2, 0.8))
            for _ in range(k)]  # fmt: skip
    return out


def check_against_reference(function, reference, calls, oracle):
    """Each call's result against the reference's and the exact oracle's, in one round trip."""
    for args, value in zip(calls, function.map(calls), strict=True):
        name = format_call(function.__name__, args, {})
        check_close(value, reference(*args), name=name, rtol=EXACT_RTOL, atol=EXACT_ATOL)
        check_probability(value, oracle(*args), name=name)


@pytest.mark.points(2)
def test_hidden_evidence(sub, ref, rng):
    """evidence: unseen rates (any float, rare diseases, boundaries); unseen invalid ones"""
    calls = float_rates(rng, 4)
    p, s, f = random_rates(rng)
    calls += [(0.0, s, f), (1.0, s, f), (p, 0.0, 1.0), (p, 1.0, 0.0), (p, f, f), (0.0, 1.0, 0.0)]
    check_against_reference(sub.evidence, ref.evidence, calls, exact_evidence)
    for bad in out_of_range(rng):
        check_raises(ValueError, sub.evidence, bad, s, f)
        check_raises(ValueError, sub.evidence, p, s, bad)


@pytest.mark.points(3)
def test_hidden_posterior(sub, ref, rng):
    """posterior: unseen rates (any float, rare diseases, boundaries); evidence 0, invalid ones"""
    calls = float_rates(rng, 5)
    p, s, f = random_rates(rng)
    calls += [(0.0, s, 1.0), (1.0, 1.0, 0.0), (p, 1.0, f), (p, s, 1.0), (p, 1.0, 0.0),
              (p, 0.0, 1.0), (1.0, s, 0.0), (p, f, f)]  # fmt: skip
    check_against_reference(sub.posterior, ref.posterior, calls, exact_posterior)
    for args in ((0.0, rng.uniform(0.01, 1.0), 0.0), (1.0, 0.0, rng.uniform(0.01, 1.0)),
                 (rng.uniform(0.01, 0.99), 0.0, 0.0)):  # fmt: skip
        check_raises(ValueError, sub.posterior, *args)
    for bad in out_of_range(rng):
        check_raises(ValueError, sub.posterior, p, bad, f)
        check_raises(ValueError, sub.posterior, bad, s, f)


@pytest.mark.points(3)
def test_hidden_posterior_after_tests(sub, ref, rng):
    """posterior_after_tests: unseen rates and counts (up to 25, numpy integers); unseen invalid"""
    counts = [0, 1, 2, *(int(rng.integers(low, low + 4)) for low in (3, 7, 11, 15, 19, 22))]
    calls = [(*rates, n) for rates, n in zip(float_rates(rng, 3), counts, strict=True)]
    calls += [(*random_rates(rng), np.int64(rng.integers(1, 12))) for _ in range(3)]
    p, s, f = random_rates(rng)
    calls += [(p, s, 0.0, 7), (p, 0.0, f, 3), (p, 1.0, f, 4), (p, s, 1.0, 5), (1.0, 0.0, 0.0, 0)]
    check_against_reference(sub.posterior_after_tests, ref.posterior_after_tests, calls,
                            exact_after_tests)  # fmt: skip
    for bad_n in (-int(rng.integers(1, 100)), float(rng.integers(1, 9)) + 0.5, -0.5):
        check_raises(ValueError, sub.posterior_after_tests, p, s, f, bad_n)
    for bad in out_of_range(rng):
        check_raises(ValueError, sub.posterior_after_tests, p, s, bad, 0)
        check_raises(ValueError, sub.posterior_after_tests, bad, s, f, int(rng.integers(1, 4)))
    check_raises(ValueError, sub.posterior_after_tests, 0.0, interior_probability(rng), 0.0, 2)


@pytest.mark.points(3)
def test_hidden_confusion_metrics(sub, ref, rng):
    """confusion_metrics: unseen labels (large, imbalanced, int32, float, one class); invalid"""
    n = int(rng.integers(500, 2000))
    pairs = [(labels(rng, n, 0.02), labels(rng, n, 0.05)), (labels(rng, 50, 0.97), labels(rng, 50)),
             (labels(rng, 40).astype(np.int32), labels(rng, 40).astype(np.int32)),
             (labels(rng, 25).astype(float), labels(rng, 25).astype(float))]  # fmt: skip
    m = int(rng.integers(3, 20))
    zeros, ones = np.zeros(m, dtype=np.int64), np.ones(m, dtype=np.int64)
    pairs += [(ones, labels(rng, m)), (labels(rng, m), zeros), (zeros, labels(rng, m)),
              (labels(rng, m), ones)]  # fmt: skip
    for y_true, y_pred in pairs:
        metrics = sub.confusion_metrics(y_true, y_pred)
        check_metrics(metrics, y_true, y_pred, name=sub.last_call)
        expected = ref.confusion_metrics(y_true, y_pred)
        for key, value in expected.items():
            check_close(metrics[key], value, name=f"{sub.last_call}[{key!r}]", rtol=EXACT_RTOL,
                        atol=EXACT_ATOL)  # fmt: skip
    y_true, y_pred = labels(rng, m), labels(rng, m)
    wrong = y_pred.copy()
    wrong[int(rng.integers(0, m))] = int(rng.integers(2, 100))
    for a, b in ((y_true, wrong), (wrong, y_true), (y_true, y_pred[: m - 1]),
                 (y_true[:1], y_pred), (y_true.reshape(1, m), y_pred.reshape(1, m)),
                 (np.zeros(0), np.zeros(0)), (np.array(0), np.array(0))):  # fmt: skip
        check_raises(ValueError, sub.confusion_metrics, a, b)
