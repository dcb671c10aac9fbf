"""Mutation testing of the graders: mutants of a reference solution, graded and probed.

    >>> run = run_mutants(["lec01_vectors"], sample=6, seed=0, report=Path("mutants"))
    >>> run.exit_status   # 0: every surviving mutant is marked equivalent
    0

A mutant is the reference solution with one small change inside one of its solution blocks (the
lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION``; the rest of the file is kept byte
for byte): an operator swapped, a constant changed, a statement or a raise check deleted, a wrapper
call removed, an axis or an index moved, two arguments swapped (see FAMILIES). Each mutant is
graded like a submission, with the public and hidden tests, in the sandbox and within the time
limits: it is *killed* when it loses any point, and it *survives* at full marks. Each survivor is
then probed: the mutant and the reference are called, each in a sandboxed worker of its own, on the
assignment's probe inputs (``hidden/<assignment>/probes.py``: random inputs of several shapes and
the contract's edge cases), and their outcomes are compared. The first input that tells them apart
makes the survivor a *real gap* of the graders (a wrong solution that earns full marks); when none
does, it is *likely equivalent*. A survivor the instructor has verified to be equivalent is marked,
with a reason, in ``autograder/graders/<assignment>/equivalent_mutants.toml`` (or ``.json``, or
the same file in ``hidden/<assignment>/`` for reasons that must stay private); marked mutants are
left out of the kill rate, killed / (graded - marked).

Outcomes are kept in ``<report>/mutants.sqlite`` under the mutant's id and a version of everything
that decides them (the grader version, this module, the student id that seeds the tests), so a
rerun grades only new or changed mutants. Mutants are graded ``jobs`` at a time in the pool of
:func:`autograder.batch.run_local`; each one's code runs only in sandboxed workers.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime
import difflib
import hashlib
import importlib.util
import json
import math
import os
import random
import re
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from .course import (
    ASSIGNMENTS,
    DEFAULT_TIMEOUT_S,
    GRADERS_DIR,
    default_hidden_dir,
    default_solutions_dir,
)

__all__ = [
    "FAMILIES", "Mutant", "MutantOutcome", "MutantsError", "MutantsRun", "ProbeResult",
    "generate_mutants", "grade_mutant", "load_marks", "probe_mutant", "run_mutants",
    "same_outcome", "sample_mutants",
]  # fmt: skip

FAMILIES = (
    "arithmetic", "comparison", "boolean", "constant", "statement", "raise-check",
    "call-wrapper", "axis", "off-by-one", "swap",
)  # fmt: skip
"""The mutation operators, by family (each mutant's ``family`` is one of these)."""
FAMILY_TITLES = {
    "arithmetic": "arithmetic operator", "comparison": "comparison", "boolean": "boolean operator",
    "constant": "constant", "statement": "deleted statement", "raise-check": "deleted raise check",
    "call-wrapper": "removed call wrapper", "axis": "axis", "off-by-one": "off by one",
    "swap": "swapped",
}  # fmt: skip
STUDENT = "aimath-mutants"
"""The student id mutants are graded as (it seeds the public and hidden tests' inputs)."""
PROBE_SEED = 20240901
"""Seed of the probe inputs, so that a survivor's verdict is reproducible."""
PROBE_RTOL = 1e-6
"""Relative tolerance of the probe: the graders' DEFAULT_RTOL, since a difference they cannot
see at any input is no gap in them."""
PROBE_ATOL = 1e-9
"""Absolute tolerance of the probe, the graders' DEFAULT_ATOL."""
PROBE_BUDGET_S = 120.0
"""Wall-clock time the probe of one survivor may take, in seconds (reference and mutant calls)."""
ID_CHARS = 12
MAX_SHOWN_CHARS = 70
SHORT_CHARS = 12  # a change of fewer characters is shown with the expression around it
MARKS_FILES = ("equivalent_mutants.toml", "equivalent_mutants.json")
BEGIN_MARKER, END_MARKER = "### BEGIN SOLUTION", "### END SOLUTION"

Status = Literal["killed", "survived", "error"]
Verdict = Literal["", "likely equivalent", "real gap", "not probed"]


class MutantsError(RuntimeError):
    """Mutation testing cannot run: no reference, a reference below full marks, a bad marks file."""


# -- mutants ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Mutant:
    """The reference with one change in one solution block.

    ``line`` and ``col`` (1-based, in characters) locate the change in the reference;
    ``original`` and ``replacement`` show it (with the expression around it when it is short);
    ``source`` is the whole mutated file.
    """

    id: str
    assignment: str
    function: str
    family: str
    operator: str
    line: int
    col: int
    original: str
    replacement: str
    source: str = field(repr=False, compare=False)

    @property
    def description(self) -> str:
        """One line for people: where, which operator, and the change."""
        return (
            f"{self.function}, line {self.line}: {FAMILY_TITLES[self.family]}: "
            f"`{_shown(self.original)}` -> `{_shown(self.replacement)}`"
        )

    def diff(self, reference: str) -> str:
        """The unified diff from the reference to this mutant."""
        name = f"solutions/{self.assignment}.py"
        lines = difflib.unified_diff(
            reference.splitlines(keepends=True), self.source.splitlines(keepends=True),
            fromfile=f"{name} (reference)", tofile=f"{name} (mutant {self.id})", n=2,
        )  # fmt: skip
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_SHOWN_CHARS else text[: MAX_SHOWN_CHARS - 3] + "..."


def mutant_id(assignment: str, function: str, operator: str, line: int, col: int, text: str) -> str:
    """A mutant's stable id: sha256 of where and what, shortened (``line`` counts from the def)."""
    key = f"{assignment}\0{function}\0{operator}\0{line}:{col}\0{text}"
    return hashlib.sha256(key.encode()).hexdigest()[:ID_CHARS]


def solution_spans(source: str) -> list[tuple[int, int]]:
    """The (begin, end) line numbers (1-based) of the markers of every solution block."""
    spans, begin = [], None
    for lineno, line in enumerate(source.splitlines(), start=1):
        if line.strip() == BEGIN_MARKER:
            begin = lineno
        elif line.strip() == END_MARKER and begin is not None:
            spans.append((begin, lineno))
            begin = None
    return spans


@dataclass
class _Change:
    """What one operator proposes: replace ``target`` by ``new`` (a node, or statements)."""

    target: ast.AST
    new: ast.AST | list[ast.stmt]
    family: str
    operator: str
    text: str | None = None  # the replacement's source, when not ast.unparse(new)


# Operator swaps of each family, by the ast class of the original.
_ARITHMETIC = {
    ast.Add: (ast.Sub, ast.Mult), ast.Sub: (ast.Add,), ast.Mult: (ast.Div, ast.Add),
    ast.Div: (ast.Mult, ast.FloorDiv), ast.FloorDiv: (ast.Div,), ast.Pow: (ast.Mult,),
    ast.MatMult: (ast.Mult,), ast.Mod: (ast.FloorDiv,),
}  # fmt: skip
_COMPARISONS = {
    ast.Lt: (ast.LtE, ast.GtE), ast.LtE: (ast.Lt, ast.Gt), ast.Gt: (ast.GtE, ast.LtE),
    ast.GtE: (ast.Gt, ast.Lt), ast.Eq: (ast.NotEq,), ast.NotEq: (ast.Eq,),
    ast.Is: (ast.IsNot,), ast.IsNot: (ast.Is,), ast.In: (ast.NotIn,), ast.NotIn: (ast.In,),
}  # fmt: skip
_NON_COMMUTATIVE = (ast.Sub, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.MatMult)
_SYMBOLS = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Pow: "**",
    ast.MatMult: "@", ast.Mod: "%", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
    ast.Eq: "==", ast.NotEq: "!=", ast.Is: "is", ast.IsNot: "is not", ast.In: "in",
    ast.NotIn: "not in", ast.And: "and", ast.Or: "or",
}  # fmt: skip
# Calls whose removal leaves their first argument: conversions and value-preserving wrappers.
_WRAPPERS = frozenset({
    "np.asarray", "np.array", "np.asanyarray", "np.abs", "np.absolute", "np.sqrt", "np.clip",
    "np.squeeze", "np.ravel", "np.copy", "np.real", "np.float64", "float", "int", "abs", "list",
    "tuple", "round",
})  # fmt: skip
_METHOD_WRAPPERS = frozenset({"copy", "astype", "item", "ravel", "flatten", "squeeze"})
_AXES = {0: (1,), 1: (0,), -1: (0,)}
_SHAPE_INDICES = {0: (1, -1), 1: (0, -1), -1: (0, 1)}


