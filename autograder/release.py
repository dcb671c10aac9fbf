"""Release: turn reference solutions into student stubs, and check the stubs leak nothing.

A solution function fences its answer with marker lines::

    def double(x: np.ndarray) -> np.ndarray:
        \"\"\"Docstring, kept.\"\"\"
        ### BEGIN SOLUTION
        return 2 * x
        ### END SOLUTION

and the stub keeps everything except the fenced block, which becomes, at the marker's indentation::

        # TODO: implement double.
        raise NotImplementedError

(The example is not from the course: the framework ships to students, and the leak scan of every
release checks that no solution line is in it.)
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "BuildReport",
    "ReleaseError",
    "SolutionBlock",
    "build_assignments",
    "find_leaks",
    "find_solution_blocks",
    "render_stub",
    "strip_solutions",
]

BEGIN_MARKER = "BEGIN SOLUTION"
END_MARKER = "END SOLUTION"
UNNAMED_PART = "this part"
HEADER = "# Generated from solutions/{name} by `aimath build`: fill in each TODO, keep names and signatures."

_MARKER_RE = re.compile(
    r"^(?P<indent>[ \t]*)#+[ \t]*(?P<kind>BEGIN|END) SOLUTION[ \t]*(?:\r\n|\n|\r)?$"
)
# Python's own line breaks only (str.splitlines also splits on \f, \u2028, ... and would shift numbers).
_LINE_RE = re.compile(r".*?(?:\r\n|\n|\r)|.+\Z", re.DOTALL)


class ReleaseError(ValueError):
    """A solution file cannot be released: malformed markers, or a stub that would leak code."""

    def __init__(self, message: str, *, filename: str | None = None, lineno: int | None = None):
        if filename is not None and lineno is not None:
            message = f"{filename}, line {lineno}: {message}"
        elif filename is not None:
            message = f"{filename}: {message}"
        super().__init__(message)
        self.filename = filename
        self.lineno = lineno


@dataclass(frozen=True)
class SolutionBlock:
    """One fenced block: 1-based line numbers of its markers, their indentation, the enclosing def.

    `function` is the name of the innermost `def` whose body holds the BEGIN marker, or None at module
    or class level.
    """

    begin: int
    end: int
    indent: str
    function: str | None


@dataclass(frozen=True)
class BuildReport:
    """What `build_assignments` did (or, with check=True, would do) to each stub and notebook.

    Example: `build_assignments(Path("solutions"), Path("assignments"), check=True).has_drift`.

    Every list but `extra` holds both kinds of paths (`lec01_vectors.py`, `lec01_vectors.ipynb`).
    written: files written by this call (always empty with check=True).
    unchanged: files already identical to what the solutions generate.
    drifted: files that exist but differ (only with check=True; when writing they are in `written`).
    missing: files not generated yet (only with check=True; when writing they are in `written`).
    extra: .py files in the assignments folder with no solution counterpart (never deleted).
    """

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    drifted: list[Path] = field(default_factory=list)
    missing: list[Path] = field(default_factory=list)
    extra: list[Path] = field(default_factory=list)

    @property
    def has_drift(self) -> bool:
        """True when a stub or notebook differs from its solution or does not exist yet."""
        return bool(self.drifted or self.missing)


def find_solution_blocks(source: str, *, filename: str = "<solution>") -> list[SolutionBlock]:
    """Find and validate the BEGIN/END SOLUTION blocks of one solution file's text.

    Example: `[b.function for b in find_solution_blocks(text)]` -> `["l1_norm", "l2_norm"]`.

    Raises:
        ReleaseError: BEGIN without END, END without BEGIN, nested BEGIN, markers whose indentation
            differ, a marker not alone on its line, or a file that is not valid Python.
    """
    spans: list[tuple[int, int, str]] = []
    open_line: int | None = None
    open_indent = ""
    for lineno, line in enumerate(_split_lines(source), start=1):
        if BEGIN_MARKER not in line and END_MARKER not in line:
            continue
        match = _MARKER_RE.match(line)
        if match is None:
            raise ReleaseError(
                f"solution marker not alone on its line: {line.strip()!r}",
                filename=filename,
                lineno=lineno,
            )
        indent = match["indent"]
        if match["kind"] == "BEGIN":
            if open_line is not None:
                raise ReleaseError(
                    f"nested BEGIN SOLUTION (the block opened on line {open_line} is not closed)",
                    filename=filename,
                    lineno=lineno,
                )
            open_line, open_indent = lineno, indent
        else:
            if open_line is None:
                raise ReleaseError(
                    "END SOLUTION without BEGIN SOLUTION", filename=filename, lineno=lineno
                )
            if indent != open_indent:
                raise ReleaseError(
                    f"END SOLUTION indented {indent!r}, but its BEGIN SOLUTION on line {open_line} "
                    f"is indented {open_indent!r}",
                    filename=filename,
                    lineno=lineno,
                )
            spans.append((open_line, lineno, indent))
            open_line = None
    if open_line is not None:
        raise ReleaseError(
            "BEGIN SOLUTION without END SOLUTION", filename=filename, lineno=open_line
        )
    if not spans:
        return []

    try:
        tree = ast.parse(source, filename=filename)
    except SyntaxError as exc:
        raise ReleaseError(
            f"not valid Python: {exc.msg}", filename=filename, lineno=exc.lineno
        ) from exc
    lines = [line.rstrip("\r\n") for line in _split_lines(source)]
    functions = [
        node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]
    extents = [(fn, _body_end(fn, lines)) for fn in functions]
    blocks = []
    for begin, end, indent in spans:
        inside = [
            fn for fn, last in extents if fn.lineno < begin <= last and len(indent) > fn.col_offset
        ]
        innermost = max(inside, key=lambda fn: (fn.lineno, fn.col_offset), default=None)
        blocks.append(SolutionBlock(begin, end, indent, innermost.name if innermost else None))
    return blocks


def _split_lines(text: str) -> list[str]:
    """`text` split into lines at \\n, \\r\\n or \\r, each keeping its line ending."""
    return _LINE_RE.findall(text)


def _line_ending(line: str) -> str:
    """The first line break after the last text of `line`, or "\\n" when it has none."""
    rest = line[len(line.rstrip("\r\n")) :]
    return "\r\n" if rest.startswith("\r\n") else rest[:1] or "\n"


def _body_end(fn: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> int:
    """Last line of `fn`'s body, counting trailing comment lines indented deeper than the `def`."""
    last = fn.end_lineno or fn.lineno
    for lineno in range(last + 1, len(lines) + 1):
        text = lines[lineno - 1]
        stripped = text.lstrip()
        if not stripped:
            continue
        if stripped.startswith("#") and len(text) - len(stripped) > fn.col_offset:
            last = lineno
            continue
        break
    return last


