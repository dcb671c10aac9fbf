"""How a grader's sympy expression becomes a callable: the same code on both sides of the boundary.

Loaded by path in the worker (which builds the functions a grader passes to a submission) and
imported normally by ``autograder.arguments`` (which builds the trusted twin a hidden test hands to
the reference solution), so the two can never drift apart. Self-contained: sympy only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


def lecture_protocol(expr: Any, symbols: Sequence[Any]) -> Callable[[Any], tuple[Any, Any]]:
    """``fun(val) -> (value, expression)`` as the lecture's ``func``: a Poly for polynomials.

    With one symbol ``val`` is a number; with several, a sequence in the order of ``symbols``.
    """
    import sympy

    symbols = list(symbols)
    shown = sympy.poly(expr, *symbols) if expr.is_polynomial(*symbols) else expr

    def fun(val: Any) -> tuple[Any, Any]:
        values = [val] if len(symbols) == 1 else list(val)
        return shown.subs(list(zip(symbols, values, strict=True))), shown

    return fun


def numeric_protocol(expr: Any, symbols: Sequence[Any]) -> Callable[..., Any]:
    """A plain numeric function of ``symbols`` (sympy.lambdify with numpy)."""
    import sympy

    fun = sympy.lambdify(list(symbols), expr, "numpy")
    fun.__name__ = "fun"
    return fun
