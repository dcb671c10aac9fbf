"""nbgrader: an assignment as an nbgrader course (both ways), and aimath's scores in its gradebook.

    >>> report = export_course(Path("nbgrader-course"), ["lec01_vectors"])     # the instructor
    >>> with Gradebook(Path("results/gradebook.sqlite")) as book:
    ...     import_scores(book, "sqlite:///nbgrader-course/gradebook.db")

**Export.** ``aimath nbgrader export COURSE_DIR [ASSIGNMENT...]`` writes an nbgrader course:
``nbgrader_config.py``, ``source/<a>/<a>.ipynb`` (nbgrader's cell metadata, schema 3: a locked
imports cell, one solution cell per function holding the reference's ``### BEGIN SOLUTION`` /
``### END SOLUTION`` block, then one autograded test cell per aimath test, worth its points, the
hidden ones inside ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS``) and ``aimath_export.json``
(which tests were exported, which were left out and why). The source course is instructor-side,
like nbgrader's own source folder; ``nbgrader generate_assignment`` strips it for release.

A test cell is a recording: each aimath test is run here, on the reference solution (sandboxed,
as in ``aimath check``), for the fixed student ``EXPORT_STUDENT``, hidden inputs drawn with a
secret derived from the instructor's (HMAC-SHA256, so the exported inputs are no student's). Every
call of the submission and every check is recorded with its arguments and tolerances, and written
as plain Python: literal inputs (exact: ``repr`` of floats, or ``np.frombuffer`` of base64 bytes
with dtype and shape), the call, then asserts on what came back (shape, kind of numbers, and
``np.allclose`` with the test's ``rtol``/``atol``; ``check_raises`` as try/except). So nbgrader's
kernel gets no more than nbgrader's own tests hold: never the reference, the secret nor a grader
module. A test is exported only when the recording is faithful: each check must compare a value
the submission returned (or an element of it), and a second run, in which every returned value is
perturbed, must record the same calls and the same literals (otherwise the test computes with what
the submission returned, and literals would freeze the reference's values). Tests that use other
checks (``check_true``, ``check_symbolic``, ...) or pass arguments that are not data (sympy
functions) are left out and reported.

**Import.** :func:`import_scores` writes aimath's scores into nbgrader's gradebook through its own
API (``nbgrader.api.Gradebook``): the assignment, a notebook of the same name, one grade cell per
aimath test (its function name, its points), the students, their submissions and one grade per
test (``auto_score``), so formgrader shows them.
"""

from __future__ import annotations

import ast
import base64
import builtins
import contextlib
import datetime
import hashlib
import hmac
import inspect
import json
import math
import os
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..course import ASSIGNMENTS, default_hidden_dir, default_solutions_dir
from ..gradebook import ALL_ASSIGNMENTS, make_private_dir, write_atomic

EXPORT_STUDENT = "nbgrader"
"""The student id whose inputs the exported tests hold (public seeds are reproducible from it)."""
DEFAULT_COURSE_ID = "aimath"
CONFIG_FILE = "nbgrader_config.py"
REPORT_FILE = "aimath_export.json"
MAX_LITERAL_ELEMENTS = 12
"""Arrays up to this many elements are written as ``np.array([...])``; larger ones as base64."""
MAX_NAME_CHARS = 80
"""How much of a call's text an assert's message quotes."""
_COMPATIBLE_KINDS = {"b": "b", "i": "iuf", "u": "iuf", "f": "iuf", "c": "iufc"}  # as checks.py
_SUPPORTED_CHECKS = ("check_close", "check_raises", "check_shape", "check_equal")
_ALL_CHECKS = (*_SUPPORTED_CHECKS, "check_true", "check_converged", "check_symbolic",
               "check_decreasing", "check_probabilities", "check_statistical",
               "check_gradient")  # fmt: skip

