"""Hand-made gradebook records for the report tests (tests/test_class_summary.py,
tests/test_student_page.py): a test's result, and a stored submission (the
``book`` fixture is conftest.py's)."""

from __future__ import annotations

from autograder.gradebook import SubmissionRecord
from autograder.results import TestResult


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
