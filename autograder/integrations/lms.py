"""LMS gradebooks: the class's grades as Canvas, Moodle or plain CSV import files, late work shown.

    >>> with Gradebook(Path("results/gradebook.sqlite")) as book:
    ...     export_grades(book, Path("results/canvas.csv"), "canvas")

Thin over the gradebook: every row comes from ``submissions`` (the graded score and when the file
was handed in), ``deadlines`` (``aimath grade --deadline``, or ``deadlines=`` here) and
``overrides`` (grades set by hand with ``aimath override``, which win over the graded score and
are never penalised). A submission is late when its time (nbgrader's timestamp.txt, else the
file's modification time) is after its assignment's deadline; a penalty is applied only when the
instructor asks for one (``late_penalty_pct``: percent of the score per started day late, at
most 100), and only in the export: the gradebook keeps the graded score.

Formats (what each system's CSV import reads):

- ``canvas``: Canvas's gradebook import: ``Student, ID, SIS User ID, SIS Login ID, Section`` then
  one column per assignment (a new column name makes a new assignment), the second row
  ``Points Possible``; students are matched by SIS Login ID (the student id here); an empty cell
  leaves a grade as it is.
- ``moodle``: Moodle's "Import grades from CSV": ``username`` (map it to the user field
  username) then per assignment its grade and a ``<assignment> feedback`` column (late work and
  overrides, map it to the item's feedback).
- ``csv``: one row per student and assignment, everything: score, maximum, status, submission time
  and its source, deadline, hours late, penalty, override and its reason, and the final score.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..course import ASSIGNMENTS
from ..gradebook import (
    ALL_ASSIGNMENTS,
    POINTS_POSSIBLE,
    Gradebook,
    Override,
    _safe_cell,
    max_points,
    write_atomic,
)
from ..intake import parse_time

Format = Literal["canvas", "moodle", "csv"]
FORMATS: tuple[Format, ...] = ("canvas", "moodle", "csv")
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CSV_COLUMNS = (
    "student", "assignment", "score", "max_score", "status", "submitted_at", "submitted_from",
    "due_at", "late_by_hours", "late_penalty_pct", "override_score", "override_reason",
    "final_score",
)  # fmt: skip
SECONDS_PER_DAY = 86400


@dataclass(frozen=True)
class GradeRow:
    """One student's grade for one assignment, as an LMS gets it."""

    student: str
    assignment: str
    score: float | None  # None: not submitted (or the grader broke)
    max_score: float
    status: str  # graded, not submitted, grader error
    submitted_at: str | None = None
    submitted_from: str = ""
    due_at: str | None = None
    late_by_s: float = 0.0
    penalty_pct: float = 0.0
    override: Override | None = None

    @property
    def final(self) -> float | None:
        """The grade to import: the override, else the score less the late penalty (if any)."""
        if self.override is not None:
            return self.override.score
        if self.score is None:
            return None
        return self.score * (1 - self.penalty_pct / 100)

    @property
    def note(self) -> str:
        """What the student should know beside the number: late, penalty, set by hand."""
        parts = []
        if self.late_by_s > 0:
            parts.append(f"handed in {_duration(self.late_by_s)} after the deadline {self.due_at}")
            if self.penalty_pct:
                parts.append(f"late penalty {self.penalty_pct:g}%")
        if self.override is not None:
            parts.append(f"grade set by the instructor: {self.override.reason}")
        return "; ".join(parts)


def parse_deadlines(values: Iterable[str]) -> dict[str, str]:
    """``[ASSIGNMENT=]TIME`` items (ISO 8601; without an offset, this computer's local time) as
    ISO times in UTC by assignment (``*``: every assignment without a deadline of its own).

    Raises:
        ValueError: an unknown assignment or a time that cannot be read.
    """
    deadlines = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep:
            name, text = ALL_ASSIGNMENTS, value
        if name != ALL_ASSIGNMENTS and name not in ASSIGNMENTS:
            raise ValueError(f"unknown assignment {name!r} in --deadline {value!r}")
        when = parse_time(text)
        if when is None:
            raise ValueError(f"--deadline {value!r}: not a time (use e.g. 2026-03-01T23:59+09:00)")
        deadlines[name] = when
    return deadlines


def due_at(deadlines: dict[str, str], assignment: str) -> str | None:
    return deadlines.get(assignment, deadlines.get(ALL_ASSIGNMENTS))


def late_by_s(submitted_at: str | None, due: str | None) -> float:
    """How many seconds after the deadline a file was handed in (0: on time or unknown)."""
    if not submitted_at or not due:
        return 0.0
    delta = datetime.datetime.fromisoformat(submitted_at) - datetime.datetime.fromisoformat(due)
    return max(0.0, delta.total_seconds())


