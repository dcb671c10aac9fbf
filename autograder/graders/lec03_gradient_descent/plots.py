"""Figures for the student's page: where a gradient_descent run ended, against the reference's run.

    >>> with descent_figure(result, F, 3):
    ...     check_converged(result, -1.0, 673, name=sub.last_call)

A run returns only its end point and its count of updates, so the figure shows that point on the
function's curve, next to every point the reference's run visits from the same start (the grader
knows the function, so it computes that run itself). It is recorded only when the check fails,
and never changes a result: its own errors are swallowed.
"""

import contextlib
import math

import numpy as np
import sympy as sym
from sympy.abc import x

from autograder.figures import figure
from autograder.graders.lec03_gradient_descent.support import descend, slope_of
from autograder.i18n import msg, raw

CURVE_POINTS = 200
FAR = 1e6
"""An end point this far from the start and the reference's points is not drawn (nor is the curve
stretched to it): the figure would show nothing else."""


def reference_run(expr, x0, lr_rate, epsilon):
    """The points the oracle's gradient descent on ``expr`` visits from ``x0`` (support.descend)."""
    visited = []
    descend(slope_of(expr), float(x0), lr_rate, epsilon, visited=visited)
    return visited


def _number(value):
    """A finite float of a returned number (Python, numpy or sympy), else None."""
    if isinstance(value, sym.Basic) and value.is_Number and value.is_extended_real:
        value = float(value)
    if type(value) not in (int, float) and not isinstance(value, np.floating | np.integer):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _count(value):
    """A returned count of updates as an int (a whole float or sympy number too), else None."""
    if isinstance(value, sym.Basic) and value.is_Integer:
        return int(value)
    if type(value) is int or isinstance(value, np.integer):
        return int(value)
    if type(value) is float and value.is_integer():
        return int(value)
    return None


def _values(f, points):
    out = []
    for p in points:
        try:
            v = float(f(p))
        except (ArithmeticError, ValueError, TypeError):
            v = math.nan
        out.append(v if math.isfinite(v) else math.nan)
    return out


def record_descent(result, expr, x0, lr_rate=1e-2, epsilon=1e-5):
    """Record the figure of one gradient_descent call (its ``result``, from ``x0``)."""
    try:
        _record(result, expr, x0, lr_rate, epsilon)
    except Exception:  # noqa: BLE001 - a figure never changes a result
        pass


def _record(result, expr, x0, lr_rate, epsilon):
    f = sym.lambdify(x, expr, "math")
    visited = reference_run(expr, x0, lr_rate, epsilon)
    point = count = None
    if type(result) in (tuple, list) and len(result) == 2:
        point, count = _number(result[0]), _count(result[1])
    known = [*visited]
    if point is not None and abs(point - visited[-1]) <= FAR:
        known.append(point)
    else:
        point = None
    low, high = min(known), max(known)
    pad = 0.1 * (high - low) or 1.0
    curve = np.linspace(low - pad, high + pad, CURVE_POINTS).tolist()
    series = [
        {"label": msg("lec03_gradient_descent.figure_curve", f=str(expr)), "role": "curve",
         "x": curve, "y": _values(f, curve)},
        {"label": msg("lec03_gradient_descent.figure_reference", n=len(visited) - 1,
                      point=visited[-1]),
         "role": "reference", "x": visited, "y": _values(f, visited)},
    ]  # fmt: skip
    if point is not None:
        label = (
            msg("lec03_gradient_descent.figure_student", n=count, point=point)
            if count is not None
            else msg("lec03_gradient_descent.figure_student_point", point=point)
        )
        series.append({"label": label, "role": "student", "x": [point], "y": _values(f, [point])})
    figure(
        "path",
        title=msg("lec03_gradient_descent.figure_title", x0=float(x0), lr=float(lr_rate),
                  epsilon=float(epsilon)),
        series=series, xlabel=raw("x"), ylabel=raw("f(x)"),
    )  # fmt: skip


@contextlib.contextmanager
def descent_figure(result, expr, x0, lr_rate=1e-2, epsilon=1e-5):
    """Around the check of a gradient_descent result: if the check fails, record the run's
    figure, then let the failure go on as it is."""
    try:
        yield
    except AssertionError:
        record_descent(result, expr, x0, lr_rate, epsilon)
        raise
