"""Public tests for lec03_gradient_descent: students run these with `aimath check`."""

import numpy as np
import pytest
import sympy as sym
from sympy.abc import x, y

from autograder.arguments import lecture_function
from autograder.checks import check_close, check_converged, check_symbolic
from autograder.graders.lec03_gradient_descent.plots import descent_figure
from autograder.graders.lec03_gradient_descent.support import (
    descend,
    pair,
    pythagorean_start,
    random_quadratic,
    slope_of,
    the_derivative,
    the_polynomial,
    the_slope,
    the_value,
)

# The lecture's functions (AI Math 3강).
F = x**2 + 2 * x + 3
F_MULTI = x**2 + 2 * y**2
# The lecture's published run: gradient_descent(func, 3) with lr_rate 1e-2 and epsilon 1e-5 stops
# at -0.999995... after this many updates.
LECTURE_N_UPDATES = 673

# The stopping rule |slope| <= epsilon leaves the point within epsilon / f'' of the minimum (5e-6
# in the lecture's example). A run that stops on another quantity (the step |lr * slope|, or |dx|)
# ends within epsilon / (lr * f'') of it, 5e-4 in the lecture's example. POINT_ATOL counts both as
# "the right minimum", so such a run is told apart by its number of updates (with its own message),
# while a wrong derivative or a wrong sign ends far away (or never ends).
POINT_ATOL = 1e-3
# For a start within 3e-5 of the minimum, POINT_ATOL would accept the start itself: this run is
# checked within NEAR_ATOL, still 100 times what separates runs that stop one update apart.
NEAR_ATOL = 1e-6
# Random start points are redrawn when some |slope| of the run is this close (relatively) to
# epsilon: there, rounding differences could move the stop by one update.
MARGIN = 1e-6


def gradient_of(expr):
    """grad f(x, y) of a two-variable sympy expression, as a numpy function (oracle)."""
    parts = sym.lambdify((x, y), [sym.diff(expr, x), sym.diff(expr, y)], "numpy")
    return lambda v: np.array(parts(v[0], v[1]), dtype=float)


def start(rng, low, high, grad, lr, eps, size=abs, dim=None, make=None):
    """A random start point in [low, high) (shape ``dim``, then passed through ``make``) whose run
    stays clear of the stopping boundary, with the oracle's (point, updates) for it."""
    for _ in range(100):
        x0 = rng.uniform(low, high, size=dim)
        x0 = float(x0) if dim is None else x0
        x0 = make(x0) if make else x0
        point, n, margin = descend(grad, x0, lr, eps, size)
        if margin > MARGIN:
            return x0, point, n
    raise RuntimeError("could not draw a start point clear of the stopping boundary")


# -- func -----------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_func_lecture_example(sub, rng):
    """func: f(x) = x² + 2x + 3 at the lecture's x = 3 and random points, and its polynomial"""
    value, poly = pair(sub.func(3), sub.last_call, "(value, poly)")
    check_close(value, 18, name=the_value(sub.last_call))
    check_symbolic(poly, F, name=the_polynomial(sub.last_call))
    for v in (int(rng.integers(-20, 21)), *map(float, rng.uniform(-5, 5, size=3))):
        value, poly = pair(sub.func(v), sub.last_call, "(value, poly)")
        check_close(value, v**2 + 2 * v + 3, name=the_value(sub.last_call))
        check_symbolic(poly, F, name=the_polynomial(sub.last_call))


# -- func_gradient --------------------------------------------------------------------------
@pytest.mark.points(2)
def test_func_gradient_lecture_example(sub, rng):
    """func_gradient: f'(3) = 8 and 2x + 2 for the lecture's func, random x, and a random quadratic"""
    slope, diff = pair(sub.func_gradient(sub.func, 3), sub.last_call, "(slope, derivative)")
    check_close(slope, 8, name=the_slope(sub.last_call))
    check_symbolic(diff, 2 * x + 2, name=the_derivative(sub.last_call))
    for v in rng.uniform(-5, 5, size=3):
        result = sub.func_gradient(sub.func, float(v))
        slope, diff = pair(result, sub.last_call, "(slope, derivative)")
        check_close(slope, 2 * v + 2, name=the_slope(sub.last_call))
        check_symbolic(diff, 2 * x + 2, name=the_derivative(sub.last_call))
    # The derivative of fun, not of the lecture's f: another function at a random point.
    expr, v = random_quadratic(rng), float(rng.uniform(-5, 5))
    result = sub.func_gradient(lecture_function(expr, x), v)
    slope, diff = pair(result, sub.last_call, "(slope, derivative)")
    check_close(slope, slope_of(expr)(v), name=the_slope(sub.last_call))
    check_symbolic(diff, sym.diff(expr, x), name=the_derivative(sub.last_call))


