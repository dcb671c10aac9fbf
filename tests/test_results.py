"""results.py: records round-trip through dicts and Gradescope's results.json."""

from __future__ import annotations

import json

import pytest

from autograder.results import (
    TestResult,
    as_dict,
    from_dict,
    from_gradescope,
    summarize,
    to_gradescope,
)

RESULTS = [
    TestResult(name="l2_norm: example", number="1.1", score=2.0, max_score=2.0, status="passed",
               assignment="lec01_vectors", tags=("public",), execution_time=0.01),
    TestResult(name="angle: zero", number="1.2", score=0.0, max_score=1.0, status="not_attempted",
               assignment="lec01_vectors", output="angle(...) raised NotImplementedError"),
    TestResult(name="pinv: hidden", number="2.9", score=0.0, max_score=2.0, status="failed",
               assignment="lec02_matrices", visibility="after_published", hidden=True,
               tags=("hidden", "kind:CheckError"), output="pinv(A) returned wrong values"),
    TestResult(name="grader bug", number="2.10", score=0.0, max_score=1.0, status="error",
               assignment="lec02_matrices", output="The grader itself broke"),
]  # fmt: skip


def test_dict_round_trip():
    for r in RESULTS:
        assert from_dict(json.loads(json.dumps(as_dict(r)))) == r


def test_gradescope_round_trip_keeps_our_four_statuses():
    data = json.loads(json.dumps(to_gradescope(RESULTS, execution_time=1.5)))
    assert data["score"] == 2.0 and data["execution_time"] == 1.5
    assert [t["status"] for t in data["tests"]] == ["passed", "failed", "failed", "failed"]
    assert [t["extra_data"]["status"] for t in data["tests"]] == [r.status for r in RESULTS]
    assert from_gradescope(data) == RESULTS


def test_results_from_other_gradescope_tools_are_read():
    data = {"tests": [{"name": "t", "score": 1, "max_score": 1}, {"name": "u", "score": 0,
                                                                 "max_score": 2}]}  # fmt: skip
    assert [r.status for r in from_gradescope(data)] == ["passed", "failed"]


def test_invalid_records_are_refused():
    with pytest.raises(ValueError, match="unknown status"):
        TestResult(name="t", number="1", score=0, max_score=1, status="ok", assignment="a")
    with pytest.raises(ValueError, match="outside"):
        TestResult(name="t", number="1", score=3, max_score=1, status="passed", assignment="a")


def test_summarize_adds_up_per_assignment():
    lec01, lec02 = summarize(RESULTS)
    assert (lec01.assignment, lec01.score, lec01.max_score) == ("lec01_vectors", 2.0, 3.0)
    assert lec01.counts == {"passed": 1, "failed": 0, "not_attempted": 1, "error": 0}
    assert (lec02.score, lec02.max_score, lec02.passed_all) == (0.0, 3.0, False)
