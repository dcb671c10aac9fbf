"""Feedback files (HTML, results.json) and the class summary: escaped, self-contained, no leaks."""

from __future__ import annotations

import dataclasses
import io
import json
import re

import pytest
from rich.console import Console

from autograder.feedback import (
    HIDDEN_NOTE,
    ClassProgress,
    StudentFeedback,
    class_summary,
    failure_kind,
    feedback_json,
    render_html,
    write_feedback,
)
from autograder.gradebook import Gradebook, SubmissionRecord
from autograder.results import TestResult

SECRET = "expected: 0.5772156649 (the reference's value)"
ATTACK = '<script>alert("x")</script><img src="http://evil.example/x.png">'


def result(number, status="passed", *, hidden=False, output="", assignment="lec01_vectors"):
    return TestResult(
        name=f"test {number}", number=number, score=1.0 if status == "passed" else 0.0,
        max_score=1.0, status=status, assignment=assignment, output=output, hidden=hidden,
        visibility="after_published" if hidden else "visible",
    )  # fmt: skip


def store(book, student, results, *, assignment="lec01_vectors", **kwargs):
    run = book.start_run(source="c", executor="local", jobs=1)
    sub = SubmissionRecord(
        assignment=assignment, filename=f"{assignment}.py", sha256="0" * 64,
        grader_version="v", results=results, **kwargs,
    )  # fmt: skip
    book.record_student(student, source="c", run_id=run, submissions=[sub])


@pytest.fixture
def book(tmp_path):
    with Gradebook(tmp_path / "g.sqlite") as b:
        yield b


def hostile_feedback(book) -> StudentFeedback:
    store(
        book, "mallory<b>",
        [
            result("1.1", "failed", output=f"l2_norm(x) printed\n\nYour code printed:\n{ATTACK}"),
            result("1.2", "failed", hidden=True, output=f"l2_norm(array([0.3])) wrong\n{SECRET}"),
            result("1.3", hidden=True),
        ],
    )  # fmt: skip
    return StudentFeedback.load(book, "mallory<b>")


def test_html_escapes_student_text_and_is_self_contained(book):
    page = render_html(hostile_feedback(book))
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "mallory&lt;b&gt;" in page and "mallory<b>" not in page
    assert not re.search(r"<[^>]*\b(src|href)\s*=", page, re.I), "no external assets or links"
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "max-width" in page and "<style>" in page
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")


def test_hidden_tests_show_name_and_score_but_not_their_output(book):
    fb = hostile_feedback(book)
    page = render_html(fb)
    assert "test 1.2" in page and "0/1" in page and "(hidden)" in page
    assert "0.5772156649" not in page and "array([0.3])" not in page
    assert HIDDEN_NOTE in page
    data = feedback_json(fb)
    assert "0.5772156649" not in json.dumps(data)
    hidden = [t for t in data["tests"] if t["extra_data"]["hidden"]]
    assert hidden and all(
        t["output"] == f"{HIDDEN_NOTE}\nWhat went wrong: wrong answer."
        for t in hidden
        if t["status"] == "failed"
    )
    assert data["score"] == 1.0 and [t["number"] for t in data["tests"]] == ["1.1", "1.2", "1.3"]
    # ... unless the instructor asks
    assert "0.5772156649" in render_html(fb, reveal_hidden=True)
    assert "0.5772156649" in json.dumps(feedback_json(fb, reveal_hidden=True))


def test_not_submitted_rejected_and_grader_error_are_told_apart(book, tmp_path):
    store(book, "eve", [], status="error", message="GraderError: graders failed: def test_secret")
    run = book.start_run(source="c", executor="local", jobs=1)
    book.record_student(
        "zed", source="zed.zip", run_id=run, problem="zed.zip holds a symbolic link"
    )
    write_feedback(book, tmp_path / "fb", ["eve", "zed"])
    eve = (tmp_path / "fb" / "eve.html").read_text()
    assert "the grader itself broke" in eve and "test_secret" not in eve  # no grader internals
    assert "lec02_matrices" in eve and "Not submitted." in eve
    zed = json.loads((tmp_path / "fb" / "zed.json").read_text())
    assert zed["score"] == 0 and zed["tests"] == []
    assert zed["output"].startswith("Your submission was not graded: zed.zip holds a symbolic link")
    assert "symbolic link" in (tmp_path / "fb" / "zed.html").read_text()


@pytest.mark.parametrize(
    "status, output, kind",
    [
        ("passed", "", "wrong answer"),
        ("not_attempted", "f raised NotImplementedError", "not attempted"),
        ("error", "The grader itself broke", "grader error"),
        ("failed", "lec01_vectors.py could not be loaded: SyntaxError", "file could not be loaded"),
        ("failed", "f(1) did not finish within its time limit of 10 s", "time limit"),
        ("failed", "the process running f(1) exited with status 0", "crashed or exited"),
        ("failed", "f(1) returned a value that cannot be graded: ndarray subclass", "unsupported return value"),
        ("failed", "lec01_vectors.py has no function f", "missing function"),
        ("failed", "f(1) raised ZeroDivisionError: division by zero", "raised an exception"),
        ("failed", "f(1) returned a wrong value.\n\nYour code printed:\n raised ", "wrong answer"),
    ],
)  # fmt: skip
def test_failure_kinds(status, output, kind):
    assert failure_kind(result("1.1", status, output=output)) == kind


