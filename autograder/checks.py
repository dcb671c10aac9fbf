"""Checks that graders use: pure functions that raise CheckError with a message a student can act on.

    >>> check_close(7.0, np.sqrt(54), name="l2_norm(array([1, 7, 2]))")
    Traceback (most recent call last):
    CheckError: l2_norm(array([1, 7, 2])) returned a wrong value.
      returned: 7.0
      expected: 7.3484692283495345
      ...

Every message says what was called (``name``), what came back and what was expected. Arrays are
compared shape first, then dtype kind, then values; the worst element is named with its index,
its absolute and relative error and the tolerance used. Argument order is always actual, expected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .errors import StudentRaised
from .formatting import format_call, format_value

__all__ = [
    "CheckError",
    "DEFAULT_RTOL",
    "DEFAULT_ATOL",
    "check_close",
    "check_shape",
    "check_equal",
    "check_raises",
    "check_true",
    "check_converged",
    "check_symbolic",
    "check_decreasing",
    "CONVERGENCE_ATOL",
    "DEFAULT_N_ITER_TOL",
]

DEFAULT_RTOL = 1e-6
"""Relative tolerance: right answers computed another way agree far better than this."""
DEFAULT_ATOL = 1e-9
"""Absolute tolerance, for expected values at or near zero."""

_KIND_NAMES = {
    "b": "boolean", "i": "integer", "u": "unsigned integer", "f": "floating-point", "c": "complex",
}  # fmt: skip
# Which dtype kinds may stand for which expected kind (ints for floats and back are fine).
_COMPATIBLE_KINDS = {"b": "b", "i": "iuf", "u": "iuf", "f": "iuf", "c": "iufc"}


class CheckError(AssertionError):
    """A check failed: the message tells the student what was called, returned and expected."""


def _fail(name: str | None, problem: str, *details: str) -> CheckError:
    subject = name or "the value"
    return CheckError("\n".join([f"{subject} {problem}", *("  " + d for d in details)]))


def _is_sympy(v: Any) -> bool:
    return str(getattr(type(v), "__module__", None) or "").startswith("sympy.")


def _plain_number(v: Any) -> Any:
    """A sympy number as a Python float (or complex); anything else unchanged."""
    if _is_sympy(v) and getattr(v, "is_Number", False):
        return float(v) if v.is_real else complex(v)
    return v


def _is_number(v: Any) -> bool:
    return (type(v) in (int, float, complex) or isinstance(v, np.number)) and type(v) is not bool


def _as_array(actual: Any, name: str | None, expected: np.ndarray) -> np.ndarray:
    """Turn the student's value into an array, or explain why it is not an array of numbers."""
    if actual is None:
        raise _fail(name, "returned None; expected an array. Did you forget `return`?",
                    f"expected: {format_value(expected)}")  # fmt: skip
    if type(actual) is np.ndarray:
        return actual
    if _is_number(actual) or type(actual) is bool or isinstance(actual, np.bool_):
        return np.asarray(actual)
    if type(actual) in (list, tuple):
        try:
            arr = np.asarray(actual)
        except (ValueError, TypeError):
            arr = None
        if arr is not None and arr.dtype.kind in "biufc":
            return arr
        raise _fail(name, f"returned a {type(actual).__name__} that is not a rectangular array "
                    "of numbers", f"returned: {format_value(actual)}",
                    f"expected: {format_value(expected)}")  # fmt: skip
    raise _fail(name, f"returned a {type(actual).__name__}; expected an array",
                f"returned: {format_value(actual)}", f"expected: {format_value(expected)}")  # fmt: skip


def _tolerance(rtol: float, atol: float) -> str:
    return f"tolerance: |error| <= {atol:g} + {rtol:g} * |expected|"


