"""Probe inputs of lec06_probability for `aimath mutants`: inputs only, never expected values.

A mutant that survives the graders and its reference are both called on every input below, each
in a sandboxed worker, and what they return (or raise) is compared. The inputs are numpy arrays
of floats and of small integers (not lists, NaN or infinity), on which the reference's behaviour
is the specification: distributions of one, two and many values, zero probabilities, integer
probabilities, sums off by rounding, point masses (one value, a repeated value, all the
probability on one of several values), probabilities that are negative or do not sum to 1, and
shapes the reference rejects (ValueError), 0-d, 2-D and broadcastable ones included. Monte Carlo
runs with seeded generators and None, one point and one estimate, the default sizes, integer
ends, and ends or sizes the reference rejects.
"""

import numpy as np
from sympy import exp, sin
from sympy.abc import x

from autograder.arguments import numeric_function, seeded_rng

DIE, DIE_PROBS = np.arange(1, 7), np.full(6, 1 / 6)
GAUSSIAN = numeric_function(exp(-(x**2)), x)


def _distributions(rng):
    """Valid (values, probs): small and random ones, zeros, integers, a sum off by rounding."""
    out = [(DIE, DIE_PROBS), (np.array([0, 1]), np.array([0.7, 0.3])),
           (np.array([0, 1, 2]), np.array([0.5, 0.25, 0.25])),
           (np.array([1.0, 3.0, 40.0]), np.array([0.5, 0.5, 0.0])),
           (np.array([-4.0, 2.0, 9.0]), np.array([0, 1, 0])),
           (np.array([2.5]), np.array([1.0]))]  # fmt: skip
    for n in (2, 5, 12):
        values = 3 * rng.normal(size=n) + 1
        probs = rng.dirichlet(np.ones(n))
        out += [(values, probs), (values, probs * (1 + 1e-12))]
    probs = rng.dirichlet(np.ones(7))
    probs[[1, 4]] = 0.0
    out.append((rng.integers(-9, 10, size=7), probs / probs.sum()))
    return out


def _invalid(rng):
    """(values, probs) that are not distributions or not 1-D arrays of one length."""
    values, probs = 3 * rng.normal(size=4), rng.dirichlet(np.ones(4))
    return [(values, probs * 0.9), (values, probs * 1.001), (np.array([1.0, 2.0]),
            np.array([1.2, -0.2])), (values, probs[:3]), (values[:1], probs),
            (values, np.array([1.0])), (np.array(values[0]), probs), (np.zeros(0), np.zeros(0)),
            (np.tile(values, (2, 1)), np.tile(probs, (2, 1)) / 2),
            (values.reshape(1, 4), probs.reshape(1, 4))]  # fmt: skip


def probes(rng):
    """(function name, args, kwargs) for every function of lec06_probability."""
    out = []
    for values, probs in _distributions(rng) + _invalid(rng):
        for name in ("expectation", "variance", "skewness"):
            out.append((name, (values, probs), {}))
    # skewness of point masses: one value, a repeated value, all the probability on one value.
    for values, probs in ((np.array([5.0]), np.array([1.0])),
                          (np.array([2, 2, 2]), np.array([0.25, 0.25, 0.5])),
                          (np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 0.0])),
                          (np.array([1.0, 1.0, 7.0]), np.array([0.5, 0.5, 0.0])),
                          (np.full(3, 0.1), np.array([0.2, 0.3, 0.5]))):  # fmt: skip
        out.append(("skewness", (values, probs), {}))
    # covariance: independent, identical, linearly and randomly related pairs; bad shapes.
    x1, probs = 3 * rng.normal(size=6) - 1, rng.dirichlet(np.ones(6))
    x2 = rng.normal(size=6) + 2
    out += [("covariance", (np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), np.full(4, 0.25)), {}),
            ("covariance", (DIE, DIE, DIE_PROBS), {}), ("covariance", (DIE, 7 - DIE, DIE_PROBS), {}),
            ("covariance", (x1, x2, probs), {}), ("covariance", (x2, x1, probs), {}),
            ("covariance", (x1, 2 * x1 + 3, probs), {}),
            ("covariance", (np.array([1.5]), np.array([-2.0]), np.array([1.0])), {}),
            ("covariance", (x1, x2[:5], probs), {}), ("covariance", (x1, x2[:1], probs), {}),
            ("covariance", (x1[:1], x2, probs), {}), ("covariance", (x1, x2, probs[:1] * 0 + 1), {}),
            ("covariance", (x1, np.array(x2[0]), probs), {}),
            ("covariance", (x1.reshape(2, 3), x2.reshape(2, 3), probs.reshape(2, 3)), {})]  # fmt: skip
    for values, bad in _invalid(rng):
        out.append(("covariance", (values, values, bad), {}))
    # monte_carlo_integral: seeded and None, several sizes (one point, one estimate), integer and
    # float ends; ends and sizes that must raise.
    wave = numeric_function(sin(x) + x**2, x)
    for fun, low, high, kwargs in (
        (GAUSSIAN, -1, 1, {"sample_size": 1000, "repeat": 20, "rng": seeded_rng(1)}),
        (GAUSSIAN, -1, 1, {}),
        (GAUSSIAN, -1.5, 0.5, {"sample_size": 50, "rng": None}),
        (wave, 0.0, 2.5, {"sample_size": 1, "repeat": 1, "rng": seeded_rng(2)}),
        (wave, -1.0, 3.0, {"sample_size": 1, "repeat": 30, "rng": seeded_rng(3)}),
        (wave, -2, -1, {"sample_size": 200, "repeat": 1, "rng": seeded_rng(4)}),
        (wave, 0.5, 4.0, {"sample_size": 10, "repeat": 2, "rng": seeded_rng(5)}),
        (GAUSSIAN, 1, 1, {}), (GAUSSIAN, 1, -1, {}), (GAUSSIAN, 0.0, 1.0, {"sample_size": 0}),
        (GAUSSIAN, 0.0, 1.0, {"repeat": 0}), (GAUSSIAN, 0.0, 1.0, {"sample_size": -3}),
        (GAUSSIAN, 0.0, 1.0, {"repeat": -1, "rng": seeded_rng(1)}),
        (GAUSSIAN, 0.0, 1.0, {"sample_size": 0, "repeat": 0}),
    ):  # fmt: skip
        out.append(("monte_carlo_integral", (fun, low, high), kwargs))
    return out
