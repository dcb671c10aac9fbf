"""Arguments a grader can pass to a submission that are not plain data, sent as data all the same.

    >>> from sympy.abc import x
    >>> sub.gradient_descent(lecture_function((x - 2) ** 2 + 1, x), 5.0)

Each object here turns into a wire node that the worker materialises on its side: a sympy function
becomes a Python function built there from an allow-listed expression tree, a seeded generator
becomes ``np.random.default_rng(seed)``. Nothing but data crosses: no pickled code. The submission's
own functions are passed as themselves (``sub.func``), which the worker resolves by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy

from .sandbox.protocols import lecture_protocol, numeric_protocol
from .wire import encode_sympy

__all__ = ["LectureFunction", "NumericFunction", "SeededRNG", "lecture_function",
           "numeric_function", "seeded_rng"]  # fmt: skip


@dataclass(frozen=True)
class LectureFunction:
    """``fun(val) -> (value, expression)`` as in the lecture, for ``expr`` in ``symbols``.

    With one symbol, ``val`` is a number; with several, a sequence in the order of ``symbols``. The
    expression handed back is a ``sympy.Poly`` when ``expr`` is a polynomial (as the lecture's
    ``func`` builds it with ``sym.poly``), otherwise the expression itself.
    """

    expr: Any
    symbols: tuple

    def wire_node(self) -> dict:
        return {"$": "sympy_function", "protocol": "lecture", "expr": encode_sympy(self.expr),
                "symbols": [s.name for s in self.symbols]}  # fmt: skip

    def trusted(self) -> Any:
        """The same function built here, in the trusted process, for the reference (``ref``)."""
        return lecture_protocol(self.expr, self.symbols)

    def value(self, val: Any) -> Any:
        """The function's value at ``val``, evaluated here (trusted side) for expected values."""
        return self.trusted()(val)[0]

    def __repr__(self) -> str:
        return f"f({', '.join(s.name for s in self.symbols)}) = {self.expr}"


@dataclass(frozen=True)
class NumericFunction:
    """A plain numeric callable ``fun(*values) -> number or array`` (sympy.lambdify, numpy)."""

    expr: Any
    symbols: tuple

    def trusted(self) -> Any:
        """The same function built here, in the trusted process, for the reference (``ref``)."""
        return numeric_protocol(self.expr, self.symbols)

    def wire_node(self) -> dict:
        return {"$": "sympy_function", "protocol": "numeric", "expr": encode_sympy(self.expr),
                "symbols": [s.name for s in self.symbols]}  # fmt: skip

    def __repr__(self) -> str:
        return f"lambda {', '.join(s.name for s in self.symbols)}: {self.expr}"


@dataclass(frozen=True)
class SeededRNG:
    """``np.random.default_rng(seed)``, created fresh in the worker for this call."""

    seed: int

    def wire_node(self) -> dict:
        return {"$": "rng", "seed": int(self.seed)}

    def __repr__(self) -> str:
        return f"np.random.default_rng({self.seed})"


def _symbols(expr: Any, symbols: tuple) -> tuple:
    expr = sympy.sympify(expr) if isinstance(expr, int | float) else expr
    if symbols:
        return expr, tuple(symbols)
    return expr, tuple(sorted(expr.free_symbols, key=lambda s: s.name))


def lecture_function(expr: Any, *symbols: sympy.Symbol) -> LectureFunction:
    """The lecture's protocol for ``expr`` (symbols default to its free symbols, by name)."""
    return LectureFunction(*_symbols(expr, symbols))


def numeric_function(expr: Any, *symbols: sympy.Symbol) -> NumericFunction:
    """A numeric callable of ``expr`` (symbols default to its free symbols, by name)."""
    return NumericFunction(*_symbols(expr, symbols))


def seeded_rng(seed: int) -> SeededRNG:
    """A fresh ``np.random.default_rng(seed)`` on the worker's side."""
    return SeededRNG(int(seed))
