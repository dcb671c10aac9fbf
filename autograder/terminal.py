"""What is printed on a terminal: the self-check report of ``aimath check``.

    >>> print_check_report(results, Console(), lang="ko")
    >>> print_class_summary(run, class_summary(book, run.students), Console())  # aimath grade

One table per assignment (test, points, status), the feedback of every test that did not pass,
then the total, in English or Korean (``lang``): each failure is rendered from its data
(``TestResult.failure``), the labels from the catalog ``autograder/locales/terminal.toml``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .course import ASSIGNMENTS
from .failures import Cause, group_failures, kind_label, result_text
from .i18n import DEFAULT_LANG, render_note, text
from .results import TestResult, summarize

if TYPE_CHECKING:
    from .batch import ClassRun
    from .class_report import ClassSummary

STATUS_STYLES = {
    "passed": ("passed", "green"),
    "failed": ("FAILED", "bold red"),
    "not_attempted": ("not attempted", "yellow"),
    "error": ("GRADER ERROR", "bold magenta"),
}


def status_label(status: str, lang: str = DEFAULT_LANG) -> str:
    """A status as the reports show it ('FAILED', '실패')."""
    return text("terminal.status_" + status, lang)


def _points(x: float) -> str:
    return f"{x:g}"


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def test_numbers(results: list[TestResult], lang: str = DEFAULT_LANG) -> str:
    """'1.1-1.16' for a run of consecutive tests, else '1.2, 1.5, 1.9' (at most eight)."""
    numbers = [r.number for r in results]
    parts = [n.rsplit(".", 1) for n in numbers]
    if all(len(p) == 2 and p[1].isdigit() for p in parts) and len({p[0] for p in parts}) == 1:
        idx = [int(p[1]) for p in parts]
        if idx == list(range(idx[0], idx[0] + len(idx))) and len(idx) > 2:
            return f"{numbers[0]}-{numbers[-1]}"
    shown = ", ".join(numbers[:8])
    if len(numbers) <= 8:
        return shown
    return text("terminal.numbers_more", lang, shown=shown, n=len(numbers) - 8)


def is_not_graded(shared: list[Cause], singles: list, mine: list) -> bool:
    """Whether an assignment's only cause is that its file was not handed in."""
    return (len(shared) == 1 and not singles and len(shared[0].members) == len(mine)
            and shared[0].kind == "not submitted")  # fmt: skip


def print_check_report(
    results: list[TestResult],
    console: Console,
    *,
    source: str = "",
    notes: dict[str, list[str]] | None = None,
    lang: str = DEFAULT_LANG,
) -> None:
    """Print one table per assignment, the notes on its file, and the total score, in ``lang``.

    What several tests share (a file that could not be loaded, a stub, an assignment not handed
    in) is said once, before the table; only the other failures follow it, test by test.
    """
    notes = notes or {}

    def t(key: str, **params: object) -> str:
        return text("terminal." + key, lang, **params)

    for summary in summarize(results):
        assignment = ASSIGNMENTS.get(summary.assignment)
        title = f"{summary.assignment}" + (f" ({assignment.title})" if assignment else "")
        mine = [r for r in results if r.assignment == summary.assignment]
        shared, singles = group_failures(mine, lang)
        points = f"{_points(summary.score)}/{_points(summary.max_score)}"
        if is_not_graded(shared, singles, mine):
            console.print(Text(title, style="bold"), soft_wrap=True)
            console.print(Text("  " + t("not_graded_line", cause=shared[0].text, n=len(mine),
                                        points=points) + "\n", style="yellow"), soft_wrap=True)  # fmt: skip
            continue
        console.print(Text(title, style="bold"), soft_wrap=True)
        for note in notes.get(summary.assignment, ()):
            console.print(Text(t("note", note=render_note(note, lang)), style="yellow"),
                          soft_wrap=True)  # fmt: skip
        for cause in shared:
            members = cause.members
            style = STATUS_STYLES[members[0].status][1]
            key = "shared_every" if len(members) == len(mine) else "shared"
            console.print(Text(t(key, n=len(members), status=status_label(members[0].status, lang),
                                 numbers=test_numbers(members, lang)), style=style), soft_wrap=True)  # fmt: skip
            console.print(Text(_indent(cause.text)), soft_wrap=True)
        table = Table(expand=False)
        table.add_column("#", no_wrap=True)
        table.add_column(t("column_test"), overflow="fold", max_width=40)
        table.add_column(t("column_points"), justify="right", no_wrap=True)
        table.add_column(t("column_status"), no_wrap=True)
        for r in mine:
            style = STATUS_STYLES[r.status][1]
            name = r.name + (" " + t("hidden_tag") if r.hidden else "")
            table.add_row(  # Text: a name such as "x [hidden]" is not rich markup
                Text(r.number), Text(name), f"{_points(r.score)}/{_points(r.max_score)}",
                Text(status_label(r.status, lang), style=style),
            )  # fmt: skip
        console.print(table)
        for r in singles:
            style = STATUS_STYLES[r.status][1]
            console.print(Text(f"{r.number} {r.name}: {status_label(r.status, lang)}", style=style),
                          soft_wrap=True)  # fmt: skip
            console.print(Text(_indent(result_text(r, lang) or t("no_message"))), soft_wrap=True)
        counts = ", ".join(f"{n} {t('count_' + s)}" for s, n in summary.counts.items() if n)
        console.print("  " + t("assignment_total", assignment=summary.assignment, points=points,
                               counts=counts) + "\n", soft_wrap=True)  # fmt: skip
    total = sum(r.score for r in results)
    max_total = sum(r.max_score for r in results)
    style = "bold green" if total == max_total else "bold"
    points = f"{_points(total)}/{_points(max_total)}"
    line = t("total_for", source=source, points=points) if source else t("total", points=points)
    console.print(Text(line, style=style), soft_wrap=True)