def check_close(
    actual: Any,
    expected: Any,
    *,
    name: str | None = None,
    rtol: float = DEFAULT_RTOL,
    atol: float = DEFAULT_ATOL,
) -> None:
    """Pass when ``actual`` equals ``expected`` within ``atol + rtol * |expected|`` everywhere.

    ``expected`` is a number or an array. A number expects a number (a 0-d array will do); an array
    accepts array-likes of the same shape. NaN matches NaN and infinities match themselves.
    """
    actual, expected = _plain_number(actual), _plain_number(expected)
    exp = np.asarray(expected)
    if exp.dtype.kind not in "biufc":
        raise TypeError(f"check_close: expected must be numeric, not {exp.dtype}")
    if exp.ndim == 0:
        if actual is None:
            raise _fail(name, "returned None; expected a number. Did you forget `return`?",
                        f"expected: {format_value(expected)}")  # fmt: skip
        if type(actual) is np.ndarray and actual.ndim > 0:
            raise _fail(name, f"returned an array of shape {actual.shape}; expected a single number",
                        f"returned: {format_value(actual)}", f"expected: {format_value(expected)}")  # fmt: skip
        if not (_is_number(actual) or type(actual) is np.ndarray):
            raise _fail(name, f"returned a {type(actual).__name__}; expected a number",
                        f"returned: {format_value(actual)}", f"expected: {format_value(expected)}")  # fmt: skip
    act = _as_array(actual, name, exp)
    if act.ndim == 0 and exp.ndim > 0:
        raise _fail(name, f"returned a single number; expected an array of shape {exp.shape}",
                    f"returned: {format_value(actual)}", f"expected: {format_value(expected)}")  # fmt: skip
    if act.shape != exp.shape:
        raise _fail(name, f"returned an array of shape {act.shape}; expected shape {exp.shape}",
                    f"returned: {format_value(actual)}", f"expected: {format_value(expected)}")  # fmt: skip
    if act.dtype.kind not in _COMPATIBLE_KINDS[exp.dtype.kind]:
        raise _fail(name, f"returned {_KIND_NAMES[act.dtype.kind]} values (dtype {act.dtype}); "
                    f"expected {_KIND_NAMES[exp.dtype.kind]} values",
                    f"returned: {format_value(actual)}", f"expected: {format_value(expected)}")  # fmt: skip
    a = act.astype(np.result_type(act.dtype, exp.dtype, np.float64))
    e = exp.astype(a.dtype)
    with np.errstate(invalid="ignore", over="ignore"):
        ok = np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
        if ok.all():
            return
        abs_err = np.abs(a - e)
        rel_err = abs_err / np.maximum(np.abs(e), np.finfo(np.float64).tiny)
        excess = np.where(ok, -np.inf, abs_err - (atol + rtol * np.abs(e)))
    excess = np.where(~ok & ~np.isfinite(excess), np.inf, excess)
    worst = np.unravel_index(int(np.argmax(excess)), exp.shape) if exp.ndim else ()
    relative = (f"relative error {rel_err[worst]:.3g}" if e[worst] != 0
                else "relative error undefined (expected 0)")  # fmt: skip
    errors = f"absolute error {abs_err[worst]:.3g}, {relative}; " + _tolerance(rtol, atol)
    if exp.ndim == 0:
        raise _fail(name, "returned a wrong value.", f"returned: {format_value(actual)}",
                    f"expected: {format_value(expected)}", errors)  # fmt: skip
    index = ", ".join(str(int(i)) for i in worst)
    n_bad = int((~ok).sum())
    raise _fail(
        name, f"returned wrong values: {n_bad} of {ok.size} elements differ.",
        f"worst at index [{index}]: returned {format_value(act[worst])}, "
        f"expected {format_value(exp[worst])}",
        errors, f"returned: {format_value(actual)}", f"expected: {format_value(expected)}",
    )  # fmt: skip


def check_shape(actual: Any, expected_shape: tuple[int, ...], *, name: str | None = None) -> None:
    """Pass when ``actual`` is an array (or array-like) of exactly ``expected_shape``."""
    expected_shape = tuple(expected_shape)
    act = _as_array(actual, name, np.zeros(expected_shape))
    if act.shape != expected_shape:
        raise _fail(name, f"returned an array of shape {act.shape}; expected shape {expected_shape}",
                    f"returned: {format_value(actual)}")  # fmt: skip


def check_equal(actual: Any, expected: Any, *, name: str | None = None) -> None:
    """Pass when ``actual`` equals ``expected`` exactly (same type family, shape and values)."""
    if isinstance(expected, np.ndarray):
        act = _as_array(actual, name, expected)
        if act.shape != expected.shape:
            raise _fail(name, f"returned an array of shape {act.shape}; expected shape "
                        f"{expected.shape}", f"returned: {format_value(actual)}",
                        f"expected: {format_value(expected)}")  # fmt: skip
        if np.array_equal(act, expected):
            return
    elif _same(actual, expected):
        return
    raise _fail(name, "returned a wrong value.", f"returned: {format_value(actual)}",
                f"expected: {format_value(expected)}")  # fmt: skip


