"""Public tests for lec06_probability: students run these with `aimath check`.

The moments are compared with known values (a fair die, a Bernoulli variable) and with numpy's own
weighted statistics on random distributions. Monte Carlo integration is graded statistically: the
mean of the estimates must lie within STATISTICAL_K standard errors of the exact integral, and their
std near the exact spread of a correct estimate, both computed here by quadrature; and a run must be
repeatable for a fixed generator, whatever the order in which it draws its points.
"""

import numpy as np
import pytest
from sympy import cos, exp, sin
from sympy.abc import x

from autograder.arguments import numeric_function, seeded_rng
from autograder.checks import check_close, check_raises, check_true
from autograder.graders.lec06_probability.support import (
    CONSTANT_ATOL,
    LECTURE_INTEGRAL,
    check_monte_carlo,
    check_pair,
    check_same_pair,
    distinct_seeds,
    oracle_covariance,
    oracle_mean,
    oracle_skewness,
    oracle_variance,
    random_distribution,
)
from autograder.i18n import msg

# A fair die, and a Bernoulli variable with P(X = 1) = 0.3.
DIE = np.arange(1, 7)
DIE_PROBS = np.full(6, 1 / 6)
BERNOULLI = np.array([0, 1])
BERNOULLI_PROBS = np.array([0.7, 0.3])
# Probabilities of 2 to 5 values that are exact in floats (powers of 1/2): the mean of a repeated
# value is then that value exactly and sigma exactly 0, however a correct solution computes them.
EXACT_PROBS = {
    2: np.array([0.5, 0.5]),
    3: np.array([0.5, 0.25, 0.25]),
    4: np.full(4, 0.25),
    5: np.array([0.5, 0.125, 0.125, 0.125, 0.125]),
}
# The lecture's Monte Carlo integrand (AI Math 6강): exp(-x^2) on [-1, 1].
GAUSSIAN = numeric_function(exp(-(x**2)), x)


def bad_distributions(rng):
    """(values, probs) pairs that are not distributions, or not 1-D arrays of the same length."""
    n = int(rng.integers(2, 7))
    values, probs = random_distribution(rng, n)
    negative = probs.copy()
    negative[0], negative[1] = probs[0] + probs[1] + 0.25, -0.25  # still sums to 1
    return [
        (values, probs * 0.9),  # sums to 0.9
        (values, probs * 1.001),  # sums to 1.001
        (values, negative),
        (values, np.concatenate([probs, [0.0]])),  # one probability more than values
        (values[:-1], probs),
        (values[:1], probs),  # a single value broadcasts against any probs
        (values, np.array([1.0])),  # one probability of 1 broadcasts too
        (np.array(values[0]), probs),  # a 0-d value
        (np.zeros(0), np.zeros(0)),  # empty: no probability to sum to 1
        (np.tile(values, (2, 1)), np.tile(probs, (2, 1)) / 2),  # 2-D, summing to 1
        (np.array([0.0, 1.0]), np.array([np.nan, 1.0])),
    ]


# -- expectation -------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_expectation_examples(sub, rng):
    """expectation: a fair die, a Bernoulli variable, zero probabilities and random distributions"""
    check_close(sub.expectation(DIE, DIE_PROBS), 3.5, name=sub.last_call)
    check_close(sub.expectation(BERNOULLI, BERNOULLI_PROBS), 0.3, name=sub.last_call)
    check_close(sub.expectation(np.array([-4.0, 2.0, 9.0]), np.array([0.0, 1.0, 0.0])), 2.0,
                name=sub.last_call)  # fmt: skip
    check_close(sub.expectation(np.array([7.5]), np.array([1.0])), 7.5, name=sub.last_call)
    for n, zeros, integer in ((3, 0, False), (8, 2, False), (5, 0, True), (12, 4, True)):
        values, probs = random_distribution(rng, n, zeros=zeros, integer=integer)
        check_close(sub.expectation(values, probs), oracle_mean(values, probs), name=sub.last_call)