def _dotted(node: ast.AST) -> str | None:
    """``np.linalg.inv`` for the call target ``np.linalg.inv``; None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _number(value: int | float | bool) -> ast.expr:
    """The expression of a number as the parser builds it (a negative one is ``-`` of it)."""
    if type(value) is not bool and value < 0:
        return ast.UnaryOp(op=ast.USub(), operand=ast.Constant(-value))
    return ast.Constant(value)


def _int_value(node: ast.AST) -> int | None:
    """The value of an integer literal (``-1`` included); None for anything else."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if _is_negation(node) and type(node.operand.value) is int:
        return -node.operand.value
    return None


def _is_literal(node: ast.AST | None) -> bool:
    return node is None or _int_value(node) is not None or isinstance(node, ast.Constant)


def _plus(node: ast.expr, delta: int) -> ast.expr:
    op = ast.Add() if delta > 0 else ast.Sub()
    return ast.BinOp(left=node, op=op, right=ast.Constant(abs(delta)))


def _raises(body: list[ast.stmt]) -> bool:
    return any(isinstance(s, ast.Raise) for s in body)


def _arithmetic(node: ast.AST) -> Iterator[_Change]:
    if isinstance(node, ast.BinOp):
        for op in _ARITHMETIC.get(type(node.op), ()):
            new = ast.BinOp(left=node.left, op=op(), right=node.right)
            yield _Change(node, new, "arithmetic", f"{_SYMBOLS[type(node.op)]} -> {_SYMBOLS[op]}")
    elif isinstance(node, ast.AugAssign):
        for op in _ARITHMETIC.get(type(node.op), ()):
            new = ast.AugAssign(target=node.target, op=op(), value=node.value)
            yield _Change(node, new, "arithmetic",
                          f"{_SYMBOLS[type(node.op)]}= -> {_SYMBOLS[op]}=")  # fmt: skip
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        yield _Change(node, node.operand, "arithmetic", "-x -> x")


def _comparison(node: ast.AST) -> Iterator[_Change]:
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            for swap in _COMPARISONS.get(type(op), ()):
                ops = [*node.ops[:i], swap(), *node.ops[i + 1 :]]
                new = ast.Compare(left=node.left, ops=ops, comparators=node.comparators)
                yield _Change(node, new, "comparison",
                              f"{_SYMBOLS[type(op)]} -> {_SYMBOLS[swap]}")  # fmt: skip


def _boolean(node: ast.AST) -> Iterator[_Change]:
    if isinstance(node, ast.BoolOp):
        swap = ast.Or if isinstance(node.op, ast.And) else ast.And
        new = ast.BoolOp(op=swap(), values=node.values)
        yield _Change(node, new, "boolean", f"{_SYMBOLS[type(node.op)]} -> {_SYMBOLS[swap]}")
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield _Change(node, node.operand, "boolean", "not x -> x")


def _constant(node: ast.AST, parent: ast.AST | None) -> Iterator[_Change]:
    if isinstance(node, ast.Constant) and _is_negation(parent):
        return  # the literal -c as a whole, below
    value = _int_value(node)
    if value is None and isinstance(node, ast.Constant) and type(node.value) in (bool, float):
        value = node.value
    elif value is None and _is_negation(node) and type(node.operand.value) is float:
        value = -node.operand.value
    if type(value) is bool:
        values = [not value]
    elif type(value) is int:
        values = [value + 1, value - 1]
    elif type(value) is float:
        values = [1.0] if value == 0 else [0.0, 2.0] if value == 1 else [value * 2, value / 2]
    else:
        return
    for new in values:
        yield _Change(node, _number(new), "constant", f"{value!r} -> {new!r}")


def _is_negation(node: ast.AST | None) -> bool:
    """``-c`` for a numeric literal c."""
    return (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant)
            and type(node.operand.value) in (int, float))  # fmt: skip


def _statement(node: ast.AST, parent: ast.AST | None) -> Iterator[_Change]:
    if not isinstance(node, ast.stmt) or isinstance(node, ast.Pass):
        return
    if isinstance(node, ast.If) and _raises(node.body):
        return  # the raise-check family deletes these
    if isinstance(node, ast.Raise) and isinstance(parent, ast.If) and len(parent.body) == 1:
        return  # `if c: pass` is `if c: raise` deleted, the raise-check family's mutant
    yield _Change(node, [ast.Pass()], "statement", "delete", text="pass")


def _raise_check(node: ast.AST, source: _Source) -> Iterator[_Change]:
    if isinstance(node, ast.If) and _raises(node.body) and not node.orelse:
        yield _Change(node, [ast.Pass()], "raise-check", "delete if-raise", text="pass")
    elif (isinstance(node, ast.Try) and node.handlers and not node.orelse and not node.finalbody
          and all(_raises(h.body) for h in node.handlers)):  # fmt: skip
        text = source.dedented(node.body, node.col_offset)
        yield _Change(node, list(node.body), "raise-check", "unwrap try", text=text)


def _call_wrapper(node: ast.AST) -> Iterator[_Change]:
    if not isinstance(node, ast.Call):
        return
    name = _dotted(node.func)
    if name in _WRAPPERS and node.args and not isinstance(node.args[0], ast.Starred):
        yield _Change(node, node.args[0], "call-wrapper", f"{name}(x) -> x")
    elif isinstance(node.func, ast.Attribute) and node.func.attr in _METHOD_WRAPPERS:
        yield _Change(node, node.func.value, "call-wrapper", f"x.{node.func.attr}() -> x")


def _axis(node: ast.AST) -> Iterator[_Change]:
    if isinstance(node, ast.Call):
        for kw in node.keywords:
            value = _int_value(kw.value) if kw.arg == "axis" else None
            for new in _AXES.get(value, ()) if value is not None else ():
                yield _Change(kw.value, _number(new), "axis", f"axis={value} -> axis={new}")
    elif isinstance(node, ast.Subscript) and _is_shape(node.value):
        value = _int_value(node.slice)
        for new in _SHAPE_INDICES.get(value, ()) if value is not None else ():
            yield _Change(node.slice, _number(new), "axis", f"shape[{value}] -> shape[{new}]")
    elif isinstance(node, ast.Attribute) and node.attr == "T":
        yield _Change(node, node.value, "axis", "x.T -> x")


