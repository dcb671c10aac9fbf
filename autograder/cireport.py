"""Reports for continuous integration: JUnit XML, GitHub's step summary, and the exit status.

    >>> write_junit(results, Path("junit.xml"))
    >>> write_step_summary(results, Path(os.environ["GITHUB_STEP_SUMMARY"]))
    >>> exit_status(results, attempted_only=True)
    0

Pure functions over :class:`~autograder.results.TestResult` lists. An assignment whose tests are
all ``not_attempted`` (the stubs are untouched, or the file was not handed in) is *not started*;
one whose tests all passed is *complete*; any other is *in progress*.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Literal

from .course import ASSIGNMENTS
from .results import TestResult, summarize
from .terminal import STATUS_STYLES

State = Literal["complete", "in progress", "not started"]
MAX_LINE_CHARS = 200  # a first line of output longer than this is cut (messages, table cells)

# Characters XML 1.0 forbids: C0 controls but tab, LF and CR; lone surrogates; U+FFFE, U+FFFF.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Characters with a meaning inside a GitHub markdown table cell ($ starts math), escaped by a
# backslash; < > & become HTML entities.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~$])")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 forbids written out as an escape such as ``\\x00``.

    >>> xml_safe("a\\x00b\\tc")
    'a\\\\x00b\\tc'
    """
    return _XML_FORBIDDEN.sub(_escape_char, text)


def first_line(text: str, *, max_chars: int = MAX_LINE_CHARS) -> str:
    """The first non-blank line of ``text``, stripped and cut to ``max_chars`` ("" if none).

    >>> first_line("\\n  l2_norm returned a wrong value.\\n  returned: 54.0")
    'l2_norm returned a wrong value.'
    """
    lines = _NEWLINE.split(text)  # not str.splitlines: it also breaks at \x0b, \x1c, \u2028...
    line = next((s.strip() for s in lines if s.strip()), "")
    return line if len(line) <= max_chars else line[: max_chars - 1] + "…"


def assignment_state(results: list[TestResult]) -> State:
    """Whether one assignment's tests are all passed, all not attempted, or something else.

    >>> assignment_state([r for r in results if r.assignment == "lec01_vectors"])
    'in progress'
    """
    if results and all(r.status == "passed" for r in results):
        return "complete"
    if all(r.status == "not_attempted" for r in results):
        return "not started"
    return "in progress"


def not_started(results: list[TestResult]) -> list[str]:
    """The assignments whose tests are all ``not_attempted``, in the order they appear.

    >>> not_started(results)
    ['lec02_matrices']
    """
    groups = _by_assignment(results)
    return [name for name, rs in groups.items() if assignment_state(rs) == "not started"]


def exit_status(results: list[TestResult], *, attempted_only: bool) -> int:
    """0 when every test that counts passed, else 1; ``attempted_only`` leaves out not-started ones.

    >>> exit_status(results, attempted_only=False), exit_status(results, attempted_only=True)
    (1, 0)

    Without ``attempted_only`` every test counts. With it, an assignment whose tests are all
    ``not_attempted`` does not count; an assignment with any other test counts as a whole, so a
    started assignment with a ``failed``, ``error`` or still ``not_attempted`` test gives 1.

    Decisions: when nothing at all was started (every test not attempted) and ``attempted_only``
    is set, the status is 0: a student's CI is green on the first day, and turns red only once
    they push work that does not pass. An empty list (no test was run at all) gives 1 either way:
    that is a misconfigured run, not a student who has not started.
    """
    if not results:
        return 1
    skipped = set(not_started(results)) if attempted_only else set()
    counted = [r for r in results if r.assignment not in skipped]
    return 0 if all(r.status == "passed" for r in counted) else 1


def attempted_only_note(results: list[TestResult]) -> str:
    """What ``--attempted-only`` leaves out of the exit status, in one line ("" if nothing).

    >>> attempted_only_note(results)
    'not counted in the exit status (not started): lec02_matrices'
    """
    skipped = not_started(results)
    if not skipped:
        return ""
    if len(skipped) == len(_by_assignment(results)):
        return "no assignment started yet: nothing counted in the exit status"
    return f"not counted in the exit status (not started): {', '.join(skipped)}"


