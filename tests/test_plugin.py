"""The pytest plugin: classification, markers, numbering, fixtures, result collection, notes.

Most tests run tiny grader modules written to tmp_path, in a folder named after a catalog
assignment (which is how the plugin tells a grader's assignment), with the plugin loaded the way
``run_graders`` loads it; a few go through the real lec01 graders.
"""

from __future__ import annotations

import ast
import contextlib
import io
import shutil
import textwrap
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder import plugin
from autograder.checks import CheckError
from autograder.course import GRADERS_DIR
from autograder.errors import (
    CallTimeout,
    LoadFailed,
    MissingFunction,
    NotAttempted,
    ProtocolError,
    RemoteException,
    StudentError,
    StudentRaised,
    UnsupportedReturn,
    WorkerCrashed,
)
from autograder.failures import MAX_PRINTED_CHARS
from autograder.plugin import (
    BudgetExceeded,
    TooManyCrashes,
    classify,
    run_graders,
)
from autograder.seeds import hidden_seed, instructor_secret, public_seed

REPO = Path(__file__).resolve().parents[1]
L1 = "lec01_vectors"
REFERENCE = (REPO / "solutions" / f"{L1}.py").read_text()
# The reference, and a few functions for the tiny graders to call.
SUBMISSION = REFERENCE + textwrap.dedent("""

    def nap(seconds):
        import time

        time.sleep(seconds)
        return seconds


    def chatty(n):
        print("x" * n)
        return -1
""")


_RUNS = 0


def grade_tiny(
    tmp_path: Path,
    public: str,
    *,
    hidden_tests: str | None = None,
    hidden: bool = False,
    student: str = "s1",
    args: tuple[str, ...] = (),
    submission: str = SUBMISSION,
    hints: bool = False,
) -> dict:
    """Run a tiny public grader module (and hidden one) on a submission; results by test name.
    With ``hints``, the course's lec01 hints are in the tiny hidden folder."""
    # Each run's modules get names of their own: pytest keeps imported test modules by name.
    global _RUNS
    _RUNS += 1
    root = tmp_path / f"run-{_RUNS}"
    graders = root / "graders" / L1
    graders.mkdir(parents=True)
    shutil.copy(GRADERS_DIR / "pytest.ini", root / "graders" / "pytest.ini")
    files = [graders / f"test_tiny{_RUNS}.py"]
    files[0].write_text(textwrap.dedent(public))
    hidden_root = root / "hidden"
    (hidden_root / L1).mkdir(parents=True)
    if hints:
        shutil.copy(REPO / "hidden" / L1 / "hints.py", hidden_root / L1 / "hints.py")
    if hidden_tests is not None:
        (hidden_root / L1 / f"test_hidden{_RUNS}.py").write_text(textwrap.dedent(hidden_tests))
        if hidden:
            files.append(hidden_root / L1 / f"test_hidden{_RUNS}.py")
    folder = root / "submission"
    folder.mkdir()
    (folder / f"{L1}.py").write_text(submission)
    argv = [
        *map(str, files), "-q", "-s", "-p", "no:cacheprovider", "--rootdir", str(root / "graders"),
        "-c", str(root / "graders" / "pytest.ini"), "--import-mode=importlib",
        "--submission", str(folder), "--hidden-tests", str(hidden_root), "--student", student,
        *(["--hidden"] if hidden else []), *args,
    ]  # fmt: skip
    capture = plugin._SessionCapture()
    with contextlib.redirect_stdout(io.StringIO()) as out:
        code = pytest.main(argv, plugins=["autograder.plugin", capture])
    assert code in (0, 1), out.getvalue()
    return {r.nodeid.split("::")[-1]: r for r in capture.session.results}


@pytest.fixture(autouse=True)
def _no_third_party_plugins(monkeypatch):
    monkeypatch.setenv(plugin.AUTOLOAD_VARIABLE, "1")


def kind(result) -> str:
    return next((t[5:] for t in result.tags if t.startswith("kind:")), "")


# -- classify -------------------------------------------------------------------------------------
class Report:
    location = ("lec01_vectors/test_public.py", 10, "test_x")