# -- what `aimath grade` prints -----------------------------------------------------------------
def print_class_summary(
    run: ClassRun, summary: ClassSummary, console: Console, *, lang: str = DEFAULT_LANG
) -> None:
    """The table printed at the end of ``aimath grade``, in ``lang``."""

    def say(key: str, **params: object) -> str:
        return text("terminal.summary_" + key, lang, **params)

    unchanged = say("unchanged", n=len(run.skipped)) if run.skipped else ""
    if len(run.recorded) < len(run.students):
        unchanged += say("not_yet_graded", n=len(run.students) - len(run.recorded))
    console.print(Text("\n") + Text(say("title"), style="bold") + Text(
        say("line", students=summary.students, graded=len(run.graded), unchanged=unchanged,
          source=str(run.source), seconds=run.duration_s)), highlight=False)  # fmt: skip
    table = Table(title_justify="left")
    for column, justify in (("assignment", "left"), ("submitted", "right"), ("mean", "right"),
                            ("median", "right"), ("max", "right"), ("full_marks", "right")):  # fmt: skip
        table.add_column(say("column_" + column), justify=justify)
    for a in summary.assignments:
        table.add_row(
            a.assignment, str(a.submitted), f"{a.mean:.1f}", f"{a.median:g}",
            f"{a.max_score:g}", str(a.full_marks),
        )  # fmt: skip
    table.add_row(
        say("total"), str(summary.students), f"{summary.total_mean:.1f}",
        f"{summary.total_median:g}", f"{summary.total_max:g}", "", style="bold",
    )  # fmt: skip
    console.print(table)
    if summary.kinds:
        kinds = Table(title=say("kinds_title"), title_justify="left")
        kinds.add_column(say("column_kind"))
        kinds.add_column(say("column_tests"), justify="right")
        kinds.add_column(say("column_students"), justify="right")
        for kind, (n_tests, n_students) in summary.kinds.items():
            kinds.add_row(kind_label(kind, lang), str(n_tests), str(n_students))
        console.print(kinds)
    for student, why in summary.not_graded.items():
        console.print(Text(say("not_graded"), style="bold red") + Text(f" {student}: {why}"),
                      highlight=False)  # fmt: skip
    for warning in run.warnings:
        console.print(Text(say("warning"), style="yellow") + Text(f": {warning}"), highlight=False)
    if run.interrupted:
        console.print(Text(say("interrupted"), style="bold") + Text(": " + say("interrupted_line")))
    out = run.out_dir
    console.print(
        say("wrote", gradebook=str(out / "gradebook.sqlite"), grades=str(out / "grades.csv"),
          feedback=f"{out / 'feedback'}/"),
        highlight=False, markup=False, soft_wrap=True,
    )  # fmt: skip


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