@pytest.mark.points(2)
def test_expectation_invalid(sub, rng):
    """expectation: bad probabilities or shapes raise ValueError; a sum off by rounding does not"""
    values, probs = random_distribution(rng, int(rng.integers(3, 9)))
    check_close(sub.expectation(values, probs), oracle_mean(values, probs), name=sub.last_call)
    rounded = probs * (1 + 1e-12)  # a sum 1e-12 from 1, as rounding leaves it
    check_close(sub.expectation(values, rounded), oracle_mean(values, rounded), name=sub.last_call)
    check_raises(ValueError, sub.expectation, np.array([1.0, 2.0]), np.array([1.2, -0.2]))
    check_raises(ValueError, sub.expectation, np.array([1.0, 2.0]), np.array([0.5, 0.4]))
    for args in bad_distributions(rng):
        check_raises(ValueError, sub.expectation, *args)


# -- variance ----------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_variance_examples(sub, rng):
    """variance: a die (35/12), a Bernoulli variable (p(1-p)), V[aX + b] = a^2 V[X], random ones"""
    check_close(sub.variance(DIE, DIE_PROBS), 35 / 12, name=sub.last_call)
    check_close(sub.variance(BERNOULLI, BERNOULLI_PROBS), 0.21, name=sub.last_call)
    check_close(sub.variance(np.array([7.5]), np.array([1.0])), 0.0, name=sub.last_call)
    for n, zeros, integer in ((4, 0, False), (9, 3, False), (6, 1, True)):
        values, probs = random_distribution(rng, n, zeros=zeros, integer=integer)
        expected = oracle_variance(values, probs)
        check_close(sub.variance(values, probs), expected, name=sub.last_call)
        shift, scale = rng.uniform(-20, 20), rng.uniform(0.5, 3) * rng.choice([-1, 1])
        # V[aX + b] = a^2 V[X]
        check_close(sub.variance(scale * values + shift, probs), scale**2 * expected,
                    name=sub.last_call)  # fmt: skip


@pytest.mark.points(1)
def test_variance_invalid(sub, rng):
    """variance: probabilities that are not a distribution, or bad shapes, raise ValueError"""
    values, probs = random_distribution(rng, int(rng.integers(3, 9)))
    check_close(sub.variance(values, probs), oracle_variance(values, probs), name=sub.last_call)
    check_raises(ValueError, sub.variance, np.array([1.0, 2.0]), np.array([1.2, -0.2]))
    for args in bad_distributions(rng):
        check_raises(ValueError, sub.variance, *args)


# -- skewness ----------------------------------------------------------------------------------
@pytest.mark.points(3)
def test_skewness_examples(sub, rng):
    """skewness: symmetric (0), Bernoulli, right-tailed and random, also shifted and scaled"""
    check_close(sub.skewness(DIE, DIE_PROBS), 0.0, name=sub.last_call)
    # (1 - 2p) / sqrt(p (1 - p)) for p = 0.3
    check_close(sub.skewness(BERNOULLI, BERNOULLI_PROBS), 0.4 / np.sqrt(0.21), name=sub.last_call)
    # X in {0, 1, 2} with probabilities 1/2, 1/4, 1/4: mu = 3/4, mu_2 = 11/16, mu_3 = 9/32.
    check_close(sub.skewness(np.array([0, 1, 2]), np.array([0.5, 0.25, 0.25])),
                (9 / 32) / (11 / 16) ** 1.5, name=sub.last_call)  # fmt: skip
    # Two values left with probability 1/2 each, a third with none: symmetric.
    check_close(sub.skewness(np.array([1.0, 3.0, 40.0]), np.array([0.5, 0.5, 0.0])), 0.0,
                name=sub.last_call)  # fmt: skip
    for n, zeros, integer in ((3, 0, False), (7, 2, False), (6, 0, True), (10, 3, True)):
        values, probs = random_distribution(rng, n, zeros=zeros, integer=integer)
        expected = oracle_skewness(values, probs)
        check_close(sub.skewness(values, probs), expected, name=sub.last_call)
        shift, scale = rng.uniform(-10, 10), rng.uniform(0.2, 4) * rng.choice([-1, 1])
        check_close(sub.skewness(scale * values + shift, probs), np.sign(scale) * expected,
                    name=sub.last_call)  # fmt: skip


