"""Helpers shared by the public and hidden tests of lec03_gradient_descent."""

import numpy as np
import sympy as sym
from sympy.abc import x

from autograder.checks import check_true
from autograder.formatting import format_value
from autograder.i18n import msg


def pair(result, name, what):
    """The two parts of a (first, second) result, after checking it is a pair."""
    check_true(
        type(result) in (tuple, list) and len(result) == 2, name=name,
        message=msg("lec03_gradient_descent.not_a_pair", value=format_value(result), what=what),
    )  # fmt: skip
    return result[0], result[1]


def the_value(name):
    """The name of a (value, poly) pair's value: '<name>[0] (the value)'."""
    return msg("lec03_gradient_descent.part_value", call=name)


def the_polynomial(name):
    """The name of a (value, poly) pair's polynomial: '<name>[1] (the polynomial)'."""
    return msg("lec03_gradient_descent.part_polynomial", call=name)


def the_slope(name):
    """The name of a (slope, derivative) pair's slope: '<name>[0] (the slope)'."""
    return msg("lec03_gradient_descent.part_slope", call=name)


def the_derivative(name):
    """The name of a (slope, derivative) pair's derivative: '<name>[1] (the derivative)'."""
    return msg("lec03_gradient_descent.part_derivative", call=name)


def random_quadratic(rng):
    """a (x - b)² + c with random a, b, c: a function other than the lecture's (unseen minimum
    b and curvature 2a, never the lecture's -1 and 2)."""
    a = sym.Rational(int(rng.choice([1, 3, 4, 5])), 2)
    b = int(rng.choice([-4, -3, -2, 0, 1, 2, 3, 4]))
    return a * (x - b) ** 2 + int(rng.integers(-5, 6))


def pythagorean_start(rng, j):
    """A start point (±p 2^j, ±q 2^j) with p² + q² = h² (a random Pythagorean triple), and h: on
    c (x² + y²) every gradient norm 2c h 2^e is exact in floats, whatever norm code computes it."""
    p, q, h = (int(k) for k in [(3, 4, 5), (5, 12, 13), (8, 15, 17), (7, 24, 25)][rng.integers(4)])
    if rng.integers(2):
        p, q = q, p
    signs = rng.choice([-1.0, 1.0], size=2)
    return np.array([signs[0] * p, signs[1] * q]) * 2.0**j, h


def slope_of(expr):
    """f'(x) of a one-variable sympy expression, as a Python float function (oracle)."""
    return sym.lambdify(x, sym.diff(expr, x), "math")


def descend(grad, x0, lr, eps, size=abs, visited=None):
    """The loop the docstring states, in floats: (point, updates, margin), where margin is how close
    (relatively) any |slope| came to epsilon. An independent oracle for expected counts; given a
    list ``visited``, every point of the run is appended to it (the figures draw them)."""
    val, g, n = x0, grad(x0), 0
    margin = abs(size(g) / eps - 1)
    if visited is not None:
        visited.append(val)
    while size(g) > eps:
        val = val - lr * g
        g, n = grad(val), n + 1
        margin = min(margin, abs(size(g) / eps - 1))
        if visited is not None:
            visited.append(val)
        if n > 100_000:
            raise RuntimeError("the oracle did not converge: choose another learning rate")
    return val, n, margin