@pytest.mark.points(2)
def test_func_gradient_other_functions(sub, rng):
    """func_gradient: other functions fun (polynomials and sin) at random points"""
    for expr in ((x - 2) ** 2 + 1, x**3 - 3 * x, x**4 / 4 - x, x**2 + sym.sin(x)):
        derivative = sym.diff(expr, x)
        v = float(rng.uniform(-3, 3))
        result = sub.func_gradient(lecture_function(expr, x), v)
        slope, diff = pair(result, sub.last_call, "(slope, derivative)")
        check_close(slope, slope_of(expr)(v), name=the_slope(sub.last_call))
        check_symbolic(diff, derivative, name=the_derivative(sub.last_call))


# -- gradient_descent -----------------------------------------------------------------------
@pytest.mark.points(3)
def test_gradient_descent_lecture_example(sub, rng):
    """gradient_descent: the lecture's run from 3 (lr 1e-2, epsilon 1e-5), random starts, another f"""
    result = sub.gradient_descent(sub.func, 3)
    with descent_figure(result, F, 3):
        check_converged(result, -1.0, LECTURE_N_UPDATES, name=sub.last_call, atol=POINT_ATOL)
    x0, point, n = start(rng, -6.0, 4.0, slope_of(F), 0.1, 1e-5)
    result = sub.gradient_descent(sub.func, x0, lr_rate=0.1)
    with descent_figure(result, F, x0, 0.1):
        check_converged(result, point, n, name=sub.last_call, atol=POINT_ATOL)
    # The slope of fun, not of the lecture's f: another function's minimum and number of updates.
    expr = random_quadratic(rng)
    x0, point, n = start(rng, -6.0, 6.0, slope_of(expr), 0.1, 1e-5)
    result = sub.gradient_descent(lecture_function(expr, x), x0, lr_rate=0.1)
    with descent_figure(result, expr, x0, 0.1):
        check_converged(result, point, n, name=sub.last_call, atol=POINT_ATOL)


@pytest.mark.points(2)
def test_gradient_descent_other_functions(sub, rng):
    """gradient_descent: other functions fun from random start points"""
    for expr, low, high, lr in (
        ((x - 2) ** 2 + 1, -3.0, 7.0, 0.1),
        (3 * x**2 - 4 * x, -2.0, 3.0, 0.05),
        (x**4 / 4 - x, 0.2, 2.2, 0.1),
    ):
        x0, point, n = start(rng, low, high, slope_of(expr), lr, 1e-5)
        result = sub.gradient_descent(lecture_function(expr, x), x0, lr_rate=lr)
        with descent_figure(result, expr, x0, lr):
            check_converged(result, point, n, name=sub.last_call, atol=POINT_ATOL)


@pytest.mark.points(2)
def test_gradient_descent_counts_updates(sub, rng):
    """gradient_descent: n_iterations counts the updates (0 from the minimum, 1 when one step lands)"""
    check_converged(sub.gradient_descent(sub.func, -1), -1.0, 0, name=sub.last_call)
    # f = x² with lr_rate 0.5: x - 0.5 * 2x = 0, the minimum, in exactly one update.
    x0 = float(rng.choice([-1, 1]) * rng.uniform(0.5, 5))
    result = sub.gradient_descent(lecture_function(x**2, x), x0, lr_rate=0.5)
    check_converged(result, 0.0, 1, name=sub.last_call)
    # f = (x - 1)² with lr_rate 0.25 halves the distance to 1 at every update: exact in floats.
    x0 = 1.0 + 2.0 ** int(rng.integers(0, 6))
    expected, n, _ = descend(slope_of((x - 1) ** 2), x0, 0.25, 1e-6)
    result = sub.gradient_descent(lecture_function((x - 1) ** 2, x), x0, lr_rate=0.25, epsilon=1e-6)
    check_converged(result, expected, n, name=sub.last_call, atol=POINT_ATOL)


