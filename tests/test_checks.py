"""checks.py: what passes, what fails, and what the messages say."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.checks import (
    DEFAULT_ATOL,
    DEFAULT_RTOL,
    GRADIENT_MATCH_ATOL,
    GRADIENT_MATCH_MAX_ERROR,
    GRADIENT_MAX_ERROR,
    STATISTICAL_K,
    CheckError,
    check_close,
    check_equal,
    check_gradient,
    check_probabilities,
    check_raises,
    check_shape,
    check_statistical,
    check_true,
)
from autograder.errors import NotAttempted, RemoteException, StudentRaised


def fails(fn, *args, **kwargs) -> str:
    with pytest.raises(CheckError) as info:
        fn(*args, **kwargs)
    return str(info.value)


@pytest.mark.parametrize(
    "actual, expected",
    [
        (1.0, 1.0),
        (1.0 + 1e-9, 1.0),
        (np.float32(0.5), 0.5),
        (3, 3.0),
        (np.array(2.0), 2.0),
        ([1, 2, 3], np.array([1.0, 2.0, 3.0])),
        ((1.0, 2.0), np.array([1.0, 2.0])),
        (np.array([1, 2]), np.array([1.0, 2.0])),
        (np.array([np.nan, np.inf]), np.array([np.nan, np.inf])),
        (np.zeros((0, 3)), np.zeros((0, 3))),
        (1e-12, 0.0),
        (np.array([1 + 1j]), np.array([1 + 1j])),
    ],
)
def test_check_close_passes(actual, expected):
    check_close(actual, expected, name="f(x)")


def test_scalar_message_names_call_returned_expected_errors_and_tolerance():
    msg = fails(check_close, 7.0, np.sqrt(54), name="l2_norm(array([1, 7, 2]))")
    assert msg.startswith("l2_norm(array([1, 7, 2])) returned a wrong value.")
    assert "returned: 7.0" in msg and "expected: 7.3484692283495345" in msg
    assert "absolute error 0.348, relative error 0.0474" in msg
    assert f"tolerance: |error| <= {DEFAULT_ATOL:g} + {DEFAULT_RTOL:g} * |expected|" in msg


def test_array_message_gives_count_and_worst_index():
    expected = np.arange(6.0).reshape(2, 3)
    actual = expected.copy()
    actual[0, 1] += 0.5
    actual[1, 2] += 3.0
    msg = fails(check_close, actual, expected, name="pinv(A)")
    assert "2 of 6 elements differ" in msg
    assert "worst at index [1, 2]: returned 8.0, expected 5.0" in msg
    assert "absolute error 3, relative error 0.6" in msg


def test_shape_is_checked_before_values():
    msg = fails(check_close, np.zeros((3, 1)), np.zeros(3), name="f(x)")
    assert "returned an array of shape (3, 1); expected shape (3,)" in msg


def test_a_length_one_array_is_not_a_scalar():
    assert "expected a single number" in fails(check_close, np.array([1.0]), 1.0, name="f(x)")


def test_dtype_kind_is_checked_after_shape():
    msg = fails(check_close, np.array([True, False]), np.array([1.0, 0.0]), name="f(x)")
    assert "returned boolean values (dtype bool); expected floating-point values" in msg
    assert "expected a number" in fails(check_close, True, 1.0, name="f(x)")


def test_none_and_non_numeric_returns():
    assert "Did you forget `return`?" in fails(check_close, None, 1.0, name="f(x)")
    assert "Did you forget `return`?" in fails(check_close, None, np.zeros(2), name="f(x)")
    assert "returned a str" in fails(check_close, "1.0", 1.0, name="f(x)")
    assert "not a rectangular array" in fails(check_close, [[1], [1, 2]], np.zeros(2), name="f")
    assert "returned a dict" in fails(check_close, {"a": 1}, np.zeros(2), name="f(x)")


def test_nan_where_a_number_is_expected_fails():
    msg = fails(check_close, np.array([1.0, np.nan]), np.array([1.0, 2.0]), name="f(x)")
    assert "worst at index [1]: returned nan, expected 2.0" in msg


def test_tolerances_are_respected_and_named():
    check_close(1.01, 1.0, rtol=0.02, name="f")
    assert "tolerance: |error| <= 0 + 0.001 * |expected|" in fails(
        check_close, 1.01, 1.0, rtol=1e-3, atol=0, name="f"
    )


def test_check_shape():
    check_shape(np.zeros((2, 3)), (2, 3), name="f")
    check_shape([[1, 2, 3]], (1, 3), name="f")
    assert "shape (3, 2); expected shape (2, 3)" in fails(
        check_shape, np.zeros((3, 2)), (2, 3), name="f"
    )


def test_require_ndarray_fails_a_list_of_the_right_values_saying_so():
    expected = np.array([1.0, 2.0])
    check_close(np.array([1, 2]), expected, name="f(x)", require_ndarray=True)
    check_close(np.float64(2.0), 2.0, name="f(x)", require_ndarray=True)  # numbers stay numbers
    for actual in ([1.0, 2.0], (1.0, 2.0)):
        check_close(actual, expected, name="f(x)")  # array-likes pass by default
        msg = fails(check_close, actual, expected, name="f(x)", require_ndarray=True)
        kind = type(actual).__name__
        assert msg.startswith(
            f"f(x) returned a {kind}; expected a numpy array (the values are right"
        )
        assert "np.asarray" in msg
    # Wrong values or shapes are reported as such first.
    msg = fails(check_close, [1.0, 3.0], expected, name="f(x)", require_ndarray=True)
    assert "returned wrong values: 1 of 2 elements differ" in msg
    msg = fails(check_close, [1.0], expected, name="f(x)", require_ndarray=True)
    assert "shape (1,); expected shape (2,)" in msg
    check_shape(np.zeros(3, dtype=int), (3,), name="f", require_ndarray=True)
    msg = fails(check_shape, [0, 1, 2], (3,), name="f", require_ndarray=True)
    assert msg.startswith("f returned a list; expected a numpy array (the shape is right")


def test_check_equal():
    check_equal([1, (2, "a")], [1, (2, "a")], name="f")
    check_equal(np.array([1, 2]), np.array([1, 2]), name="f")
    fails(check_equal, 1, True, name="f")
    fails(check_equal, True, 1, name="f")
    fails(check_equal, [1, 2], [1, 2, 3], name="f")
    fails(check_equal, np.array([1, 3]), np.array([1, 2]), name="f")
    assert "returned: None" in fails(check_equal, None, 0, name="f")


def test_check_true():
    check_true(True, message="never shown")
    assert (
        fails(check_true, False, name="g(x)", message="is not symmetric") == "g(x) is not symmetric"
    )


def remote(type_name: str, mro: tuple[str, ...]) -> StudentRaised:
    return StudentRaised("f(0)", "lec01_vectors.py", RemoteException(type_name, "msg", mro, line=3))


def raising(exc):
    def fn(*args):
        raise exc

    fn.__name__ = "f"
    return fn


def test_check_raises():
    check_raises(ValueError, raising(remote("ValueError", ("ValueError", "Exception"))), 0)
    check_raises(ValueError, raising(remote("MyError", ("MyError", "ValueError"))), 0)
    msg = fails(
        check_raises, ValueError, raising(remote("ZeroDivisionError", ("ZeroDivisionError",))), 0
    )
    assert "f(0) raised ZeroDivisionError: msg; expected ValueError" in msg
    assert "lec01_vectors.py, line 3" in msg

    def returns(x):
        return 0.5

    assert "returns(0) returned 0.5; expected it to raise ValueError" in fails(
        check_raises, ValueError, returns, 0
    )
    with pytest.raises(NotAttempted):
        check_raises(ValueError, raising(NotAttempted("stub")), 0)


def test_number_for_an_array_and_zero_expected_values_read_plainly():
    msg = fails(check_close, 21.0, np.array([5.0, 14.0, 2.0]), name="hadamard(x, y)")
    assert "returned a single number; expected an array of shape (3,)" in msg
    msg = fails(check_close, 1.4, 0.0, atol=1e-6, name="angle(x, x)")
    assert "absolute error 1.4, relative error undefined (expected 0)" in msg


sympy = pytest.importorskip("sympy")
from sympy.abc import x, y  # noqa: E402

from autograder.checks import check_converged, check_decreasing, check_symbolic  # noqa: E402


def test_check_close_accepts_sympy_numbers():
    check_close(sympy.Float(2.5), 2.5, name="f")
    check_close(sympy.Integer(18), np.float64(18.0), name="f")
    check_close(2.5, sympy.Rational(5, 2), name="f")


def test_check_converged_tells_wrong_minimum_from_wrong_count():
    check_converged((sympy.Float(-0.999995), 673), -1.0, 673, name="gd")
    check_converged((np.array([1e-5, -1e-5]), np.int64(10)), np.zeros(2), 10, name="gd")
    msg = fails(check_converged, (-0.999995, 674), -1.0, 673, name="gradient_descent(func, 3)")
    assert "reached the right minimum, but after 674 updates; the reference needs 673" in msg
    msg = fails(check_converged, (2.5, 673), -1.0, 673, name="gd")
    assert "stopped at a wrong point after 673 updates" in msg and "sign of the update" in msg
    check_converged((-1.0, 675), -1.0, 673, n_iter_tol=2, name="gd")
    assert "expected a pair" in fails(check_converged, -1.0, -1.0, 673, name="gd")
    assert "whole number" in fails(check_converged, (-1.0, 2.5), -1.0, 673, name="gd")
    assert "whole number" in fails(check_converged, (-1.0, None), -1.0, 673, name="gd")


def test_check_converged_require_ndarray_for_the_point():
    check_converged((np.zeros(2), 3), np.zeros(2), 3, name="gd", require_ndarray=True)
    check_converged(([0.0, 0.0], 3), np.zeros(2), 3, name="gd")
    msg = fails(check_converged, ([0.0, 0.0], 3), np.zeros(2), 3, name="gd", require_ndarray=True)
    assert msg.startswith("gd returned the point as a list; expected a numpy array")
    # A wrong count is still told first.
    msg = fails(check_converged, ([0.0, 0.0], 4), np.zeros(2), 3, name="gd", require_ndarray=True)
    assert "reached the right minimum, but after 4 updates" in msg


def test_check_symbolic():
    check_symbolic(2 * x + 2, sympy.poly(x**2 + 2 * x + 3).diff(x), name="d")
    check_symbolic(sympy.sin(x) ** 2 + sympy.cos(x) ** 2, sympy.Integer(1), name="d")
    check_symbolic((x + 1) ** 2, x**2 + 2 * x + 1, name="d")
    msg = fails(check_symbolic, 2 * x + 3, 2 * x + 2, name="func_gradient(func, 3)")
    assert (
        "returned a wrong expression" in msg and "returned: 2*x + 3" in msg and "differ at x" in msg
    )
    assert "uses symbols the expected expression does not: ['y']" in fails(
        check_symbolic, 2 * y, 2 * x, name="d"
    )
    assert "expected a sympy expression" in fails(check_symbolic, "2*x", 2 * x, name="d")
    assert "Did you forget `return`" in fails(check_symbolic, None, 2 * x, name="d")


def test_check_decreasing():
    check_decreasing([5.0, 4.0, 4.5, 3.0, 2.0, 1.0], name="h")
    assert "does not go down" in fails(check_decreasing, [1.0, 2.0, 3.0], name="h")
    assert "non-finite value at index 2" in fails(check_decreasing, [3.0, 2.0, np.nan], name="h")
    assert "at least two numbers" in fails(check_decreasing, [1.0], name="h")


# -- hostile values: whatever a submission returns is its failure, with a message, never an error --
import time  # noqa: E402

from autograder import bounded  # noqa: E402

ARRAY = np.array([1.0, 2.0, 3.0])
NINE_TOWER = sympy.Pow(sympy.Integer(9**400), 10000, evaluate=False)
EXPLODES = (x + y + sympy.Symbol("a") + sympy.Symbol("b") + sympy.Symbol("c")) ** 10000


@pytest.mark.parametrize(
    "actual, expected, fragment",
    [
        (2**100, 5.0, "returned an int too large to compare (31 digits"),
        (-(2**100), 5.0, "returned an int too large to compare (31 digits"),
        (10**400, 5.0, "returned an int too large to compare (401 digits"),
        (2**64, ARRAY, "int too large to compare"),
        ([1, 2**100, 3], ARRAY, "holding an int too large to compare (31 digits) at index [1]"),
        ([[1.0], [2.0, None]], np.zeros((2, 2)), "holding None at index [1][1]"),
        (["1", 2.0, 3.0], ARRAY, "holding a str at index [0]"),
        ([sympy.Float(1.0), 2.0, 3.0], ARRAY, "holding a sympy number at index [0]"),
        ([x, 2.0, 3.0], ARRAY, "holding a sympy expression at index [0]"),
        ([1.5, 2.5, 2**100], ARRAY, "holding an int too large to compare (31 digits) at index [2]"),
        (
            [[1, 2], [3, 2**64]],
            np.zeros((2, 2)),
            "too large to compare (20 digits) at index [1][1]",
        ),
        ([{"a": 1}], ARRAY, "holding a dict at index [0]"),
        ([[1.0], [2.0, 3.0]], ARRAY, "not a rectangular array of numbers"),
        (float("nan"), 5.0, "returned: nan"),
        (float("inf"), 5.0, "returned: inf"),
        (np.array([np.inf, 2.0, 3.0]), ARRAY, "returned inf, expected 1.0"),
        (1 + 2j, 5.0, "returned complex values (dtype complex128); expected floating-point"),
        (np.complex64(1), 5.0, "returned complex values (dtype complex64)"),
        (np.array(4.0), 5.0, "returned a wrong value"),
        (np.array(3.0), ARRAY, "returned a single number; expected an array of shape (3,)"),
        (np.array([]), 5.0, "returned an array of shape (0,); expected a single number"),
        (np.zeros((0, 3)), ARRAY, "returned an array of shape (0, 3); expected shape (3,)"),
        (np.zeros((0, 2**27)), ARRAY, "returned an array of shape (0, 134217728); expected shape"),
        (
            np.ones(2**26, np.uint8),
            5.0,
            "returned an array of shape (67108864,); expected a single",
        ),
        (np.array([True, False, True]), ARRAY, "returned boolean values (dtype bool)"),
        (np.array([2**63 + 5, 2**64 - 1, 1], np.uint64), ARRAY, "3 of 3 elements differ"),
        (np.full(3, 2**64 - 1, np.uint64), 5.0, "returned an array of shape (3,)"),
        ({"a": 1}, 5.0, "returned a dict; expected a number"),
        ({str(i): i for i in range(50)}, ARRAY, "<dict of 50 items>"),
        (None, 5.0, "returned None"),
        (True, 5.0, "returned a bool; expected a number"),
        (np.bool_(True), ARRAY, "returned a single number"),
        ("5.0", 5.0, "returned a str"),
        (
            [[0.5] * 1000] * 500,
            ARRAY,
            "returned an array of shape (500, 1000); expected shape (3,)",
        ),
        (sympy.Integer(10**399), 5.0, "returned a sympy number too large to compare"),
        (sympy.Float(2.5), np.zeros(2), "returned a single number"),
        (sympy.nan, 5.0, "returned: nan"),
        (sympy.zoo, 5.0, "returned a sympy expression; expected a number"),
        (NINE_TOWER, 5.0, "returned a sympy expression; expected a number"),
        (x + 1, ARRAY, "returned a sympy expression; expected an array"),
    ],
)
def test_hostile_values_fail_check_close_with_a_message(actual, expected, fragment):
    start = time.monotonic()
    msg = fails(check_close, actual, expected, name="f(x)")
    assert msg.startswith("f(x) ") and fragment in msg, msg
    assert time.monotonic() - start < 5.0


def test_sympy_infinities_and_unsigned_extremes_still_compare():
    check_close(sympy.oo, float("inf"), name="f")
    check_close(np.array([2**64 - 1], np.uint64), np.array([2.0**64]), name="f")
    check_close(np.array(5.0), 5.0, name="f")


@pytest.mark.parametrize(
    "check, args, fragment",
    [
        (check_shape, ({"a": 1}, (3,)), "returned a dict; expected an array"),
        (check_shape, (2**100, ()), "int too large to compare"),
        (check_equal, (10**400, np.float64(1.0)), "returned a wrong value"),
        (check_equal, (2**100, ARRAY), "int too large to compare"),
        (check_equal, ([1, None], [1, 2]), "returned a wrong value"),
        (check_decreasing, ([2**100, 1],), "int too large to compare"),
        (check_decreasing, (np.array([True, False]),), "expected a 1-D history"),
        (check_decreasing, (np.array([3 + 1j, 1]),), "expected a 1-D history"),
        (check_decreasing, (np.array(3.0),), "expected a 1-D history"),
        (check_decreasing, ([3.0, np.inf, 1.0],), "non-finite value at index 1"),
        (check_converged, ((-1.0, 2**100), -1.0, 3), "as the number of iterations"),
        (check_converged, ((-1.0, float("nan")), -1.0, 3), "as the number of iterations"),
        (check_converged, ((-1.0, True), -1.0, 3), "as the number of iterations"),
        (check_converged, ((-1.0, sympy.Integer(10**399)), -1.0, 3), "number of iterations"),
        (check_converged, ((NINE_TOWER, 3), -1.0, 3), "stopped at a wrong point"),
        (check_converged, ((10**400, 3), -1.0, 3), "stopped at a wrong point"),
        (check_converged, ({"a": 1}, -1.0, 3), "expected a pair"),
        (check_probabilities, ({"a": 1},), "returned a dict; expected an array"),
        (check_probabilities, ([0.5, "x"],), "holding a str at index [1]"),
        (check_probabilities, (np.array([0.5 + 0j, 0.5]),), "complex values"),
        (check_probabilities, ([2**100, 0],), "int too large to compare"),
        (check_probabilities, (np.array([True, False]),), "boolean values"),
        (check_statistical, (2**100, 1.0, 0.1), "expected a number"),
        (check_statistical, ("1.0", 1.0, 0.1), "returned a str; expected a number"),
        (check_statistical, (1 + 2j, 1.0, 0.1), "expected a number"),
        (check_statistical, (np.ones(2), 1.0, 0.1), "expected a number"),
        (check_statistical, (float("nan"), 1.0, 0.1), "not a finite number of standard errors"),
        (check_gradient, ([1.0], {"w": ARRAY}), "returned a list; expected a dict of gradients"),
        (check_gradient, ({"w": "x"}, {"w": ARRAY}), "returned a str; expected an array"),
        (check_gradient, ({"w": [1, None, 2]}, {"w": ARRAY}), "holding None at index [1]"),
        (check_gradient, ({"w": np.array([1j, 2, 3])}, {"w": ARRAY}), "complex values"),
        (check_gradient, ({"w": [2**100, 1, 2]}, {"w": ARRAY}), "int too large to compare"),
        (check_gradient, ({1: ARRAY}, {"w": ARRAY}), "without the gradient for 'w'"),
    ],
)
def test_hostile_values_fail_the_other_checks_with_a_message(check, args, fragment):
    msg = fails(check, *args, name="f(x)")
    assert fragment in msg, msg


def test_a_condition_without_a_truth_value_fails_check_true():
    msg = fails(check_true, np.array([True, False]), name="f(x)", message="is not symmetric")
    assert msg.startswith("f(x) is not symmetric") and "neither true nor false" in msg


@pytest.mark.parametrize(
    "actual, fragment",
    [
        (2**100, "returned a wrong expression"),
        (10**400, "returned an int too large to compare (401 digits)"),
        (float("nan"), "returned a wrong expression"),
        (1 + 2j, "returned a complex; expected a sympy expression"),
        (np.complex64(1), "returned a complex64; expected a sympy expression"),
        (np.array(2.0), "returned an array of shape (); expected a sympy expression"),
        ({"a": 1}, "returned a dict; expected a sympy expression"),
        (True, "returned a bool; expected a sympy expression"),
        ([x], "returned a list; expected a sympy expression"),
    ],
)
def test_hostile_values_fail_check_symbolic_with_a_message(actual, fragment):
    assert fragment in fails(check_symbolic, actual, 2 * x, name="d")


def test_an_expression_too_large_to_compare_fails_in_bounded_time():
    start = time.monotonic()
    msg = fails(check_symbolic, EXPLODES, x**2 + 2 * x + 3, name="func(3)[1]", timeout_s=1.0)
    assert time.monotonic() - start < 6.0
    assert msg.startswith("func(3)[1] returned an expression too large to compare")
    assert "(a + b + c + x + y)**10000" in msg and "expected: x**2 + 2*x + 3" in msg
    start = time.monotonic()
    msg = fails(check_symbolic, NINE_TOWER, x**2 + 2 * x + 3, name="func(3)[1]", timeout_s=3.0)
    assert time.monotonic() - start < 10.0 and msg.startswith("func(3)[1] returned")
    check_symbolic((x + 1) ** 2, x**2 + 2 * x + 1, name="d")  # and the next comparison works


def test_the_same_expression_passes_without_the_helper(monkeypatch):
    def unavailable(*args, **kwargs):
        raise AssertionError("the helper was asked")

    monkeypatch.setattr(bounded, "compare_symbolic", unavailable)
    check_symbolic(sympy.poly(x**2 + 2 * x + 3).as_expr(), x**2 + 2 * x + 3, name="d")
    check_symbolic(sympy.Integer(18), sympy.Integer(18), name="d")


def test_unevaluated_expressions_compare_by_their_value():
    check_symbolic(sympy.Add(x, x, evaluate=False), 2 * x, name="d")
    check_symbolic(sympy.Mul(2, sympy.Add(x, 1), evaluate=False), 2 * x + 2, name="d")
    msg = fails(check_symbolic, sympy.Add(x, x, x, evaluate=False), 2 * x, name="d")
    assert "returned: x + x + x" in msg


def test_an_expression_that_grows_when_sent_again_is_too_large_not_an_error():
    from autograder.wire import decode

    from .test_wire import frame

    # 9999 square roots of x: 19999 nodes as sent, 29998 once sqrt(x) is the Pow it stands for.
    grown = decode(frame({"$": "sympy", "tree": ["Add"] + [["sqrt", ["Symbol", "x"]]] * 9999}))
    msg = fails(check_symbolic, grown, 2 * x, name="d")
    assert msg.startswith("d returned an expression too large to compare (it is a sympy")


# -- check_probabilities, check_statistical, check_gradient ----------------------------------------
def test_check_probabilities_passes_distributions_and_names_the_failing_row():
    check_probabilities(np.array([[0.25, 0.75], [1.0, 0.0]]), name="softmax(O)", shape=(2, 2))
    check_probabilities([0.5, 0.5], name="p")
    check_probabilities(np.array([1, 0, 0]), name="one_hot")
    msg = fails(check_probabilities, np.array([[0.5, 0.5], [0.3, 0.3], [0.1, 0.1]]), name="s(O)")
    assert "row 1 sums to 0.6 (off by 0.4; tolerance 1e-09)" in msg
    assert "2 of 3 rows fail" in msg
    msg = fails(check_probabilities, np.array([0.2, 0.2]), name="p")
    assert "do not sum to 1: they sum to 0.4 (off by 0.6" in msg
    msg = fails(check_probabilities, np.array([[0.5, 0.5], [1.5, -0.5]]), name="s(O)")
    assert "negative probability -0.5 in row 1, column 1" in msg
    msg = fails(check_probabilities, np.array([[0.5, 0.5], [np.nan, 1.0]]), name="s(O)")
    assert "non-finite probability nan in row 1, column 0" in msg
    msg = fails(check_probabilities, np.ones((2, 3)) / 2, name="s(O)", shape=(3, 2))
    assert "returned an array of shape (2, 3); expected shape (3, 2)" in msg
    for wrong in (np.ones((2, 2, 2)) / 4, np.zeros((3, 0)), np.array(1.0)):
        assert "expected probabilities" in fails(check_probabilities, wrong, name="s")
    check_probabilities(np.array([0.5, 0.5 + 1e-10]), name="p")  # within PROBABILITY_ATOL
    fails(check_probabilities, np.array([0.5, 0.5 + 1e-10]), name="p", atol=1e-12)


def test_check_statistical_allows_k_standard_errors_and_says_how_far_it_is():
    check_statistical(1.49, 1.4936, 0.001, name="mc", n_samples=1000)  # 3.6 errors
    check_statistical(np.float64(1.4936), 1.4936, 0.001, name="mc", n_samples=1000)
    check_statistical(np.array(1.4936), 1.4936, 0.001, name="mc", n_samples=1000)
    msg = fails(check_statistical, 2 * 1.4936, 1.4936, 0.001, name="mc(f, -1, 1)", n_samples=1000)
    assert "returned an estimate 1493.6 standard errors from the exact value" in msg
    assert (
        "1000 random samples: deviation |returned - exact| = 1.49; allowed 6 standard errors" in msg
    )
    fails(check_statistical, 1.4936 + 0.0031, 1.4936, 0.001, name="mc", n_samples=10, k=3)
    with pytest.raises(ValueError):
        check_statistical(1.0, 1.0, 0.0, name="mc", n_samples=10)


def test_check_statistical_false_failure_rate_of_a_right_estimate_is_below_one_in_a_million():
    from math import erfc, sqrt

    assert erfc(STATISTICAL_K / sqrt(2)) < 1e-8  # two-sided normal tail: 2.0e-9 at k = 6


def test_check_gradient_names_the_parameter_the_index_and_both_values():
    expected = {"W": np.array([[1.0, 2.0], [3.0, 4.0]]), "b": np.array([0.5, -0.5])}
    check_gradient({k: v * (1 + 1e-8) for k, v in expected.items()}, expected, name="bw")
    check_gradient(
        {"b": expected["b"], "W": expected["W"].tolist(), "extra": 1}, expected, name="bw"
    )
    wrong = {"W": expected["W"] * np.array([[1.0, 1.0], [1.0, 2.0]]), "b": expected["b"]}
    msg = fails(check_gradient, wrong, expected, name="mlp_backward(X, Y, params)",
                expected_from="centred differences of your forward pass")  # fmt: skip
    assert "returned a wrong gradient for 'W': relative error 0.333 at index [1, 1]" in msg
    assert "returned 8.0, expected 4.0" in msg
    assert "right within the threshold: 'b'" in msg
    assert "expected: centred differences of your forward pass" in msg
    assert f"must be <= {GRADIENT_MAX_ERROR:g}" in msg
    msg = fails(check_gradient, {"W": expected["W"].T, "b": expected["b"]}, expected, name="bw")
    assert "relative error" in msg  # a transposed square gradient: wrong values
    msg = fails(check_gradient, {"W": expected["W"][0], "b": expected["b"]}, expected, name="bw")
    assert "the gradient for 'W' with shape (2,); expected shape (2, 2)" in msg
    msg = fails(check_gradient, {"W": expected["W"]}, expected, name="bw")
    assert "without the gradient for 'b'" in msg and "keys returned: 'W'" in msg
    msg = fails(check_gradient, {"W": expected["W"], "b": np.array([np.nan, -0.5])}, expected,
                name="bw")  # fmt: skip
    assert "for 'b': relative error inf at index [0]" in msg
    msg = fails(check_gradient, np.array([1.0, 2.0]), np.array([1.0, 2.1]), name="dx")
    assert "the gradient: relative error" in msg
    check_gradient(np.array([1e-9, 0.0]), np.array([0.0, 3e-9]), name="dx")  # noise on ~0
    msg = fails(check_gradient, np.array([1e-5, 0.0]), np.array([0.0, 3e-9]), name="dx")
    assert "relative error 1 at index [0]" in msg and "(or |a - n| <= 1e-07)" in msg
    check_gradient({"W": expected["W"] * (1 + 1e-6)}, {"W": expected["W"]}, name="bw")
    fails(check_gradient, {"W": expected["W"] * (1 + 1e-6)}, {"W": expected["W"]}, name="bw",
          max_error=GRADIENT_MATCH_MAX_ERROR, atol=GRADIENT_MATCH_ATOL)  # fmt: skip
    check_gradient(np.array([1e-13, 1.0]), np.array([0.0, 1.0]), name="dx",
                   max_error=GRADIENT_MATCH_MAX_ERROR, atol=GRADIENT_MATCH_ATOL)  # fmt: skip