REMOTE = RemoteException(type="ZeroDivisionError", message="division by zero", line=3)
STUDENT_ERRORS = [
    StudentRaised("f(1)", "lec01_vectors.py", REMOTE),
    CallTimeout("f(1) did not finish within its time limit of 1 s"),
    WorkerCrashed("the process running f(1) exited with status 3"),
    UnsupportedReturn("f(1) returned a value that cannot be graded"),
    MissingFunction("lec01_vectors.py has no function f"),
    LoadFailed("lec01_vectors.py could not be loaded: SyntaxError"),
    ProtocolError("f(1): the worker sent an unreadable reply"),
    BudgetExceeded("f(1) was stopped: this test's calls took 2.0 s in all"),
    TooManyCrashes("The worker running lec01_vectors.py crashed 5 times"),
    StudentError("something the student did"),
]


def classified(exc):
    """classify's status and its failure rendered in English."""
    status, failure = classify(exc, Report())
    return status, failure.render("en")


KINDS_OF_ERRORS = {
    "StudentRaised": "raised an exception", "CallTimeout": "time limit",
    "WorkerCrashed": "crashed or exited", "UnsupportedReturn": "unsupported return value",
    "MissingFunction": "missing function", "LoadFailed": "file could not be loaded",
    "ProtocolError": "crashed or exited", "BudgetExceeded": "time budget",
    "TooManyCrashes": "crashed or exited", "StudentError": "raised an exception",
}  # fmt: skip


def test_not_attempted_is_its_own_status():
    assert classify(NotAttempted("f(1)"), Report())[1].kind == "not attempted"
    assert classified(NotAttempted("f(1) raised NotImplementedError")) == (
        "not_attempted",
        "f(1) raised NotImplementedError",
    )


@pytest.mark.parametrize("exc", STUDENT_ERRORS, ids=lambda e: type(e).__name__)
def test_the_students_errors_fail_with_their_message(exc):
    assert classified(exc) == ("failed", str(exc))
    assert classify(exc, Report())[1].kind == KINDS_OF_ERRORS[type(exc).__name__]


def test_a_failed_check_or_assertion_is_a_wrong_answer():
    assert classified(CheckError("f(1) returned a wrong value.")) == (
        "failed",
        "f(1) returned a wrong value.",
    )
    assert classified(AssertionError("5 != 6")) == ("failed", "5 != 6")
    assert classified(AssertionError()) == ("failed", "an assertion in the grader failed")
    assert classify(AssertionError(), Report())[1].kind == "wrong answer"


def test_a_skip_is_the_graders_doing():
    try:
        pytest.skip("no GPU")
    except pytest.skip.Exception as exc:
        status, message = classified(exc)
    assert status == "error" and message == "The grader skipped this test: no GPU"


@pytest.mark.parametrize("exc", [ValueError("bad"), KeyError("k"), RuntimeError("r"), OSError()])
def test_any_other_exception_is_the_grader_breaking(exc):
    status, message = classified(exc)
    assert status == "error"
    assert classify(exc, Report())[1].kind == "grader error"
    assert message.startswith("The grader itself broke (not your fault")
    assert f"{type(exc).__name__}: {exc}" in message
    assert "[in lec01_vectors/test_public.py]" in message


# -- markers ------------------------------------------------------------------------------------
MARKERS = """
import numpy as np
import pytest

@pytest.mark.points(3)
def test_three_points(sub):
    assert sub.l2_norm(np.array([3.0, 4.0])) == 5.0

def test_one_point_by_default(sub):
    assert sub.l1_norm(np.array([3.0, -4.0])) == 7.0

@pytest.mark.hidden
@pytest.mark.points(2)
def test_marked_hidden(sub):
    assert sub.l1_norm(np.array([1.0])) == 1.0

@pytest.mark.timeout(0.3)
def test_timeout(sub):
    sub.nap(3)

@pytest.mark.budget(0.5)
def test_budget(sub):
    for _ in range(5):
        sub.nap(0.2)

@pytest.mark.budget(5)
def test_budget_enough(sub):
    for _ in range(3):
        sub.nap(0.2)

@pytest.mark.budget(0)
def test_budget_nonsense(sub):
    sub.nap(0)
"""