def strip_solutions(source: str, *, filename: str = "<solution>") -> str:
    """Replace every solution block by a TODO comment and `raise NotImplementedError`.

    Example: a block inside `def l2_norm` becomes `# TODO: implement l2_norm.` + `raise
    NotImplementedError` at the BEGIN marker's indentation; every other byte is kept, and the result
    ends with exactly one newline.

    Raises:
        ReleaseError: malformed markers (see `find_solution_blocks`).
    """
    blocks = find_solution_blocks(source, filename=filename)
    lines = _split_lines(source)
    out: list[str] = []
    cursor = 0  # 0-based index of the next line to copy
    for block in blocks:
        out.extend(lines[cursor : block.begin - 1])
        newline = _line_ending(lines[block.begin - 1])
        name = block.function or UNNAMED_PART
        out.append(f"{block.indent}# TODO: implement {name}.{newline}")
        out.append(f"{block.indent}raise NotImplementedError{newline}")
        cursor = block.end
    out.extend(lines[cursor:])
    text = "".join(out)
    return text.rstrip("\r\n") + _line_ending(text)


def render_stub(solution_path: Path) -> str:
    """The full student stub for one solution file: the header line, then `strip_solutions`.

    Example: `render_stub(Path("solutions/lec01_vectors.py")).splitlines()[0]` names
    `solutions/lec01_vectors.py`.
    """
    solution_path = Path(solution_path)
    source = solution_path.read_bytes().decode("utf-8")
    body = strip_solutions(source, filename=str(solution_path))
    return HEADER.format(name=solution_path.name) + _line_ending(body) + body


def find_leaks(stub: str, *, functions: Iterable[str] | None = None) -> list[str]:
    """Problems that would leak a solution to students; an empty list means the stub is safe.

    Reports any line holding a solution marker, a syntax error (the stub is parsed, never run), and
    every function in `functions` (by default: every top-level function) whose body, after an optional
    docstring, is anything but `raise NotImplementedError`.

    Example: `find_leaks(render_stub(path), functions=["l2_norm"])` -> `[]`.
    """
    problems = [
        f"line {lineno}: solution marker left in the stub: {line.strip()!r}"
        for lineno, line in enumerate(_split_lines(stub), start=1)
        if BEGIN_MARKER in line or END_MARKER in line
    ]
    try:
        tree = ast.parse(stub)
    except SyntaxError as exc:
        problems.append(f"line {exc.lineno}: syntax error: {exc.msg}")
        return problems

    if functions is None:
        defs = [
            node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        ]
    else:
        wanted = list(dict.fromkeys(functions))
        all_defs = [
            node
            for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        ]
        found = {node.name for node in all_defs}
        problems.extend(
            f"function {name!r} is missing from the stub" for name in wanted if name not in found
        )
        defs = [node for node in all_defs if node.name in wanted]
    for node in sorted(defs, key=lambda n: n.lineno):
        if not _is_pure_stub(node):
            problems.append(
                f"line {node.lineno}: function {node.name!r} has code besides its docstring and "
                "`raise NotImplementedError`"
            )
    return problems


