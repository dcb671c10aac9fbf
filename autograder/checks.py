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

``actual`` is whatever a submission returned (anything ``wire.decode`` produces: huge ints, nan,
complex, bools, 0-d and empty arrays, nested lists, dicts, unevaluated sympy trees...): every check
turns every such value into a CheckError naming what came back, never into another exception.
Algebra and printing of a student's sympy value run in the bounded helper (``autograder.bounded``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from . import bounded, numerics, wire
from .errors import StudentRaised
from .failures import EXPECTED, RETURNED, Failure
from .formatting import format_call, format_value
from .i18n import Msg, msg, raw

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
    "check_probabilities",
    "check_statistical",
    "check_gradient",
    "PROBABILITY_ATOL",
    "STATISTICAL_K",
    "GRADIENT_MAX_ERROR",
    "GRADIENT_MATCH_MAX_ERROR",
    "GRADIENT_ATOL",
    "GRADIENT_MATCH_ATOL",
    "CONVERGENCE_ATOL",
    "DEFAULT_N_ITER_TOL",
    "SYMPY_TIMEOUT_S",
]

DEFAULT_RTOL = 1e-6
"""Relative tolerance: right answers computed another way agree far better than this."""
DEFAULT_ATOL = 1e-9
"""Absolute tolerance, for expected values at or near zero."""
SYMPY_TIMEOUT_S = bounded.SYMPY_TIMEOUT_S
"""How long comparing a student's expression with the expected one may take (check_symbolic)."""

_KIND_NAMES = {
    "b": "boolean", "i": "integer", "u": "unsigned_integer", "f": "floating_point", "c": "complex",
}  # fmt: skip


def _kind_name(kind: str) -> Msg:
    """A dtype kind's name ('f' -> floating-point), as a message."""
    return msg("checks.dtype_" + _KIND_NAMES[kind])


# Which dtype kinds may stand for which expected kind (ints for floats and back are fine).
_COMPATIBLE_KINDS = {"b": "b", "i": "iuf", "u": "iuf", "f": "iuf", "c": "iufc"}
# Python ints compare as numpy int64 or uint64; outside this range numpy would hold them as objects.
_INT_RANGE = (-(2**63), 2**64)


class CheckError(AssertionError):
    """A check failed: the message tells the student what was called, returned and expected.

    It carries the failure as data (``failure``: an ``autograder.failures.Failure``), from which
    its text is rendered, in English by ``str()``. A grader may raise one with a catalog message
    (``CheckError(msg("lec04_sgd.not_a_partition", ...))``) or a Failure.
    """

    def __init__(self, message: Failure | Msg | str = "", *, kind: str = "wrong answer") -> None:
        if isinstance(message, Failure):
            self.failure = message
        else:
            problem = message if isinstance(message, Msg) else raw(str(message))
            self.failure = Failure(kind=kind, problem=problem)
        super().__init__(self.failure.render())

    def __str__(self) -> str:
        return self.failure.render()

    def render(self, lang: str = "en", *, show_expected: bool = True) -> str:
        return self.failure.render(lang, show_expected=show_expected)


_NOTHING = object()


def _fail(
    name: str | Msg | None,
    problem: Msg,
    *details: Msg | str,
    kind: str = "wrong answer",
    returned: Any = _NOTHING,
    expected: Any = _NOTHING,
    returned_text: str | None = None,
    expected_text: str | None = None,
    **numbers: Any,
) -> CheckError:
    """A CheckError: ``name`` (what was called) and ``problem``, then ``details``, one per line.

    ``returned`` and ``expected`` are values (formatted here), or ``returned_text`` and
    ``expected_text`` text; they are shown where RETURNED and EXPECTED stand in ``details``, else
    at the end, returned first. ``numbers`` are kept as data (shapes, errors, the tolerance).
    """
    if returned is not _NOTHING:
        returned_text = format_value(returned)
    if expected is not _NOTHING:
        expected_text = format_value(expected)
    details = list(details)
    if returned_text is not None and RETURNED not in details:
        details.append(RETURNED)
    if expected_text is not None and EXPECTED not in details:
        details.append(EXPECTED)
    return CheckError(
        Failure(
            kind=kind, problem=problem, call=name or msg("checks.the_value"), details=details,
            returned=returned_text, expected=expected_text, numbers=numbers,
        )
    )  # fmt: skip


def _is_sympy(v: Any) -> bool:
    return str(getattr(type(v), "__module__", None) or "").startswith("sympy.")


def _is_number(v: Any) -> bool:
    return (type(v) in (int, float, complex) or isinstance(v, np.number)) and type(v) is not bool


def _huge_int(v: Any) -> bool:
    return type(v) is int and not _INT_RANGE[0] <= v < _INT_RANGE[1]


