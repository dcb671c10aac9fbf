"""Notebook cells as Jupyter runs them: parsing, IPython syntax, and which cells to run.

Self-contained (standard library only): the worker loads it by path, inside the sandbox, where
notebooks are read (reading a student's notebook is untrusted work). The worker runs the cells this
module prepares one at a time, in order, in one namespace; a cell that raises is reported and the
next cells still run, as in Jupyter.

    >>> cells = read_notebook(text)          # NotebookError with a message for the student
    >>> [c.number for c in cells if c.run]   # code cells to run, numbered as the notebook shows them
    [2, 3, 5]

- Cells that nbgrader marks as its tests (``metadata.nbgrader.grade`` true and ``solution`` not
  true) are not run: the grader has its own tests. Neither is the assignment's self-check cell
  (``metadata.aimath.role == "self-check"``, the tag ``aimath-self-check``, or a cell that calls
  ``autograder.selfcheck``).
- IPython syntax has no meaning outside a kernel. A cell that is valid Python runs unchanged;
  otherwise its magic and shell lines (``%matplotlib inline``, ``!pip install``, ``x = !ls``,
  ``np.sum?``) become ``pass`` (``%time stmt`` becomes ``stmt``, as IPython runs it), so line
  numbers and indentation stay, and a note says what was dropped. A cell magic (``%%bash``) drops
  the whole cell, except ``%%time`` and ``%%capture``, whose body IPython runs in the namespace.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

MAX_CELLS = 2000
MAX_NOTE_CHARS = 300
BODY_CELL_MAGICS = ("time", "capture")  # cell magics whose body runs in the user namespace

_MAGIC_LINE = re.compile(
    r"^(?P<indent>[ \t]*)(?:[%!]|[\w.]+(?:[ \t]*,[ \t]*[\w.]+)*[ \t]*=[ \t]*[%!])"
)
_TIME_LINE = re.compile(r"^(?P<indent>[ \t]*)%time[ \t]+(?P<stmt>\S.*)$")
_HELP_LINE = re.compile(r"^(?P<indent>[ \t]*)(?:\?{1,2}[\w.]+|[\w.]+\?{1,2})[ \t]*$")


def skipped_note(cells: list[Cell]) -> dict | None:
    """One note for all the nbgrader test cells that were not run, or None when there are none."""
    numbers = [c.number for c in cells if c.skipped == "nbgrader-test"]
    if not numbers:
        return None
    if len(numbers) == 1:
        return _note("notes.nbgrader_test_cell", {"number": numbers[0]})
    return _note("notes.nbgrader_test_cells", {"numbers": _ranges(numbers)[:200]})


def _note(key: str, params: dict) -> dict:
    """A note as the grader's catalog message it stands for: plain data, which the grader checks
    (autograder.i18n.note_from_data) after the wire decoder."""
    return {"key": key, "params": params}


def _ranges(numbers: list[int]) -> str:
    """[3, 5, 6, 7, 9] -> '3, 5-7, 9'."""
    spans = [[numbers[0], numbers[0]]]
    for n in numbers[1:]:
        if n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


class NotebookError(ValueError):
    """The notebook cannot be read at all; the message is for the student."""


@dataclass
class Cell:
    """One code cell: its number among all cells (1-based), its source, and what to do with it."""

    number: int
    source: str
    run: bool = True
    notes: list[str] = field(default_factory=list)
    skipped: str = ""  # why a cell is not run without a note of its own: "nbgrader-test", ...


def read_notebook(text: str) -> list[Cell]:
    """The code cells of a notebook's JSON text, prepared to run.

    Raises:
        NotebookError: invalid JSON, not a notebook, an nbformat other than 4, or no code cells.
    """
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(
            f"is not a valid notebook: its JSON is broken at line {exc.lineno}, column "
            f"{exc.colno} ({exc.msg}). Open it in Jupyter and save it again, or hand in a copy "
            "that opens"
        ) from None
    except RecursionError:
        raise NotebookError("is not a valid notebook: its JSON is nested too deeply") from None
    if type(nb) is not dict or type(nb.get("cells", None)) is not list:
        version = nb.get("nbformat") if type(nb) is dict else None
        if type(version) is int and version < 4:
            raise _old_format(version)
        raise NotebookError("is not a Jupyter notebook (it has no list of cells)")
    version = nb.get("nbformat")
    if version != 4:
        raise (
            _old_format(version)
            if type(version) is int and version < 4
            else NotebookError(
                f"has notebook format {version!r}; only nbformat 4 (Jupyter since 2015) is graded"
            )
        )
    if len(nb["cells"]) > MAX_CELLS:
        raise NotebookError(f"has {len(nb['cells'])} cells; at most {MAX_CELLS} are graded")
    cells = []
    for number, raw in enumerate(nb["cells"], start=1):
        if type(raw) is not dict or raw.get("cell_type") != "code":
            continue
        source = _source_text(raw.get("source", ""))
        if source is None:
            cells.append(
                Cell(
                    number,
                    "",
                    run=False,
                    notes=[f"cell {number}: not run (its source is not text)"],
                )
            )
            continue
        cells.append(prepare_cell(number, source, raw.get("metadata")))
    if not cells:
        raise NotebookError("has no code cells: write your functions in code cells")
    return cells


def _old_format(version: int) -> NotebookError:
    return NotebookError(
        f"is an nbformat {version} notebook (Jupyter before 2015). Open it in a current Jupyter "
        "and save it (File > Save), which writes nbformat 4, then hand it in again"
    )


def _source_text(source: object) -> str | None:
    if type(source) is str:
        return source
    if type(source) is list and all(type(s) is str for s in source):
        return "".join(source)
    return None


def prepare_cell(number: int, source: str, metadata: object = None) -> Cell:
    """Decide whether a code cell runs, and turn its IPython syntax into plain Python."""
    metadata = metadata if type(metadata) is dict else {}
    nbgrader = metadata.get("nbgrader") if type(metadata.get("nbgrader")) is dict else {}
    if nbgrader.get("grade") is True and nbgrader.get("solution") is not True:
        return Cell(number, source, run=False, skipped="nbgrader-test")
    if is_self_check(source, metadata):
        return Cell(number, source, run=False, skipped="self-check")
    if not source.strip():
        return Cell(number, source, run=False)
    if _compiles(source):
        return Cell(number, source)
    lines = source.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    head = lines[first].strip()
    if head.startswith("%%"):
        magic = head[2:].split(None, 1)[0] if len(head) > 2 else ""
        if magic in BODY_CELL_MAGICS:
            body = ["pass" if i <= first else line for i, line in enumerate(lines)]
            cell = _strip_magics(number, "\n".join(body))
            cell.notes.insert(
                0, f"cell {number}: the cell magic %%{magic} was dropped; its body ran"
            )
            return cell
        return Cell(
            number,
            source,
            run=False,
            notes=[f"cell {number}: not run: the cell magic %%{magic} only works in Jupyter"],
        )
    return _strip_magics(number, source)


def _strip_magics(number: int, source: str) -> Cell:
    lines = source.split("\n")
    dropped = []
    scanner = _LineScanner()
    for i, line in enumerate(lines):
        if not scanner.at_statement_start():  # inside a string or brackets: not a command
            scanner.scan(line)
            continue
        timed = _TIME_LINE.match(line)
        if timed:
            lines[i] = timed["indent"] + timed["stmt"]
            dropped.append((i + 1, line.strip()))
            scanner.scan(lines[i])
            continue
        match = _MAGIC_LINE.match(line) or _HELP_LINE.match(line)
        if match:
            lines[i] = match["indent"] + "pass"
            dropped.append((i + 1, line.strip()))
        else:
            scanner.scan(line)
    cell = Cell(number, "\n".join(lines))
    if dropped:
        shown = ", ".join(f"line {n}: {text[:60]}" for n, text in dropped[:3])
        params = {"number": number, "shown": shown[:200]}
        if len(dropped) > 3:
            params["more"] = len(dropped) - 3
        key = "notes.magics_skipped_more" if len(dropped) > 3 else "notes.magics_skipped"
        cell.notes.append(_note(key, params))
    return cell


class _LineScanner:
    """Where each line of a cell starts: a new statement, or inside a string or brackets.

    Only a line that starts a statement can be an IPython command: ``%d items`` inside a string
    that spans lines, or ``!= b)`` continuing an expression in brackets, are Python and stay.
    """

    def __init__(self) -> None:
        self.depth = 0  # open brackets
        self.quote = ""  # the delimiter of the string a line break is inside of, if any
        self.continued = False  # the last line ended with a backslash

    def at_statement_start(self) -> bool:
        return self.depth == 0 and not self.quote and not self.continued

    def scan(self, line: str) -> None:
        self.continued = False
        i, n = 0, len(line)
        while i < n:
            c = line[i]
            if self.quote:
                if c == "\\":
                    if i == n - 1:
                        self.continued = len(self.quote) == 1  # a one-quote string goes on
                    i += 2
                elif line.startswith(self.quote, i):
                    i += len(self.quote)
                    self.quote = ""
                else:
                    i += 1
                continue
            if c == "#":
                break
            if c in "'\"":
                self.quote = c * 3 if line.startswith(c * 3, i) else c
                i += len(self.quote)
                continue
            if c in "([{":
                self.depth += 1
            elif c in ")]}":
                self.depth = max(0, self.depth - 1)
            elif c == "\\" and i == n - 1:
                self.continued = True
            i += 1
        if len(self.quote) == 1 and not self.continued:  # unterminated: a syntax error anyway
            self.quote = ""
        if self.quote and self.continued:
            self.continued = False  # the string itself carries over to the next line


def is_self_check(source: str, metadata: dict) -> bool:
    """True for the assignment's self-check cell, which grades the notebook and is never graded."""
    aimath = metadata.get("aimath") if type(metadata.get("aimath")) is dict else {}
    tags = metadata.get("tags") if type(metadata.get("tags")) is list else []
    return (
        aimath.get("role") == "self-check"
        or "aimath-self-check" in tags
        or "autograder.selfcheck" in source
    )


def _compiles(source: str) -> bool:
    try:
        compile(source, "<cell>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, OverflowError, RecursionError, MemoryError):
        return False
    return True
