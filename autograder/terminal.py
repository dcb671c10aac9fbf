"""What is printed on a terminal: the self-check report of ``aimath check``.

    >>> print_check_report(results, Console(), lang="ko")

One table per assignment (test, points, status), the feedback of every test that did not pass,
then the total, in English or Korean (``lang``): each failure is rendered from its data
(``TestResult.failure``), the labels from the catalog ``autograder/locales/terminal.toml``.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .course import ASSIGNMENTS
from .failures import Failure
from .i18n import DEFAULT_LANG, text
from .results import TestResult, summarize

STATUS_STYLES = {
    "passed": ("passed", "green"),
    "failed": ("FAILED", "bold red"),
    "not_attempted": ("not attempted", "yellow"),
    "error": ("GRADER ERROR", "bold magenta"),
}


def status_label(status: str, lang: str = DEFAULT_LANG) -> str:
    """A status as the reports show it ('FAILED', '실패')."""
    return text("terminal.status_" + status, lang)


def failure_of(result: TestResult) -> Failure | None:
    """The failure of a test as data (None for a record without one)."""
    return Failure.from_json(result.failure) if result.failure else None


def result_text(result: TestResult, lang: str = DEFAULT_LANG, *, show_expected: bool = True) -> str:
    """A test's whole message in ``lang``: from its failure's data, else its stored output."""
    failure = failure_of(result)
    if failure is None:
        return result.output or ""
    from .plugin import render_output

    return render_output(failure, lang, show_expected=show_expected)


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


def _message(result: TestResult, lang: str = DEFAULT_LANG) -> str:
    """The failure's message without what the code printed."""
    failure = failure_of(result)
    if failure is not None:
        return failure.render(lang).strip()
    return (result.output or "").split("\n\nYour code printed:")[0].strip()


NOT_GRADED = "not graded"  # the kind of shared cause: a file not handed in (no table follows)


def group_failures(
    results: list[TestResult], lang: str = DEFAULT_LANG
) -> tuple[list[tuple[str, list]], list[TestResult]]:
    """The causes several tests share, said once, and the tests whose failure is their own.

    A file that was not submitted or could not be loaded fails every test with one message; a stub
    raises NotImplementedError in every test (one cause: which functions are not done yet). Any
    other message that is the same, word for word, in two tests or more is one cause too.
    Causes are told apart by the failures' data (their kind and message key), and said in ``lang``.
    """
    failing = [r for r in results if r.status != "passed"]
    groups: dict[tuple, list[TestResult]] = {}
    for r in failing:
        failure = failure_of(r)
        key: tuple
        if failure is not None and failure.problem.key == "engine.not_implemented":
            key = ("not attempted",)
        elif failure is not None and failure.kind == "not submitted":
            key = ("not submitted", str(failure.problem.params.get("filename", "")))
        else:
            key = ("message", _message(r, lang))
        groups.setdefault(key, []).append(r)
    shared, singles = [], []
    for key, members in groups.items():
        if key[0] == "not attempted":
            functions = sorted({str(failure_of(r).call).split("(", 1)[0] for r in members})
            shared.append((text("terminal.not_attempted_yet", lang,
                                functions=", ".join(functions)), members))  # fmt: skip
        elif key[0] == "not submitted":
            shared.append((text("terminal.not_submitted", lang, filename=key[1]), members))
        elif len(members) > 1 and key[1]:
            shared.append((key[1], members))
        else:
            singles.extend(members)
    singles.sort(key=failing.index)
    return shared, singles


def is_not_graded(shared: list[tuple[str, list]], singles: list, mine: list) -> bool:
    """Whether an assignment's only cause is that its file was not handed in."""
    if len(shared) != 1 or singles or len(shared[0][1]) != len(mine):
        return False
    first = failure_of(shared[0][1][0])
    return first is not None and first.kind == "not submitted"


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
            console.print(Text("  " + t("not_graded_line", cause=shared[0][0], n=len(mine),
                                        points=points) + "\n", style="yellow"), soft_wrap=True)  # fmt: skip
            continue
        console.print(Text(title, style="bold"), soft_wrap=True)
        for note in notes.get(summary.assignment, ()):
            console.print(Text(t("note", note=note), style="yellow"), soft_wrap=True)
        for cause, members in shared:
            style = STATUS_STYLES[members[0].status][1]
            key = "shared_every" if len(members) == len(mine) else "shared"
            console.print(Text(t(key, n=len(members), status=status_label(members[0].status, lang),
                                 numbers=_numbers(members)), style=style), soft_wrap=True)  # fmt: skip
            console.print(Text(_indent(cause)), soft_wrap=True)
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
