"""Hidden tests for lec03_gradient_descent: functions, start points and learning rates the public
tests do not use; expected values from the reference, run here (trusted) on the same functions."""

import numpy as np
import pytest
import sympy as sym
from sympy.abc import x, y

from autograder.arguments import lecture_function
from autograder.checks import check_close, check_converged, check_symbolic
from autograder.graders.lec03_gradient_descent.support import (
    pair,
    pythagorean_start,
    random_quadratic,
)

pytestmark = pytest.mark.hidden

# As in the public tests: a run that stops on another quantity (the step |lr * slope|, |dx|) ends
# within epsilon / (lr * f'') of the minimum; POINT_ATOL counts that as "the right minimum", so the
# run is told apart by its number of updates, while a wrong derivative or sign ends far away.
POINT_ATOL = 1e-3


@pytest.mark.points(1)
def test_hidden_func(sub, ref, rng):
    """func: unseen integer and float points"""
    for v in (*map(int, rng.integers(-100, 101, size=2)), *map(float, rng.normal(0, 20, size=2))):
        expected_value, expected_poly = ref.func(v)
        value, poly = pair(sub.func(v), sub.last_call, "(value, poly)")
        check_close(value, expected_value, name=f"{sub.last_call}[0] (the value)")
        check_symbolic(poly, expected_poly, name=f"{sub.last_call}[1] (the polynomial)")


@pytest.mark.points(2)
def test_hidden_func_gradient(sub, ref, rng):
    """func_gradient: unseen functions (polynomials, exp, cos) at unseen points"""
    v = float(rng.uniform(-10, 10))
    cases = [(sub.func, ref.func, v)]
    for expr in ((x + 3) ** 2 - 2, 2 * x**3 - x**2 + 5, x * sym.exp(x), sym.cos(x) + x**2 / 2):
        cases.append(
            (
                lecture_function(expr, x),
                lecture_function(expr, x).trusted(),
                float(rng.uniform(-2, 2)),
            )
        )
    for fun, trusted, v in cases:
        expected_slope, expected_diff = ref.func_gradient(trusted, v)
        result = sub.func_gradient(fun, v)
        slope, diff = pair(result, sub.last_call, "(slope, derivative)")
        check_close(slope, expected_slope, name=f"{sub.last_call}[0] (the slope)")
        check_symbolic(diff, expected_diff, name=f"{sub.last_call}[1] (the derivative)")


@pytest.mark.points(2)
def test_hidden_gradient_descent(sub, ref, rng):
    """gradient_descent: the lecture's func and another from unseen starts, rates and epsilons"""
    for _ in range(2):
        x0 = float(rng.uniform(-10, 8))
        lr = float(rng.choice([0.05, 0.1, 0.25]))
        eps = float(rng.choice([1e-4, 1e-6, 1e-7]))
        point, n = ref.gradient_descent(ref.func, x0, lr_rate=lr, epsilon=eps)
        result = sub.gradient_descent(sub.func, x0, lr_rate=lr, epsilon=eps)
        check_converged(result, float(point), n, name=sub.last_call, atol=POINT_ATOL)
    f = lecture_function(random_quadratic(rng), x)
    x0, lr, eps = float(rng.uniform(-8, 8)), float(rng.choice([0.04, 0.08])), 1e-6
    point, n = ref.gradient_descent(f.trusted(), x0, lr_rate=lr, epsilon=eps)
    result = sub.gradient_descent(f, x0, lr_rate=lr, epsilon=eps)
    check_converged(result, float(point), n, name=sub.last_call, atol=POINT_ATOL)


@pytest.mark.points(1)
def test_hidden_gradient_descent_epsilon_boundary(sub, ref, rng):
    """gradient_descent: unseen runs whose |slope| reaches exactly epsilon, where they must stop"""
    # c (x - b)² with lr_rate (1 - r) / (2c) multiplies the slope 2c (x - b) by r at every update,
    # exactly in floats: from b ± 2^j, |slope| = 2c 2^j |r|^k, which is epsilon for k = m. The m
    # are large enough that one update more or less moves the point by less than POINT_ATOL, so
    # such a run is told it reached the right minimum in the wrong number of updates.
    for c, r, m_range in ((1, -0.5, (14, 20)), (2, 0.5, (14, 20)), (2, 0.25, (8, 11))):
        b, j, m = int(rng.integers(-5, 6)), int(rng.integers(-1, 2)), int(rng.integers(*m_range))
        f = lecture_function(c * (x - b) ** 2, x)
        x0 = b + float(rng.choice([-1.0, 1.0])) * 2.0**j
        lr, eps = (1 - r) / (2 * c), 2 * c * 2.0**j * abs(r) ** m
        point, n = ref.gradient_descent(f.trusted(), x0, lr_rate=lr, epsilon=eps)
        if n != m:  # the grader's own check, before any call to the submission
            raise RuntimeError("the reference's run missed the boundary |slope| == epsilon")
        result = sub.gradient_descent(f, x0, lr_rate=lr, epsilon=eps)
        check_converged(result, float(point), n, name=sub.last_call, atol=POINT_ATOL)


