"""The aimath command: exit statuses, the report, results.json, and the stubs' drift check."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.course import ASSIGNMENTS

REPO = Path(__file__).resolve().parents[1]
GRADED = list(ASSIGNMENTS)


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "autograder.cli", *args], cwd=cwd, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


def test_reference_solutions_get_full_marks_and_exit_0(tmp_path):
    out = tmp_path / "results.json"
    proc = run("check", *GRADED, "--submission", "solutions", "--hidden", "--json", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(out.read_text())
    assert data["score"] == sum(t["max_score"] for t in data["tests"]) > 0
    assert {t["extra_data"]["assignment"] for t in data["tests"]} == set(GRADED)
    assert any(t["extra_data"]["hidden"] for t in data["tests"])
    assert "Total for solutions:" in proc.stdout


def test_stubs_score_zero_all_not_attempted_and_exit_1(tmp_path):
    out = tmp_path / "results.json"
    proc = run("check", *GRADED, "--json", str(out), "--hidden")
    assert proc.returncode == 1
    data = json.loads(out.read_text())
    assert data["score"] == 0 and data["tests"]
    assert {t["extra_data"]["status"] for t in data["tests"]} == {"not_attempted"}
    assert "not attempted" in proc.stdout


def test_results_json_has_gradescope_fields(tmp_path):
    out = tmp_path / "r.json"
    assert main(["check", "lec01_vectors", "--submission", "solutions", "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert isinstance(data["execution_time"], float) and isinstance(data["score"], float)
    for t in data["tests"]:
        assert set(t) >= {"name", "number", "score", "max_score", "status", "output", "visibility"}
        assert isinstance(t["execution_time"], float)
        assert t["status"] in ("passed", "failed") and t["visibility"] == "visible"
        assert t["number"].startswith("1.")


def test_public_run_excludes_hidden_tests(tmp_path):
    out_public, out_all = tmp_path / "p.json", tmp_path / "a.json"
    main(["check", "lec01_vectors", "--submission", "solutions", "--json", str(out_public)])
    main(
        ["check", "lec01_vectors", "--submission", "solutions", "--hidden", "--json", str(out_all)]
    )
    public = json.loads(out_public.read_text())["tests"]
    everything = json.loads(out_all.read_text())["tests"]
    assert not any(t["extra_data"]["hidden"] for t in public)
    assert len(everything) > len(public)
    # numbering does not depend on whether hidden tests are selected
    assert [t["number"] for t in public] == [t["number"] for t in everything[: len(public)]]


def test_a_misnamed_single_file_gets_the_right_name_suggested(tmp_path, capsys):
    path = tmp_path / "lec1_vectors.py"
    shutil.copy(REPO / "solutions" / "lec01_vectors.py", path)
    assert main(["check", "--submission", str(path)]) == 2
    assert "did you mean lec01_vectors.py?" in capsys.readouterr().err


def test_the_report_shows_names_with_brackets_as_they_are(capsys):
    """Test names are text, not rich markup: "[hidden]" and "[i]" stay in the table."""
    from rich.console import Console

    from autograder.results import TestResult
    from autograder.terminal import print_check_report

    results = [
        TestResult(name=name, number=f"1.{i}", score=1.0, max_score=1.0, status="passed",
                   assignment="lec01_vectors", hidden=hidden)
        for i, (name, hidden) in enumerate([("test_rows[i]", False), ("test_secret", True)], 1)
    ]  # fmt: skip
    print_check_report(results, Console(width=200, force_terminal=False))
    out = capsys.readouterr().out
    assert "test_rows[i]" in out and "test_secret [hidden]" in out


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["check", "--submission", "no/such/folder"], "no submission folder"),
        (
            ["check", "lec99_nothing", "--submission", "solutions"],
            "unknown assignment lec99_nothing",
        ),
        (["check", "--submission", "README.md"], "is not an assignment file"),
        (["check", "--no-such-flag"], "unrecognized arguments"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2(args, fragment):
    proc = run(*args)
    assert proc.returncode == 2
    assert fragment in proc.stderr


def test_a_single_file_can_be_checked(tmp_path):
    shutil.copy(REPO / "solutions" / "lec01_vectors.py", tmp_path / "lec01_vectors.py")
    proc = run("check", "--submission", str(tmp_path / "lec01_vectors.py"))
    assert proc.returncode == 0, proc.stdout
    assert "lec01_vectors" in proc.stdout and "lec02_matrices" not in proc.stdout


def test_broken_file_costs_only_its_own_assignment(tmp_path):
    shutil.copy(REPO / "solutions" / "lec02_matrices.py", tmp_path / "lec02_matrices.py")
    (tmp_path / "lec01_vectors.py").write_text("def l2_norm(x):\n    return (x ** 2).sum(\n")
    out = tmp_path / "r.json"
    proc = run("check", *GRADED, "--submission", str(tmp_path), "--json", str(out))
    assert proc.returncode == 1
    tests = json.loads(out.read_text())["tests"]
    lec01 = [t for t in tests if t["extra_data"]["assignment"] == "lec01_vectors"]
    lec02 = [t for t in tests if t["extra_data"]["assignment"] == "lec02_matrices"]
    assert lec01 and all(t["status"] == "failed" for t in lec01)
    assert all("lec01_vectors.py could not be loaded: SyntaxError" in t["output"] for t in lec01)
    assert all("line 2" in t["output"] for t in lec01)
    assert lec02 and all(t["extra_data"]["status"] == "passed" for t in lec02)


def test_missing_file_is_not_attempted(tmp_path):
    shutil.copy(REPO / "solutions" / "lec02_matrices.py", tmp_path / "lec02_matrices.py")
    out = tmp_path / "r.json"
    assert main(["check", *GRADED, "--submission", str(tmp_path), "--json", str(out)]) == 1
    tests = json.loads(out.read_text())["tests"]
    lec01 = [t for t in tests if t["extra_data"]["assignment"] == "lec01_vectors"]
    assert all(t["extra_data"]["status"] == "not_attempted" for t in lec01)
    assert all("lec01_vectors.py was not submitted" in t["output"] for t in lec01)


def test_build_check_passes_on_the_repository_and_fails_on_drift(tmp_path):
    assert run("build", "--check").returncode == 0
    shutil.copytree(REPO / "solutions", tmp_path / "solutions")
    shutil.copytree(REPO / "assignments", tmp_path / "assignments")
    stub = tmp_path / "assignments" / "lec01_vectors.py"
    stub.write_text(stub.read_text().replace("raise NotImplementedError", "return 0", 1))
    proc = run("build", "--check", cwd=tmp_path)
    assert proc.returncode == 1 and "drifted" in proc.stdout
    assert run("build", cwd=tmp_path).returncode == 0
    assert run("build", "--check", cwd=tmp_path).returncode == 0


def test_every_catalog_assignment_has_solution_stub_and_graders():
    for name, assignment in ASSIGNMENTS.items():
        assert (REPO / "solutions" / f"{name}.py").is_file()
        assert (REPO / "assignments" / f"{name}.py").is_file()
        assert (assignment.graders_dir / "test_public.py").is_file()
        assert (assignment.hidden_dir() / "test_hidden.py").is_file()
        assert not list(assignment.graders_dir.glob("*hidden*"))  # the package ships none


# -- symbolic links are never followed ------------------------------------------------------------
def solution_lines(assignment: str) -> list[str]:
    """The reference's lines inside solution blocks that are long enough to be telling."""
    lines, inside = [], False
    for line in (REPO / "solutions" / f"{assignment}.py").read_text().splitlines():
        if "### BEGIN SOLUTION" in line or "### END SOLUTION" in line:
            inside = "BEGIN" in line
        elif inside and len(line.strip()) >= 20:
            lines.append(line.strip())
    assert lines
    return lines


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_submission_that_is_a_symbolic_link_is_refused(what, tmp_path, capsys):
    target = REPO / "solutions" / ("lec01_vectors.py" if what == "file" else "")
    link = tmp_path / ("lec01_vectors.py" if what == "file" else "submission")
    link.symlink_to(target)
    out = tmp_path / "r.json"
    assert main(["check", "lec01_vectors", "--submission", str(link), "--json", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{link} is a symbolic link, which is never followed" in err
    assert not out.exists()


@pytest.mark.parametrize("target", ["solution", "/etc/shadow"])
def test_a_symbolic_link_in_a_submission_scores_nothing_and_shows_nothing_of_its_target(
    target, tmp_path, capsys
):
    folder = tmp_path / "submission"
    folder.mkdir()
    solution = REPO / "solutions" / "lec01_vectors.py"
    (folder / "lec01_vectors.py").symlink_to(solution if target == "solution" else target)
    out = tmp_path / "r.json"
    code = main(["check", "lec01_vectors", "--submission", str(folder), "--json", str(out)])
    shown = capsys.readouterr().out + out.read_text()
    assert code == 1
    tests = json.loads(out.read_text())["tests"]
    assert tests and all(t["score"] == 0 for t in tests)
    assert {t["extra_data"]["status"] for t in tests} == {"not_attempted"}
    secret = solution_lines("lec01_vectors")
    try:
        secret += [line for line in Path(target).read_text().splitlines() if len(line) > 8]
    except OSError:  # not readable here: then it cannot have been shown either
        pass
    leaked = [line for line in secret if line in shown]
    assert not leaked


def test_a_cause_many_tests_share_is_said_once_before_the_table(tmp_path):
    """A syntax error, a stub and a file not handed in each print one cause, not one per test."""
    from rich.console import Console

    from autograder.failures import group_failures
    from autograder.plugin import run_graders
    from autograder.terminal import print_check_report

    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "lec01_vectors.py").write_text("def hadamard(x, y)\n    return x\n")
    shutil.copy(REPO / "assignments" / "lec04_sgd.py", folder)
    results = run_graders(folder, ["lec01_vectors", "lec02_matrices", "lec04_sgd"], student="s")
    console = Console(width=120, record=True, force_terminal=False)
    print_check_report(results, console)
    out = console.export_text()
    assert out.count("could not be loaded: SyntaxError") == 1
    assert "16 tests FAILED (every test), tests 1.1-1.16:" in out
    assert out.count("was not submitted") == 1
    assert "lec02_matrices.py was not submitted, so its tests were not graded: 19 tests not " in out
    assert out.count("raised NotImplementedError") == 0 and out.count("NotImplementedError") == 1
    assert "not attempted yet: add_intercept, linear_regression_gd, minibatches, " in out
    assert out.index("could not be loaded") < out.index("1.1 ")  # the cause before the table
    # Failures of their own are still told test by test.
    shared, singles = group_failures(
        [r for r in run_graders(REPO / "tests" / "submissions" / "lec01_no_sqrt",
                                ["lec01_vectors"], student="s")]
    )  # fmt: skip
    assert not shared and singles and all("returned" in r.output for r in singles)