@pytest.mark.points(2)
def test_skewness_point_mass_and_invalid(sub, rng):
    """skewness: a point mass (sigma = 0), bad probabilities or bad shapes raise ValueError"""
    values, probs = random_distribution(rng, int(rng.integers(3, 9)))
    check_close(sub.skewness(values, probs), oracle_skewness(values, probs), name=sub.last_call)
    check_raises(ValueError, sub.skewness, np.array([5.0]), np.array([1.0]))
    check_raises(ValueError, sub.skewness, np.array([2, 2, 2]), np.array([0.25, 0.25, 0.5]))
    check_raises(ValueError, sub.skewness, np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 0.0]))
    # Unseen point masses: one value repeated, or all the probability on one of several values.
    value = float(rng.integers(-50, 50)) / 4
    n = int(rng.integers(2, 6))
    check_raises(ValueError, sub.skewness, np.full(n, value), EXACT_PROBS[n])
    values, _ = random_distribution(rng, n + 1)
    one = np.zeros(n + 1)
    one[int(rng.integers(n + 1))] = 1.0
    check_raises(ValueError, sub.skewness, values, one)
    values[-1] = values[0]
    check_raises(ValueError, sub.skewness, values, np.array([0.5] + [0.0] * (n - 1) + [0.5]))
    check_raises(ValueError, sub.skewness, np.array([1.0, 2.0]), np.array([1.2, -0.2]))
    for args in bad_distributions(rng):
        check_raises(ValueError, sub.skewness, *args)


# -- covariance --------------------------------------------------------------------------------
@pytest.mark.points(3)
def test_covariance_examples(sub, rng):
    """covariance: independence (0), Cov(X, X) = V[X], Cov(X, aX + b) = a V[X], random pairs"""
    # Two independent fair coins in {0, 1}: the four pairs, each with probability 1/4.
    check_close(sub.covariance(np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), np.full(4, 0.25)),
                0.0, name=sub.last_call)  # fmt: skip
    check_close(sub.covariance(DIE, DIE, DIE_PROBS), 35 / 12, name=sub.last_call)
    check_close(sub.covariance(DIE, 7 - DIE, DIE_PROBS), -35 / 12, name=sub.last_call)
    # Independent X1 (values a, probabilities p) and X2 (values b, probabilities q), as pairs.
    a, p = random_distribution(rng, 3)
    b, q = random_distribution(rng, 4)
    pairs = (np.repeat(a, 4), np.tile(b, 3), np.outer(p, q).ravel())
    check_close(sub.covariance(*pairs), 0.0, name=sub.last_call)
    for n, zeros, integer in ((2, 0, False), (6, 0, False), (9, 3, True)):
        x1, probs = random_distribution(rng, n, zeros=zeros, integer=integer)
        x2 = rng.normal(size=n) + 0.5 * x1 + rng.normal()
        check_close(sub.covariance(x1, x2, probs), oracle_covariance(x1, x2, probs),
                    name=sub.last_call)  # fmt: skip
        scale, shift = rng.uniform(-3, 3), rng.uniform(-10, 10)
        check_close(sub.covariance(x1, scale * x1 + shift, probs),
                    scale * oracle_variance(x1, probs), name=sub.last_call)  # fmt: skip


@pytest.mark.points(1)
def test_covariance_invalid(sub, rng):
    """covariance: bad probabilities, or x1, x2, probs not 1-D of one length, raise ValueError"""
    n = int(rng.integers(3, 9))
    x1, probs = random_distribution(rng, n)
    x2 = rng.normal(size=n)
    check_close(sub.covariance(x1, x2, probs), oracle_covariance(x1, x2, probs),
                name=sub.last_call)  # fmt: skip
    check_raises(ValueError, sub.covariance, x1, x2[:-1], probs)
    check_raises(ValueError, sub.covariance, x1, x2[:1], probs)  # broadcasts
    check_raises(ValueError, sub.covariance, x1, np.array(x2[0]), probs)
    check_raises(ValueError, sub.covariance, x1, np.tile(x2, (2, 1)), probs)
    check_raises(ValueError, sub.covariance, x1[:1], x2, probs)
    for values, bad in bad_distributions(rng):
        check_raises(ValueError, sub.covariance, values, values, bad)