def _is_shape(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "shape"


def _off_by_one(node: ast.AST) -> Iterator[_Change]:
    # Literal bounds and indices are the constant family's (n -> n+1, n-1).
    if isinstance(node, ast.Call) and _dotted(node.func) == "range" and not node.keywords:
        args = node.args
        stop = args[0] if len(args) == 1 else args[1] if len(args) >= 2 else None
        if len(args) >= 2 and not _is_literal(args[0]):
            yield _Change(args[0], _plus(args[0], 1), "off-by-one", "range start + 1")
        if stop is not None and not _is_literal(stop) and not isinstance(stop, ast.Starred):
            for delta in (1, -1):
                yield _Change(stop, _plus(stop, delta), "off-by-one", f"range stop {delta:+d}")
    elif isinstance(node, ast.Slice):
        if not _is_literal(node.lower):
            yield _Change(node.lower, _plus(node.lower, 1), "off-by-one", "slice start +1")
        if not _is_literal(node.upper):
            for delta in (1, -1):
                yield _Change(node.upper, _plus(node.upper, delta), "off-by-one",
                              f"slice stop {delta:+d}")  # fmt: skip
    elif (isinstance(node, ast.Subscript) and not _is_shape(node.value)
          and not isinstance(node.slice, ast.Slice | ast.Tuple)
          and not _is_literal(node.slice)):  # fmt: skip
        for delta in (1, -1):
            yield _Change(node.slice, _plus(node.slice, delta), "off-by-one", f"index {delta:+d}")


def _swap(node: ast.AST, source: _Source) -> Iterator[_Change]:
    if isinstance(node, ast.Call):
        args = node.args
        if (len(args) == 2 and not any(isinstance(a, ast.Starred) for a in args)
                and source.text(args[0]) != source.text(args[1])):  # fmt: skip
            new = ast.Call(func=node.func, args=[args[1], args[0]], keywords=node.keywords)
            yield _Change(node, new, "swap", "swap arguments")
    elif isinstance(node, ast.BinOp) and isinstance(node.op, _NON_COMMUTATIVE):
        if source.text(node.left) != source.text(node.right):
            new = ast.BinOp(left=node.right, op=node.op, right=node.left)
            yield _Change(node, new, "swap", "swap operands")
    elif (isinstance(node, ast.Assign) and len(node.targets) == 1
          and isinstance(node.targets[0], ast.Tuple)
          and len(node.targets[0].elts) == 2):  # fmt: skip
        first, second = node.targets[0].elts
        if source.text(first) != source.text(second):
            target = ast.Tuple(elts=[second, first], ctx=ast.Store())
            text = f"{source.text(second)}, {source.text(first)}"
            yield _Change(node.targets[0], target, "swap", "swap targets", text=text)


class _Source:
    """The reference's text as UTF-8 bytes (ast counts offsets in bytes): node texts, splicing."""

    def __init__(self, text: str) -> None:
        self.data = text.encode("utf-8")
        self.starts = [0]
        for line in self.data.splitlines(keepends=True):
            self.starts.append(self.starts[-1] + len(line))

    def span(self, node: ast.AST) -> tuple[int, int]:
        start = self.starts[node.lineno - 1] + node.col_offset
        return start, self.starts[node.end_lineno - 1] + node.end_col_offset

    def column(self, node: ast.AST) -> int:
        """The node's column in characters (0-based)."""
        start = self.starts[node.lineno - 1]
        return len(self.data[start : start + node.col_offset].decode("utf-8"))

    def text(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.data[start:end].decode("utf-8")

    def splice(self, node: ast.AST, text: str) -> str:
        start, end = self.span(node)
        return (self.data[:start] + text.encode("utf-8") + self.data[end:]).decode("utf-8")

    def dedented(self, body: list[ast.stmt], col: int) -> str:
        """The text of statements, moved left to start at column ``col`` (for unwrapping)."""
        start, _ = self.span(body[0])
        _, end = self.span(body[-1])
        shift = body[0].col_offset - col
        lines = self.data[start:end].decode("utf-8").split("\n")
        moved = [lines[0]] + [
            line[shift:] if line[:shift].isspace() else line for line in lines[1:]
        ]
        return "\n".join(moved)


def _parents(tree: ast.AST) -> dict[int, tuple[ast.AST, str, int | None]]:
    """For each node (by id): its parent, the field holding it, and its index in that field."""
    parents: dict[int, tuple[ast.AST, str, int | None]] = {}
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, ast.AST):
                        parents[id(item)] = (parent, name, i)
            elif isinstance(value, ast.AST):
                parents[id(value)] = (parent, name, None)
    return parents


def _replaced_dump(tree: ast.AST, parents: dict, change: _Change) -> str:
    """ast.dump of the tree with the change made (the tree is left as it was)."""
    parent, name, index = parents[id(change.target)]
    old = getattr(parent, name)
    if index is None:
        setattr(parent, name, change.new)
    else:
        new = change.new if isinstance(change.new, list) else [change.new]
        setattr(parent, name, [*old[:index], *new, *old[index + 1 :]])
    try:
        return ast.dump(tree)
    finally:
        setattr(parent, name, old)


def _excluded(node: ast.AST) -> bool:
    """Error messages are not mutated: what a raise raises, and f-strings."""
    return isinstance(node, ast.Raise | ast.JoinedStr)


def generate_mutants(source: str, assignment: str) -> list[Mutant]:
    """Every mutant of a reference solution's text, in the order of the file.

    Only nodes that lie inside a solution block are changed, by text splicing, so the rest of the
    file is kept byte for byte; each mutant is checked to parse to the intended tree (so a
    replacement that needs parentheses gets them), and a change that leaves the tree as it was,
    or repeats another mutant's file, is left out.
    """
    tree = ast.parse(source)
    spans = solution_spans(source)
    text = _Source(source)
    parents = _parents(tree)
    original_dump = ast.dump(tree)
    seen = {source}
    mutants: list[Mutant] = []

    def inside(node: ast.AST) -> bool:
        line = getattr(node, "lineno", None)
        if line is None:
            return False
        return any(begin < line and node.end_lineno < end for begin, end in spans)

    for function in tree.body:
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node, parent in _walk_mutable(function):
            if not inside(node):
                continue
            changes = [
                *_arithmetic(node), *_comparison(node), *_boolean(node), *_constant(node, parent),
                *_statement(node, parent), *_raise_check(node, text), *_call_wrapper(node),
                *_axis(node), *_off_by_one(node), *_swap(node, text),
            ]  # fmt: skip
            for change in changes:
                if not inside(change.target):
                    continue
                mutant = _make_mutant(change, text, tree, parents, original_dump, assignment,
                                      function)  # fmt: skip
                if mutant is not None and mutant.source not in seen:
                    seen.add(mutant.source)
                    mutants.append(mutant)
    return mutants


def _walk_mutable(root: ast.AST) -> Iterator[tuple[ast.AST, ast.AST | None]]:
    """Nodes in source order with their parent, leaving out error messages (see _excluded)."""
    stack: list[tuple[ast.AST, ast.AST | None]] = [(root, None)]
    while stack:
        node, parent = stack.pop()
        if _excluded(node):
            if isinstance(node, ast.Raise):
                yield node, parent  # the statement itself may still be deleted
            continue
        yield node, parent
        stack.extend((child, node) for child in reversed(list(ast.iter_child_nodes(node))))


def _make_mutant(
    change: _Change, text: _Source, tree: ast.AST, parents: dict, original_dump: str,
    assignment: str, function: ast.FunctionDef,
) -> Mutant | None:  # fmt: skip
    expected = _replaced_dump(tree, parents, change)
    if expected == original_dump:
        return None
    replacement = change.text if change.text is not None else ast.unparse(change.new)
    for candidate in (replacement, f"({replacement})"):
        mutated = text.splice(change.target, candidate)
        try:
            if ast.dump(ast.parse(mutated)) == expected:
                break
        except SyntaxError:
            continue
    else:
        return None
    target = change.target
    original, shown = text.text(target), candidate
    # A short change is shown in its context: `norms == 0` -> `norms == 1`, not `0` -> `1`.
    context = target
    while len(text.text(context)) < SHORT_CHARS or isinstance(context, ast.Slice | ast.Attribute):
        parent = parents.get(id(context), (None,))[0]
        if not hasattr(parent, "end_col_offset") or (
            isinstance(parent, ast.stmt) and parent.end_lineno != parent.lineno
        ):
            break
        (start, end), (c_start, c_end) = text.span(target), text.span(parent)
        if not (c_start <= start and end <= c_end and c_end - c_start <= MAX_SHOWN_CHARS):
            break
        context = parent
        data = text.data
        original = data[c_start:c_end].decode("utf-8")
        shown = (data[c_start:start] + candidate.encode() + data[end:c_end]).decode("utf-8")
    line, col = target.lineno, text.column(target)
    ident = mutant_id(assignment, function.name, f"{change.family}:{change.operator}",
                      line - function.lineno, col, candidate)  # fmt: skip
    return Mutant(
        id=ident, assignment=assignment, function=function.name, family=change.family,
        operator=change.operator, line=line, col=col + 1, original=original, replacement=shown,
        source=mutated,
    )  # fmt: skip


def sample_mutants(
    mutants: list[Mutant], k: int | None, seed: int, assignment: str
) -> list[Mutant]:
    """``k`` mutants drawn at random, reproducibly from ``seed`` (all of them when k is None)."""
    if k is None or k >= len(mutants):
        return list(mutants)
    chosen = set(random.Random(f"{assignment}:{seed}").sample(range(len(mutants)), k))
    return [m for i, m in enumerate(mutants) if i in chosen]


# -- probing a survivor -------------------------------------------------------------------------
Probe = tuple[str, tuple, dict]
"""One probe input: the function's name, its positional and its keyword arguments."""
PROBES_FILE = "probes.py"


@dataclass(frozen=True)
class ProbeResult:
    """What the probe of a survivor found: a verdict, and the input that told the two apart."""

    verdict: Verdict
    compared: int = 0  # inputs on which both were called and their outcomes compared
    skipped: int = 0  # inputs the reference itself did not answer (time limit, crash)
    call: str = ""  # the first input that told them apart, as a call
    reference: str = ""  # what the reference did there
    mutant: str = ""  # what the mutant did there
    note: str = ""
    index: int | None = None  # that input's position in probes(np.random.default_rng(PROBE_SEED))


@dataclass(frozen=True)
class _Outcome:
    """What one call did: returned a value, raised, ran out of time, crashed..."""

    kind: Literal["value", "raised", "timeout", "crashed", "unsupported", "missing"]
    value: Any = None
    error: Any = None  # the RemoteException, when it raised
    message: str = ""

    @property
    def text(self) -> str:
        from .formatting import format_value

        if self.kind == "value":
            return f"returned {format_value(self.value)}"
        if self.kind == "raised":
            message = _shown(self.error.message) if self.error.message else ""
            return f"raised {self.error.type}" + (f": {message}" if message else "")
        return self.message.splitlines()[0] if self.message else self.kind


def load_probes(assignment: str, *, hidden_dir: Path | None = None) -> list[Probe]:
    """The probe inputs of an assignment, from ``hidden/<assignment>/probes.py``.

    That module (the instructor's, trusted) defines ``probes(rng) -> list[(name, args, kwargs)]``:
    inputs only, never expected values. It is called with a generator seeded by PROBE_SEED, so
    the inputs are the same on every run. No file: no probes (every survivor is "not probed").
    """
    path = Path(hidden_dir or default_hidden_dir()) / assignment / PROBES_FILE
    if not path.is_file():
        return []
    spec = importlib.util.spec_from_file_location(f"aimath_probes_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    probes = list(module.probes(np.random.default_rng(PROBE_SEED)))
    for i, probe in enumerate(probes):
        if not (type(probe) is tuple and len(probe) == 3 and type(probe[0]) is str
                and type(probe[1]) is tuple and type(probe[2]) is dict):  # fmt: skip
            raise MutantsError(f"{path}: probe {i} is not a tuple (name, args tuple, kwargs dict)")
    return probes


def _call(
    box: Any, name: str, args: tuple, kwargs: dict, *, timeout_s: float, call: str
) -> _Outcome:
    from .errors import (
        CallTimeout,
        LoadFailed,
        MissingFunction,
        NotAttempted,
        ProtocolError,
        RemoteException,
        StudentRaised,
        UnsupportedReturn,
        WorkerCrashed,
    )

    try:
        value, _ = box.call(name, args, kwargs, timeout_s=timeout_s, call=call)
    except StudentRaised as exc:
        return _Outcome("raised", error=exc.exc)
    except NotAttempted:
        return _Outcome("raised", error=RemoteException("NotImplementedError", ""))
    except CallTimeout as exc:
        return _Outcome("timeout", message=str(exc))
    except (WorkerCrashed, ProtocolError, LoadFailed) as exc:
        return _Outcome("crashed", message=str(exc))
    except UnsupportedReturn as exc:
        return _Outcome("unsupported", message=str(exc))
    except MissingFunction as exc:
        return _Outcome("missing", message=str(exc))
    return _Outcome("value", value=value)


def probe_mutant(
    mutant: Path,
    reference: Path,
    module: str,
    probes: list[Probe],
    *,
    first: str | None = None,
    timeout_s: float | None = None,
    budget_s: float = PROBE_BUDGET_S,
    hide: tuple[Path, ...] | None = None,
) -> ProbeResult:
    """Call the mutant and the reference on every probe input and compare what they do.

    Both files are loaded in sandboxed workers of their own (copies in a scratch folder), so the
    comparison only ever sees plain data. The probes of ``first`` (the mutated function) come
    first; the first input on which the outcomes differ (see same_outcome) makes a "real gap",
    and no difference a "likely equivalent". Inputs the reference does not answer within its
    time limit are skipped; the probe stops after ``budget_s`` seconds.
    """
    from .formatting import format_call
    from .sandbox.process import Sandbox

    if timeout_s is None:
        timeout_s = ASSIGNMENTS[module].timeout_s if module in ASSIGNMENTS else DEFAULT_TIMEOUT_S
    numbered = list(enumerate(probes))
    ordered = [p for p in numbered if p[1][0] == first] + [p for p in numbered if p[1][0] != first]
    if not ordered:
        return ProbeResult("not probed", note=f"no probe inputs (add {PROBES_FILE})")
    if first is not None and not any(p[0] == first for p in probes):
        note = f"no probe inputs call {first} itself"
    else:
        note = ""
    compared = skipped = 0
    deadline = time.monotonic() + budget_s
    with tempfile.TemporaryDirectory(prefix="aimath-probe-") as tmp:
        paths = []
        for role, source in (("reference", reference), ("mutant", mutant)):
            folder = Path(tmp) / role
            folder.mkdir()
            os.chmod(folder, 0o755)  # the worker's unprivileged user must be able to enter it
            path = folder / f"{module}.py"
            path.write_bytes(Path(source).read_bytes())
            os.chmod(path, 0o644)
            paths.append(path)
        os.chmod(tmp, 0o755)
        with (
            Sandbox(paths[0], module, hide=hide) as expected_box,
            Sandbox(paths[1], module, hide=hide) as actual_box,
        ):
            for index, (name, args, kwargs) in ordered:
                if time.monotonic() > deadline:
                    untried = len(ordered) - compared - skipped
                    note = f"the probe stopped after {budget_s:g} s, {untried} inputs untried"
                    break
                call = format_call(name, args, kwargs)
                expected = _call(expected_box, name, args, kwargs, timeout_s=timeout_s, call=call)
                if expected.kind in ("timeout", "crashed"):
                    skipped += 1
                    continue
                actual = _call(actual_box, name, args, kwargs, timeout_s=timeout_s, call=call)
                compared += 1
                if not same_outcome(actual, expected):
                    return ProbeResult(
                        "real gap", compared, skipped, call=call, reference=expected.text,
                        mutant=actual.text, note=note, index=index,
                    )  # fmt: skip
    verdict: Verdict = "likely equivalent" if compared else "not probed"
    return ProbeResult(verdict, compared, skipped, note=note)


def same_outcome(actual: _Outcome, expected: _Outcome) -> bool:
    """True when two calls did the same as far as the contract can tell.

    Both raised, the actual exception being the expected one or a subclass of it (as
    check_raises accepts it); or both returned equal values (see same_value); or both failed the
    same way (an unsupported value, a missing function).
    """
    if actual.kind == expected.kind == "value":
        return same_value(actual.value, expected.value)
    if actual.kind == expected.kind == "raised":
        return actual.error.is_a(expected.error.type)
    return actual.kind == expected.kind and actual.kind in ("unsupported", "missing")


_ARRAY_CLASSES = {"b": "bool", "i": "real", "u": "real", "f": "real", "c": "complex"}


def same_value(
    actual: Any, expected: Any, *, rtol: float = PROBE_RTOL, atol: float = PROBE_ATOL
) -> bool:
    """True when two returned values are the same kind of thing, of the same shape, and close.

    Numbers (Python, numpy and sympy numbers, 0-d arrays) compare by value within ``atol + rtol *
    |expected|`` (NaN equal to NaN), as the graders' check_close does, and so do arrays, after
    their shapes and the class of their dtype (bool, integer or float, complex) are compared;
    lists and tuples, and dicts, compare item by item; sympy expressions by check_symbolic.
    """
    actual, expected = _plain(actual), _plain(expected)
    kind = _kind(expected)
    if _kind(actual) != kind:
        return False
    if kind == "number":
        if type(actual) is int and type(expected) is int:
            return actual == expected or _close(
                np.asarray(float(actual)), np.asarray(float(expected)), rtol, atol
            )
        return _close(np.asarray(actual), np.asarray(expected), rtol, atol)
    if kind == "array":
        if actual.shape != expected.shape:
            return False
        if _ARRAY_CLASSES.get(actual.dtype.kind) != _ARRAY_CLASSES.get(expected.dtype.kind):
            return False
        return _close(actual, expected, rtol, atol)
    if kind == "sequence":
        return len(actual) == len(expected) and all(
            same_value(a, e, rtol=rtol, atol=atol) for a, e in zip(actual, expected, strict=True)
        )
    if kind == "dict":
        return set(actual) == set(expected) and all(
            same_value(actual[k], expected[k], rtol=rtol, atol=atol) for k in expected
        )
    if kind == "sympy":
        from .checks import CheckError, check_symbolic

        try:
            check_symbolic(actual, expected, rtol=rtol, atol=atol)
        except CheckError:
            return False
        return True
    if kind in ("bool", "str"):
        return bool(actual == expected)
    return kind == "none"


def _plain(value: Any) -> Any:
    """Numbers as Python or numpy scalars: sympy numbers as floats, 0-d arrays as scalars."""
    if type(value) is np.ndarray and value.ndim == 0:
        return value[()]
    if str(getattr(type(value), "__module__", "")).startswith("sympy.") and getattr(
        value, "is_Number", False
    ):
        import sympy

        if value is sympy.S.NaN:
            return math.nan
        if not value.is_extended_real:
            return complex(value)
        return float(value)
    return value


def _kind(value: Any) -> str:
    if value is None:
        return "none"
    if type(value) is bool or isinstance(value, np.bool_):
        return "bool"
    if type(value) in (int, float, complex) or isinstance(value, np.number):
        return "number"
    if type(value) is np.ndarray:
        return "array"
    if type(value) in (list, tuple):
        return "sequence"
    if type(value) is dict:
        return "dict"
    if type(value) is str:
        return "str"
    if str(getattr(type(value), "__module__", "")).startswith("sympy."):
        return "sympy"
    return f"other {type(value).__name__}"


def _close(actual: np.ndarray, expected: np.ndarray, rtol: float, atol: float) -> bool:
    dtype = np.result_type(actual.dtype, expected.dtype, np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        return bool(np.allclose(actual.astype(dtype), expected.astype(dtype), rtol=rtol,
                                atol=atol, equal_nan=True))  # fmt: skip


# -- grading one mutant -------------------------------------------------------------------------
MAX_MESSAGE_CHARS = 1500


@dataclass(frozen=True)
class MutantOutcome:
    """How one mutant fared: killed (by which test), survived (with the probe's verdict), error."""

    id: str
    status: Status
    score: float = 0.0
    max_score: float = 0.0
    killed_by: str = ""  # the first test that did not pass, "1.3 hadamard: ..."
    message: str = ""  # that test's feedback, or why the mutant could not be graded
    probe: ProbeResult | None = None
    duration_s: float = 0.0

    @property
    def verdict(self) -> Verdict:
        return self.probe.verdict if self.probe is not None else ""

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> MutantOutcome:
        probe = data.get("probe")
        return cls(**{**data, "probe": ProbeResult(**probe) if probe else None})


def grade_mutant(
    source: str,
    assignment: str,
    ident: str,
    *,
    function: str | None = None,
    student: str = STUDENT,
    solutions_dir: Path | None = None,
    hidden_dir: Path | None = None,
    probe: bool = True,
    timeout_s: float | None = None,
) -> MutantOutcome:
    """Grade a mutant's text with the public and hidden tests; probe it if it survives.

    The mutant is written as ``<assignment>.py`` into a scratch folder and graded like a
    submission (sandboxed, within the time limits: ``timeout_s`` replaces the catalog's time limit
    per call); grading stops at the first test that does not pass, which kills it, so a mutant
    that loops costs one call's time limit.
    """
    from .plugin import GraderError, run_graders
    from .seeds import config_dir

    solutions_dir = Path(solutions_dir or default_solutions_dir())
    hidden_dir = Path(hidden_dir or default_hidden_dir())
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="aimath-mutant-") as tmp:
        folder = Path(tmp) / "mutant"
        folder.mkdir()
        path = folder / f"{assignment}.py"
        path.write_text(source, encoding="utf-8")
        try:
            results = run_graders(
                folder, [assignment], hidden=True, student=student, solutions=solutions_dir,
                hidden_tests=hidden_dir, timeout_s=timeout_s, extra_args=("-x",),
            )  # fmt: skip
        except GraderError as exc:
            return MutantOutcome(ident, "error", message=str(exc)[:MAX_MESSAGE_CHARS],
                                 duration_s=time.monotonic() - started)  # fmt: skip
        score = sum(r.score for r in results)
        max_score = sum(r.max_score for r in results)
        lost = next((r for r in results if r.status != "passed"), None)
        fields = dict(score=score, max_score=max_score)
        if lost is not None:
            status: Status = "error" if lost.status == "error" else "killed"
            return MutantOutcome(
                ident, status, **fields, killed_by=f"{lost.number} {lost.name}: {lost.status}",
                message=lost.output[:MAX_MESSAGE_CHARS], duration_s=time.monotonic() - started,
            )  # fmt: skip
        if not results:
            return MutantOutcome(ident, "error", message="no test ran",
                                 duration_s=time.monotonic() - started)  # fmt: skip
        result = None
        if probe:
            hide = (solutions_dir, GRADERS_DIR, hidden_dir, config_dir())
            result = probe_mutant(path, solutions_dir / f"{assignment}.py", assignment,
                                  load_probes(assignment, hidden_dir=hidden_dir), first=function,
                                  timeout_s=timeout_s, hide=hide)  # fmt: skip
    return MutantOutcome(ident, "survived", **fields, probe=result,
                         duration_s=time.monotonic() - started)  # fmt: skip


def grade_mutant_payload(payload: str) -> str:
    """Grade one mutant in a pool process: JSON text in (the task), JSON text out (the outcome).

    A task with ``reference`` set grades the reference instead (see check_reference).
    """
    task = json.loads(payload)
    try:
        if task.get("reference"):
            outcome = check_reference(
                task["assignment"], student=task["student"], timeout_s=task["timeout_s"],
                solutions_dir=Path(task["solutions"]), hidden_dir=Path(task["hidden"]),
            )  # fmt: skip
            return json.dumps(outcome.as_dict())
        outcome = grade_mutant(
            task["source"], task["assignment"], task["id"], function=task["function"],
            student=task["student"], solutions_dir=Path(task["solutions"]),
            hidden_dir=Path(task["hidden"]), probe=task["probe"], timeout_s=task["timeout_s"],
        )  # fmt: skip
    except MutantsError as exc:
        outcome = MutantOutcome(task["id"], "error", message=str(exc))
    except Exception as exc:  # the grader's fault: reported, never raised across processes
        outcome = MutantOutcome(task["id"], "error", message=f"{type(exc).__name__}: {exc}")
    return json.dumps(outcome.as_dict())


def check_reference(
    assignment: str, *, student: str = STUDENT, solutions_dir: Path, hidden_dir: Path,
    timeout_s: float | None = None,
) -> MutantOutcome:  # fmt: skip
    """Grade the reference itself: mutants mean something only if it gets full marks."""
    from .plugin import GraderError, run_graders

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="aimath-reference-") as tmp:
        folder = Path(tmp) / "reference"
        folder.mkdir()
        (folder / f"{assignment}.py").write_bytes((solutions_dir / f"{assignment}.py").read_bytes())
        try:
            results = run_graders(folder, [assignment], hidden=True, student=student,
                                  solutions=solutions_dir, hidden_tests=hidden_dir,
                                  timeout_s=timeout_s)  # fmt: skip
        except GraderError as exc:
            raise MutantsError(f"the graders of {assignment} cannot run: {exc}") from None
    lost = [r for r in results if r.status != "passed"]
    score, max_score = sum(r.score for r in results), sum(r.max_score for r in results)
    if lost or not results:
        names = "; ".join(f"{r.number} {r.name}: {r.status}" for r in lost[:5]) or "no tests"
        raise MutantsError(
            f"the reference solution of {assignment} gets {score:g}/{max_score:g} points "
            f"({names}): mutants can only be judged by graders that give it full marks"
        )
    return MutantOutcome(_reference_id(assignment), "survived", score=score, max_score=max_score,
                         duration_s=time.monotonic() - started)  # fmt: skip


# -- marks ---------------------------------------------------------------------------------------
_ID_RE = re.compile(rf"^[0-9a-f]{{{ID_CHARS}}}$")


def marks_files(assignment: str, *, marks_dir: Path | None = None,
                hidden_dir: Path | None = None) -> list[Path]:  # fmt: skip
    """Where an assignment's marks may be: next to its public graders, then its hidden ones."""
    folders = (Path(marks_dir or GRADERS_DIR) / assignment,
               Path(hidden_dir or default_hidden_dir()) / assignment)  # fmt: skip
    return [folder / name for folder in folders for name in MARKS_FILES]


def load_marks(assignment: str, *, marks_dir: Path | None = None,
               hidden_dir: Path | None = None) -> dict[str, str]:  # fmt: skip
    """The mutants an instructor marked equivalent: id -> reason, from every marks file there is.

    A marks file maps mutant ids to reasons, in TOML (``"5c0cc07b8ed7" = "why"``) or JSON
    (``{"5c0cc07b8ed7": "why"}``). MutantsError for a file that cannot be read, a key that is not
    a mutant id, or a reason that is not a non-empty string.
    """
    marks: dict[str, str] = {}
    for path in marks_files(assignment, marks_dir=marks_dir, hidden_dir=hidden_dir):
        if not path.is_file():
            continue
        try:
            if path.suffix == ".json":
                data = json.loads(path.read_text(encoding="utf-8"))
            else:
                data = _read_toml(path)
        except (ValueError, OSError) as exc:
            raise MutantsError(f"{path} cannot be read: {exc}") from None
        if type(data) is not dict:
            raise MutantsError(f"{path} must map mutant ids to reasons")
        for key, reason in data.items():
            if not _ID_RE.match(key):
                raise MutantsError(f"{path}: {key!r} is not a mutant id ({ID_CHARS} hex digits)")
            if type(reason) is not str or not reason.strip():
                raise MutantsError(f"{path}: the reason for {key} must be a non-empty string")
            marks[key] = reason.strip()
    return marks


def _read_toml(path: Path) -> Any:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib
        except ModuleNotFoundError:
            raise MutantsError(
                f"{path}: reading TOML needs Python 3.11 (or tomli); use "
                f"{path.with_suffix('.json').name} instead"
            ) from None
    return tomllib.loads(path.read_text(encoding="utf-8"))


# -- the outcome store ---------------------------------------------------------------------------
STORE_SCHEMA = """
CREATE TABLE IF NOT EXISTS outcomes (
    mutant_id TEXT NOT NULL,
    version TEXT NOT NULL,
    assignment TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('killed', 'survived', 'error')),
    outcome TEXT NOT NULL,
    graded_at TEXT NOT NULL,
    PRIMARY KEY (mutant_id, version)
);
"""


class OutcomeStore:
    """Graded mutants in SQLite (WAL mode), by mutant id and version; written by one process."""

    def __init__(self, path: Path) -> None:
        from .gradebook import make_private_file

        self.path = Path(path)
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(STORE_SCHEMA)
        make_private_file(self.path)

    def get(self, mutant_id: str, version: str) -> MutantOutcome | None:
        row = self.db.execute(
            "SELECT outcome FROM outcomes WHERE mutant_id = ? AND version = ?", (mutant_id, version)
        ).fetchone()
        return MutantOutcome.from_dict(json.loads(row[0])) if row else None

    def put(self, assignment: str, outcome: MutantOutcome, version: str) -> None:
        graded_at = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        self.db.execute(
            "INSERT OR REPLACE INTO outcomes VALUES (?, ?, ?, ?, ?, ?)",
            (outcome.id, version, assignment, outcome.status, json.dumps(outcome.as_dict()),
             graded_at),
        )  # fmt: skip

    def close(self) -> None:
        self.db.close()


def mutants_version(
    assignment: str, *, student: str = STUDENT, solutions_dir: Path | None = None,
    hidden_dir: Path | None = None, timeout_s: float | None = None,
) -> str:  # fmt: skip
    """sha256 over what decides a mutant's outcome besides its text: the grader version (the
    engine, the graders, the reference, the probes, the secret, the time limit per call), this
    module and the student id."""
    from .gradebook import grader_version

    digest = hashlib.sha256()
    digest.update(grader_version(assignment, solutions_dir=solutions_dir, hidden_dir=hidden_dir,
                                 timeout_s=timeout_s).encode())  # fmt: skip
    digest.update(Path(__file__).read_bytes())
    digest.update(f"\0{student}".encode())
    return digest.hexdigest()


# -- a run ---------------------------------------------------------------------------------------
@dataclass
class AssignmentMutants:
    """One assignment's mutants in a run: all generated, those graded, their outcomes, the marks."""

    assignment: str
    reference: str  # the reference's text
    generated: list[Mutant]
    graded: list[Mutant]
    marks: dict[str, str]
    version: str
    sample: int | None = None
    seed: int = 0
    outcomes: dict[str, MutantOutcome] = field(default_factory=dict)
    new: int = 0  # graded by this run (the others were in the store)
    by_id: bool = False  # the mutants graded were named by id

    def is_marked(self, mutant: Mutant) -> bool:
        return mutant.id in self.marks and self.outcomes[mutant.id].status == "survived"

    def unmarked_survivors(self) -> list[Mutant]:
        return [m for m in self.graded
                if self.outcomes[m.id].status == "survived" and m.id not in self.marks]  # fmt: skip

    def errors(self) -> list[Mutant]:
        return [m for m in self.graded if self.outcomes[m.id].status == "error"]

    def counts(self) -> dict[str, int]:
        """Counts: generated, graded, killed, survived, marked, likely_equivalent, gaps,
        not_probed, errors."""
        outcomes = [self.outcomes[m.id] for m in self.graded]
        unmarked = [self.outcomes[m.id] for m in self.unmarked_survivors()]
        return {
            "generated": len(self.generated),
            "graded": len(self.graded),
            "killed": sum(o.status == "killed" for o in outcomes),
            "survived": sum(o.status == "survived" for o in outcomes),
            "marked": sum(self.is_marked(m) for m in self.graded),
            "likely_equivalent": sum(o.verdict == "likely equivalent" for o in unmarked),
            "gaps": sum(o.verdict == "real gap" for o in unmarked),
            "not_probed": sum(o.verdict in ("", "not probed") for o in unmarked),
            "errors": sum(o.status == "error" for o in outcomes),
        }

    @property
    def kill_rate(self) -> float | None:
        """killed / (graded - marked equivalent); None when nothing counts."""
        counts = self.counts()
        total = counts["graded"] - counts["marked"]
        return counts["killed"] / total if total else None

    def stale_marks(self) -> list[str]:
        """Marked ids that are no mutant of the current reference (it changed: mark them again)."""
        ids = {m.id for m in self.generated}
        return sorted(k for k in self.marks if k not in ids)

    def marked_but_killed(self) -> list[Mutant]:
        return [m for m in self.graded
                if m.id in self.marks and self.outcomes[m.id].status == "killed"]  # fmt: skip


@dataclass
class MutantsRun:
    """What ``aimath mutants`` did: per assignment, its mutants and outcomes; the files written."""

    results: list[AssignmentMutants]
    written: list[Path] = field(default_factory=list)

    @property
    def exit_status(self) -> int:
        """0 when every survivor is marked equivalent and nothing broke; 1 otherwise."""
        bad = any(r.unmarked_survivors() or r.errors() for r in self.results)
        return 1 if bad else 0


Progress = Callable[[int], Callable[[Mutant, MutantOutcome], None]]
"""``progress(total)`` is called once with the number of mutants to grade and returns the
function called with each mutant and its outcome as it is graded."""


def run_mutants(
    assignments: Iterable[str],
    *,
    jobs: int = 1,
    sample: int | None = None,
    seed: int = 0,
    report: Path = Path("mutants"),
    only: Iterable[str] = (),
    force: bool = False,
    student: str = STUDENT,
    solutions_dir: Path | None = None,
    hidden_dir: Path | None = None,
    marks_dir: Path | None = None,
    call_timeout_s: float | None = None,
    progress: Progress | None = None,
) -> MutantsRun:
    """Generate, grade and probe the mutants of ``assignments``; write the reports.

    ``sample`` mutants per assignment are drawn with ``seed`` (None: all of them), or the ones
    whose ids are in ``only``. Outcomes already in the report folder's store, for the same
    version, are reused (``force`` grades again). ``jobs`` > 1 grades in that many pool
    processes; 1 grades here, one mutant after the other. ``call_timeout_s`` replaces the
    catalog's time limit per call (a looping mutant costs that much). Every outcome is stored as
    soon as it is known, so an interrupted run (KeyboardInterrupt) loses nothing: run it again.
    The references are graded first (in the pool too): MutantsError unless they get full marks.
    """
    from .gradebook import make_private_dir

    solutions_dir = Path(solutions_dir or default_solutions_dir()).resolve()
    hidden_dir = Path(hidden_dir or default_hidden_dir()).resolve()
    names = list(assignments) or list(ASSIGNMENTS)
    for name in names:
        if name not in ASSIGNMENTS:
            raise MutantsError(f"unknown assignment {name!r} (known: {', '.join(ASSIGNMENTS)})")
    if sample is not None and sample < 1:
        raise MutantsError(f"--sample must be at least 1, not {sample}")
    layout = ReportLayout(Path(report))
    make_private_dir(layout.folder)
    ignore = layout.folder / ".gitignore"
    if not ignore.exists():  # the reports quote the solutions: keep them out of git
        ignore.write_text("# written by aimath mutants: the reports quote the solutions\n*\n")
    store = OutcomeStore(layout.store)
    only = set(only)
    try:
        results, tasks = [], []
        for name in names:
            result = _prepare(name, sample=sample, seed=seed, only=only, student=student,
                              solutions_dir=solutions_dir, hidden_dir=hidden_dir,
                              marks_dir=marks_dir, timeout_s=call_timeout_s)  # fmt: skip
            results.append(result)
            common = {"assignment": name, "student": student, "solutions": str(solutions_dir),
                      "hidden": str(hidden_dir), "timeout_s": call_timeout_s}  # fmt: skip
            if store.get(_reference_id(name), result.version) is None:
                # The reference must get full marks first: graded in the pool, before the mutants.
                payload = json.dumps({**common, "reference": True, "id": _reference_id(name)})
                tasks.insert(sum(t[1] is None for t in tasks), (result, None, payload))
            for mutant in result.graded:
                cached = None if force else store.get(mutant.id, result.version)
                if cached is not None and not (cached.status == "survived" and cached.probe is None
                                               and mutant.id not in result.marks):  # fmt: skip
                    result.outcomes[mutant.id] = cached
                    continue
                task = {**common, "id": mutant.id, "function": mutant.function,
                        "source": mutant.source,
                        "probe": mutant.id not in result.marks}  # fmt: skip
                tasks.append((result, mutant, json.dumps(task)))
        total = sum(mutant is not None for _, mutant, _ in tasks)
        update = progress(total) if progress is not None else None
        for (result, mutant), answer in _execute(tasks, jobs=jobs):
            if mutant is None:  # the reference's own grading
                outcome = _answer_outcome(_reference_id(result.assignment), answer)
                if outcome.status != "survived":
                    raise MutantsError(outcome.message)
                store.put(result.assignment, outcome, result.version)
                continue
            outcome = _answer_outcome(mutant.id, answer)
            store.put(result.assignment, outcome, result.version)
            result.outcomes[mutant.id] = outcome
            result.new += 1
            if update is not None:
                update(mutant, outcome)
    finally:
        store.close()
    run = MutantsRun(results)
    run.written = write_reports(run, layout)
    return run


def read_reference(assignment: str, *, solutions_dir: Path | None = None) -> str:
    """The text of an assignment's reference solution; MutantsError when there is none."""
    if assignment not in ASSIGNMENTS:
        raise MutantsError(f"unknown assignment {assignment!r} (known: {', '.join(ASSIGNMENTS)})")
    path = Path(solutions_dir or default_solutions_dir()) / f"{assignment}.py"
    if not path.is_file():
        raise MutantsError(
            f"no reference solution at {path} (give the course folder with --course, or set "
            "AIMATH_COURSE: mutants are made from the instructor's solutions)"
        )
    return path.read_text(encoding="utf-8")


def list_mutants(assignments: Iterable[str], *, solutions_dir: Path | None = None) -> list[Mutant]:
    """Every mutant of the assignments' references (all assignments when none is given)."""
    names = list(assignments) or list(ASSIGNMENTS)
    texts = {n: read_reference(n, solutions_dir=solutions_dir) for n in names}
    return [m for n in names for m in generate_mutants(texts[n], n)]


def _prepare(name: str, *, sample: int | None, seed: int, only: set[str], student: str,
             solutions_dir: Path, hidden_dir: Path, marks_dir: Path | None,
             timeout_s: float | None) -> AssignmentMutants:  # fmt: skip
    reference = read_reference(name, solutions_dir=solutions_dir)
    generated = generate_mutants(reference, name)
    chosen = ([m for m in generated if m.id in only] if only
              else sample_mutants(generated, sample, seed, name))  # fmt: skip
    marks = load_marks(name, marks_dir=marks_dir, hidden_dir=hidden_dir)
    version = mutants_version(name, student=student, solutions_dir=solutions_dir,
                              hidden_dir=hidden_dir, timeout_s=timeout_s)  # fmt: skip
    return AssignmentMutants(name, reference, generated, chosen, marks, version, sample=sample,
                             seed=seed, by_id=bool(only))  # fmt: skip


def _reference_id(assignment: str) -> str:
    return f"reference:{assignment}"


Key = tuple[AssignmentMutants, "Mutant | None"]


def _execute(tasks: list[tuple[AssignmentMutants, Mutant | None, str]], *,
             jobs: int) -> Iterator[tuple[Key, str | BaseException]]:  # fmt: skip
    """Each task's answer (JSON text) or the exception its pool process died of, as they come
    (a task without a mutant grades the reference)."""
    if jobs <= 1 or len(tasks) <= 1:
        for result, mutant, payload in tasks:
            yield (result, mutant), grade_mutant_payload(payload)
        return
    from .batch import Task, run_local

    keys: dict[str, Key] = {}
    pending = []
    for result, mutant, payload in tasks:
        key = mutant.id if mutant is not None else _reference_id(result.assignment)
        keys[key] = (result, mutant)
        pending.append(Task(student=key, source=result.assignment, files={}, remove=[],
                            payload=payload))  # fmt: skip
    for task, answer in run_local(iter(pending), jobs=jobs, fn=grade_mutant_payload):
        yield keys[task.student], answer


def _answer_outcome(ident: str, answer: str | BaseException) -> MutantOutcome:
    if isinstance(answer, BaseException):
        return MutantOutcome(ident, "error", message=f"the grading process died: {answer!r}")
    try:
        return MutantOutcome.from_dict(json.loads(answer))
    except (ValueError, TypeError, KeyError) as exc:
        return MutantOutcome(ident, "error", message=f"unreadable answer: {exc}")


# -- reports -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReportLayout:
    """Where a run's files go: ``--report`` names a folder (one markdown and one JSON file per
    assignment, and summary.json) or a markdown file (all assignments in it, JSON beside it)."""

    path: Path

    @property
    def single(self) -> bool:
        return self.path.suffix == ".md"

    @property
    def folder(self) -> Path:
        return self.path.parent if self.single else self.path

    @property
    def store(self) -> Path:
        return self.folder / "mutants.sqlite"


def write_reports(run: MutantsRun, layout: ReportLayout) -> list[Path]:
    """Write the markdown report(s) and the JSON summary; return the paths written."""
    from .gradebook import write_atomic

    written = []
    if layout.single:
        text = "\n\n".join(render_markdown(r) for r in run.results)
        write_atomic(layout.path, text)
        data = {r.assignment: summary_dict(r) for r in run.results}
        json_path = layout.path.with_suffix(".json")
        write_atomic(json_path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return [layout.path, json_path]
    summary_path = layout.folder / "summary.json"
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        summary = {}
    summary = summary if type(summary) is dict else {}
    for result in run.results:
        md_path = layout.folder / f"{result.assignment}.md"
        json_path = layout.folder / f"{result.assignment}.json"
        write_atomic(md_path, render_markdown(result))
        data = summary_dict(result)
        write_atomic(json_path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        keys = ("counts", "kill_rate", "sample", "seed", "unmarked_survivors")
        summary[result.assignment] = {k: data[k] for k in keys}
        written += [md_path, json_path]
    ordered = {a: summary[a] for a in sorted(summary, key=_catalog_order)}
    write_atomic(summary_path, json.dumps(ordered, indent=2, ensure_ascii=False) + "\n")
    return [*written, summary_path]


def _catalog_order(name: str) -> int:
    names = list(ASSIGNMENTS)
    return names.index(name) if name in names else len(names)


def _percent(rate: float | None) -> str:
    return "n/a" if rate is None else f"{100 * rate:.1f}%"


def summary_dict(result: AssignmentMutants) -> dict:
    """The JSON summary of one assignment: counts, kill rate, and every graded mutant."""
    mutants = []
    for m in result.graded:
        outcome = result.outcomes[m.id]
        mutants.append({
            "id": m.id, "function": m.function, "family": m.family, "operator": m.operator,
            "line": m.line, "col": m.col, "description": m.description, "status": outcome.status,
            "verdict": outcome.verdict, "marked": result.marks.get(m.id),
            "killed_by": outcome.killed_by or None,
            "probe": dataclasses.asdict(outcome.probe) if outcome.probe else None,
            "message": outcome.message if outcome.status == "error" else None,
        })  # fmt: skip
    return {
        "assignment": result.assignment,
        "reference": f"solutions/{result.assignment}.py",
        "version": result.version,
        "sample": result.sample,
        "seed": result.seed,
        "counts": result.counts(),
        "kill_rate": result.kill_rate,
        "unmarked_survivors": [m.id for m in result.unmarked_survivors()],
        "stale_marks": result.stale_marks(),
        "mutants": mutants,
    }


def render_markdown(result: AssignmentMutants) -> str:
    """The markdown report of one assignment: counts, kill rate, every survivor with its diff."""
    counts = result.counts()
    name = result.assignment
    if result.by_id:
        how = f"the {counts['graded']} named by --id"
    elif result.sample is not None and counts["graded"] < counts["generated"]:
        how = f"a sample of {counts['graded']} (--sample {result.sample} --seed {result.seed})"
    else:
        how = "all of them"
    lines = [
        f"# Mutants of {name}",
        "",
        f"{counts['generated']} mutants of `solutions/{name}.py` generated, {how} graded with the "
        f"public and hidden tests (as student `{STUDENT}`; version `{result.version[:12]}`). A "
        "mutant is killed when it loses any point; a survivor is probed against the reference "
        f"on the inputs of `hidden/{name}/{PROBES_FILE}`.",
        "",
        "| generated | graded | killed | survived | marked equivalent | likely equivalent "
        "| real gaps | not probed | errors | kill rate |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {counts['generated']} | {counts['graded']} | {counts['killed']} | "
        f"{counts['survived']} | {counts['marked']} | {counts['likely_equivalent']} | "
        f"{counts['gaps']} | {counts['not_probed']} | {counts['errors']} | "
        f"{_percent(result.kill_rate)} |",
        "",
        "Kill rate = killed / (graded - marked equivalent).",
    ]
    survivors = result.unmarked_survivors()
    sections = [
        ("Real gaps", "The graders give these wrong solutions full marks: add a test with the "
         "input shown.", [m for m in survivors if result.outcomes[m.id].verdict == "real gap"]),
        ("Likely equivalent", "No probe input tells these apart from the reference: verify, then "
         f"mark them in `autograder/graders/{name}/equivalent_mutants.toml` with a reason, or "
         "add a probe input and a test.",
         [m for m in survivors if result.outcomes[m.id].verdict != "real gap"]),
    ]  # fmt: skip
    for title, advice, mutants in sections:
        if not mutants:
            continue
        lines += ["", f"## {title} ({len(mutants)})", "", advice]
        for m in mutants:
            lines += ["", *_survivor_lines(m, result.outcomes[m.id], result.reference)]
    errors = result.errors()
    if errors:
        lines += ["", f"## Errors ({len(errors)})", "", "These could not be graded (the grader "
                  "broke): they count as not killed."]  # fmt: skip
        for m in errors:
            message = result.outcomes[m.id].message.strip() or "(no message)"
            lines += ["", f"### `{m.id}` {m.description}", "", "```", message, "```"]
    marked = [m for m in result.graded if result.is_marked(m)]
    if marked:
        lines += ["", f"## Marked equivalent ({len(marked)})", ""]
        lines += [f"- `{m.id}` {_md(m.description)}: {result.marks[m.id]}" for m in marked]
    warnings = [f"- `{m.id}` is marked equivalent but was killed "
                f"({result.outcomes[m.id].killed_by}): remove the mark"
                for m in result.marked_but_killed()]  # fmt: skip
    warnings += [f"- `{k}` is marked but is no mutant of the current reference (it changed?)"
                 for k in result.stale_marks()]  # fmt: skip
    if warnings:
        lines += ["", "## Marks to look at", "", *warnings]
    killed = [m for m in result.graded if result.outcomes[m.id].status == "killed"]
    if killed:
        lines += ["", f"## Killed ({len(killed)})", "", "| mutant | change | killed by |",
                  "| --- | --- | --- |"]  # fmt: skip
        lines += [f"| `{m.id}` | {_md(m.description)} | {_md(result.outcomes[m.id].killed_by)} |"
                  for m in killed]  # fmt: skip
    return "\n".join(lines) + "\n"


def _survivor_lines(mutant: Mutant, outcome: MutantOutcome, reference: str) -> list[str]:
    lines = [f"### `{mutant.id}` {mutant.description}", ""]
    probe = outcome.probe
    if probe is None:
        lines.append("Not probed.")
    elif probe.verdict == "real gap":
        where = (
            f" (probe input {probe.index} of `{PROBES_FILE}`)" if probe.index is not None else ""
        )
        lines += [
            f"Told apart by `{probe.call}`{where}:",
            "",
            f"- reference: {probe.reference}",
            f"- mutant: {probe.mutant}",
        ]
    else:
        lines.append(f"{probe.verdict.capitalize()}: the same on all {probe.compared} probe "
                     f"inputs ({probe.skipped} skipped).")  # fmt: skip
    if probe is not None and probe.note:
        lines += ["", f"Note: {probe.note}."]
    return [*lines, "", "```diff", mutant.diff(reference).rstrip("\n"), "```"]


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def print_mutants_summary(run: MutantsRun, console: Any) -> None:
    """The run on a terminal (rich): a table of counts per assignment, then every unmarked
    survivor and every error, then the files written."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Mutants", title_justify="left", box=box.SIMPLE)
    for column in ("assignment", "graded", "killed", "survived", "marked", "to check",
                   "kill rate"):  # fmt: skip
        left = column == "assignment"
        table.add_column(column, justify="left" if left else "right", no_wrap=left)
    for r in run.results:
        c = r.counts()
        to_check = len(r.unmarked_survivors()) + len(r.errors())
        style = "bold red" if to_check else "green"
        table.add_row(
            r.assignment, f"{c['graded']}/{c['generated']}", str(c["killed"]), str(c["survived"]),
            str(c["marked"]), Text(str(to_check), style=style),
            Text(_percent(r.kill_rate), style=style),
        )  # fmt: skip
    console.print(table)
    for r in run.results:
        for m in r.unmarked_survivors():
            outcome = r.outcomes[m.id]
            label = outcome.verdict or "not probed"
            style = "bold red" if label == "real gap" else "yellow"
            console.print(Text(f"{m.id} {label}: {m.description}", style=style), soft_wrap=True)
            if outcome.probe is not None and outcome.probe.verdict == "real gap":
                p = outcome.probe
                console.print(Text(f"    probe input {p.index}: {p.call}\n      reference: "
                                   f"{p.reference}\n      mutant:    {p.mutant}"),
                              soft_wrap=True)  # fmt: skip
        for m in r.errors():
            message = r.outcomes[m.id].message.strip().splitlines()
            console.print(Text(f"{m.id} ERROR: {m.description}: "
                               f"{message[0] if message else ''}", style="bold magenta"),
                          soft_wrap=True)  # fmt: skip
        for k in r.stale_marks():
            console.print(Text(f"{r.assignment}: {k} is marked but no longer a mutant",
                               style="yellow"), soft_wrap=True)  # fmt: skip
        for m in r.marked_but_killed():
            console.print(Text(f"{m.id} is marked equivalent but was killed: remove the mark",
                               style="yellow"), soft_wrap=True)  # fmt: skip
    if run.written:
        console.print(f"report: {', '.join(str(p) for p in run.written)}", soft_wrap=True,
                      highlight=False)  # fmt: skip


class MutantsProgress:
    """A rich progress bar with ETA on a terminal; otherwise one line per graded mutant.

    >>> with MutantsProgress(console) as progress:
    ...     run_mutants(["lec01_vectors"], progress=progress.start)
    """

    def __init__(self, console: Any) -> None:
        self.console = console
        self.bar: Any = None
        self.task: Any = None
        self.done = 0
        self.total = 0

    def __enter__(self) -> MutantsProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def start(self, total: int) -> Callable[[Mutant, MutantOutcome], None]:
        self.total = total
        if self.console.is_terminal and total:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                TextColumn("mutants"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                TextColumn("ETA"), TimeRemainingColumn(), TextColumn("{task.description}"),
                console=self.console,
            )  # fmt: skip
            self.task = self.bar.add_task("", total=total)
            self.bar.start()
        return self.update

    def update(self, mutant: Mutant, outcome: MutantOutcome) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update(self.task, advance=1, description=mutant.id)
            return
        width = len(str(self.total))
        verdict = f", {outcome.verdict}" if outcome.verdict else ""
        self.console.print(
            f"[{self.done:>{width}}/{self.total}] {mutant.id} {outcome.status}{verdict}: "
            f"{mutant.description}", soft_wrap=True, markup=False, highlight=False,
        )  # fmt: skip
