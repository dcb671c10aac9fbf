"""Helpers shared by the public and hidden tests of lec03_gradient_descent."""

from autograder.checks import check_true
from autograder.formatting import format_value


def pair(result, name, what):
    """The two parts of a (first, second) result, after checking it is a pair."""
    check_true(
        type(result) in (tuple, list) and len(result) == 2, name=name,
        message=f"returned {format_value(result)}; expected a pair {what}",
    )  # fmt: skip
    return result[0], result[1]
