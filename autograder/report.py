"""Student feedback: the self-check report printed by ``aimath check``.

    >>> print_check_report(results, Console())

One table per assignment (test, points, status), the feedback of every test that did not pass,
then the total.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .course import ASSIGNMENTS
from .results import TestResult, summarize

STATUS_STYLES = {
    "passed": ("passed", "green"),
    "failed": ("FAILED", "bold red"),
    "not_attempted": ("not attempted", "yellow"),
    "error": ("GRADER ERROR", "bold magenta"),
}


def _points(x: float) -> str:
    return f"{x:g}"


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def print_check_report(
    results: list[TestResult],
    console: Console,
    *,
    source: str = "",
    notes: dict[str, list[str]] | None = None,
) -> None:
    """Print one table per assignment, the notes on its file, and the total score."""
    notes = notes or {}
    for summary in summarize(results):
        assignment = ASSIGNMENTS.get(summary.assignment)
        title = f"{summary.assignment}" + (f" ({assignment.title})" if assignment else "")
        for note in notes.get(summary.assignment, ()):
            console.print(Text(f"Note: {note}", style="yellow"), soft_wrap=True)
        table = Table(title=Text(title), title_justify="left", expand=False)
        table.add_column("#", no_wrap=True)
        table.add_column("test", overflow="fold", max_width=40)
        table.add_column("points", justify="right", no_wrap=True)
        table.add_column("status", no_wrap=True)
        for r in results:
            if r.assignment != summary.assignment:
                continue
            label, style = STATUS_STYLES[r.status]
            name = r.name + (" [hidden]" if r.hidden else "")
            table.add_row(  # Text: a name such as "x [hidden]" is not rich markup
                Text(r.number), Text(name), f"{_points(r.score)}/{_points(r.max_score)}",
                Text(label, style=style),
            )  # fmt: skip
        console.print(table)
        for r in results:
            if r.assignment == summary.assignment and r.status != "passed":
                label, style = STATUS_STYLES[r.status]
                console.print(Text(f"{r.number} {r.name}: {label}", style=style), soft_wrap=True)
                console.print(Text(_indent(r.output or "(no message)")), soft_wrap=True)
        counts = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in summary.counts.items() if n)
        console.print(
            f"  {summary.assignment}: {_points(summary.score)}/{_points(summary.max_score)} "
            f"points ({counts})\n",
            soft_wrap=True,
        )
    total = sum(r.score for r in results)
    max_total = sum(r.max_score for r in results)
    where = f" for {source}" if source else ""
    style = "bold green" if total == max_total else "bold"
    line = Text(f"Total{where}: {_points(total)}/{_points(max_total)} points", style=style)
    console.print(line, soft_wrap=True)