def _a(value: Any) -> Msg:
    """What kind of thing a value is, for "returned a dict; expected ..." (no value's methods run)."""
    if value is None:
        return msg("checks.a_none")
    if _is_sympy(value):
        if getattr(value, "is_Number", False):
            return msg("checks.a_sympy_number")
        return msg("checks.a_sympy_expression")
    if type(value) is np.ndarray:
        return msg("checks.a_array", shape=str(value.shape))
    if type(value) is bool or isinstance(value, np.bool_):
        return msg("checks.a_bool")
    name = type(value).__name__
    return msg("checks.a_an" if name[:1] in "aeiou" else "checks.a_a", type=name)


def _int_digits(v: int) -> Msg:
    if v.bit_length() < wire.MAX_INT_BITS:
        return msg("checks.digits", n=len(str(abs(v))))
    return msg("checks.huge")


def _plain_number(v: Any, name: str | None = None) -> Any:
    """A sympy number as a Python float (or complex); anything else unchanged."""
    if not (_is_sympy(v) and getattr(v, "is_Number", False)):
        return v
    import sympy

    if v is sympy.S.NaN:
        return math.nan
    if not v.is_extended_real:
        return complex(v)
    value = float(v)
    if math.isinf(value) and v.is_finite:
        raise _fail(name, msg("checks.sympy_number_too_large"), returned=v, kind="wrong type")
    return value


_PLAIN_TYPES = frozenset([float, complex, bool, np.ndarray, *wire._NUMPY_SCALARS])


def _odd_part(value: Any, where: str = "") -> Msg | None:
    """In nested lists and tuples, the first part that is not a number (or an array of numbers)."""
    if type(value) in (list, tuple):
        kinds = set(map(type, value))
        if kinds <= _PLAIN_TYPES:  # the usual case, without a loop in Python
            return None
        if kinds == {int} and _INT_RANGE[0] <= min(value) and max(value) < _INT_RANGE[1]:
            return None
        for i, item in enumerate(value):
            found = _odd_part(item, f"{where}[{i}]")
            if found:
                return found
        return None
    if _huge_int(value):
        return msg("checks.odd_part_huge_int", digits=_int_digits(value), index=where)
    if _is_number(value) or type(value) in (bool, np.bool_, np.ndarray):
        return None
    return msg("checks.odd_part", what=_a(value), index=where)


def _as_array(actual: Any, name: str | None, expected: np.ndarray) -> np.ndarray:
    """Turn the student's value into an array of numbers, or explain why it is not one."""

    if actual is None:
        raise _fail(name, msg("checks.none_expected_array"), expected=expected, kind="wrong type")
    if type(actual) is np.ndarray:
        return actual
    if _huge_int(actual):
        raise _fail(name, msg("checks.huge_int", digits=_int_digits(actual)), returned=actual,
                    expected=expected, kind="wrong type")  # fmt: skip
    if _is_number(actual) or type(actual) is bool or isinstance(actual, np.bool_):
        return np.asarray(actual)
    if type(actual) in (list, tuple):
        odd = _odd_part(actual)
        if odd:
            raise _fail(name, msg("checks.holding", type=type(actual).__name__, odd=odd),
                        returned=actual, expected=expected, kind="wrong type")  # fmt: skip
        try:
            arr = np.asarray(actual)
        except (ValueError, TypeError, OverflowError):
            arr = None
        if arr is not None and arr.dtype.kind in "biufc":
            return arr
        raise _fail(name, msg("checks.not_rectangular", type=type(actual).__name__),
                    returned=actual, expected=expected, kind="wrong shape")  # fmt: skip
    raise _fail(name, msg("checks.expected_array", what=_a(actual)), returned=actual,
                expected=expected, kind="wrong type")  # fmt: skip


def _tolerance(rtol: float, atol: float) -> Msg:
    return msg("checks.tolerance", atol=atol, rtol=rtol)