# -- JUnit XML ---------------------------------------------------------------------------------
def junit_tree(results: list[TestResult]) -> ET.Element:
    """The ``<testsuites>`` element: one testsuite per assignment, one testcase per test.

    >>> junit_tree(results).find("testsuite").get("name")
    'lec01_vectors'
    """
    root = ET.Element("testsuites", name="aimath check")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    total_time = 0.0
    for name, rs in _by_assignment(results).items():
        counts = {
            "tests": len(rs),
            "failures": sum(r.status == "failed" for r in rs),
            "errors": sum(r.status == "error" for r in rs),
            "skipped": sum(r.status == "not_attempted" for r in rs),
        }
        suite_time = sum(r.execution_time for r in rs)
        suite = ET.SubElement(root, "testsuite", name=xml_safe(name))
        suite.attrib.update({k: str(v) for k, v in counts.items()})
        suite.set("time", f"{suite_time:.3f}")
        for r in rs:
            _add_testcase(suite, r)
        totals = {k: totals[k] + counts[k] for k in totals}
        total_time += suite_time
    root.attrib.update({k: str(v) for k, v in totals.items()})
    root.set("time", f"{total_time:.3f}")
    return root


def _add_testcase(suite: ET.Element, r: TestResult) -> None:
    name = f"{r.number} {_test_name(r)}"
    case = ET.SubElement(
        suite, "testcase", classname=xml_safe(r.assignment), name=xml_safe(name),
        time=f"{r.execution_time:.3f}",
    )  # fmt: skip
    properties = ET.SubElement(case, "properties")
    ET.SubElement(properties, "property", name="score", value=f"{r.score:g}")
    ET.SubElement(properties, "property", name="max_score", value=f"{r.max_score:g}")
    tag = {"failed": "failure", "not_attempted": "skipped", "error": "error"}.get(r.status)
    if tag is not None:
        output = r.output or "(no message)"
        element = ET.SubElement(case, tag, message=xml_safe(first_line(output)))
        element.text = xml_safe(output)


def write_junit(results: list[TestResult], path: Path) -> None:
    """Write :func:`junit_tree` to ``path`` as UTF-8 XML, creating its folder.

    >>> write_junit(results, Path("reports/junit.xml"))
    """
    tree = ET.ElementTree(junit_tree(results))
    ET.indent(tree)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tree.write(path, encoding="utf-8", xml_declaration=True)


# -- GitHub step summary -----------------------------------------------------------------------
def markdown_escape(text: str) -> str:
    """``text`` on one line, safe in a table cell: HTML escaped, markdown characters escaped.

    >>> markdown_escape("a|b <i>*x*</i>")
    'a\\\\|b &lt;i&gt;\\\\*x\\\\*&lt;/i&gt;'
    """
    text = " ".join(text.splitlines())
    text = _CONTROL.sub(_escape_char, text)
    text = html.escape(text, quote=False)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def step_summary_markdown(results: list[TestResult]) -> str:
    """A markdown summary: a table of assignments, then the tests not passed of those in progress.

    >>> print(step_summary_markdown(results))  # doctest: +ELLIPSIS
    ## aimath check
    ...
    """
    groups = _by_assignment(results)
    lines = [
        "## aimath check",
        "",
        "| assignment | points | passed | failed | not attempted | grader error | state |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for s in summarize(results):
        entry = ASSIGNMENTS.get(s.assignment)
        label = s.assignment + (f" ({entry.title})" if entry else "")
        counts = " | ".join(
            str(s.counts[k]) for k in ("passed", "failed", "not_attempted", "error")
        )
        state = assignment_state(groups[s.assignment])
        lines.append(
            f"| {markdown_escape(label)} | {s.score:g}/{s.max_score:g} | {counts} | {state} |"
        )
    total, max_total = sum(r.score for r in results), sum(r.max_score for r in results)
    lines += ["", f"**Total: {total:g}/{max_total:g} points**", ""]
    for name, rs in groups.items():
        if assignment_state(rs) != "in progress":
            continue
        missed = [r for r in rs if r.status != "passed"]
        lines += [
            f"<details><summary>{html.escape(name)}: {len(missed)} of {len(rs)} tests not "
            "passed</summary>",
            "",
            "| # | test | status | message |",
            "| --- | --- | --- | --- |",
        ]
        lines += [
            f"| {markdown_escape(r.number)} | {markdown_escape(_test_name(r))} | "
            f"{STATUS_STYLES[r.status][0]} | {markdown_escape(first_line(r.output) or '(no message)')} |"
            for r in missed
        ]
        lines += ["", "</details>", ""]
    return "\n".join(lines) + "\n"


def write_step_summary(results: list[TestResult], path: Path) -> None:
    """Append :func:`step_summary_markdown` to ``path`` (each step of a job appends its own).

    >>> write_step_summary(results, Path(os.environ["GITHUB_STEP_SUMMARY"]))
    """
    with open(path, "a", encoding="utf-8") as f:
        f.write("\n" + step_summary_markdown(results))


def _test_name(r: TestResult) -> str:
    return r.name + (" [hidden]" if r.hidden else "")


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _by_assignment(results: list[TestResult]) -> dict[str, list[TestResult]]:
    groups: dict[str, list[TestResult]] = {}
    for r in results:
        groups.setdefault(r.assignment, []).append(r)
    return groups