NBGRADER_CONFIG = """\
# nbgrader's configuration of this course, written by `aimath nbgrader export`.
# The source folder is instructor-side (solutions and hidden tests); release the assignments
# with `nbgrader generate_assignment <assignment>`, grade with `nbgrader autograde <assignment>`.
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = {course_id!r}
"""


class ExportError(ValueError):
    """The course cannot be exported (unknown assignment, the reference fails its own tests)."""


class Unexportable(Exception):
    """One test cannot be written as a faithful nbgrader test cell; the message says why."""


@dataclass(frozen=True)
class ExportedTest:
    """One aimath test and what became of it: its cell, or why it was left out."""

    name: str
    title: str
    points: float
    hidden: bool
    functions: tuple[str, ...] = ()
    source: str = ""
    reason: str = ""  # empty: exported

    @property
    def exported(self) -> bool:
        return not self.reason


@dataclass
class AssignmentExport:
    """One assignment of the export: its notebook and its tests."""

    assignment: str
    notebook: Path
    tests: list[ExportedTest] = field(default_factory=list)

    @property
    def exported(self) -> list[ExportedTest]:
        return [t for t in self.tests if t.exported]

    @property
    def left_out(self) -> list[ExportedTest]:
        return [t for t in self.tests if not t.exported]

    def summary(self) -> str:
        points = sum(t.points for t in self.exported)
        total = sum(t.points for t in self.tests)
        return (
            f"{self.assignment}: {len(self.exported)} of {len(self.tests)} tests exported "
            f"({points:g} of {total:g} points)"
        )


@dataclass
class ExportReport:
    """What export_course wrote."""

    course_dir: Path
    assignments: list[AssignmentExport] = field(default_factory=list)


# -- recording the tests ----------------------------------------------------------------------
def export_secret(secret: bytes) -> bytes:
    """The secret the exported hidden inputs are drawn with: derived from, never revealing, yours."""
    return hmac.new(secret, b"aimath nbgrader export", hashlib.sha256).hexdigest().encode()


def perturb(value: Any) -> Any:
    """A value of the same kind and shape that differs from ``value`` wherever it can."""
    if isinstance(value, bool | np.bool_):
        return type(value)(not value)
    if isinstance(value, int | np.integer):
        return type(value)(value + 1)
    if isinstance(value, float | complex | np.floating | np.complexfloating):
        return type(value)(value * 1.25 + 0.5)
    if type(value) is np.ndarray:
        if value.dtype.kind == "b":
            return ~value
        if value.dtype.kind in "iu":
            return value + 1
        if value.dtype.kind in "fc":
            return value * 1.25 + 0.5
        return value
    if type(value) in (list, tuple):
        return type(value)(perturb(v) for v in value)
    if type(value) is dict:
        return {k: perturb(v) for k, v in value.items()}
    return value


class _Recorder:
    """Records, for each test of a run, its calls of the submission and its checks as code."""

    def __init__(self, *, perturbed: bool) -> None:
        self.perturbed = perturbed
        self.tests: list[_TestRecording] = []
        self.depth = 0  # > 0 inside a check: its calls are the check's own

    @property
    def current(self) -> _TestRecording:
        return self.tests[-1]

    def start_test(self) -> None:
        self.tests.append(_TestRecording())

    def call(self, original, proxy, name: str, args: tuple, kwargs: dict) -> Any:
        if self.depth or not self.tests:
            return original(proxy, name, args, kwargs)
        test = self.current
        try:
            code = f"{name}({test.arguments(args, kwargs)})"
        except Unexportable as exc:
            test.fail(str(exc))
            code = ""
        value = original(proxy, name, args, kwargs)
        if self.perturbed:
            value = perturb(value)
        test.called(name, code, value)
        return value

    def call_many(self, original, proxy, name: str, calls: list, kwargs: dict) -> Any:
        if not self.depth and self.tests:
            self.current.fail(f"calls {name} in a batch (sub.{name}.map), which has no nbgrader "
                              "equivalent here")  # fmt: skip
        return original(proxy, name, calls, kwargs)

    def check(self, original, check_name: str, args: tuple, kwargs: dict) -> Any:
        if self.depth or not self.tests:
            return original(*args, **kwargs)
        test = self.current
        try:
            bound = inspect.signature(original).bind(*args, **kwargs)
            bound.apply_defaults()
            test.checked(check_name, dict(bound.arguments))
        except (Unexportable, TypeError) as exc:
            test.fail(str(exc))
        if self.perturbed:
            return None
        self.depth += 1
        try:
            return original(*args, **kwargs)
        finally:
            self.depth -= 1


