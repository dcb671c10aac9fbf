"""Helpers shared by the public and hidden tests of lec06_probability: random distributions,
oracles written independently of any solution, and the statistics of Monte Carlo estimates."""

import math

import numpy as np

from autograder.checks import STATISTICAL_K, check_close, check_statistical, check_true
from autograder.formatting import format_value
from autograder.i18n import msg

# The lecture's integral (AI Math 6강): int_{-1}^{1} exp(-x^2) dx = sqrt(pi) erf(1).
LECTURE_INTEGRAL = math.sqrt(math.pi) * math.erf(1.0)  # 1.4936482656248540...

QUADRATURE_NODES = 64
"""Gauss-Legendre nodes for the exact moments of f(U), U uniform on [low, high]: exact for
polynomials of degree up to 127, and to rounding (~1e-15 relative) for the smooth integrands graded
(entire functions and 1/(1 + x^2) on intervals of length at most 8)."""

CONSTANT_ATOL = 1e-12
"""Every estimate of a constant c is (high - low) * c up to rounding (~1e-16 relative), so their
mean is that and their standard deviation is 0 within this (for |c|, high - low of size ~1-10)."""

MIN_REPEAT_FOR_STD = 10
"""The spread check uses the chi-square law of the sample variance through its cube root (Wilson-
Hilferty), whose k-sigma tails match the exact chi-square tails (within 3e-10 of 2e-9) from 9
degrees of freedom on (checked against scipy.stats.chi2 for 9 to 999)."""


def distinct_seeds(rng, k):
    """k different seeds for seeded_rng, drawn from the test's rng."""
    return [int(s) for s in rng.choice(2**31, size=k, replace=False)]


def random_distribution(rng, n, *, zeros=0, integer=False):
    """(values, probs): n distinct values (normal floats, or small integers) and Dirichlet
    probabilities, `zeros` of them set to 0 (the others renormalised)."""
    if integer:
        values = rng.choice(np.arange(-12, 13), size=n, replace=False)
    else:
        values = 3.0 * rng.normal(size=n) + rng.normal()
    probs = rng.dirichlet(np.ones(n))
    if zeros:
        probs[rng.choice(n, size=zeros, replace=False)] = 0.0
        probs = probs / probs.sum()
    return values, probs


# -- oracles (independent formulas, numpy's own weighted statistics) -----------------------------
def oracle_mean(values, probs):
    return float(np.average(values, weights=probs))


def oracle_variance(values, probs):
    return float(np.cov(values, aweights=probs, bias=True))


def oracle_skewness(values, probs):
    """From the raw moments m_k = E[X^k]: mu_3 = m3 - 3 m1 m2 + 2 m1^3, mu_2 = m2 - m1^2."""
    m1, m2, m3 = (float(np.dot(probs, np.power(values, k))) for k in (1, 2, 3))
    return (m3 - 3 * m1 * m2 + 2 * m1**3) / (m2 - m1**2) ** 1.5


def oracle_covariance(x1, x2, probs):
    return float(np.cov(x1, x2, aweights=probs, bias=True)[0, 1])


# -- Monte Carlo ---------------------------------------------------------------------------------
def uniform_moments(f, low, high):
    """(integral of f over [low, high], standard deviation of f(U) for U uniform on [low, high]),
    by Gauss-Legendre quadrature of the trusted function f (a numpy function of an array)."""
    nodes, weights = np.polynomial.legendre.leggauss(QUADRATURE_NODES)
    x = low + (high - low) * (nodes + 1.0) / 2.0
    fx = np.broadcast_to(np.asarray(f(x), dtype=float), x.shape)
    mean = float(np.dot(weights, fx)) / 2.0  # the weights sum to 2, the length of [-1, 1]
    var = float(np.dot(weights, (fx - mean) ** 2)) / 2.0
    return (high - low) * mean, math.sqrt(max(var, 0.0))


def check_pair(result, *, name):
    """The (mean, std) a Monte Carlo call returned, as two floats; fail unless it is a pair of
    real numbers."""
    check_true(
        type(result) in (tuple, list) and len(result) == 2, name=name,
        message=msg("lec06_probability.not_a_pair", value=format_value(result)),
    )  # fmt: skip
    out = []
    for part, value in zip(("mean", "std"), result, strict=True):
        if type(value) is np.ndarray and value.ndim == 0:
            value = value[()]
        check_true(
            isinstance(value, int | float | np.integer | np.floating) and type(value) is not bool,
            name=name,
            message=msg("lec06_probability.part_not_a_number", value=format_value(result),
                        part=part, part_value=format_value(value)),
        )  # fmt: skip
        out.append(float(value))
    return tuple(out)


def spread_bounds(expected_std, repeat, *, k=STATISTICAL_K):
    """The range of np.std (ddof 0) of `repeat` normal estimates whose standard deviation is
    expected_std, outside which a correct one falls with probability ~2e-9 (k = 6): repeat * S^2 /
    s^2 is chi-square with repeat - 1 degrees of freedom, and its cube root nearly normal."""
    if repeat < MIN_REPEAT_FOR_STD:
        raise ValueError(f"spread_bounds: repeat must be >= {MIN_REPEAT_FOR_STD}, not {repeat}")
    dof = repeat - 1
    c = 2.0 / (9.0 * dof)
    lower = max(0.0, 1.0 - c - k * math.sqrt(c)) ** 3 * dof / repeat
    upper = (1.0 - c + k * math.sqrt(c)) ** 3 * dof / repeat
    return expected_std * math.sqrt(lower), expected_std * math.sqrt(upper)


def check_spread(actual, expected_std, repeat, sample_size, *, name):
    """Pass when the returned std of `repeat` estimates (each from sample_size points) is a
    plausible np.std of estimates whose standard deviation is expected_std."""
    lower, upper = spread_bounds(expected_std, repeat)
    if math.isfinite(actual) and lower <= actual <= upper:
        return
    check_true(
        False, name=name,
        message=msg("lec06_probability.spread_outside", actual=repr(actual), lower=float(lower),
                    upper=float(upper), repeat=repeat, sample_size=sample_size,
                    expected_std=float(expected_std), k=STATISTICAL_K),
    )  # fmt: skip


def check_monte_carlo(result, f, low, high, sample_size, repeat, *, name, spread=True, exact=None):
    """Check (mean, std) of monte_carlo_integral(fun, low, high, sample_size, repeat) against the
    exact integral of the trusted f (or `exact`) and the exact spread of a correct estimate."""
    mean, std = check_pair(result, name=name)
    integral, sd = uniform_moments(f, low, high)
    if exact is not None:
        integral = exact
    n_samples = sample_size * repeat
    check_statistical(
        mean, integral, (high - low) * sd / math.sqrt(n_samples), n_samples=n_samples,
        name=msg("lec06_probability.its_mean", call=name),
    )  # fmt: skip
    if spread:
        check_spread(std, (high - low) * sd / math.sqrt(sample_size), repeat, sample_size,
                     name=msg("lec06_probability.its_std", call=name))  # fmt: skip
    return mean, std


def check_same_pair(actual, expected, *, name):
    """A repeated call with the same generator state must return exactly the same floats."""
    check_close(np.array(actual), np.array(expected), name=name, rtol=0.0, atol=0.0)
