"""Time budgets per test and per submission, and the bound on restarting a crashing worker.

Before budgets, a lec01 submission whose right answers sleep 1 s per call took minutes for full
marks, and one that crashed on every call after a slow import was started again for every test.
The budgets here are small and passed explicitly, so the suite stays fast.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import pytest

from autograder import gradebook
from autograder.batch import UsageError, grade_class, grade_payload, make_payload
from autograder.cli import main
from autograder.course import (
    ASSIGNMENTS,
    DEFAULT_SUBMISSION_BUDGET_S,
    DEFAULT_TEST_BUDGET_S,
    DEFAULT_TIMEOUT_S,
)
from autograder.errors import CallTimeout, LoadFailed, WorkerCrashed
from autograder.gradebook import grader_version
from autograder.intake import SubmittedFile
from autograder.plugin import (
    MAX_FUNCTION_CRASHES,
    MAX_WORKER_CRASHES,
    BudgetExceeded,
    SubmissionAccount,
    SubmissionProxy,
    TooManyCrashes,
    positive_seconds,
    run_graders,
)

REPO = Path(__file__).resolve().parents[1]
L1 = "lec01_vectors"
REFERENCE = (REPO / "solutions" / f"{L1}.py").read_text()
FUNCTIONS = ASSIGNMENTS[L1].functions

# Right answers, 1 s per call (a call of one function inside another does not sleep again).
SLOW = (
    REFERENCE
    + f"""

import functools as _functools
import time as _time

_depth = [0]


def _slow(fn):
    @_functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if _depth[0] == 0:
            _time.sleep(1.0)
        _depth[0] += 1
        try:
            return fn(*args, **kwargs)
        finally:
            _depth[0] -= 1

    return wrapper


for _name in {FUNCTIONS!r}:
    globals()[_name] = _slow(globals()[_name])
"""
)

# A slow import, then os._exit in every function.
IMPORT_S = 0.3  # how long the crashing submission takes to import
CRASHING = f"""
import os
import time

time.sleep({IMPORT_S})


def _answer(*args, **kwargs):
    os._exit(3)