def _is_pure_stub(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """True when `fn`'s body is an optional docstring followed by `raise NotImplementedError`."""
    body = list(fn.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        if isinstance(body[0].value.value, str):
            body = body[1:]
    if len(body) != 1 or not isinstance(body[0], ast.Raise) or body[0].cause is not None:
        return False
    exc = body[0].exc
    if isinstance(exc, ast.Call):
        exc = exc.func
    return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"


def build_assignments(
    solutions_dir: Path,
    assignments_dir: Path,
    *,
    check: bool = False,
    manifest: Path | None = None,
) -> BuildReport:
    """Generate `assignments_dir/lec*.py` and `.ipynb` from `solutions_dir/lec*.py`; deletes nothing.

    Every solution gets a stub; those in the course catalog also get a notebook (its self-check
    cell needs the assignment's graders). Stubs and notebooks are rendered and leak-checked before
    anything is written. With check=False, files that differ or are missing are written and
    identical ones are left untouched; with check=True nothing is written and differences are
    reported as drifted/missing.

    With ``manifest`` (``aimath build`` gives the package's ``graders/stubs.json``), a JSON file
    of every generated file's sha256 is written (and checked) too: intake uses it to tell an
    untouched stub from a student's work.

    Example: `build_assignments(Path("solutions"), Path("assignments"), check=True).has_drift`.

    Raises:
        FileNotFoundError: `solutions_dir` is not a folder.
        ReleaseError: malformed markers, or a stub or notebook that would leak (every problem is
            listed).
    """
    from .course import ASSIGNMENTS
    from .notebooks import render_notebook

    solutions_dir, assignments_dir = Path(solutions_dir), Path(assignments_dir)
    if not solutions_dir.is_dir():
        raise FileNotFoundError(f"solutions folder not found: {solutions_dir}")
    solutions = sorted(p for p in solutions_dir.glob("lec*.py") if p.is_file())

    outputs: list[tuple[Path, bytes]] = []
    for solution in solutions:
        source = solution.read_bytes().decode("utf-8")
        blocks = find_solution_blocks(source, filename=str(solution))
        names = [block.function for block in blocks if block.function is not None]
        rendered = {solution.name: render_stub(solution)}
        if solution.stem in ASSIGNMENTS:
            rendered[f"{solution.stem}.ipynb"] = render_notebook(solution)
        for filename, text in rendered.items():
            kind = "notebook" if filename.endswith(".ipynb") else "stub"
            code = _notebook_code(text) if kind == "notebook" else text
            problems = find_leaks(code, functions=names)
            if problems:
                raise ReleaseError(
                    f"the generated {kind} would leak the solution:\n"
                    + "\n".join(f"  - {problem}" for problem in problems),
                    filename=str(solution),
                )
            outputs.append((assignments_dir / filename, text.encode("utf-8")))

    if manifest is not None:
        outputs.append((Path(manifest), stub_manifest(outputs).encode("utf-8")))
    written: list[Path] = []
    unchanged: list[Path] = []
    drifted: list[Path] = []
    missing: list[Path] = []
    for target, data in outputs:
        if target.is_file() and target.read_bytes() == data:
            unchanged.append(target)
        elif check:
            (drifted if target.exists() else missing).append(target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written.append(target)

    names = {solution.name for solution in solutions}
    extra = (
        sorted(p for p in assignments_dir.glob("*.py") if p.name not in names)
        if assignments_dir.is_dir()
        else []
    )
    return BuildReport(
        written=written, unchanged=unchanged, drifted=drifted, missing=missing, extra=extra
    )


def stub_manifest(outputs: list[tuple[Path, bytes]]) -> str:
    """JSON text: per assignment, the sha256 of its generated stub and notebook (LF line ends)."""
    import hashlib
    import json

    entries: dict[str, dict[str, str]] = {}
    for target, data in outputs:
        kind = target.suffix.lstrip(".")
        digest = hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest()
        entries.setdefault(target.stem, {})[kind] = digest
    return json.dumps(dict(sorted(entries.items())), indent=1, sort_keys=True) + "\n"


def _notebook_code(text: str) -> str:
    """The code cells of a notebook's text, joined into one module (what `find_leaks` reads)."""
    import nbformat

    cells = nbformat.reads(text, as_version=4).cells
    return "\n\n".join(cell.source for cell in cells if cell.cell_type == "code") + "\n"