def check_close(
    actual: Any,
    expected: Any,
    *,
    name: str | None = None,
    rtol: float = DEFAULT_RTOL,
    atol: float = DEFAULT_ATOL,
    require_ndarray: bool = False,
) -> None:
    """Pass when ``actual`` equals ``expected`` within ``atol + rtol * |expected|`` everywhere.

    ``expected`` is a number or an array. A number expects a number (a 0-d array will do); an array
    accepts array-likes of the same shape, or, with ``require_ndarray``, only a numpy array (for
    functions documented as returning an ndarray: a list of the right values fails, saying so).
    NaN matches NaN and infinities match themselves.
    """
    actual, expected = _plain_number(actual, name), _plain_number(expected)
    exp = np.asarray(expected)
    if exp.dtype.kind not in "biufc":
        raise TypeError(f"check_close: expected must be numeric, not {exp.dtype}")
    if exp.ndim == 0:
        if actual is None:
            raise _fail(name, msg("checks.none_expected_number"), expected=expected,
                        kind="wrong type")  # fmt: skip
        if type(actual) is np.ndarray and actual.ndim > 0:
            raise _fail(name, msg("checks.array_expected_number", shape=str(actual.shape)),
                        returned=actual, expected=expected, kind="wrong shape",
                        shape=actual.shape, expected_shape=())  # fmt: skip
        if not (_is_number(actual) or type(actual) is np.ndarray):
            raise _fail(name, msg("checks.expected_number", what=_a(actual)), returned=actual,
                        expected=expected, kind="wrong type")  # fmt: skip
    act = _as_array(actual, name, exp)
    if act.ndim == 0 and exp.ndim > 0:
        raise _fail(name, msg("checks.number_expected_array", shape=str(exp.shape)),
                    returned=actual, expected=expected, kind="wrong shape", shape=(),
                    expected_shape=exp.shape)  # fmt: skip
    if act.shape != exp.shape:
        raise _fail(name, msg("checks.wrong_shape", shape=str(act.shape),
                              expected_shape=str(exp.shape)), returned=actual, expected=expected,
                    kind="wrong shape", shape=act.shape, expected_shape=exp.shape)  # fmt: skip
    if act.dtype.kind not in _COMPATIBLE_KINDS[exp.dtype.kind]:
        raise _fail(name, msg("checks.wrong_dtype", kind=_kind_name(act.dtype.kind),
                              dtype=str(act.dtype), expected_kind=_kind_name(exp.dtype.kind)),
                    returned=actual, expected=expected, kind="wrong type")  # fmt: skip
    a = act.astype(np.result_type(act.dtype, exp.dtype, np.float64))
    e = exp.astype(a.dtype)
    with np.errstate(invalid="ignore", over="ignore"):
        ok = np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
        if ok.all():
            if require_ndarray and exp.ndim > 0:
                _require_ndarray(actual, name, "", "values")
            return
        abs_err = np.abs(a - e)
        rel_err = abs_err / np.maximum(np.abs(e), np.finfo(np.float64).tiny)
        excess = np.where(ok, -np.inf, abs_err - (atol + rtol * np.abs(e)))
    excess = np.where(~ok & ~np.isfinite(excess), np.inf, excess)
    worst = np.unravel_index(int(np.argmax(excess)), exp.shape) if exp.ndim else ()
    numbers = {"abs_error": float(abs_err[worst]), "rtol": rtol, "atol": atol}
    if e[worst] != 0:
        numbers["rel_error"] = float(rel_err[worst])
        errors = msg("checks.errors", abs_error=float(abs_err[worst]),
                     rel_error=float(rel_err[worst]), tolerance=_tolerance(rtol, atol))  # fmt: skip
    else:
        errors = msg("checks.errors_expected_zero", abs_error=float(abs_err[worst]),
                     tolerance=_tolerance(rtol, atol))  # fmt: skip
    if exp.ndim == 0:
        raise _fail(name, msg("checks.wrong_value"), RETURNED, EXPECTED, errors, returned=actual,
                    expected=expected, **numbers)  # fmt: skip
    index = ", ".join(str(int(i)) for i in worst)
    n_bad = int((~ok).sum())
    raise _fail(
        name, msg("checks.wrong_values", n_bad=n_bad, size=int(ok.size)),
        msg("checks.worst_at", index=index, value=format_value(act[worst]),
            expected_value=format_value(exp[worst])),
        errors, RETURNED, EXPECTED, returned=actual, expected=expected,
        worst_index=[int(i) for i in worst], n_bad=n_bad, size=int(ok.size), **numbers,
    )  # fmt: skip


def _require_ndarray(actual: Any, name: str | None, what: str, right: str) -> None:
    """Fail unless ``actual`` is a numpy array (``require_ndarray``): say what it is instead.
    ``what`` is "" or "point" (what is returned), ``right`` values, shape or minimum (what is
    right about it)."""
    if type(actual) is not np.ndarray:
        key = "checks.require_ndarray_point" if what == "point" else "checks.require_ndarray"
        raise _fail(name, msg(key, what=_a(actual), right=msg("checks.right_" + right)),
                    returned=actual, kind="wrong type")  # fmt: skip


def check_shape(
    actual: Any,
    expected_shape: tuple[int, ...],
    *,
    name: str | None = None,
    require_ndarray: bool = False,
) -> None:
    """Pass when ``actual`` is an array (or array-like) of exactly ``expected_shape``; with
    ``require_ndarray``, a numpy array only."""
    expected_shape = tuple(expected_shape)
    act = _as_array(actual, name, np.zeros(expected_shape))
    if act.shape != expected_shape:
        raise _fail(name, msg("checks.wrong_shape", shape=str(act.shape),
                              expected_shape=str(expected_shape)), returned=actual,
                    kind="wrong shape", shape=act.shape, expected_shape=expected_shape)  # fmt: skip
    if require_ndarray:
        _require_ndarray(actual, name, "", "shape")


