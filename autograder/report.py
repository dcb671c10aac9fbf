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


def _numbers(results: list[TestResult]) -> str:
    """'1.1-1.16' for a run of consecutive tests, else '1.2, 1.5, 1.9' (at most eight)."""
    numbers = [r.number for r in results]
    parts = [n.rsplit(".", 1) for n in numbers]
    if all(len(p) == 2 and p[1].isdigit() for p in parts) and len({p[0] for p in parts}) == 1:
        idx = [int(p[1]) for p in parts]
        if idx == list(range(idx[0], idx[0] + len(idx))) and len(idx) > 2:
            return f"{numbers[0]}-{numbers[-1]}"
    shown = ", ".join(numbers[:8])
    return shown + (f" and {len(numbers) - 8} more" if len(numbers) > 8 else "")


def _message(result: TestResult) -> str:
    return (result.output or "").split("\n\nYour code printed:")[0].strip()


def group_failures(results: list[TestResult]) -> tuple[list[tuple[str, list]], list[TestResult]]:
    """The causes several tests share, said once, and the tests whose failure is their own.

    A file that was not submitted or could not be loaded fails every test with one message; a stub
    raises NotImplementedError in every test (one cause: which functions are not done yet). Any
    other message that is the same, word for word, in two tests or more is one cause too.
    """
    failing = [r for r in results if r.status != "passed"]
    groups: dict[str, list[TestResult]] = {}
    for r in failing:
        message = _message(r)
        first = message.split("\n", 1)[0]
        if r.status == "not_attempted" and " raised NotImplementedError" in first:
            key = "not attempted"
        elif " was not submitted, so " in first:
            key = first.split(" was not submitted, so ", 1)[0] + " was not submitted"
        else:
            key = message
        groups.setdefault(key, []).append(r)
    shared, singles = [], []
    for key, members in groups.items():
        if key == "not attempted":
            functions = sorted({_message(r).split("(", 1)[0] for r in members})
            shared.append((f"not attempted yet: {', '.join(functions)} still raise "
                           "NotImplementedError (fill them in, then check again)", members))  # fmt: skip
        elif key.endswith(" was not submitted"):
            shared.append((f"{key}, so its tests were not graded", members))
        elif len(members) > 1 and key:
            shared.append((key, members))
        else:
            singles.extend(members)
    singles.sort(key=failing.index)
    return shared, singles


def print_check_report(
    results: list[TestResult],
    console: Console,
    *,
    source: str = "",
    notes: dict[str, list[str]] | None = None,
) -> None:
    """Print one table per assignment, the notes on its file, and the total score.

    What several tests share (a file that could not be loaded, a stub, an assignment not handed
    in) is said once, before the table; only the other failures follow it, test by test.
    """
    notes = notes or {}
    for summary in summarize(results):
        assignment = ASSIGNMENTS.get(summary.assignment)
        title = f"{summary.assignment}" + (f" ({assignment.title})" if assignment else "")
        mine = [r for r in results if r.assignment == summary.assignment]
        shared, singles = group_failures(mine)
        points = f"{_points(summary.score)}/{_points(summary.max_score)}"
        if len(shared) == 1 and not singles and shared[0][0].endswith("were not graded") \
                and len(shared[0][1]) == len(mine):  # fmt: skip
            console.print(Text(title, style="bold"), soft_wrap=True)
            console.print(Text(f"  {shared[0][0]}: {len(mine)} tests not attempted, {points} "
                               "points\n", style="yellow"), soft_wrap=True)  # fmt: skip
            continue
        console.print(Text(title, style="bold"), soft_wrap=True)
        for note in notes.get(summary.assignment, ()):
            console.print(Text(f"Note: {note}", style="yellow"), soft_wrap=True)
        for cause, members in shared:
            label, style = STATUS_STYLES[members[0].status]
            everything = " (every test)" if len(members) == len(mine) else ""
            console.print(Text(f"{len(members)} tests {label}{everything}, tests "
                               f"{_numbers(members)}:", style=style), soft_wrap=True)  # fmt: skip
            console.print(Text(_indent(cause)), soft_wrap=True)
        table = Table(expand=False)
        table.add_column("#", no_wrap=True)
        table.add_column("test", overflow="fold", max_width=40)
        table.add_column("points", justify="right", no_wrap=True)
        table.add_column("status", no_wrap=True)
        for r in mine:
            label, style = STATUS_STYLES[r.status]
            name = r.name + (" [hidden]" if r.hidden else "")
            table.add_row(  # Text: a name such as "x [hidden]" is not rich markup
                Text(r.number), Text(name), f"{_points(r.score)}/{_points(r.max_score)}",
                Text(label, style=style),
            )  # fmt: skip
        console.print(table)
        for r in singles:
            label, style = STATUS_STYLES[r.status]
            console.print(Text(f"{r.number} {r.name}: {label}", style=style), soft_wrap=True)
            console.print(Text(_indent(r.output or "(no message)")), soft_wrap=True)
        counts = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in summary.counts.items() if n)
        console.print(f"  {summary.assignment}: {points} points ({counts})\n", soft_wrap=True)
    total = sum(r.score for r in results)
    max_total = sum(r.max_score for r in results)
    where = f" for {source}" if source else ""
    style = "bold green" if total == max_total else "bold"
    line = Text(f"Total{where}: {_points(total)}/{_points(max_total)} points", style=style)
    console.print(line, soft_wrap=True)