class _TestRecording:
    """One test's code, built as it runs: calls bound to ``_rN``, checks as asserts."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.functions: list[str] = []
        self.results: list[tuple[Any, str]] = []  # (value, the expression that names it)
        self.problem = ""
        self.uses_base64 = False

    def fail(self, reason: str) -> None:
        self.problem = self.problem or reason

    def called(self, name: str, code: str, value: Any) -> None:
        self._use(name)
        var = f"_r{len([r for r in self.results if '[' not in r[1]]) + 1}"
        self.lines.append(f"{var} = {code}")
        self.results.append((value, var))
        if type(value) in (tuple, list) and len(value) <= 16:
            self.results.extend((v, f"{var}[{i}]") for i, v in enumerate(value))

    def _use(self, name: str) -> None:
        if name not in self.functions:
            self.functions.append(name)

    def _result(self, value: Any, *, small_too: bool) -> str | None:
        """The expression of a value the submission returned (identity), or None."""
        if not small_too and (value is None or type(value) in (bool, int, str)):
            return None
        for known, expr in reversed(self.results):
            if known is value:
                return expr
        return None

    # -- values as code --------------------------------------------------------------------
    def literal(self, value: Any) -> str:
        from ..arguments import SeededRNG
        from ..plugin import RemoteFunction

        found = self._result(value, small_too=False)
        if found is not None:
            return found
        if isinstance(value, RemoteFunction):
            self._use(value.__name__)
            return value.__name__
        if isinstance(value, SeededRNG):
            return f"np.random.default_rng({int(value.seed)})"
        if value is None or type(value) in (bool, int, str):
            return repr(value)
        if type(value) is float:
            return _float(value)
        if type(value) is complex:
            return f"complex({_float(value.real)}, {_float(value.imag)})"
        if isinstance(value, np.generic) and value.dtype.kind in "biufc":
            return f"np.{type(value).__name__}({self.literal(value.item())})"
        if type(value) is np.ndarray:
            return self._array(value)
        if type(value) in (list, tuple):
            items = ", ".join(self.literal(v) for v in value)
            return (
                f"[{items}]"
                if type(value) is list
                else f"({items}{',' if len(value) == 1 else ''})"
            )
        if type(value) is dict and all(type(k) is str for k in value):
            return "{" + ", ".join(f"{k!r}: {self.literal(v)}" for k, v in value.items()) + "}"
        raise Unexportable(f"passes {type(value).__name__} values, which are not plain data")

    def _array(self, a: np.ndarray) -> str:
        if a.dtype.kind not in "biufc":
            raise Unexportable(f"passes an array of dtype {a.dtype}")
        dtype = a.dtype.name
        if a.size == 0:
            return f"np.zeros({a.shape!r}, dtype={dtype!r})"
        finite = a.dtype.kind in "biu" or bool(np.isfinite(a).all())
        if a.size <= MAX_LITERAL_ELEMENTS and finite and a.dtype.kind != "c":
            return f"np.array({a.tolist()!r}, dtype={dtype!r})"
        self.uses_base64 = True
        data = base64.b64encode(np.ascontiguousarray(a).tobytes()).decode("ascii")
        return f"_array({data!r}, {a.dtype.str!r}, {a.shape!r})"

    def arguments(self, args: tuple, kwargs: dict) -> str:
        parts = [self.literal(a) for a in args]
        parts += [f"{k}={self.literal(v)}" for k, v in kwargs.items()]
        return ", ".join(parts)

    def _actual(self, value: Any, check: str) -> str:
        found = self._result(value, small_too=True)
        if found is None:
            raise Unexportable(
                f"{check} compares a value computed from what the submission returned, not the "
                "returned value itself"
            )
        return found

    # -- checks as asserts -----------------------------------------------------------------
    def checked(self, check: str, a: dict[str, Any]) -> None:
        if check not in _SUPPORTED_CHECKS:
            raise Unexportable(f"uses {check}, which has no nbgrader equivalent here")
        if check == "check_raises":
            self._raises(a)
            return
        actual = self._actual(a["actual"], check)
        name = a.get("name") or actual
        if check == "check_close":
            self._close(actual, a["expected"], name, a["rtol"], a["atol"], a["require_ndarray"])
        elif check == "check_shape":
            self._shape(actual, tuple(a["expected_shape"]), name, a["require_ndarray"])
        else:
            self._equal(actual, a["expected"], name)

    def _close(self, actual, expected, name, rtol, atol, require_ndarray) -> None:
        exp = np.asarray(expected)
        if exp.dtype.kind not in _COMPATIBLE_KINDS:
            raise Unexportable(f"check_close expects {exp.dtype} values")
        kinds = _COMPATIBLE_KINDS[exp.dtype.kind]
        e = self.literal(expected)
        if exp.ndim == 0:
            self.lines.append(
                f"assert (type({actual}) in (int, float, complex) or isinstance({actual}, "
                f"(np.number, np.ndarray))) and np.ndim({actual}) == 0 and "
                f"np.asarray({actual}).dtype.kind in {kinds!r}, "
                f"{_message(name, 'should return a single number')}"
            )
        else:
            kind = "is np.ndarray" if require_ndarray else "in (np.ndarray, list, tuple)"
            self.lines.append(
                f"assert type({actual}) {kind} and np.shape({actual}) == {exp.shape!r} and "
                f"np.asarray({actual}).dtype.kind in {kinds!r}, "
                f"{_message(name, f'should return an array of shape {exp.shape}')}"
            )
        self.lines.append(
            f"assert np.allclose({actual}, {e}, rtol={rtol!r}, atol={atol!r}, equal_nan=True), "
            f"{_message(name, 'returned a wrong value')}"
        )

    def _shape(self, actual, shape, name, require_ndarray) -> None:
        if require_ndarray:
            self.lines.append(
                f"assert type({actual}) is np.ndarray, {_message(name, 'should return a numpy array')}"
            )
        self.lines.append(
            f"assert {actual} is not None and np.shape({actual}) == {shape!r} and "
            f"np.asarray({actual}).dtype.kind in 'biufc', "
            f"{_message(name, f'should return an array of shape {shape}')}"
        )

    def _equal(self, actual, expected, name) -> None:
        wrong = _message(name, "returned a wrong value")
        if expected is None:
            self.lines.append(f"assert {actual} is None, {wrong}")
        elif isinstance(expected, bool | np.bool_):
            self.lines.append(
                f"assert type({actual}) in (bool, np.bool_) and bool({actual}) == {bool(expected)!r}, {wrong}"
            )
        elif type(expected) is str:
            self.lines.append(f"assert type({actual}) is str and {actual} == {expected!r}, {wrong}")
        elif type(expected) is np.ndarray:
            self.lines.append(
                f"assert {actual} is not None and np.shape({actual}) == {expected.shape!r} and "
                f"np.array_equal({actual}, {self.literal(expected)}), {wrong}"
            )
        elif type(expected) in (int, float, complex) or isinstance(expected, np.number):
            self.lines.append(
                f"assert (type({actual}) in (int, float, complex) or isinstance({actual}, "
                f"np.number)) and {actual} == {self.literal(expected)}, {wrong}"
            )
        else:
            raise Unexportable(f"check_equal compares {type(expected).__name__} values")

    def _raises(self, a: dict[str, Any]) -> None:
        from ..formatting import format_call
        from ..plugin import RemoteFunction

        wanted = a["expected"] if isinstance(a["expected"], str) else a["expected"].__name__
        if not isinstance(getattr(builtins, wanted, None), type):
            raise Unexportable(f"check_raises expects {wanted}, not a built-in exception")
        fn = a["fn"]
        if not isinstance(fn, RemoteFunction):
            raise Unexportable("check_raises calls something other than the submission")
        self._use(fn.__name__)
        args, kwargs = a["args"], a["kwargs"]
        call = format_call(fn.__name__, args, kwargs)
        self.lines += [
            "try:",
            f"    {fn.__name__}({self.arguments(args, kwargs)})",
            f"except {wanted}:",
            "    pass",
            "else:",
            f"    raise AssertionError({call + ' should raise ' + wanted!r})",
        ]


def _float(x: float) -> str:
    return repr(x) if math.isfinite(x) else f"float({repr(x)!r})"


def _message(name: str, problem: str) -> str:
    """An assert's message: the call (shortened) and what is wrong."""
    name = " ".join(str(name).split())
    if len(name) > MAX_NAME_CHARS:
        name = name[: MAX_NAME_CHARS - 3] + "..."
    return repr(f"{name} {problem}")