def test_class_summary_mean_median_and_failures_by_kind(book):
    store(book, "a", [result("1.1"), result("1.2")])
    store(book, "b", [result("1.1"), result("1.2", "failed", output="f raised KeyError: 1")])
    store(book, "c", [result("1.1", "not_attempted"), result("1.2", "not_attempted")])
    store(book, "a", [result("2.1")], assignment="lec02_matrices")
    store(book, "z", [result("1.1")])  # not in this class
    summary = class_summary(book, ["a", "b", "c", "d"])
    lec01, lec02 = summary.assignments
    assert (lec01.assignment, lec01.submitted, lec01.max_score) == ("lec01_vectors", 3, 2.0)
    assert (lec01.mean, lec01.median, lec01.full_marks) == (1.0, 1.0, 1)
    assert (lec02.submitted, lec02.mean) == (1, 1.0)
    assert summary.students == 4 and summary.total_max == 3.0
    assert summary.total_mean == (3 + 1 + 0 + 0) / 4 and summary.total_median == 0.5
    assert summary.kinds == {"not attempted": (2, 1), "raised an exception": (1, 1)}


def test_progress_is_plain_lines_off_a_terminal():
    out = io.StringIO()
    console = Console(file=out, width=100)
    with ClassProgress(console) as progress:
        update = progress.start(3)
        update("amy", "lec01_vectors 20/26", 0.84)
        update("bob", "unchanged")
        update("cy", "rejected: cy.zip is not a readable zip file")
    lines = out.getvalue().splitlines()
    assert lines[0] == "[1/3] amy: lec01_vectors 20/26 (0.8 s)"
    assert lines[1] == "[3/3] cy: rejected: cy.zip is not a readable zip file"
    assert "1 students unchanged" in lines[2]


def test_progress_is_a_bar_with_eta_on_a_terminal():
    out = io.StringIO()
    console = Console(file=out, width=120, force_terminal=True)
    with ClassProgress(console) as progress:
        assert not progress.plain
        update = progress.start(2)
        update("amy", "lec01_vectors 20/26", 0.5)
        update("bob", "lec01_vectors 26/26", 0.5)
    assert "2/2" in out.getvalue() and "ETA" in out.getvalue()


def test_the_total_is_out_of_every_graded_assignment_and_says_how_many_were_handed_in(book):
    store(book, "ada", [result("1.1"), result("1.2")])
    store(book, "ada", [result("2.1", assignment="lec02_matrices")], assignment="lec02_matrices")
    store(book, "hana", [result("1.1"), result("1.2", "failed")])
    hana = StudentFeedback.load(book, "hana")
    assert hana.total_line() == "Total: 1/3 points (1 of 2 assignments handed in, 1/2 on it)"
    assert hana.total_line() in render_html(hana)
    assert feedback_json(hana)["output"].splitlines()[0] == hana.total_line()
    assert StudentFeedback.load(book, "ada").total_line() == "Total: 3/3 points"


def test_table_cells_do_not_break_words_the_page_does_not_either():
    """At any width, a status ("passed") or a header ("points") stays whole: only the long test
    names in their own column may wrap anywhere."""
    from autograder.feedback import CSS

    assert "overflow-wrap:anywhere}" not in CSS.split("td.name")[0]
    assert "th,td.pts,td.status{white-space:nowrap}" in CSS


@pytest.mark.parametrize(
    "output, tags, kind",
    [
        ("f(x) returned a wrong value.\n  returned: 1.0\n  expected: 2.5", ("kind:CheckError",),
         "wrong answer"),
        ("f(x) returned an array of shape (3,); expected shape (2,)\n  returned: array([1, 2, 3])",
         ("kind:CheckError",), "wrong shape"),
        ("f(x) did not finish within its time limit of 10 s and was stopped", ("kind:CallTimeout",),
         "time limit"),
        ("f(x) raised ValueError: secret input 0.5772156649", ("kind:StudentRaised",),
         "raised an exception"),
    ],
)  # fmt: skip
def test_a_hidden_failure_tells_its_kind_and_nothing_else(output, tags, kind):
    from autograder.feedback import hidden_summary

    r = dataclasses.replace(result("9.1", "failed", hidden=True, output=output), tags=tags)
    assert hidden_summary(r) == f"{HIDDEN_NOTE}\nWhat went wrong: {kind}."
    data = feedback_json(StudentFeedback("s", [r], []))
    assert data["tests"][0]["output"] == hidden_summary(r)
    assert "0.5772156649" not in json.dumps(data) and "2.5" not in json.dumps(data)
    assert hidden_summary(dataclasses.replace(r, status="passed")) == HIDDEN_NOTE