# -- monte_carlo_integral ----------------------------------------------------------------------
@pytest.mark.points(3)
def test_monte_carlo_lecture_example(sub, rng):
    """monte_carlo_integral: the lecture's exp(-x^2) on [-1, 1] (about 1.49364), other intervals"""
    seed = distinct_seeds(rng, 1)[0]
    result = sub.monte_carlo_integral(GAUSSIAN, -1, 1, sample_size=10000, repeat=100,
                                      rng=seeded_rng(seed))  # fmt: skip
    check_monte_carlo(result, GAUSSIAN.trusted(), -1, 1, 10000, 100, name=sub.last_call,
                      exact=LECTURE_INTEGRAL)  # fmt: skip
    for _ in range(2):
        low = rng.uniform(-3, 1)
        high = low + rng.uniform(2, 4)
        result = sub.monte_carlo_integral(GAUSSIAN, low, high, sample_size=2000, repeat=50,
                                          rng=seeded_rng(seed))  # fmt: skip
        check_monte_carlo(result, GAUSSIAN.trusted(), low, high, 2000, 50, name=sub.last_call)


@pytest.mark.points(3)
def test_monte_carlo_std(sub, rng):
    """monte_carlo_integral: the estimates' std is (high - low) sd(f(U)) / sqrt(n), 0 for one"""
    for expr, sample_size, repeat in ((exp(-(x**2)), 200, 400), (x**2, 500, 300)):
        fun = numeric_function(expr, x)
        low = rng.uniform(-2, 1)
        high = low + rng.uniform(2, 5)
        result = sub.monte_carlo_integral(fun, low, high, sample_size=sample_size, repeat=repeat,
                                          rng=seeded_rng(distinct_seeds(rng, 1)[0]))  # fmt: skip
        check_monte_carlo(result, fun.trusted(), low, high, sample_size, repeat, name=sub.last_call)
    # One estimate: its std (ddof 0, as the lecture's np.std) is 0.
    low = rng.uniform(-2, 0)
    result = sub.monte_carlo_integral(GAUSSIAN, low, low + 2.5, sample_size=5000, repeat=1,
                                      rng=seeded_rng(distinct_seeds(rng, 1)[0]))  # fmt: skip
    check_monte_carlo(result, GAUSSIAN.trusted(), low, low + 2.5, 5000, 1, name=sub.last_call,
                      spread=False)  # fmt: skip
    check_close(check_pair(result, name=sub.last_call)[1], 0.0,
                name=msg("lec06_probability.std_of_one_estimate", call=sub.last_call),
                atol=0.0)  # fmt: skip


@pytest.mark.points(2)
def test_monte_carlo_integrands(sub, rng):
    """monte_carlo_integral: other integrands on unseen intervals, default and larger sizes"""
    for expr in (3 * x**2 - 2 * x + 1, cos(2 * x) + x):
        fun = numeric_function(expr, x)
        low = rng.uniform(-3, 1)
        high = low + rng.uniform(1, 4)
        seed = distinct_seeds(rng, 1)[0]
        result = sub.monte_carlo_integral(fun, low, high, rng=seeded_rng(seed))
        check_monte_carlo(result, fun.trusted(), low, high, 100, 10, name=sub.last_call,
                          spread=False)  # fmt: skip
        result = sub.monte_carlo_integral(fun, low, high, sample_size=1000, repeat=40,
                                          rng=seeded_rng(seed))  # fmt: skip
        check_monte_carlo(result, fun.trusted(), low, high, 1000, 40, name=sub.last_call)