@contextlib.contextmanager
def _recording(recorder: _Recorder) -> Iterator[None]:
    """While a run lasts, the submission's proxy and the checks report to ``recorder``."""
    from .. import checks
    from ..leakscan import _rebind_everywhere
    from ..plugin import SubmissionProxy

    original_init, original_call = SubmissionProxy.__init__, SubmissionProxy.call
    original_many = SubmissionProxy.call_many

    def init(proxy, *args, **kwargs):
        original_init(proxy, *args, **kwargs)
        recorder.start_test()

    def call(proxy, name, args, kwargs):
        return recorder.call(original_call, proxy, name, args, kwargs)

    def call_many(proxy, name, calls, kwargs):
        return recorder.call_many(original_many, proxy, name, calls, kwargs)

    def wrapper(original, check_name):
        def check(*args, **kwargs):
            return recorder.check(original, check_name, args, kwargs)

        return check

    swaps = [(getattr(checks, n), wrapper(getattr(checks, n), n)) for n in _ALL_CHECKS]
    SubmissionProxy.__init__, SubmissionProxy.call = init, call
    SubmissionProxy.call_many = call_many
    _rebind_everywhere({id(old): (old, new) for old, new in swaps})
    try:
        yield
    finally:
        _rebind_everywhere({id(new): (new, old) for old, new in swaps})
        SubmissionProxy.__init__, SubmissionProxy.call = original_init, original_call
        SubmissionProxy.call_many = original_many