{" = ".join(FUNCTIONS)} = _answer
"""


def submission(tmp_path: Path, source: str) -> Path:
    folder = tmp_path / "sub"
    folder.mkdir()
    (folder / f"{L1}.py").write_text(source)
    return folder


def short(result) -> str:
    return result.nodeid.split("::")[-1]


def kind(result) -> str:
    return next((t[5:] for t in result.tags if t.startswith("kind:")), "")


# -- the catalog ----------------------------------------------------------------------------------
def test_every_assignment_has_positive_budgets_at_least_its_call_limit():
    for entry in ASSIGNMENTS.values():
        assert entry.test_budget_s >= entry.timeout_s > 0
        assert entry.submission_budget_s > entry.test_budget_s
    assert DEFAULT_TEST_BUDGET_S >= DEFAULT_TIMEOUT_S
    assert DEFAULT_SUBMISSION_BUDGET_S >= 2 * DEFAULT_TEST_BUDGET_S


# -- end to end -----------------------------------------------------------------------------------
# Public tests of lec01 and their number of calls: 1.1 (5), 1.4 (3), 1.6 (3), 1.14 (5), 1.15 (5),
# 1.16 (4): 25 s and full marks without budgets.
SELECTED = "hadamard_lecture_example or l1_norm_special or l2_norm_special or projection"
TEST_BUDGET_S, SUBMISSION_BUDGET_S, MARGIN_S = 3.5, 14.0, 6.0


def test_a_slow_submission_is_cut_by_the_test_budget_and_ends_within_the_submission_budget(
    tmp_path,
):
    folder = submission(tmp_path, SLOW)
    started = time.monotonic()
    results = run_graders(
        folder, [L1], student="slow", test_budget_s=TEST_BUDGET_S,
        submission_budget_s=SUBMISSION_BUDGET_S, extra_args=("-k", SELECTED),
    )  # fmt: skip
    elapsed = time.monotonic() - started
    by_name = {short(r): r for r in results}
    assert [r.number for r in results] == ["1.1", "1.4", "1.6", "1.14", "1.15", "1.16"]
    assert elapsed < SUBMISSION_BUDGET_S + MARGIN_S, elapsed
    # Three calls fit in a test's budget, five do not.
    assert by_name["test_l1_norm_special_vectors"].status == "passed"
    assert by_name["test_l2_norm_special_vectors"].status == "passed"
    first = by_name["test_hadamard_lecture_example"]
    assert first.status == "failed" and kind(first) == "BudgetExceeded"
    assert "this test's calls took" in first.output
    assert f"s in all, over its budget of {TEST_BUDGET_S:g} s" in first.output
    assert first.output.startswith("hadamard(")  # the call that was stopped
    # The submission's budget ran out: the last test was not run at all.
    last = by_name["test_projection_invalid_input"]
    assert last.status == "failed" and kind(last) == "BudgetExceeded"
    assert last.output.startswith("Not run: the calls of lec01_vectors.py")
    assert f"over the submission's budget of {SUBMISSION_BUDGET_S:g} s" in last.output
    assert "the remaining tests of lec01_vectors were not run" in last.output
    for r in results:
        assert r.status == "passed" or (r.status == "failed" and kind(r) == "BudgetExceeded"), r
    assert sum(r.score for r in results) == 2 < sum(r.max_score for r in results) == 9


def test_the_reference_is_unaffected_by_the_same_budgets():
    results = run_graders(
        REPO / "solutions", [L1], hidden=True, student="slow", test_budget_s=TEST_BUDGET_S,
        submission_budget_s=SUBMISSION_BUDGET_S,
    )  # fmt: skip
    assert results and all(r.status == "passed" for r in results), [
        (r.number, r.output[:200]) for r in results if r.status != "passed"
    ]
    assert sum(r.score for r in results) == sum(r.max_score for r in results) > 0


def test_a_worker_that_crashes_on_every_call_is_not_restarted_after_the_bound(tmp_path):
    folder = submission(tmp_path, CRASHING)
    started = time.monotonic()
    results = run_graders(folder, [L1], hidden=True, student="crash", submission_budget_s=1000)
    elapsed = time.monotonic() - started
    assert len(results) > MAX_WORKER_CRASHES + len(FUNCTIONS) and sum(r.score for r in results) == 0
    # One slow import per crash, then nothing: without the bound, one import per test.
    assert elapsed < MAX_WORKER_CRASHES * IMPORT_S + MARGIN_S, elapsed
    crashed = [r for r in results if kind(r) == "WorkerCrashed"]
    assert len(crashed) == MAX_WORKER_CRASHES
    assert all(r.status == "failed" and "exited with status 3" in r.output for r in crashed)
    stopped = [r for r in results if kind(r) == "TooManyCrashes"]
    assert len(crashed) + len(stopped) == len(results)
    last = results[results.index(crashed[-1]) + 1 :]
    assert last and all(r in stopped for r in last)
    for r in last:
        assert f"crashed {MAX_WORKER_CRASHES} times; the remaining tests were not run" in r.output
        assert "exited with status 3" in r.output  # how it crashed, the last time


def test_a_function_that_crashes_the_worker_costs_only_its_own_tests(tmp_path):
    source = REFERENCE + "\n\nimport os\n\n\ndef angle(x, y):\n    os._exit(3)\n"
    results = run_graders(submission(tmp_path, source), [L1], hidden=True, student="one-crash")
    angle = [r for r in results if "angle" in short(r)]
    others = [r for r in results if r not in angle]
    assert len(angle) > MAX_FUNCTION_CRASHES and others
    assert all(r.status == "passed" for r in others)  # full marks for everything else
    assert [kind(r) for r in angle[:MAX_FUNCTION_CRASHES]] == ["WorkerCrashed"] * 2
    for r in angle[MAX_FUNCTION_CRASHES:]:
        assert r.status == "failed" and kind(r) == "TooManyCrashes", r
        assert "Calls of angle crashed the worker" in r.output
        assert "the other functions still were" in r.output


def test_a_slow_import_counts_against_the_submission_budget(tmp_path):
    folder = submission(tmp_path, "import time\ntime.sleep(30)\n" + REFERENCE)
    started = time.monotonic()
    results = run_graders(folder, [L1], student="imports", submission_budget_s=1.0)
    assert time.monotonic() - started < 1.0 + MARGIN_S
    assert all(r.status == "failed" and kind(r) == "BudgetExceeded" for r in results)
    assert "could not be loaded in the time left" in results[0].output
    assert all(r.output.startswith("Not run:") for r in results[1:])


# -- the proxy's arithmetic, with a stand-in for the sandbox ---------------------------------------
class FakeSandbox:
    """Answers after ``work_s`` (a time limit shorter than that raises CallTimeout); records calls."""

    filename = f"{L1}.py"

    def __init__(self, work_s: float = 0.0, load_s: float = 0.0, crash: bool = False) -> None:
        self.work_s, self.load_s, self.crash = work_s, load_s, crash
        self.timeouts: list[float] = []
        self.started = self.stopped = 0
        self.deadline: float | None = None
        self.running = False

    def start(self) -> None:
        if not self.running:
            self.started += 1
            self.running = True
            time.sleep(self.load_s)

    def stop(self) -> None:
        self.stopped += 1
        self.running = False

    def call(self, fn, args, kwargs, *, timeout_s, call, batch=None, batch_call=None):
        self.timeouts.append(timeout_s)
        if self.crash:
            self.running = False
            raise WorkerCrashed(f"the process running {call} exited with status 3")
        if self.work_s > timeout_s:
            time.sleep(max(timeout_s, 0.0))
            self.running = False
            raise CallTimeout(f"{call} did not finish within its time limit of {timeout_s:g} s")
        time.sleep(self.work_s)
        return ([42] * len(batch) if batch is not None else 42), ""


def proxy(box, *, timeout_s=10.0, budget_s=10.0, account_s=100.0):
    account = SubmissionAccount(L1, box.filename, budget_s=account_s)
    return SubmissionProxy(box, box.filename, timeout_s, budget_s=budget_s, account=account)


def test_a_call_may_run_until_the_earliest_of_its_limit_and_the_budgets_left():
    box = FakeSandbox(work_s=0.1)
    sub = proxy(box, timeout_s=5.0, budget_s=0.35, account_s=100.0)
    assert sub.f(1) == 42
    assert box.timeouts[0] == pytest.approx(0.35)  # the test's budget is the tightest
    assert sub.f(2) == 42
    assert box.timeouts[1] == pytest.approx(0.25, abs=0.03)  # what is left of it
    sub = proxy(box, timeout_s=0.2, budget_s=5.0, account_s=100.0)
    sub.f(3)
    assert box.timeouts[-1] == 0.2  # the call's own limit
    sub = proxy(box, timeout_s=5.0, budget_s=5.0, account_s=0.3)
    sub.f(4)
    assert box.timeouts[-1] == pytest.approx(0.3, abs=0.01)  # the submission's budget
    assert box.deadline == pytest.approx(time.monotonic() + 0.2, abs=0.1)  # so is the load's


def test_a_batch_is_one_call_against_the_limits_and_counts_its_time_to_the_budgets():
    box = FakeSandbox(work_s=0.1)
    sub = proxy(box, timeout_s=5.0, budget_s=0.35, account_s=100.0)
    assert sub.f.map([(i,) for i in range(30)]) == [42] * 30
    assert len(box.timeouts) == 1 and box.timeouts[0] == pytest.approx(0.35)
    assert sub.spent_s == pytest.approx(0.1, abs=0.05)
    assert sub.last_call == "f(0) and 29 more calls"
    sub = proxy(FakeSandbox(work_s=1.0), timeout_s=0.1, budget_s=5.0)
    with pytest.raises(CallTimeout, match=r"f\(0\) and 2 more calls did not finish within its"):
        sub.f.map([(0,), (1,), (2,)])


def test_a_call_stopped_by_a_budget_fails_with_the_budget_its_own_limit_with_its_own():
    sub = proxy(FakeSandbox(work_s=1.0), timeout_s=0.1, budget_s=5.0)
    with pytest.raises(CallTimeout, match="within its time limit of 0.1 s") as info:
        sub.f(1)
    assert type(info.value) is CallTimeout
    sub = proxy(FakeSandbox(work_s=1.0), timeout_s=5.0, budget_s=0.2)
    with pytest.raises(BudgetExceeded, match=r"f\(1\) was stopped: this test's calls took 0\.2 s"):
        sub.f(1)
    with pytest.raises(BudgetExceeded, match=r"f\(2\) was not run: .* over its budget of 0.2 s"):
        sub.f(2)
    box = FakeSandbox(work_s=1.0)
    account = SubmissionAccount(L1, box.filename, budget_s=0.2)
    with pytest.raises(BudgetExceeded, match="over the submission's budget of 0.2 s"):
        SubmissionProxy(box, box.filename, 5.0, budget_s=5.0, account=account).f(1)
    # The same submission, in the next test: nothing runs, and no worker is started.
    calls, started = len(box.timeouts), box.started
    with pytest.raises(BudgetExceeded, match="^Not run: the calls of lec01_vectors.py"):
        SubmissionProxy(box, box.filename, 5.0, budget_s=5.0, account=account).f(2)
    assert box.started == started and len(box.timeouts) == calls


def test_starting_the_worker_costs_the_submission_not_the_test():
    box = FakeSandbox(work_s=0.0, load_s=0.3)
    sub = proxy(box, timeout_s=5.0, budget_s=0.2, account_s=100.0)
    assert sub.f(1) == 42  # the 0.3 s import is not this test's
    assert sub.spent_s < 0.1
    assert sub._account.spent_s >= 0.3
    with pytest.raises(BudgetExceeded, match="could not be loaded in the time left"):
        proxy(SlowToLoad(), account_s=0.2).f(1)
    with pytest.raises(LoadFailed, match="cut short"):  # a load that fails in time is itself
        proxy(SlowToLoad(), account_s=100.0).f(1)


class SlowToLoad(FakeSandbox):
    def start(self) -> None:
        time.sleep(0.3)
        raise LoadFailed(f"{self.filename} could not be loaded: cut short")


def test_crashes_are_counted_and_bounded():
    box = FakeSandbox(crash=True)
    account = SubmissionAccount(L1, box.filename, budget_s=100.0)
    for n in range(MAX_FUNCTION_CRASHES):
        with pytest.raises(WorkerCrashed):
            SubmissionProxy(box, box.filename, 5.0, account=account).f(n)
    with pytest.raises(TooManyCrashes, match=f"Calls of f crashed .* {MAX_FUNCTION_CRASHES} times"):
        SubmissionProxy(box, box.filename, 5.0, account=account).f("again")
    names = [f"g{i}" for i in range(MAX_WORKER_CRASHES - MAX_FUNCTION_CRASHES)]
    for name in names:  # other functions may still crash it, up to the bound in all
        with pytest.raises(WorkerCrashed):
            getattr(SubmissionProxy(box, box.filename, 5.0, account=account), name)()
    assert account.crashes == MAX_WORKER_CRASHES
    with pytest.raises(TooManyCrashes, match=f"crashed {MAX_WORKER_CRASHES} times"):
        SubmissionProxy(box, box.filename, 5.0, account=account).h()
    assert len(box.timeouts) == MAX_WORKER_CRASHES  # the refused calls never reached the worker
    assert box.stopped >= 1


# -- options and the grader version ---------------------------------------------------------------
@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "abc", ""])
@pytest.mark.parametrize("verb", ["check", "grade"])
@pytest.mark.parametrize("option", ["--test-budget", "--submission-budget"])
def test_budgets_on_the_command_line_must_be_positive_numbers(option, verb, value, capsys):
    args = [verb, *(["examples/class"] if verb == "grade" else []), option, value]
    assert main(args) == 2
    assert "must be a positive number of seconds" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "abc"])
def test_the_call_time_limit_on_the_command_line_must_be_a_positive_number(value, capsys):
    assert main(["grade", "examples/class", "--call-timeout", value]) == 2
    assert "must be a positive number of seconds" in capsys.readouterr().err


def test_budgets_given_to_functions_are_validated(tmp_path):
    for bad in (0, -1.0, math.nan, math.inf):
        with pytest.raises(ValueError, match="positive number of seconds"):
            positive_seconds(bad, "x")
        with pytest.raises(ValueError):
            run_graders(REPO / "solutions", [L1], test_budget_s=bad)
        with pytest.raises(UsageError):
            grade_class(tmp_path, out_dir=tmp_path / "out", submission_budget_s=bad)
    assert positive_seconds(None, "x") is None and positive_seconds("2.5", "x") == 2.5


def test_budgets_given_on_the_command_line_reach_the_grading(tmp_path):
    folder = submission(tmp_path, SLOW)
    out = tmp_path / "results.json"
    args = ["check", L1, "--submission", str(folder), "--json", str(out)]
    assert main([*args, "--test-budget", "0.5", "--submission-budget", "1.2"]) == 1
    tests = json.loads(out.read_text())["tests"]
    assert "over its budget of 0.5 s" in tests[0]["output"]
    assert all("over the submission's budget of 1.2 s" in t["output"] for t in tests[-3:])


def test_budgets_are_part_of_the_grader_version_and_travel_with_the_task():
    base = grader_version(L1)
    assert grader_version(L1, test_budget_s=5.0) != base
    assert grader_version(L1, submission_budget_s=5.0) != base
    assert grader_version(L1, test_budget_s=5.0) != grader_version(L1, submission_budget_s=5.0)
    assert grader_version(L1, test_budget_s=5.0) == grader_version(L1, test_budget_s=5.0)
    files = {L1: SubmittedFile(L1, f"{L1}.py", REFERENCE.encode())}
    payload = make_payload("s", files, test_budget_s=5.0, submission_budget_s=50.0)
    assert json.loads(payload)["test_budget_s"] == 5.0
    answer = json.loads(grade_payload(payload))
    # The grading process hashes what it was given, as the coordinator does.
    assert answer["versions"][L1] == grader_version(L1, test_budget_s=5.0, submission_budget_s=50.0)


def test_grade_takes_the_budgets_and_records_their_version(tmp_path):
    folder = tmp_path / "class"
    (folder / "ada").mkdir(parents=True)
    (folder / "ada" / f"{L1}.py").write_text(REFERENCE)
    out = tmp_path / "out"
    run = grade_class(
        folder, out_dir=out, jobs=1, assignments=[L1], test_budget_s=5.0, submission_budget_s=50.0
    )
    assert run.exit_status == 0 and run.graded == ["ada"]
    with gradebook.Gradebook(out / "gradebook.sqlite") as book:
        (stored,) = book.submissions("ada")
    assert stored.grader_version == grader_version(L1, test_budget_s=5.0, submission_budget_s=50.0)
    assert stored.score == stored.max_score
    again = grade_class(
        folder, out_dir=out, jobs=1, assignments=[L1], test_budget_s=5.0, submission_budget_s=50.0
    )
    assert again.skipped == ["ada"]  # same budgets: unchanged
    other = grade_class(folder, out_dir=out, jobs=1, assignments=[L1], test_budget_s=6.0)
    assert other.graded == ["ada"]  # other budgets: graded again


def test_the_class_summary_counts_budgets_and_crash_bounds_by_kind():
    from autograder.failures import failure_kind
    from autograder.results import TestResult

    def failed(output: str, tags: tuple[str, ...] = ()) -> TestResult:
        return TestResult(
            name="t", number="1.1", score=0.0, max_score=1.0, status="failed", assignment=L1,
            output=output, tags=("public", *tags),
        )  # fmt: skip

    assert failure_kind(failed("...", ("kind:BudgetExceeded",))) == "time budget"
    assert failure_kind(failed("...", ("kind:TooManyCrashes",))) == "crashed or exited"
    # Records without the tag, by their message.
    assert failure_kind(failed("f(1) was stopped: this test's calls took 10.2 s in all, over "
                               "its budget of 10 s")) == "time budget"  # fmt: skip
    assert failure_kind(failed("The worker running lec01_vectors.py crashed 5 times; the "
                               "remaining tests were not run. The last time, ...")) == (
        "crashed or exited"
    )  # fmt: skip