def check_equal(actual: Any, expected: Any, *, name: str | None = None) -> None:
    """Pass when ``actual`` equals ``expected`` exactly (same type family, shape and values)."""
    if isinstance(expected, np.ndarray):
        act = _as_array(actual, name, expected)
        if act.shape != expected.shape:
            raise _fail(name, msg("checks.wrong_shape", shape=str(act.shape),
                                  expected_shape=str(expected.shape)), returned=actual,
                        expected=expected, kind="wrong shape", shape=act.shape,
                        expected_shape=expected.shape)  # fmt: skip
        if np.array_equal(act, expected):
            return
    elif _same(actual, expected):
        return
    raise _fail(name, msg("checks.wrong_value"), returned=actual, expected=expected)


def _same(a: Any, b: Any) -> bool:
    if b is None:
        return a is None
    if isinstance(b, bool | np.bool_):
        return type(a) in (bool, np.bool_) and bool(a) == bool(b)
    if _is_number(b):
        if not _is_number(a):
            return False
        try:  # numpy refuses to compare its floats with ints beyond their range
            return bool(a == b)
        except (OverflowError, TypeError, ValueError):
            return False
    if isinstance(b, str):
        return type(a) is str and a == b
    if isinstance(b, list | tuple):
        return type(a) in (list, tuple) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(b, dict):
        return type(a) is dict and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in b)
    if isinstance(b, np.ndarray):
        return type(a) is np.ndarray and a.shape == b.shape and bool(np.array_equal(a, b))
    return False


def check_true(
    condition: Any, *, name: str | None = None, message: Msg | str, kind: str = "wrong answer"
) -> None:
    """Pass when ``condition`` is true; otherwise fail with ``name`` and ``message``.

    ``message`` is a catalog message (``msg("lec04_sgd.same_order", ...)``), so that it is shown
    in the student's language; plain text is shown as is in every language. A condition with no
    truth value (an array of several elements) fails too, saying so.
    """
    problem = message if isinstance(message, Msg) else raw(message)
    try:
        true = bool(condition)
    except (ValueError, TypeError):
        raise _fail(name, problem, msg("checks.no_truth_value", what=_a(condition)),
                    kind=kind) from None  # fmt: skip
    if not true:
        raise _fail(name, problem, kind=kind)


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
        raise _fail(call, msg("checks.raised_other", type=exc.exc.type, message=exc.exc.message,
                              wanted=wanted),
                    msg("checks.at", location=exc.exc.location(exc.filename))) from None  # fmt: skip
    raise _fail(call, msg("checks.expected_raise", value=format_value(value), wanted=wanted))


CONVERGENCE_ATOL = 1e-4
"""How far from the expected minimum a converged point may be (the stopping rule's slack)."""
DEFAULT_N_ITER_TOL = 0
"""How many iterations a converged run may differ from the reference by: exact by default."""


def _whole_number(v: Any) -> int | None:
    """A count: a whole number (int, or a float without fraction) within 64 bits; else None."""
    if type(v) is bool or isinstance(v, np.bool_):
        return None
    if _is_sympy(v) and getattr(v, "is_Number", False):
        import sympy

        if v is sympy.S.NaN or not v.is_extended_real:
            return None
        v = float(v)
    if type(v) is int or isinstance(v, np.integer):
        count = int(v)
    elif isinstance(v, float | np.floating) and float(v).is_integer():
        count = int(v)
    else:
        return None
    return count if _INT_RANGE[0] <= count < 2**63 else None


def _updates(n: int) -> Msg:
    return msg("checks.one_update" if n == 1 else "checks.updates", n=n)