def penalty_pct(late_s: float, per_day_pct: float | None) -> float:
    """``per_day_pct`` per started day late, at most 100 (None or 0: no penalty)."""
    if not per_day_pct or late_s <= 0:
        return 0.0
    return min(100.0, math.ceil(late_s / SECONDS_PER_DAY) * per_day_pct)


def grade_rows(
    book: Gradebook,
    *,
    students: Iterable[str] | None = None,
    deadlines: dict[str, str] | None = None,
    late_penalty_pct: float | None = None,
) -> list[GradeRow]:
    """Every student's row for every assignment the class was graded on, in catalog order.

    ``deadlines`` add to (and win over) the ones recorded in the gradebook.
    """
    subs = book.submissions()
    maxima = max_points(subs)
    due = {**book.deadlines(), **(deadlines or {})}
    overrides = book.overrides()
    by_key = {(s.student, s.assignment): s for s in subs}
    names = [a for a in ASSIGNMENTS if a in maxima or any(k[1] == a for k in overrides)]
    rows = []
    for student in students if students is not None else book.students():
        for assignment in names:
            sub = by_key.get((student, assignment))
            override = overrides.get((student, assignment))
            deadline = due_at(due, assignment)
            if sub is None:
                rows.append(GradeRow(student, assignment, None, maxima.get(assignment, 0.0),
                                     "not submitted", due_at=deadline, override=override))  # fmt: skip
                continue
            late = late_by_s(sub.submitted_at, deadline)
            rows.append(
                GradeRow(
                    student, assignment, sub.score if sub.status == "graded" else None,
                    maxima.get(assignment, sub.max_score),
                    "graded" if sub.status == "graded" else "grader error", sub.submitted_at,
                    sub.submitted_from, deadline, late, penalty_pct(late, late_penalty_pct),
                    override,
                )
            )  # fmt: skip
    return rows


def export_grades(
    book: Gradebook,
    path: Path,
    fmt: Format,
    *,
    students: Iterable[str] | None = None,
    deadlines: dict[str, str] | None = None,
    late_penalty_pct: float | None = None,
) -> list[GradeRow]:
    """Write the class's grades in ``fmt`` to ``path`` (private, atomically); returns the rows."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    rows = grade_rows(
        book, students=students, deadlines=deadlines, late_penalty_pct=late_penalty_pct
    )
    table = {"canvas": canvas_table, "moodle": moodle_table, "csv": long_table}[fmt](rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(table)
    write_atomic(Path(path), buffer.getvalue())
    return rows


def _assignments(rows: list[GradeRow]) -> list[str]:
    return list(dict.fromkeys(r.assignment for r in rows))


def _by_student(rows: list[GradeRow]) -> dict[str, dict[str, GradeRow]]:
    table: dict[str, dict[str, GradeRow]] = {}
    for r in rows:
        table.setdefault(r.student, {})[r.assignment] = r
    return table


def _number(x: float | None) -> str:
    return "" if x is None else f"{round(x, 6):g}"


def canvas_table(rows: list[GradeRow]) -> list[list[str]]:
    names = _assignments(rows)
    maxima = {r.assignment: r.max_score for r in rows}
    table = [[*CANVAS_COLUMNS, *names], [f"    {POINTS_POSSIBLE}", "", "", "", "",
                                         *(_number(maxima[a]) for a in names)]]  # fmt: skip
    for student, mine in _by_student(rows).items():
        cell = _safe_cell(student)
        table.append([cell, "", "", cell, "", *(_number(mine[a].final) for a in names)])
    return table


def moodle_table(rows: list[GradeRow]) -> list[list[str]]:
    names = _assignments(rows)
    header = ["username"]
    for a in names:
        header += [a, f"{a} feedback"]
    table = [header]
    for student, mine in _by_student(rows).items():
        line = [_safe_cell(student)]
        for a in names:
            line += [_number(mine[a].final), _safe_cell(mine[a].note)]
        table.append(line)
    return table


def long_table(rows: list[GradeRow]) -> list[list[str]]:
    table = [list(CSV_COLUMNS)]
    for r in rows:
        table.append([
            _safe_cell(r.student), r.assignment, _number(r.score), _number(r.max_score), r.status,
            r.submitted_at or "", r.submitted_from, r.due_at or "",
            _number(r.late_by_s / 3600) if r.late_by_s else "", _number(r.penalty_pct or None),
            _number(r.override.score) if r.override else "",
            _safe_cell(r.override.reason) if r.override else "", _number(r.final),
        ])  # fmt: skip
    return table


def late_lines(book: Gradebook, students: Iterable[str] | None = None) -> list[str]:
    """One line per late submission (for the end of ``aimath grade``), given deadlines."""
    return [
        f"{r.student} {r.assignment}: {r.note}"
        for r in grade_rows(book, students=students)
        if r.late_by_s > 0
    ]


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{max(minutes, 1)} min" if seconds >= 60 else f"{seconds:.0f} s"