@contextlib.contextmanager
def _secret_for_export(secret: bytes) -> Iterator[None]:
    from ..seeds import SECRET_VARIABLE

    saved = os.environ.get(SECRET_VARIABLE)
    os.environ[SECRET_VARIABLE] = export_secret(secret).decode()
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(SECRET_VARIABLE, None)
        else:
            os.environ[SECRET_VARIABLE] = saved


def record_tests(
    assignment: str, *, solutions_dir: Path, hidden_dir: Path, secret: bytes
) -> list[ExportedTest]:
    """Each aimath test of ``assignment`` (public, then hidden) as an nbgrader cell, or why not."""
    from ..plugin import run_graders

    runs = {}
    with _secret_for_export(secret):
        for perturbed in (False, True):
            recorder = _Recorder(perturbed=perturbed)
            with _recording(recorder):
                results = run_graders(
                    Path(solutions_dir), [assignment], hidden=True, student=EXPORT_STUDENT,
                    solutions=Path(solutions_dir), hidden_tests=Path(hidden_dir),
                )  # fmt: skip
            runs[perturbed] = (results, recorder.tests)
    results, tests = runs[False]
    perturbed_results, perturbed_tests = runs[True]
    broken = [r for r in results if r.status != "passed"]
    if broken:
        raise ExportError(
            f"{assignment}: the reference solution fails its own test {broken[0].name}: "
            f"{broken[0].output[:500]}"
        )
    if len(tests) != len(results) or len(perturbed_tests) != len(perturbed_results):
        raise ExportError(f"{assignment}: the recording lost track of the tests")
    exported = []
    for result, test, again, again_result in zip(
        results, tests, perturbed_tests, perturbed_results, strict=True
    ):
        name = result.nodeid.split("::")[-1]
        reason = test.problem
        if not reason and (again.lines != test.lines or again_result.status != "passed"):
            reason = (
                "its inputs or expected values depend on what the submission returned (a check "
                "of values derived from them), so literals cannot stand for them"
            )
        if not reason and not test.lines:
            reason = "it calls nothing"
        exported.append(
            ExportedTest(
                name=name,
                title=result.name,
                points=result.max_score,
                hidden=result.hidden,
                functions=tuple(test.functions),
                reason=reason,
                source="" if reason else _cell_source(result, test),
            )  # fmt: skip
        )
    return exported