def check_converged(
    actual: Any,
    expected_point: Any,
    expected_n_iter: int,
    *,
    name: str | None = None,
    atol: float = CONVERGENCE_ATOL,
    rtol: float = 0.0,
    n_iter_tol: int = DEFAULT_N_ITER_TOL,
    require_ndarray: bool = False,
) -> None:
    """Pass when ``actual`` is ``(point, n_iterations)`` with the point at the expected minimum
    (within ``atol + rtol * |expected|``) and the count within ``n_iter_tol`` of the reference's;
    with ``require_ndarray``, the point must be a numpy array (a list at the minimum fails).

    The message tells a wrong minimum (sign of the update? derivative?) from the right minimum in
    the wrong number of steps (what is counted, when the loop stops), and gives both counts.
    """
    if type(actual) not in (tuple, list) or len(actual) != 2:
        raise _fail(name, msg("checks.expected_pair_point", value=format_value(actual)),
                    kind="wrong type")  # fmt: skip
    point, n_iter = actual
    count = _whole_number(n_iter)
    if count is None:
        raise _fail(name, msg("checks.n_iter_not_whole", value=format_value(n_iter)),
                    kind="wrong type")  # fmt: skip
    try:
        check_close(point, expected_point, name=None, rtol=rtol, atol=atol)
        point_ok, errors = True, []
    except CheckError as exc:
        point_ok = False
        errors = [d for d in exc.failure.details
                  if isinstance(d, Msg) and d.key.startswith("checks.errors")]  # fmt: skip
    counts = msg("checks.counts", updates=_updates(count), reference=int(expected_n_iter))
    tolerance = msg("checks.n_iter_tolerance", tol=n_iter_tol) if n_iter_tol else ""
    numbers = {"n_iter": count, "expected_n_iter": int(expected_n_iter), "n_iter_tol": n_iter_tol}
    if not point_ok:
        raise _fail(
            name, msg("checks.wrong_point", counts=counts, tolerance=tolerance),
            msg("checks.reached_aligned", value=format_value(_plain_number(point))),
            msg("checks.expected_minimum", value=format_value(_plain_number(expected_point)),
                atol=atol),
            *errors, msg("checks.wrong_minimum_advice"), **numbers,
        )  # fmt: skip
    if abs(count - int(expected_n_iter)) > n_iter_tol:
        raise _fail(
            name, msg("checks.right_minimum_wrong_count", counts=counts, tolerance=tolerance),
            msg("checks.reached", value=format_value(_plain_number(point))),
            msg("checks.count_advice"), kind="wrong answer", **numbers,
        )  # fmt: skip
    if require_ndarray:
        _require_ndarray(point, name, "point", "minimum")


_NON_FINITE = ("Infinity", "NegativeInfinity", "ComplexInfinity", "NaN")


def _trusted_expression(expected: Any) -> Any:
    """The grader's expected value as a sympy expression (a Poly as its expression)."""
    import sympy

    if isinstance(expected, sympy.Poly):
        return expected.as_expr()
    if type(expected) is int:
        return sympy.Integer(expected)
    if type(expected) is float:
        return sympy.Float(expected)
    if not isinstance(expected, sympy.Expr):
        raise TypeError(f"check_symbolic: expected must be a sympy expression, not {_a(expected)}")
    return expected


def check_symbolic(
    actual: Any,
    expected: Any,
    *,
    name: str | None = None,
    n_points: int = 6,
    rtol: float = DEFAULT_RTOL,
    atol: float = DEFAULT_ATOL,
    timeout_s: float = SYMPY_TIMEOUT_S,
) -> None:
    """Pass when the sympy expression ``actual`` equals ``expected``.

    Equal when it is the same expression, or ``expand(a - b)`` is 0, or ``simplify(a - b)`` is 0
    for small expressions; otherwise the two must agree at ``n_points`` random points (evaluated
    with ``evalf``: nothing is compiled or executed from the submission's expression). The algebra
    runs in the bounded helper: past ``timeout_s`` seconds, or its memory limit, the test fails
    saying the expression is too large to compare.
    """
    import sympy

    expected = _trusted_expression(expected)
    if isinstance(actual, sympy.Poly) and type(actual) is sympy.Poly:
        actual = actual.as_expr()
    if actual is None:
        raise _fail(name, msg("checks.none_expected_expression"), expected_text=str(expected),
                    kind="wrong type")  # fmt: skip
    if _is_number(actual) and not isinstance(actual, complex | np.complexfloating):
        try:
            actual = sympy.Float(float(actual))
        except OverflowError:  # an int beyond floats
            raise _fail(name, msg("checks.huge_int_expected_expression",
                                  digits=_int_digits(actual)), expected_text=str(expected),
                        kind="wrong type") from None  # fmt: skip
    if not (_is_sympy(actual) and isinstance(actual, sympy.Expr)):
        raise _fail(name, msg("checks.expected_expression", what=_a(actual)), returned=actual,
                    expected_text=str(expected), kind="wrong type")  # fmt: skip
    non_finite = [getattr(sympy.S, c) for c in _NON_FINITE]
    if actual == expected and not expected.has(*non_finite):
        return  # the same tree (a structural comparison, linear in its size): a - b is 0
    try:
        result = bounded.compare_symbolic(actual, expected, n_points=n_points, rtol=rtol,
                                          atol=atol, timeout_s=timeout_s)  # fmt: skip
    except wire.WireError:
        wire.encode_sympy(expected, "the expected expression")  # the grader's fault: raises
        try:
            wire.encode_sympy(actual, "it")
            reason: Msg = msg("checks.it_is_too_large")
        except wire.WireError as exc:
            reason = raw(str(exc).replace(", which cannot be returned", ""))
        raise _fail(name, msg("checks.expression_too_large", reason=reason),
                    expected_text=str(expected)) from None  # fmt: skip
    except bounded.BoundedWorkError as exc:
        raise _symbolic_trouble(name, actual, expected, exc, timeout_s) from None
    if result["equal"]:
        return
    missing = result.get("missing")
    extra = (
        [msg("checks.extra_symbols", symbols=str(missing))]
        if type(missing) is list and missing
        else []
    )
    raise _fail(name, msg("checks.wrong_expression"), RETURNED, EXPECTED,
                msg("checks.differ_at", at=_text(result, "at"),
                    value=_text(result, "actual_value"),
                    expected_value=_text(result, "expected_value")),
                *extra, returned_text=_text(result, "actual"),
                expected_text=_text(result, "expected"))  # fmt: skip


