"""AI Math 3강: 경사하강법 - 순한맛

Reference solutions for gradient descent with sympy, in the lecture's own style: the lecture's
f(x) = x² + 2x + 3 with its derivative and gradient descent in one variable, then the two-variable
f(x, y) = x² + 2y² with its gradient vector and gradient descent on the L2 norm of the gradient.

A function ``fun`` is a callable like ``func``: ``fun(val) -> (value, expression)``, in the symbol
x (x and y for two variables) from sympy.abc.
"""

# The stub keeps these imports for the functions students write (unused there until they do).
import numpy as np  # noqa: F401
import sympy as sym  # noqa: F401
from sympy.abc import x, y  # noqa: F401


def func(val):
    """AI Math 3강: 경사하강법 - 순한맛: 예제 함수 f(x) = x² + 2x + 3.

    The lecture's example function, built as a sympy polynomial with ``sym.poly`` and evaluated at
    val by substituting x.

    Args:
        val: a number (int, float or sympy number), the point x.
    Returns:
        (value, poly): value is f(val) (a sympy number); poly is ``sym.poly(x**2 + 2*x + 3)``.
    """
    fun = sym.poly(x**2 + 2 * x + 3)
    return fun.subs(x, val), fun


def func_gradient(fun, val):
    """AI Math 3강: 경사하강법 - 순한맛: 미분.

    The derivative of fun, with ``sym.diff`` with respect to x, and its value (the slope) at val:
    slope = f'(val).

    Args:
        fun: a callable ``fun(val) -> (value, expression)`` in the symbol x, like ``func``.
        val: a number, the point x.
    Returns:
        (slope, derivative): slope is f'(val) (a sympy number); derivative is the sympy expression
        (or Poly) of f'(x).
    """
    _, function = fun(val)
    diff = sym.diff(function, x)
    return diff.subs(x, val), diff


def gradient_descent(fun, init_point, lr_rate=1e-2, epsilon=1e-5):
    """AI Math 3강: 경사하강법 - 순한맛: 경사하강법 (일변수).

    Starting from init_point, repeat the update val = val - lr_rate * f'(val) while
    |f'(val)| > epsilon; the slope is recomputed (with ``func_gradient``) after every update.

    Args:
        fun: a callable ``fun(val) -> (value, expression)`` in the symbol x, like ``func``.
        init_point: a number, the starting point.
        lr_rate: float, the learning rate.
        epsilon: float, the loop stops once |f'(val)| <= epsilon.
    Returns:
        (point, n_iterations): point is the last val (a number), n_iterations the number of
        updates made (0 if |f'(init_point)| <= epsilon already).
    """
    cnt = 0
    val = init_point
    diff, _ = func_gradient(fun, init_point)
    while np.abs(diff) > epsilon:
        val = val - lr_rate * diff
        diff, _ = func_gradient(fun, val)
        cnt += 1
    return val, cnt


def func_multi(val):
    """AI Math 3강: 경사하강법 - 순한맛: 예제 함수 f(x, y) = x² + 2y².

    The lecture's two-variable example, built with ``sym.poly`` and evaluated at val = [x, y] by
    substituting x and y.

    Args:
        val: a sequence of 2 numbers [x, y] (list or array of shape (2,)).
    Returns:
        (value, poly): value is f(x, y) (a sympy number); poly is ``sym.poly(x**2 + 2*y**2)``.
    """
    x_, y_ = val
    fun = sym.poly(x**2 + 2 * y**2)
    return fun.subs(x, x_).subs(y, y_), fun


def eval_gradient(fun, val):
    """AI Math 3강: 경사하강법 - 순한맛: 그레디언트 벡터.

    The gradient vector of fun at val: the partial derivatives (``sym.diff`` with respect to x and
    to y) evaluated at val: grad f(x, y) = [df/dx, df/dy].

    Args:
        fun: a callable ``fun(val) -> (value, expression)`` in the symbols x and y, like
            ``func_multi``.
        val: a sequence of 2 numbers [x, y] (list or array of shape (2,)).
    Returns:
        ndarray of shape (2,), dtype float: [df/dx(val), df/dy(val)].
    """
    x_, y_ = val
    _, function = fun(val)
    diff_x = sym.diff(function, x)
    diff_y = sym.diff(function, y)
    return np.array([diff_x.subs(x, x_).subs(y, y_), diff_y.subs(x, x_).subs(y, y_)], dtype=float)


def gradient_descent_multi(fun, init_point, lr_rate=1e-2, epsilon=1e-5):
    """AI Math 3강: 경사하강법 - 순한맛: 경사하강법 (다변수).

    Starting from init_point, repeat the update val = val - lr_rate * grad f(val) while the L2 norm
    of the gradient ||grad f(val)||_2 > epsilon; the gradient is recomputed (with
    ``eval_gradient``) after every update.

    Args:
        fun: a callable ``fun(val) -> (value, expression)`` in the symbols x and y, like
            ``func_multi``.
        init_point: a sequence of 2 numbers [x, y] (list or array of shape (2,)).
        lr_rate: float, the learning rate.
        epsilon: float, the loop stops once ||grad f(val)||_2 <= epsilon.
    Returns:
        (point, n_iterations): point is the last val, an ndarray of shape (2,); n_iterations the
        number of updates made.
    """
    cnt = 0
    val = init_point
    grad = eval_gradient(fun, val)
    while np.linalg.norm(grad) > epsilon:
        val = val - lr_rate * grad
        grad = eval_gradient(fun, val)
        cnt += 1
    return val, cnt