@pytest.fixture(scope="module")
def markers(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("markers")
    return (
        grade_tiny(tmp, MARKERS, args=("--test-budget", "0.3")),
        grade_tiny(tmp, MARKERS, hidden=True, args=("--test-budget", "0.3")),
    )


def test_points_marker_sets_the_score(markers):
    public, _ = markers
    assert public["test_three_points"].max_score == public["test_three_points"].score == 3.0
    assert public["test_one_point_by_default"].max_score == 1.0


def test_hidden_marker_hides_the_test_unless_hidden_tests_run(markers):
    public, everything = markers
    assert "test_marked_hidden" not in public
    r = everything["test_marked_hidden"]
    assert r.hidden and r.visibility == "after_published" and "hidden" in r.tags
    assert r.status == "passed" and r.max_score == 2.0
    p = everything["test_three_points"]
    assert not p.hidden and p.visibility == "visible" and "public" in p.tags


def test_timeout_marker_limits_each_call(markers):
    r = markers[0]["test_timeout"]
    assert r.status == "failed" and kind(r) == "CallTimeout"
    assert "nap(3) did not finish within its time limit of 0.3 s" in r.output


def test_budget_marker_limits_the_tests_calls_together_and_wins_over_the_option(markers):
    r = markers[0]["test_budget"]
    assert r.status == "failed" and kind(r) == "BudgetExceeded"
    assert "this test's calls took" in r.output and "over its budget of 0.5 s" in r.output
    # --test-budget 0.3 would stop three naps of 0.2 s; the marker's 5 s does not.
    assert markers[0]["test_budget_enough"].status == "passed"


def test_a_budget_marker_that_is_not_a_positive_number_is_a_grader_error(markers):
    r = markers[0]["test_budget_nonsense"]
    assert r.status == "error" and "budget(s) must be a positive number of seconds" in r.output


# -- numbering ----------------------------------------------------------------------------------
def test_numbers_follow_the_grader_files_whether_or_not_hidden_tests_run(tmp_path):
    public = """
        import pytest
        def test_a(sub): pass
        @pytest.mark.hidden
        def test_b(sub): pass
        def test_c(sub): pass
    """
    hidden = """
        def test_h1(sub): pass
        def test_h2(sub): pass
    """
    without = grade_tiny(tmp_path, public, hidden_tests=hidden)
    with_hidden = grade_tiny(tmp_path, public, hidden_tests=hidden, hidden=True)
    assert {n: r.number for n, r in without.items()} == {"test_a": "1.1", "test_c": "1.3"}
    assert {n: r.number for n, r in with_hidden.items()} == {
        "test_a": "1.1", "test_b": "1.2", "test_c": "1.3", "test_h1": "1.4", "test_h2": "1.5",
    }  # fmt: skip
    assert with_hidden["test_h1"].hidden
    assert with_hidden["test_h1"].nodeid == f"hidden/lec01_vectors/test_hidden{_RUNS}.py::test_h1"


def test_numbers_of_the_real_graders_are_stable_too():
    public = run_graders(REPO / "solutions", [L1])
    everything = run_graders(REPO / "solutions", [L1], hidden=True)
    assert [r.number for r in public] == [f"1.{i}" for i in range(1, len(public) + 1)]
    assert [(r.number, r.nodeid) for r in everything[: len(public)]] == [
        (r.number, r.nodeid) for r in public
    ]
    assert len(everything) > len(public)


# -- fixtures -------------------------------------------------------------------------------------
def test_ref_is_refused_in_a_public_test_and_given_to_a_hidden_one(tmp_path):
    public = """
        def test_peeks(sub, ref):
            pass
    """
    hidden = """
        import numpy as np
        def test_uses_ref(sub, ref):
            x = np.array([3.0, 4.0])
            assert sub.l2_norm(x) == ref.l2_norm(x) == 5.0
    """
    results = grade_tiny(tmp_path, public, hidden_tests=hidden, hidden=True)
    peeks = results["test_peeks"]
    assert peeks.status == "error" and "public tests may not use `ref`" in peeks.output
    assert results["test_uses_ref"].status == "passed"


RNG = """
    def test_draw(rng):
        raise AssertionError(repr(rng.random(3).tolist()))

    def test_other(rng):
        raise AssertionError(repr(rng.random(3).tolist()))
"""


def drawn(result) -> list[float]:
    return ast.literal_eval(result.output.splitlines()[0])


def test_rng_is_seeded_per_student_and_test_and_public_seeds_need_only_the_id(tmp_path):
    first = grade_tiny(tmp_path, RNG, student="alice")
    again = grade_tiny(tmp_path, RNG, student="alice")
    other = grade_tiny(tmp_path, RNG, student="bob")
    assert drawn(first["test_draw"]) == drawn(again["test_draw"])  # reproducible
    assert drawn(first["test_draw"]) != drawn(first["test_other"])  # per test
    assert drawn(first["test_draw"]) != drawn(other["test_draw"])  # per student
    # A student can reproduce public inputs from their id alone.
    expected = np.random.default_rng(public_seed("alice", L1, "test_draw")).random(3).tolist()
    assert drawn(first["test_draw"]) == expected


def test_hidden_tests_rng_also_needs_the_instructors_secret(tmp_path):
    results = grade_tiny(tmp_path, "", hidden_tests=RNG, hidden=True, student="alice")
    seed = hidden_seed("alice", L1, "test_draw", secret=instructor_secret())
    assert drawn(results["test_draw"]) == np.random.default_rng(seed).random(3).tolist()
    public = np.random.default_rng(public_seed("alice", L1, "test_draw")).random(3).tolist()
    assert drawn(results["test_draw"]) != public


FIXTURES = """
    import pytest
    from autograder.checks import CheckError

    @pytest.fixture
    def broken_setup():
        raise ValueError("setup broke")

    @pytest.fixture
    def broken_teardown():
        yield
        raise KeyError("teardown broke")

    @pytest.fixture
    def student_setup(sub):
        raise CheckError("the fixture's check failed")

    def test_setup_error(broken_setup):
        pass

    def test_body_error(sub):
        {}["missing"]

    def test_passes_but_teardown_breaks(broken_teardown):
        pass

    def test_fails_and_teardown_breaks(broken_teardown):
        raise CheckError("a wrong answer")

    def test_check_in_setup(student_setup):
        pass
"""


def test_errors_in_setup_the_test_and_teardown(tmp_path):
    r = grade_tiny(tmp_path, FIXTURES)
    setup = r["test_setup_error"]
    assert setup.status == "error" and "The grader itself broke" in setup.output
    assert "ValueError: setup broke" in setup.output
    body = r["test_body_error"]
    assert body.status == "error" and "KeyError: 'missing'" in body.output
    teardown = r["test_passes_but_teardown_breaks"]
    assert teardown.status == "error" and teardown.score == 0
    assert "KeyError: 'teardown broke'" in teardown.output
    failed = r["test_fails_and_teardown_breaks"]  # the test's own failure is what it reports
    assert failed.status == "failed" and failed.output == "a wrong answer"
    check = r["test_check_in_setup"]
    assert check.status == "failed" and check.output == "the fixture's check failed"
    assert all(x.execution_time >= 0 for x in r.values()) and len(r) == 5


# -- results ------------------------------------------------------------------------------------
def test_printed_output_goes_with_failed_tests_only_and_is_cut_with_a_note(tmp_path):
    graders = """
        def test_prints_and_passes(sub):
            assert sub.chatty(10) == -1

        def test_prints_and_fails(sub):
            assert sub.chatty(10) == 1, "chatty(10) returned a wrong value"

        def test_prints_a_lot_and_fails(sub):
            assert sub.chatty(5000) == 1, "chatty(5000) returned a wrong value"
    """
    r = grade_tiny(tmp_path, graders)
    assert r["test_prints_and_passes"].status == "passed"
    assert "printed" not in r["test_prints_and_passes"].output
    small = r["test_prints_and_fails"].output
    assert small.startswith("chatty(10) returned a wrong value")
    assert small.endswith("\n\nYour code printed:\n(in chatty(10))\n" + "x" * 10)
    big = r["test_prints_a_lot_and_fails"].output
    shown = big.split("Your code printed:\n(in chatty(5000))\n", 1)[1]
    assert shown.startswith("x" * MAX_PRINTED_CHARS + "\n... (")
    assert shown.endswith(f"({5000 - MAX_PRINTED_CHARS} more characters not shown)")


def test_results_carry_the_assignment_name_and_nodeid(tmp_path):
    r = grade_tiny(tmp_path, '''
        def test_documented(sub):
            """l2_norm: the first line of the docstring names the test
            and the rest does not"""
        def test_undocumented(sub):
            pass
    ''')  # fmt: skip
    assert r["test_documented"].name == "l2_norm: the first line of the docstring names the test"
    assert r["test_undocumented"].name == "test_undocumented"
    assert {x.assignment for x in r.values()} == {L1}
    assert r["test_documented"].nodeid == f"lec01_vectors/test_tiny{_RUNS}.py::test_documented"


def test_a_test_of_a_file_not_submitted_is_not_attempted(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    results = run_graders(folder, [L1])
    assert {r.status for r in results} == {"not_attempted"}
    assert all("lec01_vectors.py was not submitted" in r.output for r in results)


# -- notes ----------------------------------------------------------------------------------------
def test_run_graders_fills_the_notes_on_each_file(tmp_path):
    both = tmp_path / "both"
    both.mkdir()
    (both / f"{L1}.py").write_text(REFERENCE)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(REFERENCE), nbformat.v4.new_code_cell("1 / 0")]
    (both / f"{L1}.ipynb").write_text(nbformat.writes(notebook))
    notes: dict[str, list[str]] = {"stale": ["kept"]}
    run_graders(both, [L1], notes=notes)
    assert notes["stale"] == ["kept"]  # the dict is updated, not replaced
    (note,) = notes[L1]
    assert note.startswith(f"Both {L1}.py and {L1}.ipynb were handed in: {L1}.py was graded")

    only = tmp_path / "notebook"
    only.mkdir()
    shutil.copy(both / f"{L1}.ipynb", only)
    notes = {}
    results = run_graders(only, [L1], notes=notes)
    assert any("ZeroDivisionError" in n for n in notes[L1]), notes
    assert sum(r.score for r in results) == sum(r.max_score for r in results)

    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / f"{L1}.py").write_text(REFERENCE)
    notes = {}
    run_graders(clean, [L1], notes=notes)
    assert notes == {}