@pytest.mark.points(2)
def test_gradient_descent_learning_rate_and_epsilon(sub, rng):
    """gradient_descent: stops once |slope| <= epsilon (equal included), for other lr_rate and epsilon"""
    for lr, eps in ((0.2, 1e-8), (0.05, 1e-3), (0.3, 1e-6)):
        x0, point, n = start(rng, -5.0, 3.0, slope_of(F), lr, eps)
        result = sub.gradient_descent(sub.func, x0, lr_rate=lr, epsilon=eps)
        with descent_figure(result, F, x0, lr, eps):
            check_converged(result, point, n, name=sub.last_call, atol=POINT_ATOL)
    expr = random_quadratic(rng)
    x0, point, n = start(rng, -5.0, 5.0, slope_of(expr), 0.1, 1e-7)
    result = sub.gradient_descent(lecture_function(expr, x), x0, lr_rate=0.1, epsilon=1e-7)
    with descent_figure(result, expr, x0, 0.1, 1e-7):
        check_converged(result, point, n, name=sub.last_call, atol=POINT_ATOL)
    # On the boundary: f = (x - b)² with lr_rate 0.25 halves the slope 2(x - b) at every update,
    # exactly in floats, so from b ± 2^j the slope is exactly epsilon = 2^-m after j + 1 + m
    # updates, where the loop must stop (a loop that runs while |slope| >= epsilon makes one more).
    # m >= 10: one update more or less moves the point by at most 2^-12, within POINT_ATOL, so
    # such a run is told it reached the right minimum in the wrong number of updates.
    b, j, m = int(rng.integers(-3, 4)), int(rng.integers(0, 4)), int(rng.integers(10, 16))
    x0 = b + float(rng.choice([-1.0, 1.0])) * 2.0**j
    point, n, margin = descend(slope_of((x - b) ** 2), x0, 0.25, 2.0**-m)
    if (n, margin) != (j + 1 + m, 0.0):  # the grader's own check (a RuntimeError is its fault)
        raise RuntimeError("the oracle's run missed the boundary |slope| == epsilon")
    result = sub.gradient_descent(lecture_function((x - b) ** 2, x), x0, lr_rate=0.25,
                                  epsilon=2.0**-m)  # fmt: skip
    with descent_figure(result, (x - b) ** 2, x0, 0.25, 2.0**-m):
        check_converged(result, point, n, name=sub.last_call, atol=POINT_ATOL)


@pytest.mark.points(1)
def test_gradient_descent_non_polynomial(sub, rng):
    """gradient_descent: functions with sin and exp (float start points)"""
    for expr, low, high, lr in ((x**2 + sym.sin(x), -3.0, 3.0, 0.1),
                                (sym.exp(x) - 2 * x, -1.0, 2.0, 0.2)):  # fmt: skip
        x0, point, n = start(rng, low, high, slope_of(expr), lr, 1e-5)
        result = sub.gradient_descent(lecture_function(expr, x), x0, lr_rate=lr)
        with descent_figure(result, expr, x0, lr):
            check_converged(result, point, n, name=sub.last_call, atol=POINT_ATOL)


# -- func_multi -----------------------------------------------------------------------------
@pytest.mark.points(2)
def test_func_multi_lecture_example(sub, rng):
    """func_multi: f(x, y) = x² + 2y² at [1, 2] and random points (lists and arrays)"""
    value, poly = pair(sub.func_multi([1, 2]), sub.last_call, "(value, poly)")
    check_close(value, 9, name=the_value(sub.last_call))
    check_symbolic(poly, F_MULTI, name=the_polynomial(sub.last_call))
    for v in (rng.uniform(-2, 2, size=2), list(rng.uniform(-5, 5, size=2))):
        value, poly = pair(sub.func_multi(v), sub.last_call, "(value, poly)")
        check_close(value, v[0] ** 2 + 2 * v[1] ** 2, name=the_value(sub.last_call))
        check_symbolic(poly, F_MULTI, name=the_polynomial(sub.last_call))


# -- eval_gradient --------------------------------------------------------------------------
@pytest.mark.points(2)
def test_eval_gradient_lecture_example(sub, rng):
    """eval_gradient: the gradient [2x, 4y] of func_multi at [1, 2] and random points"""
    check_close(sub.eval_gradient(sub.func_multi, [1.0, 2.0]), np.array([2.0, 8.0]),
                name=sub.last_call, require_ndarray=True)  # fmt: skip
    for _ in range(3):
        v = rng.uniform(-2, 2, size=2)
        expected = np.array([2 * v[0], 4 * v[1]])
        check_close(sub.eval_gradient(sub.func_multi, v), expected, name=sub.last_call,
                    require_ndarray=True)  # fmt: skip


@pytest.mark.points(2)
def test_eval_gradient_other_functions(sub, rng):
    """eval_gradient: other functions fun of x and y at random points"""
    for expr in ((x - 1) ** 2 + 3 * (y + 2) ** 2, x**2 * y + y**3, x * y + sym.sin(x)):
        v = rng.uniform(-2, 2, size=2)
        check_close(sub.eval_gradient(lecture_function(expr, x, y), v), gradient_of(expr)(v),
                    name=sub.last_call, require_ndarray=True)  # fmt: skip


