"""Every golden submission in tests/submissions/ scores exactly as its expected.json states."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.course import ASSIGNMENTS
from autograder.hints import load_hints
from autograder.plugin import run_graders

from .golden import load_cases, short_test_name

CASES = load_cases()
REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_submission_scores_as_stated(case):
    results = run_graders(
        case.folder, list(case.assignments), hidden=True, student="golden", timeout_s=case.timeout_s
    )
    for assignment, expected in case.assignments.items():
        mine = [r for r in results if r.assignment == assignment]
        assert mine, f"{case.name}: no results for {assignment}"
        actual = {short_test_name(r.nodeid): r.status for r in mine}
        unknown = set(expected.get("statuses", {})) - set(actual)
        assert not unknown, f"{case.name}: expected.json names unknown tests {sorted(unknown)}"
        wanted = {name: expected.get("statuses", {}).get(name, "passed") for name in actual}
        diff = {n: (actual[n], wanted[n]) for n in actual if actual[n] != wanted[n]}
        assert not diff, (
            f"{case.name} ({case.description}): status (actual, expected) differs for "
            + "; ".join(
                f"{n}: {a} vs {w} [{next(r.output for r in mine if r.nodeid.endswith(n))[:400]}]"
                for n, (a, w) in diff.items()
            )
        )
        assert sum(r.score for r in mine) == expected["score"], (
            f"{case.name}: {assignment} scored {sum(r.score for r in mine)}, "
            f"expected {expected['score']}"
        )
        # Every known mistake's hint fires on the golden submission that makes it.
        for hint in load_hints(assignment):
            if hint.case == case.name:
                assert any(f"Hint: {hint.text}" in r.output for r in mine), (
                    f"{case.name}: no failed test of {hint.function} got the hint {hint.text!r}"
                )


@pytest.mark.parametrize("assignment", list(ASSIGNMENTS))
def test_reference_solution_gets_full_marks(assignment):
    results = run_graders(REPO / "solutions", [assignment], hidden=True, student="golden")
    assert results
    failing = [(r.name, r.status, r.output[:300]) for r in results if r.status != "passed"]
    assert not failing
    assert sum(r.score for r in results) == sum(r.max_score for r in results) > 0


@pytest.mark.parametrize("assignment", list(ASSIGNMENTS))
def test_generated_stub_scores_zero_all_not_attempted(assignment):
    results = run_graders(REPO / "assignments", [assignment], hidden=True, student="golden")
    assert results and sum(r.score for r in results) == 0
    assert {r.status for r in results} == {"not_attempted"}
    assert all("NotImplementedError" in r.output for r in results)
