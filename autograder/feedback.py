"""What ``aimath grade`` leaves behind: each student's feedback (JSON, HTML) and the class summary.

    >>> write_feedback(book, Path("results/feedback"), ["alice", "bob"])
    >>> print_class_summary(run, class_summary(book, run.students), Console())

``feedback/<student>.json`` is Gradescope's results.json and ``feedback/<student>.html`` a
self-contained page (inline CSS, no scripts, readable on a phone). Both are meant for the student:
hidden tests show their name, points and status but not their output (which may hold the inputs
and the reference's values) unless the instructor asks for ``reveal_hidden``. Every piece of text
that came from a submission is escaped with ``html.escape``.
"""

from __future__ import annotations

import html
import json
import re
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from .course import ASSIGNMENTS
from .gradebook import Gradebook, StoredSubmission, make_private_dir, max_points, write_atomic
from .results import TestResult, to_gradescope

if TYPE_CHECKING:
    from .batch import ClassRun

HIDDEN_NOTE = "Hidden test: its inputs, expected values and output are not shown."
GRADER_BROKE = (
    "could not be graded: the grader itself broke (not your fault; your instructor has been told)."
)
STATUS_LABELS = {
    "passed": "passed",
    "failed": "FAILED",
    "not_attempted": "not attempted",
    "error": "GRADER ERROR",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# -- kinds of failure ---------------------------------------------------------------------------
FAILURE_KINDS = (
    # (kind, fragments of the engine's messages that mark it), checked in this order
    ("file could not be loaded", ("could not be loaded", "could not be read", "is too large",
                                  "is not UTF-8 text")),
    ("time budget", (" s in all, over ",)),
    ("time limit", ("did not finish within its time limit",)),
    ("crashed or exited", ("the process running", "times; the remaining tests were not run")),
    ("unsupported return value", ("cannot be graded",)),
    ("missing function", ("has no function",)),
    ("raised an exception", (" raised ",)),
)  # fmt: skip


# The exception class that ended a test (the engine's "kind:<class>" tag) -> its kind.
KINDS_BY_EXCEPTION = {
    "LoadFailed": "file could not be loaded",
    "CallTimeout": "time limit",
    "BudgetExceeded": "time budget",
    "TooManyCrashes": "crashed or exited",
    "WorkerCrashed": "crashed or exited",
    "ProtocolError": "crashed or exited",
    "UnsupportedReturn": "unsupported return value",
    "MissingFunction": "missing function",
    "StudentRaised": "raised an exception",
    "CheckError": "wrong answer",
    "AssertionError": "wrong answer",
}


def failure_kind(result: TestResult) -> str:
    """Why a test did not pass, in a few words: 'wrong answer', 'time limit', 'not attempted'...

    Read from the engine's ``kind:<exception class>`` tag; for records without one, from the
    engine's message (the part before what the student's code printed).
    """
    if result.status == "not_attempted":
        return "not attempted"
    if result.status == "error":
        return "grader error"
    message = result.output.split("\n\nYour code printed:")[0]
    for tag in result.tags:
        if tag.startswith("kind:") and tag[5:] in KINDS_BY_EXCEPTION:
            kind = KINDS_BY_EXCEPTION[tag[5:]]
            if kind == "wrong answer" and _is_shape_failure(message):
                return "wrong shape"
            return kind
    for kind, fragments in FAILURE_KINDS:
        if any(f in message for f in fragments):
            return kind
    return "wrong shape" if _is_shape_failure(message) else "wrong answer"


def _is_shape_failure(message: str) -> bool:
    """A check that failed on the shape of what came back (checks.py: 'returned an array of shape
    (3,); expected shape (2,)', or a single number where an array was expected)."""
    first = message.split("\n", 1)[0]
    return "; expected shape " in first or "expected an array of shape" in first


# -- one student's feedback ---------------------------------------------------------------------
@dataclass(frozen=True)
class StudentFeedback:
    """Everything the feedback files of one student show."""

    student: str
    results: list[TestResult]
    submissions: list[StoredSubmission]
    problem: str | None = None
    possible: dict[str, float] | None = None  # each assignment's maximum, as in grades.csv

    @classmethod
    def load(
        cls, book: Gradebook, student: str, possible: dict[str, float] | None = None
    ) -> StudentFeedback:
        if possible is None:
            possible = max_points(book.submissions())
        return cls(student, book.results(student), book.submissions(student), book.problem(student),
                   possible)  # fmt: skip

    @property
    def course_max_score(self) -> float:
        """The points of every assignment graded in the class (handed in by this student or
        not): what the total is out of."""
        possible = dict(self.possible or {})
        for s in self.submissions:
            possible.setdefault(s.assignment, s.max_score)
        return sum(possible.values()) if possible else self.max_score

    def total_line(self) -> str:
        """'Total: 38/418 points (1 of 10 assignments handed in, 38/38 on it)'."""
        course = self.course_max_score
        handed = len({s.assignment for s in self.submissions})
        graded = len(set(self.possible or {}) | {s.assignment for s in self.submissions})
        line = f"Total: {self.score:g}/{course:g} points"
        if handed < graded:
            it = "it" if handed == 1 else "them"
            line += (f" ({handed} of {graded} assignments handed in, {self.score:g}/"
                     f"{self.max_score:g} on {it})")  # fmt: skip
        return line

    @property
    def score(self) -> float:
        return sum(r.score for r in self.results)

    @property
    def max_score(self) -> float:
        return sum(r.max_score for r in self.results)


def hidden_summary(result: TestResult) -> str:
    """What a student may read of a hidden test that did not pass: the kind of failure only
    ('wrong answer', 'wrong shape', 'time limit', 'raised an exception'...), never its inputs,
    expected values or output."""
    if result.status in ("passed", "not_attempted") or not result.output:
        return HIDDEN_NOTE
    return f"{HIDDEN_NOTE}\nWhat went wrong: {failure_kind(result)}."


def _redact(result: TestResult, reveal_hidden: bool) -> str:
    shown = reveal_hidden or not result.hidden or not result.output
    return result.output if shown else hidden_summary(result)


def overview(fb: StudentFeedback) -> str:
    """One line per assignment: its score, 'not submitted' or why it was not graded."""
    lines = [f"Your submission was not graded: {fb.problem}"] if fb.problem else []
    lines.append(fb.total_line())
    by_name = {s.assignment: s for s in fb.submissions}
    for name in ASSIGNMENTS:
        sub = by_name.get(name)
        if sub is None:
            lines.append(f"{name}: not submitted")
        elif sub.status == "error":
            lines.append(f"{name} ({sub.filename}) {GRADER_BROKE}")
        else:
            lines.append(f"{name}: {sub.score:g}/{sub.max_score:g} points")
            lines += [f"  note: {note}" for note in sub.message.splitlines() if note.strip()]
    return "\n".join(lines)


def feedback_json(fb: StudentFeedback, *, reveal_hidden: bool = False) -> dict:
    """Gradescope's results.json for one student (hidden tests' output withheld)."""
    results = [replace(r, output=_redact(r, reveal_hidden)) for r in fb.results]
    elapsed = sum(r.execution_time for r in fb.results)
    return to_gradescope(results, execution_time=elapsed, output=overview(fb))


def _e(text: str) -> str:
    """Escape untrusted text for HTML (control characters dropped)."""
    return html.escape(_CONTROL.sub("", text), quote=True)


CSS = """
:root{color-scheme:light}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans KR","Apple SD Gothic Neo",
sans-serif;max-width:46rem;margin:0 auto;padding:1rem;line-height:1.45;color:#1b1b1b;
background:#fff;overflow-wrap:break-word}
h1{font-size:1.35rem;margin:.2rem 0}
h2{font-size:1.1rem;margin:1.8rem 0 .4rem;padding-bottom:.2rem;border-bottom:1px solid #ddd}
h3{font-size:1rem;margin:1rem 0 .3rem}
.score{font-weight:600}
.notice{border-left:4px solid #b00020;background:#fdf0f2;padding:.5rem .8rem;margin:.8rem 0}
.note{border-left:4px solid #8a5a00;background:#fdf7ec;padding:.3rem .8rem;margin:.6rem 0}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;padding:.3rem .35rem;border-bottom:1px solid #eee;vertical-align:top;
overflow-wrap:normal;word-break:normal}
th,td.pts,td.status{white-space:nowrap}td.pts{text-align:right}
td.name{overflow-wrap:anywhere}
pre{white-space:pre-wrap;word-break:break-word;background:#f5f5f5;padding:.6rem;
border-radius:4px;font-size:.82rem;margin:.3rem 0 1rem}
.passed{color:#17692b}.failed{color:#b00020}.not_attempted{color:#8a5a00}.error{color:#7b1fa2}
.muted{color:#666}
"""


def render_html(fb: StudentFeedback, *, reveal_hidden: bool = False) -> str:
    """A self-contained feedback page: inline CSS, no scripts, no external assets."""
    by_name = {s.assignment: s for s in fb.submissions}
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Feedback: {_e(fb.student)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>Feedback for {_e(fb.student)}</h1>",
        f'<p class="score">{_e(fb.total_line())}</p>',
    ]
    if fb.problem:
        parts.append(f'<p class="notice">Your submission was not graded: {_e(fb.problem)}</p>')
    for name, assignment in ASSIGNMENTS.items():
        sub = by_name.get(name)
        title = f'{_e(name)} <span class="muted">({_e(assignment.title)})</span>'
        if sub is None:
            parts.append(f'<h2>{title}</h2>\n<p class="muted">Not submitted.</p>')
            continue
        if sub.status == "error":
            parts.append(
                f'<h2>{title}</h2>\n<p class="notice">{_e(sub.filename)} {_e(GRADER_BROKE)}</p>'
            )
            continue
        results = [r for r in fb.results if r.assignment == name]
        parts.append(f'<h2>{title} <span class="score">{sub.score:g}/{sub.max_score:g}</span></h2>')
        parts.append(f'<p class="muted">Graded file: {_e(sub.filename)}</p>')
        notes = [n for n in sub.message.splitlines() if n.strip()]
        if notes:
            items = "".join(f"<li>{_e(n)}</li>" for n in notes)
            parts.append(f'<div class="note"><p>Notes on your file:</p><ul>{items}</ul></div>')
        parts.append(
            "<table>\n<thead><tr><th>#</th><th>test</th><th>points</th><th>status</th></tr>"
            "</thead>\n<tbody>"
        )
        for r in results:
            hidden = ' <span class="muted">(hidden)</span>' if r.hidden else ""
            parts.append(
                f'<tr><td class="pts">{_e(r.number)}</td><td class="name">{_e(r.name)}{hidden}</td>'
                f'<td class="pts">{r.score:g}/{r.max_score:g}</td>'
                f'<td class="status {r.status}">{STATUS_LABELS[r.status]}</td></tr>'
            )
        parts.append("</tbody>\n</table>")
        for r in results:
            if r.status == "passed":
                continue
            parts.append(
                f'<h3>{_e(r.number)} {_e(r.name)}: <span class="{r.status}">'
                f"{STATUS_LABELS[r.status]}</span></h3>"
            )
            parts.append(f"<pre>{_e(_redact(r, reveal_hidden) or '(no message)')}</pre>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def write_feedback(
    book: Gradebook, folder: Path, students: Iterable[str], *, reveal_hidden: bool = False
) -> None:
    """feedback/<student>.json and feedback/<student>.html for every student."""
    folder = Path(folder)
    make_private_dir(folder)  # 0700; files are written 0600
    possible = max_points(book.submissions())
    for student in students:
        fb = StudentFeedback.load(book, student, possible)
        data = feedback_json(fb, reveal_hidden=reveal_hidden)
        write_atomic(folder / f"{student}.json", json.dumps(data, indent=2, ensure_ascii=False))
        write_atomic(folder / f"{student}.html", render_html(fb, reveal_hidden=reveal_hidden))


# -- the class summary --------------------------------------------------------------------------
@dataclass(frozen=True)
class AssignmentStats:
    """Scores of one assignment over the students who submitted it."""

    assignment: str
    submitted: int
    max_score: float
    mean: float
    median: float
    full_marks: int


@dataclass
class ClassSummary:
    """Per assignment: who submitted, mean and median; the total; failures by kind."""

    students: int
    assignments: list[AssignmentStats] = field(default_factory=list)
    total_max: float = 0.0
    total_mean: float = 0.0
    total_median: float = 0.0
    kinds: dict[str, tuple[int, int]] = field(default_factory=dict)  # kind -> (tests, students)
    not_graded: dict[str, str] = field(default_factory=dict)  # student -> why


def class_summary(book: Gradebook, students: list[str]) -> ClassSummary:
    """Statistics of a class from its gradebook (students not in ``students`` are left out)."""
    wanted = set(students)
    subs = [s for s in book.submissions() if s.student in wanted]
    summary = ClassSummary(students=len(students))
    totals = dict.fromkeys(students, 0.0)
    for name in ASSIGNMENTS:
        graded = [s for s in subs if s.assignment == name and s.status == "graded"]
        if not graded:
            continue
        scores = [s.score for s in graded]
        max_score = max(s.max_score for s in graded)
        summary.assignments.append(
            AssignmentStats(
                assignment=name, submitted=len(graded), max_score=max_score,
                mean=statistics.fmean(scores), median=statistics.median(scores),
                full_marks=sum(s.score == s.max_score for s in graded),
            )
        )  # fmt: skip
        summary.total_max += max_score
        for s in graded:
            totals[s.student] += s.score
    if totals:
        summary.total_mean = statistics.fmean(totals.values())
        summary.total_median = statistics.median(totals.values())
    tests: dict[str, int] = {}
    who: dict[str, set[str]] = {}
    for student in students:
        for r in book.results(student):
            if r.status != "passed":
                kind = failure_kind(r)
                tests[kind] = tests.get(kind, 0) + 1
                who.setdefault(kind, set()).add(student)
        problem = book.problem(student)
        if problem:
            summary.not_graded[student] = problem
    for s in subs:
        if s.status == "error":
            summary.not_graded.setdefault(s.student, f"{s.assignment}: grader error: {s.message}")
    summary.kinds = {k: (tests[k], len(who[k])) for k in sorted(tests, key=lambda k: -tests[k])}
    return summary


def print_class_summary(run: ClassRun, summary: ClassSummary, console: Console) -> None:
    """The table printed at the end of ``aimath grade``."""
    unchanged = f", {len(run.skipped)} unchanged" if run.skipped else ""
    if len(run.recorded) < len(run.students):
        unchanged += f", {len(run.students) - len(run.recorded)} not yet graded"
    console.print(
        f"\n[bold]Class summary[/bold]: {summary.students} students "
        f"({len(run.graded)} graded now{unchanged}) from {run.source} in {run.duration_s:.1f} s",
        highlight=False,
    )
    table = Table(title_justify="left")
    for column, justify in (("assignment", "left"), ("submitted", "right"), ("mean", "right"),
                            ("median", "right"), ("max", "right"), ("full marks", "right")):  # fmt: skip
        table.add_column(column, justify=justify)
    for a in summary.assignments:
        table.add_row(
            a.assignment, str(a.submitted), f"{a.mean:.1f}", f"{a.median:g}",
            f"{a.max_score:g}", str(a.full_marks),
        )  # fmt: skip
    table.add_row(
        "total", str(summary.students), f"{summary.total_mean:.1f}", f"{summary.total_median:g}",
        f"{summary.total_max:g}", "", style="bold",
    )  # fmt: skip
    console.print(table)
    if summary.kinds:
        kinds = Table(title="Tests not passed, by kind", title_justify="left")
        kinds.add_column("kind")
        kinds.add_column("tests", justify="right")
        kinds.add_column("students", justify="right")
        for kind, (n_tests, n_students) in summary.kinds.items():
            kinds.add_row(kind, str(n_tests), str(n_students))
        console.print(kinds)
    for student, why in summary.not_graded.items():
        console.print(f"[bold red]not graded[/bold red] {student}: {why}", highlight=False)
    for warning in run.warnings:
        console.print(f"[yellow]warning[/yellow]: {warning}", highlight=False)
    if run.interrupted:
        console.print("[bold]Interrupted[/bold]: run the same command again to finish the class.")
    out = run.out_dir
    console.print(
        f"Wrote {out / 'gradebook.sqlite'}, {out / 'grades.csv'} and {out / 'feedback'}/",
        highlight=False,
        soft_wrap=True,
    )


# -- progress -----------------------------------------------------------------------------------
class ClassProgress:
    """A rich progress bar with ETA on a terminal; otherwise one plain line per graded student.

    >>> with ClassProgress(console) as progress:
    ...     grade_class(folder, progress=progress.start)
    """

    def __init__(self, console: Console, *, plain: bool | None = None) -> None:
        self.console = console
        self.plain = not console.is_terminal if plain is None else plain
        self.bar = None
        self.total = 0
        self.done = 0
        self.unchanged = 0
        self.started = time.monotonic()

    def __enter__(self) -> ClassProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
        if self.plain and self.unchanged:
            self.console.print(
                f"{self.unchanged} students unchanged since they were graded (--force regrades)",
                highlight=False,
            )

    def start(self, total: int) -> Callable[[str, str, float], None]:
        self.total = total
        if not self.plain:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                TextColumn("ETA"), TimeRemainingColumn(), TextColumn("{task.description}"),
                console=self.console, transient=False,
            )  # fmt: skip
            self.task = self.bar.add_task("", total=total)
            self.bar.start()
        return self.update

    def update(self, student: str, what: str, duration_s: float = 0.0) -> None:
        self.done += 1
        if what == "unchanged":
            self.unchanged += 1
        if self.bar is not None:
            self.bar.update(self.task, advance=1, description=student)
            if what.startswith(("rejected", "GRADER ERROR")):
                self.bar.console.print(f"{student}: {what}", highlight=False, markup=False)
            return
        if what == "unchanged":
            return
        width = len(str(self.total))
        took = f" ({duration_s:.1f} s)" if duration_s else ""
        self.console.print(
            f"[{self.done:>{width}}/{self.total}] {student}: {what}{took}",
            highlight=False, markup=False, soft_wrap=True,
        )  # fmt: skip