# -- batched calls --------------------------------------------------------------------------------
BATCH_SUBMISSION = """
import numpy as np
CALLS = []

def scale(x, factor=1.0):
    CALLS.append(1)
    if x[0] < 0:
        raise ValueError("negative")
    return np.asarray(x) * factor, len(CALLS)
"""


def test_map_calls_the_function_on_every_input_in_one_round_trip(tmp_path):
    public = """
        import numpy as np
        from autograder.checks import check_close

        def test_map(sub):
            values = sub.scale.map([(np.array([1.0, i]),) for i in range(50)], factor=2.0)
            assert len(values) == 50
            for i, (x, count) in enumerate(values):
                check_close(x, np.array([2.0, 2.0 * i]), name=sub.last_call)
                assert count == i + 1  # one worker, in order
            assert sub.scale.map([]) == []

        def test_map_reports_the_call_that_raised(sub):
            sub.scale.map([(np.array([1.0]),), (np.array([-1.0, 5.0]),), (np.array([2.0]),)])
    """
    results = grade_tiny(tmp_path, public, submission=BATCH_SUBMISSION)
    assert results["test_map"].status == "passed", results["test_map"].output
    raised = results["test_map_reports_the_call_that_raised"]
    assert raised.status == "failed"
    assert "scale(array([-1., 5.])) (call 2 of 3 in a batch) raised" in raised.output
    assert "ValueError: negative" in raised.output