def _text(result: dict, key: str) -> str:
    value = result.get(key)
    return value if type(value) is str else "?"


def _symbolic_trouble(
    name: str | None, actual: Any, expected: Any, exc: Exception, timeout_s: float
) -> CheckError:
    if isinstance(exc, bounded.WorkTimeout):
        problem = msg("checks.compare_timeout", timeout_s=timeout_s)
    elif isinstance(exc, bounded.WorkOutOfMemory):
        problem = msg("checks.compare_memory", what=str(exc))
    elif isinstance(exc, bounded.WorkCrashed):
        problem = msg("checks.compare_crashed", what=str(exc))
    else:
        problem = msg("checks.compare_sympy_raised", what=str(exc))
    return _fail(name, problem, returned_text=bounded.sympy_text(actual),
                 expected_text=str(expected))  # fmt: skip


def check_decreasing(history: Any, *, name: str | None = None) -> None:
    """Pass when a loss history goes down overall: finite values, the last below the first, and
    the mean of its last quarter below the mean of its first quarter (noise allowed in between)."""
    values = _as_array(history, name, np.zeros(2))
    if values.ndim != 1 or values.size < 2 or values.dtype.kind not in "iuf":
        raise _fail(name, msg("checks.expected_history", value=format_value(history)),
                    kind="wrong shape")  # fmt: skip
    values = values.astype(float)
    if not np.isfinite(values).all():
        bad = int(np.argmin(np.isfinite(values)))
        raise _fail(name, msg("checks.history_not_finite", index=bad, value=str(values[bad])))
    quarter = max(1, values.size // 4)
    if not (values[-1] < values[0] and values[-quarter:].mean() < values[:quarter].mean()):
        raise _fail(name, msg("checks.history_not_down", first=float(values[0]),
                              last=float(values[-1])), returned=values)  # fmt: skip


PROBABILITY_ATOL = 1e-9
"""How far from 1 a row of probabilities may sum: softmax rows computed in float64 sum to 1 within
~1e-15, and a row that is wrong on purpose (the wrong axis, no normalisation) is off by far more."""


def check_probabilities(
    actual: Any,
    *,
    name: str | None = None,
    shape: tuple[int, ...] | None = None,
    atol: float = PROBABILITY_ATOL,
) -> None:
    """Pass when ``actual`` holds probability distributions: a 1-D array is one, a 2-D array one per
    row; every entry finite and non-negative, every distribution summing to 1 within ``atol``.

        >>> check_probabilities(np.array([[0.2, 0.8], [0.5, 0.7]]), name="softmax(O)")
        Traceback (most recent call last):
        CheckError: softmax(O) returned rows that are not probability distributions: row 1 sums to 1.2 (off by 0.2; tolerance 1e-09)
        ...

    ``shape``, if given, is checked first (a distribution over the wrong axis fails there when the
    shape is not square). The message names the first failing row and by how much it fails.
    """
    if shape is not None:
        check_shape(actual, tuple(shape), name=name)
    arr = _as_array(actual, name, np.zeros(shape if shape is not None else (1,)))
    if arr.ndim not in (1, 2) or arr.shape[-1] == 0:
        raise _fail(name, msg("checks.not_probabilities_shape", shape=str(arr.shape)),
                    returned=actual, kind="wrong shape", shape=arr.shape)  # fmt: skip
    if arr.dtype.kind not in "iuf":
        raise _fail(name, msg("checks.not_probabilities_dtype", kind=_kind_name(arr.dtype.kind),
                              dtype=str(arr.dtype)), returned=actual, kind="wrong type")  # fmt: skip
    rows = arr.astype(np.float64).reshape(-1, arr.shape[-1])
    bad = ~np.isfinite(rows)

    def where(row: int, col: int) -> Msg:
        if arr.ndim == 1:
            return msg("checks.at_index", index=col)
        return msg("checks.in_row_column", row=row, column=col)

    if bad.any():
        row, col = (int(i) for i in np.argwhere(bad)[0])
        raise _fail(name, msg("checks.non_finite_probability", value=format_value(rows[row, col]),
                              where=where(row, col)), returned=actual)  # fmt: skip
    if (rows < 0).any():
        row, col = (int(i) for i in np.argwhere(rows < 0)[0])
        raise _fail(name, msg("checks.negative_probability", value=format_value(rows[row, col]),
                              where=where(row, col)), returned=actual)  # fmt: skip
    sums = rows.sum(axis=1)
    off = np.abs(sums - 1.0)
    if (off > atol).any():
        row = int(np.argmax(off > atol))
        if arr.ndim == 1:
            problem = msg("checks.sum_not_one", total=float(sums[row]), off=float(off[row]),
                          atol=atol)  # fmt: skip
            extra = []
        else:
            problem = msg("checks.row_sum_not_one", row=row, total=float(sums[row]),
                          off=float(off[row]), atol=atol)  # fmt: skip
            extra = [msg("checks.rows_fail", n=int((off > atol).sum()), rows=len(off))]
        raise _fail(name, problem, RETURNED, *extra, returned=actual, row=row,
                    off=float(off[row]), atol=atol)  # fmt: skip


STATISTICAL_K = 6.0
"""How many standard errors a Monte Carlo estimate may be from the exact value. An estimate that is
a mean of many independent draws is close to normal (central limit theorem), and a correct one is
more than 6 standard errors off with probability 2.0e-9 (two-sided normal tail), well below 1e-6
even allowing for the normal approximation's error at the sample sizes graded (1000 draws and
more). A mistake such as a missing factor of the interval's length is hundreds of errors off."""


def check_statistical(
    actual: Any,
    expected: float,
    std_error: float,
    *,
    name: str | None = None,
    n_samples: int | None = None,
    k: float = STATISTICAL_K,
) -> None:
    """Pass when the estimate ``actual`` is within ``k * std_error`` of the exact value ``expected``.

        >>> check_statistical(1.52, 1.4936, 0.004, name="mc(f, -1, 1)", n_samples=1000)
        Traceback (most recent call last):
        CheckError: mc(f, -1, 1) returned an estimate 6.6 standard errors from the exact value.
        ...

    ``std_error`` is the standard error of a correct estimate (computed by the grader, trusted) and
    ``n_samples`` the number of random draws behind it; the message gives both, the deviation and
    the allowed deviation.
    """
    if not (math.isfinite(std_error) and std_error > 0):
        raise ValueError(f"check_statistical: std_error must be positive, not {std_error!r}")
    value = _plain_number(actual, name)
    if type(value) is np.ndarray and value.ndim == 0:
        value = value[()]
    about = msg("checks.about", value=format_value(expected))
    if value is None:
        raise _fail(name, msg("checks.none_expected_number"), EXPECTED, expected_text=about,
                    kind="wrong type")  # fmt: skip
    if not _is_number(value) or isinstance(value, complex | np.complexfloating) or _huge_int(value):
        raise _fail(name, msg("checks.expected_estimate", what=_a(actual)), returned=actual,
                    expected_text=about, kind="wrong type")  # fmt: skip
    estimate = float(value)
    deviation = abs(estimate - float(expected))
    allowed = k * std_error
    if math.isfinite(deviation) and deviation <= allowed:
        return
    if math.isfinite(deviation):
        errors = msg("checks.standard_errors", n=deviation / std_error)
    else:
        errors = msg("checks.standard_errors_not_finite")
    samples = "" if n_samples is None else msg("checks.random_samples", n=n_samples)
    raise _fail(
        name, msg("checks.estimate_off", errors=errors), RETURNED,
        msg("checks.exact_value", value=format_value(float(expected))),
        msg("checks.deviation", samples=samples, deviation=deviation, k=k, std_error=std_error,
            allowed=allowed),
        msg("checks.not_unlucky"), returned=actual, deviation=deviation, allowed=allowed,
        std_error=std_error, k=k,
    )  # fmt: skip


GRADIENT_MAX_ERROR = 1e-5
"""The largest relative error max(|a - n| / max(1e-8, |a| + |n|)) allowed between an analytic
gradient and centred differences (numerics.FD_STEP) of the same loss. A correct backward pass is
within ~1e-9 on entries of ordinary size (CS231n calls below 1e-7 right); a missing 1/N, a wrong axis
or a wrong mask gives 1e-2 to 1."""
GRADIENT_ATOL = 1e-7
"""Entries whose absolute difference is at most this agree whatever their relative error: centred
differences carry rounding noise of ~eps |L| / h ~ 1e-11 (measured on 3000 random two-layer
networks, saturated ones included: at most 1.4e-9), which is a large relative error on an entry
that is itself ~0 (a nearly saturated softmax, a tiny input)."""
GRADIENT_MATCH_MAX_ERROR = 1e-8
"""The same relative error between two analytic gradients (the student's and the reference's):
computed in float64 in another order, they agree to rounding, ~1e-13."""
GRADIENT_MATCH_ATOL = 1e-12
"""The absolute agreement of two analytic gradients on entries that are ~0 (rounding: ~1e-16)."""


def _key_text(key: Any) -> str:
    return repr(key) if type(key) is str else format_value(key)


def check_gradient(
    actual: Any,
    expected: Any,
    *,
    name: str | None = None,
    max_error: float = GRADIENT_MAX_ERROR,
    atol: float = GRADIENT_ATOL,
    expected_from: Msg | str | None = None,
) -> None:
    """Pass when every gradient in ``actual`` is within ``max_error`` relative error of ``expected``.

        >>> check_gradient({"w": np.array([1.0, 2.0])}, {"w": np.array([1.0, 4.0])}, name="grad(w)")
        Traceback (most recent call last):
        CheckError: grad(w) returned a wrong gradient for 'w': relative error 0.333 at index [1].
        ...

    ``expected`` is a dict of arrays (one per parameter: ``actual`` must be a dict with those keys
    and shapes) or one array. The relative error is numerics.relative_error, element-wise; entries
    within ``atol`` of each other agree whatever their relative error (rounding noise on entries
    that are ~0). The message names each wrong parameter, its worst index, both values there and the threshold, and
    ``expected_from`` says where the expected gradient came from.
    """
    if isinstance(expected, dict):
        if type(actual) is not dict:
            raise _fail(name, msg("checks.expected_gradient_dict", what=_a(actual),
                                  keys=", ".join(map(_key_text, expected))), returned=actual,
                        kind="wrong type")  # fmt: skip
        missing = [k for k in expected if k not in actual]
        if missing:
            raise _fail(name, msg("checks.gradient_missing", keys=", ".join(map(_key_text, missing))),
                        msg("checks.keys_returned", keys=", ".join(map(_key_text, actual)) or
                            msg("checks.none")),
                        msg("checks.keys_expected", keys=", ".join(map(_key_text, expected))),
                        kind="wrong type")  # fmt: skip
        items = [
            (key, actual[key], np.asarray(expected[key], dtype=np.float64)) for key in expected
        ]
    else:
        items = [(None, actual, np.asarray(expected, dtype=np.float64))]
    report, wrong = [], []
    for key, value, exp in items:
        label = name if key is None else f"{name or 'the value'}[{_key_text(key)}]"
        arr = _as_array(value, label, exp)
        if arr.shape != exp.shape:
            what = (msg("checks.the_gradient") if key is None
                    else msg("checks.the_gradient_for", key=_key_text(key)))  # fmt: skip
            raise _fail(name, msg("checks.gradient_shape", what=what, shape=str(arr.shape),
                                  expected_shape=str(exp.shape)), returned=value,
                        kind="wrong shape", shape=arr.shape, expected_shape=exp.shape)  # fmt: skip
        if arr.dtype.kind not in "biuf":
            raise _fail(label, msg("checks.expected_real", kind=_kind_name(arr.dtype.kind),
                                   dtype=str(arr.dtype)), returned=value, kind="wrong type")  # fmt: skip
        err = numerics.relative_error(arr, exp)
        with np.errstate(invalid="ignore"):
            close = np.abs(arr.astype(np.float64) - exp) <= atol
        err = np.where(np.isnan(err), np.inf, np.where(close, 0.0, err))
        if err.size == 0:
            report.append((key, 0.0, None, arr, exp))
            continue
        worst = np.unravel_index(int(np.argmax(err)), err.shape) if err.ndim else ()
        report.append((key, float(err[worst]), worst, arr, exp))
        if not err[worst] <= max_error:
            wrong.append(report[-1])
    if not wrong:
        return
    lines = []
    for key, error, worst, arr, exp in wrong:
        index = ", ".join(str(int(i)) for i in worst)
        subject = msg("checks.the_gradient") if key is None else _key_text(key)
        lines.append(msg("checks.gradient_line", subject=subject, error=error, index=index,
                         value=format_value(arr[worst]), expected_value=format_value(exp[worst])))  # fmt: skip
    right = [f"{_key_text(k)} ({e:.1g})" for k, e, *_ in report if k is not None
             and all(k != w[0] for w in wrong)]  # fmt: skip
    key, error, worst, _, _ = wrong[0]
    index = ", ".join(str(int(i)) for i in worst)
    problem = (msg("checks.wrong_gradient", error=error, index=index) if key is None else
               msg("checks.wrong_gradient_for", key=_key_text(key), error=error, index=index))  # fmt: skip
    if expected_from is None:
        source = msg("checks.from_centred_differences")
    else:
        source = expected_from if isinstance(expected_from, Msg) else raw(expected_from)
    raise _fail(
        name, problem, *lines,
        *([msg("checks.right_within", keys=", ".join(right))] if right else []),
        msg("checks.gradient_threshold", source=source, max_error=max_error, atol=atol),
        rel_error=error, worst_index=[int(i) for i in worst], max_error=max_error, atol=atol,
        parameter=None if key is None else _key_text(key),
    )  # fmt: skip
