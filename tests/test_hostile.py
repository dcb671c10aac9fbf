"""Hostile submissions earn nothing by their trick: only right answers score."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.plugin import run_graders
from autograder.sandbox.process import probe_isolation

SUBMISSIONS = Path(__file__).resolve().parent / "submissions"
ISOLATION = probe_isolation()

# hostile folder -> a fragment every failed test's feedback must contain
TRICKS = {
    "hostile_monkeypatch_numpy": "returned",
    "hostile_sys_exit": "raised SystemExit",
    "hostile_os_exit": "exited with status 0",
    "hostile_infinite_loop": "did not finish within its time limit",
    "hostile_fake_summary": "returned",
    "hostile_results_json": "returned",
    "hostile_lying_eq": "cannot be graded",
    "hostile_frames": "returned",
}


def grade(folder: Path, **kwargs):
    return run_graders(folder, ["lec01_vectors"], hidden=True, student="hostile", **kwargs)


@pytest.mark.parametrize("trick", sorted(TRICKS))
def test_trick_scores_zero_and_every_test_fails_with_a_clear_message(trick, tmp_path):
    folder = tmp_path / trick
    shutil.copytree(SUBMISSIONS / trick, folder)
    timeout = 0.3 if trick == "hostile_infinite_loop" else None
    out = tmp_path / "graded.json"
    results = grade(folder, timeout_s=timeout, json_path=out)
    assert results, "no tests ran"
    assert sum(r.score for r in results) == 0
    for r in results:
        assert r.status == "failed", (r.name, r.status, r.output)
        assert TRICKS[trick] in r.output, (r.name, r.output)
    assert json.loads(out.read_text())["score"] == 0  # what the grader wrote, whatever it wrote
    if "minimal-root" in ISOLATION:  # the submission's folder is read-only in the minimal root
        assert not (folder / "results.json").exists()


def test_a_loop_in_one_test_does_not_stop_the_next(tmp_path):
    folder = tmp_path / "sub"
    folder.mkdir()
    source = (SUBMISSIONS.parent.parent / "solutions" / "lec01_vectors.py").read_text()
    source += "\n\ndef l1_norm(x):\n    while True:\n        pass\n"
    (folder / "lec01_vectors.py").write_text(source)
    results = grade(folder, timeout_s=0.5)
    looping = [r for r in results if r.status != "passed"]
    assert looping and all("l1_norm" in r.name.split(":")[0] or "l1_" in r.output for r in looping)
    assert all("did not finish" in r.output for r in looping)
    assert any(r.status == "passed" for r in results)


@pytest.mark.skipif(
    "hidden-paths" not in ISOLATION,
    reason="hiding the solutions needs a mount namespace: root, or unprivileged user namespaces",
)
def test_importing_or_reading_the_solutions_earns_nothing():
    # Graded in place, inside the repository, so that solutions/ is two folders up.
    results = grade(SUBMISSIONS / "hostile_import_solutions")
    assert sum(r.score for r in results) == 0
    assert all(r.status == "failed" and "ImportError" in r.output for r in results), [
        (r.name, r.output) for r in results if "ImportError" not in r.output
    ]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "autograder.cli", *args], cwd=cwd, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip


def test_fake_summary_is_shown_only_as_the_students_output(tmp_path):
    folder = tmp_path / "fake"
    shutil.copytree(SUBMISSIONS / "hostile_fake_summary", folder)
    proc = run_cli("check", "lec01_vectors", "--submission", str(folder), cwd=tmp_path)
    assert proc.returncode == 1
    total = [line for line in proc.stdout.splitlines() if line.startswith("Total")]
    assert len(total) == 1 and " 0/" in total[0]
    assert "Your code printed:" in proc.stdout
    before_feedback = proc.stdout.split("Your code printed:")[0]
    assert "All tests passed!" not in before_feedback


def test_results_json_written_by_the_submission_is_ignored_and_overwritten(tmp_path):
    folder = tmp_path / "json"
    shutil.copytree(SUBMISSIONS / "hostile_results_json", folder)
    out = tmp_path / "results.json"
    proc = run_cli("check", "lec01_vectors", "--submission", str(folder), "--hidden",
                   "--json", str(out), cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    data = json.loads(out.read_text())
    assert data["score"] == 0 and data["tests"]
    assert all(t["status"] == "failed" for t in data["tests"])
