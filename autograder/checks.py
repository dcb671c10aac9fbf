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