ARRAY_HELPER = '''\
def _array(data, dtype, shape):
    """An array written exactly: its bytes in base64, its dtype and shape."""
    return np.frombuffer(base64.b64decode(data), dtype=dtype).reshape(shape).copy()
'''


def _cell_source(result, test: _TestRecording) -> str:
    """The test cell: a comment, then the recorded calls and asserts (warnings kept off stderr)."""
    imports = ["import warnings", "", "import numpy as np"]
    if test.uses_base64:
        imports = ["import base64", *imports]
    body = [*imports, ""]
    if test.uses_base64:
        body += [ARRAY_HELPER]
    body += [
        "with warnings.catch_warnings():  # nbgrader fails a cell that writes to stderr",
        '    warnings.simplefilter("ignore")',
        *textwrap.indent("\n".join(test.lines), "    ").splitlines(),
    ]
    points = f"{result.max_score:g} point{'s' if result.max_score != 1 else ''}"
    if not result.hidden:
        return "\n".join([f"# {result.name} ({points})", *body])
    return "\n".join([
        f"# Hidden tests ({points})", "### BEGIN HIDDEN TESTS", f"# {result.name}", *body,
        "### END HIDDEN TESTS",
    ])  # fmt: skip


# -- the notebook -----------------------------------------------------------------------------
def _nbgrader(grade_id: str, *, grade=False, solution=False, locked=False, points=None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}  # fmt: skip
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _cell_id(text: str) -> str:
    return text.replace("_", "-")[:64]