@pytest.mark.points(2)
def test_monte_carlo_repeatable(sub, rng):
    """monte_carlo_integral: repeatable per seed, different across seeds, None is default_rng(0)"""
    low = rng.uniform(-2, 0)
    high = low + rng.uniform(1, 3)
    seeds = distinct_seeds(rng, 3)
    results = []
    for seed in seeds:
        first = sub.monte_carlo_integral(GAUSSIAN, low, high, sample_size=300, repeat=20,
                                         rng=seeded_rng(seed))  # fmt: skip
        first_call = sub.last_call
        first = check_pair(first, name=first_call)
        again = sub.monte_carlo_integral(GAUSSIAN, low, high, sample_size=300, repeat=20,
                                         rng=seeded_rng(seed))  # fmt: skip
        check_same_pair(check_pair(again, name=sub.last_call), first,
                        name=msg("lec06_probability.second_call_same_seed",
                                 call=sub.last_call))  # fmt: skip
        for earlier_call, earlier in results:
            check_true(
                first[0] != earlier[0], name=first_call,
                message=msg("lec06_probability.same_mean_as", mean=repr(first[0]),
                            earlier=earlier_call),
            )  # fmt: skip
        results.append((first_call, first))
    # The defaults: sample_size=100, repeat=10, rng=None (np.random.default_rng(0)).
    default = check_pair(sub.monte_carlo_integral(GAUSSIAN, low, high), name=sub.last_call)
    default_call = sub.last_call
    again = check_pair(sub.monte_carlo_integral(GAUSSIAN, low, high), name=sub.last_call)
    check_same_pair(again, default,
                    name=msg("lec06_probability.second_call_default_rng",
                             call=sub.last_call))  # fmt: skip
    explicit = sub.monte_carlo_integral(GAUSSIAN, low, high, sample_size=100, repeat=10,
                                        rng=seeded_rng(0))  # fmt: skip
    check_same_pair(check_pair(explicit, name=sub.last_call), default,
                    name=msg("lec06_probability.compared_with_default_rng", call=sub.last_call,
                             other=default_call))  # fmt: skip


@pytest.mark.points(1)
def test_monte_carlo_constant(sub, rng):
    """monte_carlo_integral: a constant c gives (high - low) c and std 0, even for one point"""
    for sample_size, repeat in ((100, 10), (1, 1), (1, 7), (37, 1)):
        c = float(rng.uniform(-3, 3))
        low = rng.uniform(-5, 5)
        high = low + rng.uniform(0.5, 6)
        # c (sin^2 + cos^2): the constant c (to rounding), evaluated element-wise like any f.
        fun = numeric_function(c * (sin(x) ** 2 + cos(x) ** 2), x)
        result = sub.monte_carlo_integral(fun, low, high, sample_size=sample_size, repeat=repeat,
                                          rng=seeded_rng(distinct_seeds(rng, 1)[0]))  # fmt: skip
        check_close(np.array(check_pair(result, name=sub.last_call)),
                    np.array([(high - low) * c, 0.0]), name=sub.last_call, rtol=0.0,
                    atol=CONSTANT_ATOL)  # fmt: skip


@pytest.mark.points(1)
def test_monte_carlo_invalid(sub, rng):
    """monte_carlo_integral: low >= high, sample_size < 1 or repeat < 1 raise ValueError"""
    low = rng.uniform(-2, 0)
    high = low + rng.uniform(1, 3)
    # One point per estimate, many estimates: valid, and their mean is as good as one estimate of
    # as many points (the estimates are not normal, so their std is not checked here).
    result = sub.monte_carlo_integral(GAUSSIAN, low, high, sample_size=1, repeat=3000,
                                      rng=seeded_rng(distinct_seeds(rng, 1)[0]))  # fmt: skip
    check_monte_carlo(result, GAUSSIAN.trusted(), low, high, 1, 3000, name=sub.last_call,
                      spread=False)  # fmt: skip
    check_raises(ValueError, sub.monte_carlo_integral, GAUSSIAN, 1, 1)
    check_raises(ValueError, sub.monte_carlo_integral, GAUSSIAN, 1, -1)
    check_raises(ValueError, sub.monte_carlo_integral, GAUSSIAN, high, low, rng=seeded_rng(1))
    check_raises(ValueError, sub.monte_carlo_integral, GAUSSIAN, low, low, rng=seeded_rng(1))
    for sample_size, repeat in ((0, 10), (100, 0), (-int(rng.integers(1, 50)), 5),
                                (10, -int(rng.integers(1, 5))), (0, 0)):  # fmt: skip
        check_raises(ValueError, sub.monte_carlo_integral, GAUSSIAN, low, high,
                     sample_size=sample_size, repeat=repeat, rng=seeded_rng(1))  # fmt: skip