def _same(a: Any, b: Any) -> bool:
    if b is None:
        return a is None
    if isinstance(b, bool | np.bool_):
        return type(a) in (bool, np.bool_) and bool(a) == bool(b)
    if _is_number(b):
        return _is_number(a) and a == b
    if isinstance(b, str):
        return type(a) is str and a == b
    if isinstance(b, list | tuple):
        return type(a) in (list, tuple) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(b, dict):
        return type(a) is dict and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in b)
    if isinstance(b, np.ndarray):
        return type(a) is np.ndarray and a.shape == b.shape and bool(np.array_equal(a, b))
    return False


def check_true(condition: Any, *, name: str | None = None, message: str) -> None:
    """Pass when ``condition`` is true; otherwise fail with ``name`` and ``message``."""
    if not bool(condition):
        raise _fail(name, message)


def check_raises(
    expected: type[BaseException] | str, fn: Callable[..., Any], *args: Any, **kwargs: Any
) -> None:
    """Pass when ``fn(*args, **kwargs)`` raises ``expected`` (or a subclass of it).

    ``fn`` is a function of the submission (``sub.angle``). NotImplementedError is not an answer:
    it propagates, so a stub scores ``not_attempted``.
    """
    wanted = expected if isinstance(expected, str) else expected.__name__
    call = format_call(getattr(fn, "__name__", "the function"), args, kwargs)
    try:
        value = fn(*args, **kwargs)
    except StudentRaised as exc:
        if exc.exc.is_a(wanted):
            return
        raise _fail(call, f"raised {exc.exc.type}: {exc.exc.message}; expected {wanted}",
                    f"at {exc.exc.location(exc.filename)}") from None  # fmt: skip
    raise _fail(call, f"returned {format_value(value)}; expected it to raise {wanted}")


CONVERGENCE_ATOL = 1e-4
"""How far from the expected minimum a converged point may be (the stopping rule's slack)."""
DEFAULT_N_ITER_TOL = 0
"""How many iterations a converged run may differ from the reference by: exact by default."""


def _whole_number(v: Any) -> int | None:
    v = _plain_number(v)
    if type(v) is int or isinstance(v, np.integer):
        return int(v)
    if isinstance(v, float | np.floating) and float(v).is_integer():
        return int(v)
    return None


def _updates(n: int) -> str:
    return f"{n} update" if n == 1 else f"{n} updates"


def check_converged(
    actual: Any,
    expected_point: Any,
    expected_n_iter: int,
    *,
    name: str | None = None,
    atol: float = CONVERGENCE_ATOL,
    rtol: float = 0.0,
    n_iter_tol: int = DEFAULT_N_ITER_TOL,
) -> None:
    """Pass when ``actual`` is ``(point, n_iterations)`` with the point at the expected minimum
    (within ``atol + rtol * |expected|``) and the count within ``n_iter_tol`` of the reference's.

    The message tells a wrong minimum (sign of the update? derivative?) from the right minimum in
    the wrong number of steps (what is counted, when the loop stops), and gives both counts.
    """
    if type(actual) not in (tuple, list) or len(actual) != 2:
        raise _fail(name, f"returned {format_value(actual)}; expected a pair (point, n_iterations)")
    point, n_iter = actual
    count = _whole_number(n_iter)
    if count is None:
        raise _fail(name, f"returned {format_value(n_iter)} as the number of iterations; expected "
                    "a whole number (return (point, n_iterations), in this order)")  # fmt: skip
    try:
        check_close(point, expected_point, name=None, rtol=rtol, atol=atol)
        point_ok, detail = True, ""
    except CheckError as exc:
        point_ok, detail = False, str(exc).split("\n", 1)[-1]
    counts = f"{_updates(count)}; the reference needs {int(expected_n_iter)}"
    tolerance = f" (tolerance ±{n_iter_tol})" if n_iter_tol else ""
    if not point_ok:
        raise _fail(
            name, f"stopped at a wrong point after {counts}{tolerance}.",
            f"reached:  {format_value(_plain_number(point))}",
            f"expected: {format_value(_plain_number(expected_point))} (the minimum, within "
            f"{atol:g})", *(line.strip() for line in detail.splitlines() if "absolute error" in line),
            "A wrong minimum: check the sign of the update and the derivative you use.",
        )  # fmt: skip
    if abs(count - int(expected_n_iter)) > n_iter_tol:
        raise _fail(
            name, f"reached the right minimum, but after {counts}{tolerance}.",
            f"reached: {format_value(_plain_number(point))}",
            "Check what you count (each update once) and when the loop stops "
            "(while the gradient's size is above epsilon).",
        )  # fmt: skip