def _solution_parts(path: Path) -> tuple[str, str, dict[str, str]]:
    """(the module docstring, its other top-level code, each function's source) of a solution."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    body = ast.parse(text).body
    doc = ast.get_docstring(ast.Module(body=body, type_ignores=[])) or ""
    rest, functions = [], {}
    for node, after in zip(body, [*body[1:], None], strict=True):
        start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        end = after.lineno - 1 if after is not None else len(lines)
        if after is not None and getattr(after, "decorator_list", None):
            end = min(d.lineno for d in after.decorator_list) - 1
        source = "\n".join(lines[start - 1 : end]).rstrip()
        if isinstance(node, ast.FunctionDef):
            functions[node.name] = source
        elif not (
            isinstance(node, ast.Expr) and isinstance(getattr(node, "value", None), ast.Constant)
        ):
            rest.append(source)
    return doc, "\n\n".join(rest), functions


def build_notebook(assignment: str, solution: Path, tests: list[ExportedTest]):
    """The source notebook: intro, imports, each function's solution cell, then its test cells."""
    import nbformat

    doc, top, functions = _solution_parts(solution)
    order = list(functions)
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    shown = [t for t in tests if t.exported]
    title, _, text = doc.partition("\n")
    cells = [
        nbformat.v4.new_markdown_cell(
            f"# {title}\n\n{' '.join(text.split())}\n\nFill in each function where it says "
            "`# YOUR CODE HERE` (delete the `raise NotImplementedError()` line), then run the "
            "test cells under it. Keep the names and parameters. Hidden tests check your "
            "functions on other inputs too, so write the general function. "
            f"{len(shown)} test cells, {sum(t.points for t in shown):g} points.",
            id="intro",
        ),
        nbformat.v4.new_code_cell(top, id="imports", metadata=_nbgrader("imports", locked=True)),
    ]
    placed: dict[str, list[ExportedTest]] = {}
    for test in shown:
        known = [f for f in test.functions if f in functions]
        last = max(known, key=order.index) if known else order[-1]
        placed.setdefault(last, []).append(test)
    for number, (name, source) in enumerate(functions.items(), start=1):
        heading = _docstring_heading(source)
        cells.append(nbformat.v4.new_markdown_cell(
            f"## {number}. `{name}`{heading}", id=_cell_id(f"about-{name}")
        ))  # fmt: skip
        is_solution = "### BEGIN SOLUTION" in source
        cells.append(nbformat.v4.new_code_cell(
            source, id=_cell_id(name),
            metadata=_nbgrader(name, solution=is_solution, locked=not is_solution),
        ))  # fmt: skip
        for test in sorted(placed.get(name, []), key=lambda t: t.hidden):
            cells.append(nbformat.v4.new_code_cell(
                test.source, id=_cell_id(test.name),
                metadata=_nbgrader(test.name, grade=True, locked=True, points=test.points),
            ))  # fmt: skip
    nb.cells = cells
    nbformat.validate(nb)
    return nb


def _docstring_heading(source: str) -> str:
    """``: <Korean title>`` and the first explanatory paragraph of a function's docstring."""
    doc = ast.get_docstring(ast.parse(source).body[0]) or ""
    paragraphs = doc.split("\n\n")
    title = paragraphs[0].split(": ")[-1].rstrip(".")
    text = " ".join(paragraphs[1].split()) if len(paragraphs) > 1 else ""
    return f": {title}\n\n{text}" if title else ""


def export_course(
    course_dir: Path,
    assignments: list[str] | None = None,
    *,
    course_id: str = DEFAULT_COURSE_ID,
    solutions_dir: Path | None = None,
    hidden_dir: Path | None = None,
    secret: bytes | None = None,
) -> ExportReport:
    """Write the nbgrader course of ``assignments`` (default: all) to ``course_dir``.

    Raises:
        ExportError: an unknown assignment, a missing reference, or a reference that fails.
    """
    from ..seeds import instructor_secret

    names = list(dict.fromkeys(assignments or ASSIGNMENTS))
    unknown = [a for a in names if a not in ASSIGNMENTS]
    if unknown:
        raise ExportError(
            f"unknown assignments: {', '.join(unknown)} (known: {', '.join(ASSIGNMENTS)})"
        )
    import nbformat

    solutions_dir = Path(solutions_dir or default_solutions_dir())
    hidden_dir = Path(hidden_dir or default_hidden_dir())
    secret = secret or instructor_secret()
    course_dir = Path(course_dir)
    report = ExportReport(course_dir=course_dir)
    notebooks = {}
    for name in names:
        solution = solutions_dir / f"{name}.py"
        if not solution.is_file():
            raise ExportError(f"no reference solution at {solution} (give --course)")
        tests = record_tests(name, solutions_dir=solutions_dir, hidden_dir=hidden_dir,
                             secret=secret)  # fmt: skip
        notebooks[name] = build_notebook(name, solution, tests)
        path = course_dir / "source" / name / f"{name}.ipynb"
        report.assignments.append(AssignmentExport(name, path, tests))
    make_private_dir(course_dir / "source")
    for export in report.assignments:
        export.notebook.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(export.notebook, nbformat.writes(notebooks[export.assignment], version=4))
    config = course_dir / CONFIG_FILE
    write_atomic(config, NBGRADER_CONFIG.format(course_id=course_id))
    config.chmod(0o644)  # nbgrader's own file, no secret in it
    write_atomic(course_dir / REPORT_FILE, json.dumps(_report_json(report), indent=1) + "\n")
    return report


