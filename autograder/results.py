"""Typed result records, and Gradescope's results.json in and out.

    >>> r = TestResult(name="l2_norm: lecture example", number="1.2", score=2.0, max_score=2.0,
    ...                status="passed", assignment="lec01_vectors")
    >>> from_gradescope(to_gradescope([r]))[0] == r
    True

Stages pass only these records between them. ``status`` tells four outcomes apart: passed, failed
(the submission is wrong, crashed, hung or could not be loaded), not_attempted (the stub still
raises NotImplementedError, or the file was not submitted) and error (the grader itself broke).
Gradescope knows only passed/failed, so results.json carries our status in ``extra_data``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["passed", "failed", "not_attempted", "error"]
Visibility = Literal["visible", "hidden", "after_due_date", "after_published"]
STATUSES: tuple[Status, ...] = ("passed", "failed", "not_attempted", "error")


@dataclass(frozen=True)
class TestResult:
    """The outcome of one grader test for one submission."""

    __test__ = False  # not a pytest test class

    name: str
    number: str
    score: float
    max_score: float
    status: Status
    assignment: str
    output: str = ""
    visibility: Visibility = "visible"
    hidden: bool = False
    tags: tuple[str, ...] = ()
    execution_time: float = 0.0
    nodeid: str = field(default="", compare=False)
    failure: dict[str, Any] | None = field(default=None, compare=False)
    """Why the test did not pass, as data (``autograder.failures.Failure.to_json``), or None."""
    figures: tuple[dict[str, Any], ...] = field(default=(), compare=False)
    """Plots of the test's calls for the student's page (see ``autograder.figures``)."""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")
        if not 0 <= self.score <= self.max_score:
            raise ValueError(f"score {self.score} outside [0, {self.max_score}]")


@dataclass(frozen=True)
class AssignmentSummary:
    """Scores of one assignment, added up from its tests."""

    assignment: str
    score: float
    max_score: float
    counts: dict[str, int]

    @property
    def passed_all(self) -> bool:
        return self.counts.get("passed", 0) == sum(self.counts.values())


def summarize(results: list[TestResult]) -> list[AssignmentSummary]:
    """One summary per assignment, in the order the assignments first appear."""
    by_assignment: dict[str, list[TestResult]] = {}
    for r in results:
        by_assignment.setdefault(r.assignment, []).append(r)
    return [
        AssignmentSummary(
            assignment=name,
            score=sum(r.score for r in rs),
            max_score=sum(r.max_score for r in rs),
            counts={s: sum(r.status == s for r in rs) for s in STATUSES},
        )
        for name, rs in by_assignment.items()
    ]


def to_gradescope(
    results: list[TestResult], *, execution_time: float = 0.0, output: str = ""
) -> dict[str, Any]:
    """Gradescope's results.json: top-level score and execution_time, one entry per test."""
    tests = []
    for r in results:
        tests.append(
            {
                "name": r.name,
                "number": r.number,
                "score": r.score,
                "max_score": r.max_score,
                "status": "passed" if r.status == "passed" else "failed",
                "output": r.output,
                "visibility": r.visibility,
                "tags": list(r.tags),
                "execution_time": round(r.execution_time, 4),
                "extra_data": {
                    "status": r.status,
                    "assignment": r.assignment,
                    "hidden": r.hidden,
                    "nodeid": r.nodeid,
                    **({"failure": r.failure} if r.failure else {}),
                    **({"figures": list(r.figures)} if r.figures else {}),
                },
            }
        )
    return {
        "score": sum(r.score for r in results),
        "execution_time": round(execution_time, 3),
        "output": output,
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def from_gradescope(data: dict[str, Any]) -> list[TestResult]:
    """Read the tests of a results.json written by :func:`to_gradescope` (or by Gradescope tools)."""
    results = []
    for t in data.get("tests", []):
        extra = t.get("extra_data") or {}
        status = (
            extra.get("status")
            or t.get("status")
            or ("passed" if t.get("score") == t.get("max_score") else "failed")
        )
        results.append(
            TestResult(
                name=t["name"],
                number=str(t.get("number", "")),
                score=float(t.get("score", 0.0)),
                max_score=float(t.get("max_score", 0.0)),
                status=status,
                assignment=extra.get("assignment", ""),
                output=t.get("output", ""),
                visibility=t.get("visibility", "visible"),
                hidden=bool(extra.get("hidden", False)),
                tags=tuple(t.get("tags", ())),
                execution_time=float(t.get("execution_time", 0.0)),
                nodeid=extra.get("nodeid", ""),
                failure=extra.get("failure") or None,
                figures=tuple(extra.get("figures") or ()),
            )
        )
    return results


def as_dict(result: TestResult) -> dict[str, Any]:
    """A JSON-ready dict of one record."""
    d = asdict(result)
    d["tags"] = list(result.tags)
    d["figures"] = list(result.figures)
    return d


def from_dict(data: dict[str, Any]) -> TestResult:
    """The inverse of :func:`as_dict`."""
    data = dict(data)
    data["tags"] = tuple(data.get("tags", ()))
    data["figures"] = tuple(data.get("figures", ()))
    return TestResult(**data)
