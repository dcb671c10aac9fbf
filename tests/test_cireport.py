"""CI reports: JUnit XML, GitHub's step summary, the exit status, and `aimath check` wiring them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from autograder.cireport import (
    assignment_state,
    attempted_only_note,
    exit_status,
    first_line,
    step_summary_markdown,
    write_junit,
    write_step_summary,
    xml_safe,
)
from autograder.cli import main
from autograder.results import TestResult

REPO = Path(__file__).resolve().parents[1]
CHECKED = ("lec01_vectors", "lec02_matrices")  # the CLI runs grade only these, to stay fast
HOSTILE = "bad ]]> <b>&amp; | \x00\x01\x08\x0b\x0c\x1b[31m\x1f \ud800 \ufffe\uffff end\nline two"
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def result(status: str, number: str = "1.1", *, assignment: str = "lec01_vectors",
           name: str = "l2_norm: lecture example", output: str = "") -> TestResult:  # fmt: skip
    return TestResult(
        name=name, number=number, score=2.0 if status == "passed" else 0.0, max_score=2.0,
        status=status, assignment=assignment, output=output, execution_time=0.25,
    )  # fmt: skip


MIXED = [
    result("passed", "1.1"),
    result("failed", "1.2", output="l2_norm returned a wrong value.\n  returned: 54.0"),
    result("not_attempted", "1.3", output="l1_norm raised NotImplementedError"),
    result("error", "1.4", output="The grader itself broke: KeyError"),
    result("not_attempted", "2.1", assignment="lec02_matrices", output="not submitted"),
    result("not_attempted", "2.2", assignment="lec02_matrices", output="not submitted"),
]


# -- JUnit XML ---------------------------------------------------------------------------------
def test_junit_has_one_suite_per_assignment_with_counts_and_points(tmp_path):
    path = tmp_path / "reports" / "junit.xml"
    write_junit(MIXED, path)
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == (
        "6", "1", "1", "3",
    )  # fmt: skip
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["lec01_vectors", "lec02_matrices"]
    lec01, lec02 = suites["lec01_vectors"], suites["lec02_matrices"]
    assert [lec01.get(k) for k in ("tests", "failures", "errors", "skipped")] == [
        "4",
        "1",
        "1",
        "1",
    ]
    assert [lec02.get(k) for k in ("tests", "failures", "errors", "skipped")] == [
        "2",
        "0",
        "0",
        "2",
    ]
    assert float(lec01.get("time")) == pytest.approx(1.0)
    cases = lec01.findall("testcase")
    assert [c.get("name") for c in cases][:2] == [
        "1.1 l2_norm: lecture example", "1.2 l2_norm: lecture example",
    ]  # fmt: skip
    assert {c.get("classname") for c in cases} == {"lec01_vectors"}
    passed, failed, skipped, error = cases
    assert list(passed) == [passed.find("properties")]  # no failure, skipped or error
    points = {p.get("name"): p.get("value") for p in failed.iter("property")}
    assert points == {"score": "0", "max_score": "2"}
    assert {p.get("name"): p.get("value") for p in passed.iter("property")}["score"] == "2"
    failure = failed.find("failure")
    assert failure.get("message") == "l2_norm returned a wrong value."
    assert failure.text == "l2_norm returned a wrong value.\n  returned: 54.0"
    assert skipped.find("skipped").get("message") == "l1_norm raised NotImplementedError"
    assert skipped.find("failure") is None
    assert error.find("error").get("message") == "The grader itself broke: KeyError"


def test_junit_survives_hostile_output_and_names(tmp_path):
    path = tmp_path / "junit.xml"
    hostile = [result("failed", name="벡터 <l2> & ]]> \x00", output=HOSTILE)]
    write_junit(hostile, path)
    raw = path.read_bytes()
    assert raw.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", raw)
    case = ET.parse(path).getroot().find("testsuite/testcase")  # expat: strict XML 1.0
    assert case.get("name") == "1.1 벡터 <l2> & ]]> \\x00"
    failure = case.find("failure")
    assert failure.get("message").startswith(
        "bad ]]> <b>&amp; | \\x00\\x01\\x08\\x0b\\x0c\\x1b[31m"
    )
    assert "line two" not in failure.get("message")
    assert failure.text.endswith("\\ud800 \\ufffe\\uffff end\nline two")


@pytest.mark.parametrize("code", [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xD800, 0xFFFE])
def test_xml_safe_replaces_each_forbidden_character(code):
    assert xml_safe(f"a{chr(code)}b") == f"a\\{'x' if code < 0x100 else 'u'}{code:02x}b"


def test_xml_safe_keeps_what_xml_allows():
    allowed = "tab\tlf\ncr\r 한글 \x7f \u00e9 \U0001f600 \ufffd"
    assert xml_safe(allowed) == allowed


def test_first_line_skips_blank_lines_and_cuts_long_ones():
    assert first_line("\n   \n  first  \nsecond") == "first"
    assert first_line("") == ""
    long = first_line("x" * 500, max_chars=50)
    assert len(long) == 50 and long.endswith("…")


# -- step summary ------------------------------------------------------------------------------
def table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("|")]


def test_step_summary_table_has_a_row_per_assignment_with_points_counts_and_state():
    complete = [result("passed", "2.1", assignment="lec02_matrices")]
    markdown = step_summary_markdown(MIXED[:4] + complete)
    rows = table_rows(markdown.split("<details>")[0])
    assert rows[0] == (
        "| assignment | points | passed | failed | not attempted | grader error | state |"
    )
    assert rows[2] == (
        "| lec01\\_vectors (AI Math 1강: 벡터가 뭐에요?) | 2/8 | 1 | 1 | 1 | 1 | in progress |"
    )
    assert rows[3] == (
        "| lec02\\_matrices (AI Math 2강: 행렬이 뭐에요?) | 2/2 | 1 | 0 | 0 | 0 | complete |"
    )
    assert "**Total: 4/10 points**" in markdown


def test_step_summary_details_list_the_tests_not_passed_of_assignments_in_progress():
    markdown = step_summary_markdown(MIXED)
    assert markdown.count("<details>") == markdown.count("</details>") == 1
    details = markdown.split("<details>")[1]
    assert details.startswith("<summary>lec01_vectors: 3 of 4 tests not passed</summary>\n\n")
    rows = table_rows(details)[2:]
    assert [row.split(" | ")[0] for row in rows] == ["| 1.2", "| 1.3", "| 1.4"]
    assert "FAILED | l2\\_norm returned a wrong value. |" in rows[0]
    assert "returned: 54.0" not in markdown  # only the first line of the output
    assert "not attempted" in rows[1] and "GRADER ERROR" in rows[2]
    assert "| not started |" in markdown  # lec02: in the table, but no details


def test_step_summary_escapes_hostile_names_and_output():
    hostile = [
        result("passed", "1.1"),
        result("failed", "1.2", name="a | b *bold* [link](x) `code` $x$ _u_", output=HOSTILE),
    ]
    markdown = step_summary_markdown(hostile)
    overview, details = markdown.split("<details>")
    assert {len(UNESCAPED_PIPE.findall(line)) for line in table_rows(overview)} == {8}
    # "| # | test | status | message |" and every row below it: no cell was split
    assert {len(UNESCAPED_PIPE.findall(line)) for line in table_rows(details)} == {5}
    row = table_rows(details)[-1]
    assert "a \\| b \\*bold\\* \\[link\\](x) \\`code\\` \\$x\\$ \\_u\\_" in row
    assert "&lt;b&gt;&amp;amp;" in row and "<b>" not in markdown
    assert "\x00" not in markdown and "\\\\x00" in row and "\x1b" not in markdown
    assert "line two" not in markdown


def test_write_step_summary_appends(tmp_path):
    path = tmp_path / "summary.md"
    path.write_text("# from an earlier step\n")
    write_step_summary(MIXED, path)
    write_step_summary(MIXED[:1], path)
    text = path.read_text()
    assert text.startswith("# from an earlier step\n")
    assert text.count("## aimath check") == 2
    last_row = "| lec01\\_vectors (AI Math 1강: 벡터가 뭐에요?) | 2/2 | 1 | 0 | 0 | 0 | complete |"
    assert text.endswith(f"{last_row}\n\n**Total: 2/2 points**\n\n")


# -- exit status -------------------------------------------------------------------------------
def lec(n: int, *statuses: str) -> list[TestResult]:
    name = ("lec01_vectors", "lec02_matrices")[n - 1]
    return [result(s, f"{n}.{i}", assignment=name) for i, s in enumerate(statuses, 1)]


@pytest.mark.parametrize(
    "results, everything, attempted_only",
    [
        (lec(1, "passed", "passed") + lec(2, "passed"), 0, 0),
        (lec(1, "passed", "passed") + lec(2, "not_attempted", "not_attempted"), 1, 0),
        (lec(1, "not_attempted") + lec(2, "not_attempted"), 1, 0),  # nothing started: green
        (lec(1, "passed", "not_attempted") + lec(2, "not_attempted"), 1, 1),  # half done
        (lec(1, "passed", "failed") + lec(2, "not_attempted"), 1, 1),
        (lec(1, "passed") + lec(2, "not_attempted", "error"), 1, 1),  # grader errors always count
        (lec(1, "failed", "failed"), 1, 1),  # started, nothing passes yet
        ([], 1, 1),  # no test ran at all: a broken setup, never green
    ],
)
def test_exit_status(results, everything, attempted_only):
    assert exit_status(results, attempted_only=False) == everything
    assert exit_status(results, attempted_only=True) == attempted_only


def test_assignment_state_and_attempted_only_note():
    assert assignment_state(lec(1, "passed")) == "complete"
    assert assignment_state(lec(1, "not_attempted", "not_attempted")) == "not started"
    assert assignment_state(lec(1, "passed", "not_attempted")) == "in progress"
    assert assignment_state(lec(1, "error")) == "in progress"
    assert attempted_only_note(lec(1, "passed")) == ""
    assert attempted_only_note(lec(1, "failed") + lec(2, "not_attempted")) == (
        "not counted in the exit status (not started): lec02_matrices"
    )
    assert "no assignment started yet" in attempted_only_note(lec(1, "not_attempted"))


# -- through the CLI ---------------------------------------------------------------------------
def run_check(*args: str, summary: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}  # also in real CI
    if summary is not None:
        env["GITHUB_STEP_SUMMARY"] = str(summary)
    return subprocess.run(
        [sys.executable, "-m", "autograder.cli", "check", *CHECKED, *args], cwd=REPO, env=env,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@pytest.fixture
def reference_lec01(tmp_path) -> Path:
    folder = tmp_path / "submission"
    folder.mkdir()
    shutil.copy(REPO / "solutions" / "lec01_vectors.py", folder / "lec01_vectors.py")
    return folder


@pytest.fixture
def mistaken_lec01(tmp_path) -> Path:
    folder = tmp_path / "submission"
    folder.mkdir()
    shutil.copy(REPO / "tests/submissions/lec01_no_sqrt/lec01_vectors.py", folder)
    return folder


def test_cli_attempted_only_passes_a_finished_lec01_with_lec02_not_started(
    reference_lec01, tmp_path
):
    summary = tmp_path / "summary.md"
    summary.write_text("previous step's line\n")
    proc = run_check("--submission", str(reference_lec01), "--attempted-only", summary=summary)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "lec02_matrices" in proc.stdout and "not attempted" in proc.stdout  # still reported
    assert "--attempted-only: not counted in the exit status (not started): lec02_matrices" in (
        proc.stdout
    )
    text = summary.read_text()
    assert text.startswith("previous step's line\n")
    rows = table_rows(text)
    assert rows[2].startswith("| lec01\\_vectors") and rows[2].endswith("| complete |")
    assert rows[3].startswith("| lec02\\_matrices") and rows[3].endswith("| not started |")
    assert "<details>" not in text

    proc = run_check("--submission", str(reference_lec01))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "--attempted-only" not in proc.stdout


def test_cli_attempted_only_fails_a_mistaken_lec01_and_writes_junit(mistaken_lec01, tmp_path):
    junit, gradescope = tmp_path / "out" / "junit.xml", tmp_path / "results.json"
    proc = run_check(
        "--submission", str(mistaken_lec01), "--attempted-only", "--junit", str(junit),
        "--json", str(gradescope),
    )  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr
    tests = json.loads(gradescope.read_text())["tests"]
    suites = {s.get("name"): s for s in ET.parse(junit).getroot().findall("testsuite")}
    assert list(suites) == list(CHECKED)
    for name, suite in suites.items():
        mine = [t for t in tests if t["extra_data"]["assignment"] == name]
        failed = {
            f"{t['number']} {t['name']}" for t in mine if t["extra_data"]["status"] == "failed"
        }
        junit_failed = {
            c.get("name") for c in suite.findall("testcase") if c.find("failure") is not None
        }
        assert junit_failed == failed
        assert suite.get("tests") == str(len(mine)) and suite.get("failures") == str(len(failed))
    lec01, lec02 = suites["lec01_vectors"], suites["lec02_matrices"]
    assert int(lec01.get("failures")) > 0 and lec01.get("skipped") == "0"
    assert lec02.get("failures") == "0" and lec02.get("skipped") == lec02.get("tests") != "0"
    failing = [c for c in lec01.findall("testcase") if c.find("failure") is not None]
    assert all("hadamard" not in c.get("name") for c in failing)
    l2_norm = next(c for c in failing if "l2_norm: the lecture's vector" in c.get("name"))
    assert "returned: 54.0" in l2_norm.find("failure").text


def test_cli_unwritable_junit_path_is_a_usage_error(reference_lec01, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    args = ["check", "lec01_vectors", "--submission", str(reference_lec01)]
    assert main([*args, "--junit", str(blocker / "junit.xml")]) == 2
    assert "cannot write" in capsys.readouterr().err