def _report_json(report: ExportReport) -> dict:
    return {
        "student": EXPORT_STUDENT,
        "assignments": {
            a.assignment: {
                "exported": [t.name for t in a.exported],
                "left_out": {t.name: t.reason for t in a.left_out},
                "points_exported": sum(t.points for t in a.exported),
                "points_total": sum(t.points for t in a.tests),
            }
            for a in report.assignments
        },
    }


# -- aimath's scores in nbgrader's gradebook --------------------------------------------------
@dataclass
class ImportReport:
    """What import_scores wrote: submissions and grades, and what it left out."""

    submissions: int = 0
    grades: int = 0
    skipped: list[str] = field(default_factory=list)


def _datetime(iso: str | None) -> datetime.datetime | None:
    """An ISO time (aimath's, UTC) as the naive UTC datetime nbgrader stores."""
    if not iso:
        return None
    when = datetime.datetime.fromisoformat(iso)
    if when.tzinfo is not None:
        when = when.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return when


def import_scores(
    book,
    db_url: str,
    *,
    course_id: str = DEFAULT_COURSE_ID,
    assignments: list[str] | None = None,
) -> ImportReport:
    """Write the scores of aimath's gradebook ``book`` into nbgrader's gradebook at ``db_url``.

    Through nbgrader's own API: per assignment an nbgrader assignment (with its deadline, if
    recorded) and a notebook of the same name, one grade cell per aimath test (its function name
    and points: the exported test cells' names), every student, and per graded submission one
    grade per test with its ``auto_score``. Existing entries are updated, so importing again after
    a regrade replaces the scores; submissions whose grading broke are skipped and reported.
    """
    from nbgrader.api import Grade, MissingEntry
    from nbgrader.api import Gradebook as NbgraderGradebook

    subs = [s for s in book.submissions() if assignments is None or s.assignment in assignments]
    deadlines = book.deadlines()
    report = ImportReport()
    cells: dict[str, dict[str, float]] = {}
    results = {}
    for sub in subs:
        if sub.status != "graded":
            report.skipped.append(f"{sub.student} {sub.assignment}: not graded ({sub.status})")
            continue
        mine = book.results(sub.student, sub.assignment)
        results[sub.student, sub.assignment] = mine
        for r in mine:
            cells.setdefault(sub.assignment, {})[r.nodeid.split("::")[-1]] = r.max_score
    with NbgraderGradebook(db_url, course_id=course_id) as nb:
        for assignment in (a for a in ASSIGNMENTS if a in cells):
            due = _datetime(deadlines.get(assignment) or deadlines.get(ALL_ASSIGNMENTS))
            nb.update_or_create_assignment(assignment, **({"duedate": due} if due else {}))
            nb.update_or_create_notebook(assignment, assignment)
            for name, points in cells[assignment].items():
                nb.update_or_create_grade_cell(
                    name, assignment, assignment, max_score=points, cell_type="code"
                )
        for student in book.students():
            nb.update_or_create_student(student)
        for (student, assignment), mine in results.items():
            stored = next(s for s in subs if (s.student, s.assignment) == (student, assignment))
            when = _datetime(stored.submitted_at)
            nb.update_or_create_submission(
                assignment, student, **({"timestamp": when} if when else {})
            )
            notebook = nb.find_submission_notebook(assignment, assignment, student)
            for r in mine:
                name = r.nodeid.split("::")[-1]
                try:
                    grade = nb.find_grade(name, assignment, assignment, student)
                except MissingEntry:  # a test added since the submission was first imported
                    cell = nb.find_grade_cell(name, assignment, assignment)
                    grade = Grade(cell=cell, notebook=notebook)
                    nb.db.add(grade)
                grade.auto_score = r.score
                grade.needs_manual_grade = False
                report.grades += 1
            report.submissions += 1
        nb.db.commit()
    return report
