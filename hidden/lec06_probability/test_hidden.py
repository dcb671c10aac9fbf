"""Hidden tests for lec06_probability: unseen distributions compared with the reference, unseen
integrands (passed as functions) and intervals graded statistically, unseen generators."""

import numpy as np
import pytest
from sympy import Rational, atan, exp, log, sin, sqrt
from sympy.abc import x

from autograder.arguments import numeric_function, seeded_rng
from autograder.checks import check_close, check_raises, check_true
from autograder.graders.lec06_probability.support import (
    check_monte_carlo,
    check_pair,
    check_same_pair,
    distinct_seeds,
    random_distribution,
)

pytestmark = pytest.mark.hidden


def unseen_distributions(rng):
    """Distributions of several sizes: floats and integers, zero probabilities, one value."""
    out = [random_distribution(rng, n, zeros=zeros, integer=integer)
           for n, zeros, integer in ((2, 0, False), (15, 5, False), (40, 0, False), (7, 2, True),
                                     (20, 0, True))]  # fmt: skip
    out.append((np.array([rng.normal()]), np.array([1.0])))
    return out


def unseen_bad(rng, n):
    """(values, probs) that are not distributions, of sizes and by amounts not seen in public."""
    values, probs = random_distribution(rng, n)
    negative = probs.copy()
    negative[-1] = -rng.uniform(0.01, 0.3)
    negative[0] += probs[-1] - negative[-1]  # sums to 1 with one negative entry
    return [
        (values, probs * rng.uniform(0.5, 0.99)),
        (values, probs * rng.uniform(1.01, 1.5)),
        (values, negative),
        (values, np.append(probs[:-1], [probs[-1] / 2, probs[-1] / 2])),
        (values[: n // 2], probs),
        (values.reshape(1, n), probs.reshape(1, n)),
    ]


@pytest.mark.points(1)
def test_hidden_expectation(sub, ref, rng):
    """expectation: unseen distributions of several sizes; unseen invalid probabilities"""
    for values, probs in unseen_distributions(rng):
        check_close(sub.expectation(values, probs), ref.expectation(values, probs),
                    name=sub.last_call)  # fmt: skip
    for args in unseen_bad(rng, int(rng.integers(3, 12))):
        check_raises(ValueError, sub.expectation, *args)


@pytest.mark.points(2)
def test_hidden_variance(sub, ref, rng):
    """variance: unseen distributions, shifted and scaled; unseen invalid probabilities"""
    for values, probs in unseen_distributions(rng):
        for scale, shift in ((1.0, 0.0), (rng.uniform(5, 50), rng.uniform(-100, 100))):
            values = scale * values + shift
            check_close(sub.variance(values, probs), ref.variance(values, probs),
                        name=sub.last_call)  # fmt: skip
    for args in unseen_bad(rng, int(rng.integers(3, 12))):
        check_raises(ValueError, sub.variance, *args)


@pytest.mark.points(2)
def test_hidden_skewness(sub, ref, rng):
    """skewness: unseen distributions, skewed ones too; unseen point masses and invalid input"""
    distributions = unseen_distributions(rng)[:-1]  # a single value is a point mass
    n = int(rng.integers(5, 15))
    tail = np.arange(n, dtype=float)
    distributions.append((tail, 0.5 ** (tail + 1) / np.sum(0.5 ** (tail + 1))))  # geometric
    distributions.append((-tail, np.full(n, 1 / n)))
    for values, probs in distributions:
        check_close(sub.skewness(values, probs), ref.skewness(values, probs), name=sub.last_call)
    value = float(rng.integers(-200, 200)) / 8
    k = int(rng.integers(2, 5))
    check_raises(ValueError, sub.skewness, np.full(2**k, value), np.full(2**k, 0.5**k))
    values, probs = random_distribution(rng, n)
    probs = np.zeros(n)
    probs[int(rng.integers(n))] = 1.0
    check_raises(ValueError, sub.skewness, values, probs)
    for args in unseen_bad(rng, n):
        check_raises(ValueError, sub.skewness, *args)


@pytest.mark.points(2)
def test_hidden_covariance(sub, ref, rng):
    """covariance: unseen joint distributions, dependent in several ways; unseen invalid input"""
    for x1, probs in unseen_distributions(rng):
        n = len(x1)
        for x2 in (rng.normal(size=n), x1**2 - rng.normal(), -2.5 * x1 + 4, np.full(n, 3.0)):
            check_close(sub.covariance(x1, x2, probs), ref.covariance(x1, x2, probs),
                        name=sub.last_call)  # fmt: skip
    n = int(rng.integers(4, 12))
    x1, probs = random_distribution(rng, n)
    x2 = rng.normal(size=n)
    check_raises(ValueError, sub.covariance, x1, x2[: n // 2], probs)
    check_raises(ValueError, sub.covariance, x1, x2, probs[: n // 2])
    check_raises(ValueError, sub.covariance, x1.reshape(1, n), x2.reshape(1, n),
                 probs.reshape(1, n))  # fmt: skip
    for values, bad in unseen_bad(rng, n):
        check_raises(ValueError, sub.covariance, values, values[::-1], bad)


# Integrands the students have not seen, each with an interval to integrate over (drawn below).
HIDDEN_INTEGRANDS = (
    (sin(x), 0.0, 3.0),
    (exp(x / 2), -2.0, 2.0),
    (1 / (1 + x**2), -3.0, 2.0),
    (sqrt(x), 0.5, 2.0),
    (x**3 - 2 * x, -2.0, 1.5),
    (log(1 + x**2) + atan(x), -1.0, 2.0),
    (Rational(5, 2) * x, 0.0, 2.0),
)


@pytest.mark.points(3)
def test_hidden_monte_carlo_integrands(sub, rng):
    """monte_carlo_integral: unseen integrands on unseen intervals: mean and std statistically"""
    for expr, start, min_length in HIDDEN_INTEGRANDS:
        fun = numeric_function(expr, x)
        low = start + rng.uniform(0, 1)
        high = low + min_length + rng.uniform(0, 2)
        sample_size, repeat = int(rng.choice([200, 500, 1000])), int(rng.choice([30, 60, 100]))
        result = sub.monte_carlo_integral(fun, low, high, sample_size=sample_size, repeat=repeat,
                                          rng=seeded_rng(distinct_seeds(rng, 1)[0]))  # fmt: skip
        check_monte_carlo(result, fun.trusted(), low, high, sample_size, repeat,
                          name=sub.last_call)  # fmt: skip
    expr, start, min_length = HIDDEN_INTEGRANDS[int(rng.integers(len(HIDDEN_INTEGRANDS)))]
    fun = numeric_function(expr, x)
    result = sub.monte_carlo_integral(fun, start, start + min_length)
    check_monte_carlo(result, fun.trusted(), start, start + min_length, 100, 10,
                      name=sub.last_call, spread=False)  # fmt: skip


@pytest.mark.points(2)
def test_hidden_monte_carlo_rng(sub, rng):
    """monte_carlo_integral: unseen generators repeat and differ; None is default_rng(0); bad sizes"""
    fun = numeric_function(sin(x) + x**2, x)
    low = rng.uniform(-2, 0)
    high = low + rng.uniform(1, 3)
    sample_size, repeat = int(rng.integers(50, 400)), int(rng.integers(5, 30))
    results = []
    for seed in distinct_seeds(rng, 3):
        kwargs = {"sample_size": sample_size, "repeat": repeat}
        first = check_pair(sub.monte_carlo_integral(fun, low, high, **kwargs, rng=seeded_rng(seed)),
                           name=sub.last_call)  # fmt: skip
        first_call = sub.last_call
        again = sub.monte_carlo_integral(fun, low, high, **kwargs, rng=seeded_rng(seed))
        check_same_pair(check_pair(again, name=sub.last_call), first,
                        name=f"{sub.last_call}, called a second time with the same seed (it "
                        "should repeat the first result)")  # fmt: skip
        for earlier_call, earlier in results:
            check_true(
                first[0] != earlier[0] and first[1] != earlier[1], name=first_call,
                message=f"returned {first}, partly the same as {earlier_call}; another seed "
                "should give other estimates (draw the points with rng)",
            )  # fmt: skip
        results.append((first_call, first))
    default = check_pair(sub.monte_carlo_integral(fun, low, high, sample_size=sample_size,
                                                  repeat=repeat), name=sub.last_call)  # fmt: skip
    default_call = sub.last_call
    explicit = sub.monte_carlo_integral(fun, low, high, sample_size=sample_size, repeat=repeat,
                                        rng=seeded_rng(0))  # fmt: skip
    check_same_pair(check_pair(explicit, name=sub.last_call), default,
                    name=f"{sub.last_call} (compared with {default_call}, whose rng=None means "
                    "np.random.default_rng(0))")  # fmt: skip
    for a, b, size, times in ((high, low, 10, 3), (low, low, 10, 3), (low, high, 0, 3),
                              (low, high, 10, 0), (low, high, -sample_size, repeat),
                              (low, high, sample_size, -repeat)):  # fmt: skip
        check_raises(ValueError, sub.monte_carlo_integral, fun, a, b, sample_size=size,
                     repeat=times, rng=seeded_rng(2))  # fmt: skip