@pytest.mark.points(2)
def test_hidden_gradient_descent_other_functions(sub, ref, rng):
    """gradient_descent: unseen functions (a quartic, cos) from unseen start points"""
    for expr, low, high, lr in (
        (sym.Rational(1, 2) * x**2 - 3 * x, -4.0, 8.0, 0.2),
        (x**4 + x**2 - 2 * x, -1.5, 1.5, 0.05),
        (sym.cos(x) + x**2, -2.0, 2.0, 0.2),
    ):
        x0 = float(rng.uniform(low, high))
        point, n = ref.gradient_descent(lecture_function(expr, x).trusted(), x0, lr_rate=lr)
        result = sub.gradient_descent(lecture_function(expr, x), x0, lr_rate=lr)
        check_converged(result, float(point), n, name=sub.last_call, atol=POINT_ATOL)


@pytest.mark.points(1)
def test_hidden_func_multi(sub, ref, rng):
    """func_multi: unseen integer and float points"""
    for v in (rng.integers(-50, 51, size=2).tolist(), rng.normal(0, 10, size=2)):
        expected_value, expected_poly = ref.func_multi(v)
        value, poly = pair(sub.func_multi(v), sub.last_call, "(value, poly)")
        check_close(value, expected_value, name=f"{sub.last_call}[0] (the value)")
        check_symbolic(poly, expected_poly, name=f"{sub.last_call}[1] (the polynomial)")


@pytest.mark.points(2)
def test_hidden_eval_gradient(sub, ref, rng):
    """eval_gradient: unseen functions of x and y at unseen points"""
    v = rng.uniform(-5, 5, size=2)
    check_close(sub.eval_gradient(sub.func_multi, v), ref.eval_gradient(ref.func_multi, v),
                name=sub.last_call, require_ndarray=True)  # fmt: skip
    for expr in (2 * (x - 1) ** 2 + (y + 1) ** 2 + x * y, x**3 * y - y**2, x * sym.cos(y)):
        v = rng.uniform(-2, 2, size=2)
        expected = ref.eval_gradient(lecture_function(expr, x, y).trusted(), v)
        check_close(sub.eval_gradient(lecture_function(expr, x, y), v), expected,
                    name=sub.last_call, require_ndarray=True)  # fmt: skip


@pytest.mark.points(2)
def test_hidden_gradient_descent_multi(sub, ref, rng):
    """gradient_descent_multi: the lecture's func_multi from unseen start points and rates"""
    for lr, eps in ((0.2, 1e-5), (0.3, 1e-7)):
        pt = rng.uniform(-4, 4, size=2)
        point, n = ref.gradient_descent_multi(ref.func_multi, pt, lr_rate=lr, epsilon=eps)
        result = sub.gradient_descent_multi(sub.func_multi, pt, lr_rate=lr, epsilon=eps)
        check_converged(result, point, n, name=sub.last_call, atol=POINT_ATOL,
                        require_ndarray=True)  # fmt: skip


@pytest.mark.points(1)
def test_hidden_gradient_descent_multi_epsilon_boundary(sub, ref, rng):
    """gradient_descent_multi: unseen runs whose gradient norm reaches exactly epsilon, and stop"""
    # c ((x - a)² + (y - b)²) with lr_rate (1 - r) / (2c) multiplies the gradient by r at every
    # update, exactly in floats; from (a, b) + (±p, ±q) 2^j, with p² + q² = h², its norm is
    # 2c h 2^j |r|^k, which is epsilon for k = m (large enough that one update more or less moves
    # the point by less than POINT_ATOL: the wrong number of updates, not a wrong minimum).
    for c, r in ((1, 0.5), (2, -0.5)):
        a, b = (int(k) for k in rng.integers(-4, 5, size=2))
        j, m = int(rng.integers(-1, 2)), int(rng.integers(17, 22))
        f = lecture_function(c * ((x - a) ** 2 + (y - b) ** 2), x, y)
        offset, h = pythagorean_start(rng, j)
        pt, lr, eps = np.array([a, b]) + offset, (1 - r) / (2 * c), 2 * c * h * 2.0**j * abs(r) ** m
        point, n = ref.gradient_descent_multi(f.trusted(), pt, lr_rate=lr, epsilon=eps)
        if n != m:  # the grader's own check, before any call to the submission
            raise RuntimeError("the reference's run missed the boundary ||gradient|| == epsilon")
        result = sub.gradient_descent_multi(f, pt, lr_rate=lr, epsilon=eps)
        check_converged(result, point, n, name=sub.last_call, atol=POINT_ATOL, require_ndarray=True)


@pytest.mark.points(2)
def test_hidden_gradient_descent_multi_other_functions(sub, ref, rng):
    """gradient_descent_multi: unseen functions of x and y (coupled, symmetric, with sin)"""
    a = float(rng.uniform(0.5, 2.0))
    for expr, pt, lr in (
        ((x + y) ** 2 + (x - 2) ** 2, rng.uniform(-3, 3, size=2), 0.3),
        (2 * x**2 + 2 * y**2, np.array([a, -a]), 0.1),
        (x**2 + y**2 + sym.sin(x), rng.uniform(-2, 2, size=2), 0.2),
    ):
        point, n = ref.gradient_descent_multi(
            lecture_function(expr, x, y).trusted(), pt, lr_rate=lr
        )
        result = sub.gradient_descent_multi(lecture_function(expr, x, y), pt, lr_rate=lr)
        check_converged(result, point, n, name=sub.last_call, atol=POINT_ATOL,
                        require_ndarray=True)  # fmt: skip