def test_printed_output_is_named_by_the_call_that_printed_it(tmp_path):
    graders = """
        def test_two_calls(sub):
            sub.chatty(3)
            sub.chatty(4)
            assert False, "the second call was wrong"

        def test_one_quiet_call_after_a_chatty_one(sub):
            sub.chatty(5)
            assert sub.chatty(0) == 1, "chatty(0) returned a wrong value"
    """
    r = grade_tiny(tmp_path, graders)
    two = r["test_two_calls"].output
    assert two.endswith("Your code printed:\n(in chatty(3))\nxxx\n(in chatty(4))\nxxxx")
    quiet = r["test_one_quiet_call_after_a_chatty_one"].output
    assert quiet.endswith("(in chatty(5))\nxxxxx")  # not attributed to chatty(0)


def test_what_does_not_fit_is_counted_call_by_call_the_last_calls_kept():
    from autograder.failures import printed_report

    calls = [(f"f({i})", "y" * 30) for i in range(5)]
    report = printed_report(calls, limit=70)
    assert report.startswith("Your code printed:\n(what 2 earlier calls printed is not shown)\n")
    assert "(in f(2))\n" + "y" * 10 + "\n... (20 more characters not shown)" in report
    assert report.endswith("(in f(4))\n" + "y" * 30)