# -- gradient_descent_multi -----------------------------------------------------------------
@pytest.mark.points(3)
def test_gradient_descent_multi_lecture_example(sub, rng):
    """gradient_descent_multi: the lecture's x² + 2y² from random starts, default and other lr_rate"""
    grad, norm = gradient_of(F_MULTI), np.linalg.norm
    # The lecture's lr_rate 1e-2 and epsilon 1e-5 (the defaults) from a start near the minimum:
    # from [-2, 2]² (the lecture's range) the lecture's code needs ~600 slow sympy updates.
    make = lambda u: u * rng.choice([-3e-5, 3e-5], size=2)  # noqa: E731
    pt, point, n = start(rng, 0.5, 1.0, grad, 1e-2, 1e-5, size=norm, dim=2, make=make)
    result = sub.gradient_descent_multi(sub.func_multi, pt)
    check_converged(result, point, n, name=sub.last_call, atol=NEAR_ATOL,
                    require_ndarray=True)  # fmt: skip
    # The lecture's range [-2, 2]² with lr_rate 0.1, as a list.
    pt, point, n = start(rng, -2.0, 2.0, grad, 0.1, 1e-5, size=norm, dim=2)
    result = sub.gradient_descent_multi(sub.func_multi, pt.tolist(), lr_rate=0.1)
    check_converged(result, point, n, name=sub.last_call, atol=POINT_ATOL,
                    require_ndarray=True)  # fmt: skip


@pytest.mark.points(2)
def test_gradient_descent_multi_other_functions(sub, rng):
    """gradient_descent_multi: other functions of x and y from random start points"""
    norm = np.linalg.norm
    for expr, lr, eps in (((x - 1) ** 2 + 3 * (y + 2) ** 2, 0.15, 1e-5),
                          (x**2 + x * y + y**2, 0.4, 1e-6)):  # fmt: skip
        pt, point, n = start(rng, -3.0, 3.0, gradient_of(expr), lr, eps, size=norm, dim=2)
        result = sub.gradient_descent_multi(lecture_function(expr, x, y), pt, lr_rate=lr,
                                            epsilon=eps)  # fmt: skip
        check_converged(result, point, n, name=sub.last_call, atol=POINT_ATOL,
                        require_ndarray=True)  # fmt: skip


@pytest.mark.points(2)
def test_gradient_descent_multi_stopping_rule(sub, rng):
    """gradient_descent_multi: stops once the gradient's L2 norm is <= epsilon (equal included), counting updates"""
    f = lecture_function(x**2 + y**2, x, y)
    check_converged(sub.gradient_descent_multi(f, [0.0, 0.0]), np.zeros(2), 0, name=sub.last_call,
                    require_ndarray=True)  # fmt: skip
    # lr_rate 0.5 on x² + y² lands on the minimum in exactly one update.
    result = sub.gradient_descent_multi(f, rng.uniform(-3, 3, size=2), lr_rate=0.5)
    check_converged(result, np.zeros(2), 1, name=sub.last_call, require_ndarray=True)
    # Both partial derivatives of the same size: the L2 norm is sqrt(2) times the largest one (and
    # the L1 norm 2 times), while each update shrinks the gradient by 0.8: stopping on another norm
    # changes the count by at least one.
    grad, norm = gradient_of(x**2 + y**2), np.linalg.norm
    for sign in (1.0, -1.0):
        make = lambda a, sign=sign: np.array([sign * a, a])  # noqa: E731
        pt, point, n = start(rng, 0.5, 2.0, grad, 0.1, 1e-6, size=norm, make=make)
        result = sub.gradient_descent_multi(f, pt.tolist(), lr_rate=0.1, epsilon=1e-6)
        check_converged(result, point, n, name=sub.last_call, atol=POINT_ATOL,
                        require_ndarray=True)  # fmt: skip
    # On the boundary: lr_rate 0.25 on x² + y² halves the gradient at every update, exactly in
    # floats; from (±p, ±q) 2^j with p² + q² = h², its norm 2h 2^(j-k) is exactly epsilon = h 2^(1-m)
    # after j + m updates, where the loop must stop (one more if it runs while the norm >= epsilon).
    # m >= 15: one update more or less moves the point by at most 25 * 2^-16, within POINT_ATOL.
    j, m = int(rng.integers(0, 3)), int(rng.integers(15, 20))
    pt, h = pythagorean_start(rng, j)
    point, n, margin = descend(grad, pt, 0.25, h * 2.0 ** (1 - m), size=norm)
    if (n, margin) != (j + m, 0.0):  # the grader's own check (a RuntimeError is its fault)
        raise RuntimeError("the oracle's run missed the boundary ||gradient|| == epsilon")
    result = sub.gradient_descent_multi(f, pt, lr_rate=0.25, epsilon=h * 2.0 ** (1 - m))
    check_converged(result, point, n, name=sub.last_call, atol=POINT_ATOL, require_ndarray=True)