def _sample_points(symbols: list, n_points: int) -> list[dict]:
    rng = np.random.default_rng(20240601)
    return [{s: float(rng.uniform(-2.0, 2.0)) for s in symbols} for _ in range(n_points)]


def check_symbolic(
    actual: Any,
    expected: Any,
    *,
    name: str | None = None,
    n_points: int = 6,
    rtol: float = DEFAULT_RTOL,
    atol: float = DEFAULT_ATOL,
) -> None:
    """Pass when the sympy expression ``actual`` equals ``expected``.

    Equal when ``expand(a - b)`` is 0, or ``simplify(a - b)`` is 0 for small expressions; otherwise
    the two must agree at ``n_points`` random points (evaluated with ``evalf``: nothing is
    compiled or executed from the submission's expression).
    """
    import sympy

    if isinstance(expected, sympy.Poly):
        expected = expected.as_expr()
    if isinstance(actual, sympy.Poly) and type(actual) is sympy.Poly:
        actual = actual.as_expr()
    if actual is None:
        raise _fail(name, "returned None; expected a sympy expression. Did you forget `return`?",
                    f"expected: {expected}")  # fmt: skip
    if _is_number(actual) and not isinstance(actual, complex):
        actual = sympy.Float(float(actual))
    if not (_is_sympy(actual) and isinstance(actual, sympy.Expr)):
        raise _fail(name, f"returned a {type(actual).__name__}; expected a sympy expression",
                    f"returned: {format_value(actual)}", f"expected: {expected}")  # fmt: skip
    missing = {s.name for s in actual.free_symbols} - {s.name for s in expected.free_symbols}
    difference = actual - expected
    try:
        if sympy.expand(difference) == 0:
            return
        if sympy.count_ops(difference) <= 60 and sympy.simplify(difference) == 0:
            return
    except (TypeError, ValueError, RecursionError, ArithmeticError):
        pass
    symbols = sorted(actual.free_symbols | expected.free_symbols, key=lambda s: s.name)
    for values in _sample_points(symbols, n_points):
        try:
            a = complex(actual.xreplace(values).evalf())
            e = complex(expected.xreplace(values).evalf())
        except (TypeError, ValueError):
            a, e = complex("nan"), 0.0
        if not (abs(a - e) <= atol + rtol * abs(e)):
            at = ", ".join(f"{s} = {v:.3g}" for s, v in values.items())
            shown_a = f"{a.real:.6g}" if a.imag == 0 else f"{a:.6g}"
            shown_e = f"{e.real:.6g}" if e.imag == 0 else f"{e:.6g}"
            extra = (
                [f"it uses symbols the expected expression does not: {sorted(missing)}"]
                if missing
                else []
            )
            raise _fail(name, "returned a wrong expression.", f"returned: {actual}",
                        f"expected: {expected}", f"they differ at {at}: {shown_a} vs {shown_e}",
                        *extra)  # fmt: skip


def check_decreasing(history: Any, *, name: str | None = None) -> None:
    """Pass when a loss history goes down overall: finite values, the last below the first, and
    the mean of its last quarter below the mean of its first quarter (noise allowed in between)."""
    values = _as_array(history, name, np.zeros(2))
    if values.ndim != 1 or values.size < 2 or values.dtype.kind not in "iuf":
        raise _fail(name, f"returned {format_value(history)}; expected a 1-D history of at "
                    "least two numbers")  # fmt: skip
    values = values.astype(float)
    if not np.isfinite(values).all():
        bad = int(np.argmin(np.isfinite(values)))
        raise _fail(name, f"returned a history with a non-finite value at index {bad}: "
                    f"{values[bad]} (the run diverged?)")  # fmt: skip
    quarter = max(1, values.size // 4)
    if not (values[-1] < values[0] and values[-quarter:].mean() < values[:quarter].mean()):
        raise _fail(name, f"returned a history that does not go down: first {values[0]:.6g}, "
                    f"last {values[-1]:.6g}", f"returned: {format_value(values)}")  # fmt: skip
