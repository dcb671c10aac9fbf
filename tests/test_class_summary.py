"""The kinds of failure, the class summary and the progress of aimath grade (the student's
feedback files are tests/test_student_page.py's)."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from autograder.class_report import class_summary
from autograder.failures import failure_kind
from autograder.terminal import ClassProgress

from .records import result, store


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
