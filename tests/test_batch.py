"""Grading a whole class: submissions and zips, the pool, resuming after a kill, and Dask."""

from __future__ import annotations

import base64
import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from autograder import batch, intake
from autograder.batch import UsageError, grade_class, grade_payload, make_payload
from autograder.cli import main
from autograder.course import ASSIGNMENTS
from autograder.gradebook import POINTS_POSSIBLE, Gradebook
from autograder.intake import (
    StudentEntry,
    SubmissionRejected,
    find_students,
    read_submission,
    read_zip,
)

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "submissions"
L1, L2 = "lec01_vectors", "lec02_matrices"
GRADED = [L1, L2]  # the tests grade these two, whatever else the catalog holds


def reference(assignment: str) -> str:
    return (REPO / "solutions" / f"{assignment}.py").read_text()


def golden(case: str, assignment: str) -> str:
    return (GOLDEN / case / f"{assignment}.py").read_text()


def stub(assignment: str) -> str:
    return (REPO / "assignments" / f"{assignment}.py").read_text()


def broken(assignment: str) -> str:
    return reference(assignment) + "\ndef oops(:\n    pass\n"


def make_class(root: Path, students: dict[str, dict[str, str]]) -> Path:
    """One folder per student with {assignment: source}."""
    for student, files in students.items():
        folder = root / student
        folder.mkdir(parents=True)
        for assignment, source in files.items():
            (folder / f"{assignment}.py").write_text(source)
    return root


def make_zip(path: Path, members: dict[str, str | bytes], **attrs: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.external_attr = attrs.get(name, 0o644 << 16)
            zf.writestr(info, data)
    return path


def dump(out: Path) -> list[tuple]:
    """The gradebook's content, without times and run ids: what must not depend on how it ran."""
    db = sqlite3.connect(out / "gradebook.sqlite")
    return db.execute(
        "SELECT s.student, s.assignment, s.filename, s.sha256, s.grader_version, s.status, "
        "s.message, s.score, s.max_score, s.n_tests, r.position, r.number, r.name, r.score, "
        "r.status, r.output, r.hidden FROM submissions s LEFT JOIN results r "
        "ON r.submission_id = s.id ORDER BY s.student, s.assignment, r.position"
    ).fetchall()


def grade(folder: Path, out: Path, **kwargs):
    kwargs.setdefault("assignments", GRADED)
    kwargs.setdefault("jobs", 2)
    return grade_class(folder, out_dir=out, **kwargs)


# -- finding and reading submissions ------------------------------------------------------------
def test_find_students_folders_and_zips(tmp_path):
    for name in ("bob", "amy", ".git", "__MACOSX", "cy"):
        (tmp_path / name).mkdir()
    make_zip(tmp_path / "dan.zip", {"lec01_vectors.py": "x = 1\n"})
    make_zip(tmp_path / "cy.zip", {"lec01_vectors.py": "x = 1\n"})
    (tmp_path / "README.txt").write_text("not a student")
    entries, warnings = find_students(tmp_path)
    assert [(e.student, e.kind) for e in entries] == [
        ("amy", "folder"), ("bob", "folder"), ("cy", "folder"), ("dan", "zip")
    ]  # fmt: skip
    assert warnings == [
        "README.txt skipped: a class folder holds one folder or .zip file per student",
        "cy.zip ignored: the folder cy/ is graded instead",
    ]


def test_a_single_students_folder_or_an_empty_one_is_not_a_class(tmp_path, capsys):
    alice = tmp_path / "alice"
    alice.mkdir()
    (alice / "lec01_vectors.py").write_text("x = 1\n")
    with pytest.raises(SubmissionRejected, match="looks like one student's submission"):
        find_students(alice)
    assert main(["grade", str(alice), "--out", str(tmp_path / "out")]) == 2
    assert f"aimath check --submission {alice}" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["grade", str(tmp_path / "empty"), "--out", str(tmp_path / "out2")]) == 2
    assert "no students in" in capsys.readouterr().err


def test_a_misnamed_file_is_not_graded_but_named_with_the_right_name(tmp_path):
    folder = make_class(tmp_path / "class", {"ada": {L2: reference(L2)}})
    (folder / "ada" / "lec1_vectors.py").write_text(reference(L1))
    (folder / "bo").mkdir()
    (folder / "bo" / "lec01_vector.ipynb").write_text("{}")
    run = grade_class(folder, out_dir=tmp_path / "out", assignments=[L1, L2], jobs=1)
    assert "ada: lec01_vectors.py was not found, but lec1_vectors.py was handed in: if it is this "\
        "assignment, rename it to lec01_vectors.py" in " ".join(run.warnings)  # fmt: skip
    assert "rename it to lec01_vectors.ipynb" in run.rejected["bo"]  # nothing else handed in


def test_folder_prefers_py_and_understands_nbgrader_layout(tmp_path):
    (tmp_path / "lec01_vectors.py").write_text("a = 1\n")
    (tmp_path / "lec01_vectors.ipynb").write_text("{}")
    (tmp_path / L2).mkdir()
    (tmp_path / L2 / "lec02_matrices.ipynb").write_text('{"cells": []}')
    files = read_submission(StudentEntry("s", tmp_path, "folder"), GRADED)
    assert files[L1].filename == "lec01_vectors.py" and files[L1].data == b"a = 1\n"
    assert files[L2].filename == "lec02_matrices.ipynb"


def test_symbolic_links_in_a_student_folder_are_not_followed(tmp_path):
    secret = tmp_path / "secret.py"
    secret.write_text("TOKEN = 'grader-only'\n")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "lec02_matrices.py").write_text("x = 1\n")
    student = tmp_path / "s"
    student.mkdir()
    (student / "lec01_vectors.py").symlink_to(secret)
    (student / L2).symlink_to(tmp_path / "outside", target_is_directory=True)
    assert read_submission(StudentEntry("s", student, "folder"), GRADED) == {}


def test_zip_of_a_folder_takes_the_shallowest_copy_and_ignores_junk(tmp_path):
    path = make_zip(
        tmp_path / "s.zip",
        {
            "s/lec01_vectors.py": "shallow = 1\n",
            "s/old/lec01_vectors.py": "deeper = 1\n",
            "__MACOSX/s/._lec01_vectors.py": b"\x00\x05junk",
            "s/data.csv": "1,2\n",
        },
    )  # fmt: skip
    files = read_zip(path, GRADED)
    assert list(files) == [L1] and files[L1].data == b"shallow = 1\n"


@pytest.mark.parametrize(
    "members, attrs, limits, fragment",
    [
        ({"/etc/lec01_vectors.py": "x"}, {}, {}, "absolute path"),
        ({"C:/lec01_vectors.py": "x"}, {}, {}, "absolute path"),
        ({"../lec01_vectors.py": "x"}, {}, {}, "leaves its folder"),
        ({"a/../../b.txt": "x"}, {}, {}, "leaves its folder"),
        ({"lec01_vectors.py": "/etc/passwd"}, {"lec01_vectors.py": 0o120777 << 16}, {},
         "symbolic link"),
        ({f"f{i}.txt": "x" for i in range(6)}, {}, {"MAX_ZIP_MEMBERS": 5}, "holds 6 files"),
        ({"big.bin": "x" * 5000}, {}, {"MAX_ZIP_TOTAL_BYTES": 4096}, "unpacks to more than"),
        ({"lec01_vectors.py": "#" * 3000}, {}, {"MAX_FILE_BYTES": 2048}, "is larger than"),
        ({"a/lec01_vectors.py": "x", "b/lec01_vectors.py": "y"}, {}, {}, "two copies"),
    ],
)  # fmt: skip
def test_unsafe_or_oversized_zips_are_rejected(tmp_path, monkeypatch, members, attrs, limits, fragment):  # fmt: skip
    for name, value in limits.items():
        monkeypatch.setattr(intake, name, value)
    path = make_zip(tmp_path / "s.zip", members, **attrs)
    with pytest.raises(SubmissionRejected, match=fragment):
        read_zip(path, GRADED)


def test_a_file_that_is_not_a_zip_is_rejected(tmp_path):
    (tmp_path / "s.zip").write_bytes(b"PK\x03\x04 but not really")
    with pytest.raises(SubmissionRejected, match="s.zip is not a readable zip file"):
        read_zip(tmp_path / "s.zip", GRADED)


# -- one student's task -------------------------------------------------------------------------
def test_grade_payload_is_json_in_json_out():
    files = {L1: intake.SubmittedFile(L1, "lec01_vectors.py", reference(L1).encode())}
    answer = json.loads(grade_payload(make_payload("ada", files)))
    assert answer["student"] == "ada" and set(answer["versions"]) == {L1}
    assert answer["results"] and all(r["status"] == "passed" for r in answer["results"])
    assert all(r["assignment"] == L1 for r in answer["results"])
    bad = json.loads(make_payload("ada", files))
    bad["files"][L1]["filename"] = "../../etc/evil.py"
    answer = json.loads(grade_payload(json.dumps(bad)))
    assert "results" not in answer and "unexpected file name" in answer["error"]


def crash_on(payload: str) -> str:
    """A stand-in grading function for the pool test: its process dies on 'crash'."""
    if payload == "crash":
        os._exit(3)
    return payload.upper()


def test_a_pool_process_that_dies_costs_only_its_own_task():
    from concurrent.futures.process import BrokenProcessPool

    tasks = [batch.Task(s, "", {}, [], s) for s in ("a", "crash", "b", "c")]
    outcomes = {t.student: o for t, o in batch.run_local(iter(tasks), jobs=1, fn=crash_on)}
    assert {s: outcomes[s] for s in "abc"} == {"a": "A", "b": "B", "c": "C"}
    assert isinstance(outcomes["crash"], BrokenProcessPool)
    assert next(t for t in tasks if t.student == "crash").attempts == batch.MAX_TASK_ATTEMPTS


def test_graders_edited_during_a_run_are_taken_up_but_a_foreign_worker_is_refused():
    from autograder.results import as_dict
    from tests.test_gradebook import result

    files = {L1: intake.SubmittedFile(L1, "lec01_vectors.py", b"x = 1\n")}
    task = batch.Task("ada", "class/ada", files, [], "")
    answer = json.dumps({"versions": {L1: "new"}, "results": [as_dict(result(1))]})
    versions = {L1: "old"}
    records, errors, _ = batch._records(task, answer, versions, lambda a: "new")
    assert errors == {} and records[0].grader_version == "new" and versions == {L1: "new"}
    records, errors, _ = batch._records(task, answer, {L1: "old"}, lambda a: "old")
    assert "other graders" in errors[L1] and records[0].status == "error"
    assert records[0].results == [] and records[0].grader_version == "old"


# -- a class, end to end ------------------------------------------------------------------------
def test_grading_a_class_then_resuming_changes_and_force(tmp_path):
    folder = make_class(
        tmp_path / "class",
        {
            "ada": {L1: reference(L1), L2: reference(L2)},
            "bora": {L1: golden("lec01_partial", L1)},
            "gyu": {L1: broken(L1), L2: reference(L2)},
            "kim": {L1: stub(L1), L2: stub(L2)},
            "nobody": {},
        },
    )  # fmt: skip
    (folder / ".ipynb_checkpoints").mkdir()
    make_zip(folder / "jun.zip", {"jun/lec01_vectors.py": reference(L1), "jun/notes.txt": "hi"})
    make_zip(folder / "zed.zip", {"../lec01_vectors.py": reference(L1)})
    out = tmp_path / "out"
    seen = []
    run = grade(folder, out, progress=lambda total: lambda s, what, t: seen.append((s, what)))
    assert run.exit_status == 0 and not run.grader_errors
    assert run.students == ["ada", "bora", "gyu", "jun", "kim", "nobody", "zed"]
    assert sorted(run.graded) == ["ada", "bora", "gyu", "jun", "kim"]
    assert set(run.rejected) == {"nobody", "zed"} and "leaves its folder" in run.rejected["zed"]
    assert "no assignment file" in run.rejected["nobody"]
    assert sorted(s for s, _ in seen) == run.students

    book = Gradebook(out / "gradebook.sqlite")
    subs = {(s.student, s.assignment): s for s in book.submissions()}
    assert set(subs) == {
        ("ada", L1), ("ada", L2), ("bora", L1), ("gyu", L1), ("gyu", L2), ("jun", L1),
        ("kim", L1), ("kim", L2),
    }  # fmt: skip
    for key in [("ada", L1), ("ada", L2), ("gyu", L2), ("jun", L1)]:
        assert subs[key].score == subs[key].max_score > 0, key
    assert 0 < subs["bora", L1].score < subs["bora", L1].max_score
    assert {r.status for r in book.results("kim")} == {"not_attempted"}
    gyu = book.results("gyu", L1)
    assert gyu and all(r.status == "failed" and "could not be loaded" in r.output for r in gyu)
    assert any(r.hidden for r in book.results("ada"))  # hidden tests are graded

    points, *rows = list(csv.DictReader((out / "grades.csv").open()))
    assert [r["student"] for r in rows] == run.students
    ada, bora, nobody = rows[0], rows[1], rows[5]
    assert points["student"] == POINTS_POSSIBLE and points["total"] == ada["total"]
    assert float(ada["total"]) == subs["ada", L1].max_score + subs["ada", L2].max_score
    assert bora[L2] == "" and nobody[L1] == "" and nobody["total"] == "0"
    for student in run.students:
        data = json.loads((out / "feedback" / f"{student}.json").read_text())
        assert data["score"] == sum(s.score for s in subs.values() if s.student == student)
        assert (out / "feedback" / f"{student}.html").read_text().startswith("<!DOCTYPE html>")
    before = dump(out)
    runs_before = {k: s.run_id for k, s in subs.items()}

    # Run again: nothing changed, nobody is graded, nothing is duplicated.
    again = grade(folder, out)
    assert again.graded == [] and sorted(again.skipped) == ["ada", "bora", "gyu", "jun", "kim"]
    assert dump(out) == before
    assert {(s.student, s.assignment): s.run_id for s in book.submissions()} == runs_before

    # One file changes, one is withdrawn: only those rows change.
    (folder / "bora" / "lec01_vectors.py").write_text(reference(L1))
    (folder / "ada" / "lec02_matrices.py").unlink()
    changed = grade(folder, out)
    assert changed.graded == ["bora"] and "ada" in changed.skipped
    subs = {(s.student, s.assignment): s for s in book.submissions()}
    assert ("ada", L2) not in subs and subs["bora", L1].score == subs["bora", L1].max_score
    assert subs["bora", L1].run_id > runs_before["bora", L1]
    assert subs["ada", L1].run_id == runs_before["ada", L1]
    assert list(csv.DictReader((out / "grades.csv").open()))[1][L2] == ""  # after the points

    # --force regrades (here only lec02) even though nothing changed.
    forced = grade(folder, out, force=True, assignments=[L2])
    assert sorted(forced.graded) == ["gyu", "kim"]
    after = {(s.student, s.assignment): s.run_id for s in book.submissions()}
    assert after["gyu", L2] > runs_before["gyu", L2] and after["kim", L2] > runs_before["kim", L2]
    assert after["gyu", L1] == runs_before["gyu", L1]
    counts = book.db.execute(
        "SELECT COUNT(*) FROM submissions GROUP BY student, assignment HAVING COUNT(*) > 1"
    ).fetchall()
    assert counts == []
    book.close()


def test_a_hostile_or_slow_submission_holds_up_no_one_else(tmp_path):
    folder = make_class(
        tmp_path / "class",
        {
            "aaa_loop": {L1: golden("hostile_infinite_loop", L1)},
            "exit": {L1: golden("hostile_sys_exit", L1)},
            "numpy": {L1: golden("hostile_monkeypatch_numpy", L1)},
            "ok1": {L1: reference(L1)},
            "ok2": {L1: golden("lec01_no_sqrt", L1)},
        },
    )  # fmt: skip
    finished = []
    run = grade(
        folder, tmp_path / "out", assignments=[L1], timeout_s=0.2,
        progress=lambda n: lambda student, what, t: finished.append((student, t)),
    )  # fmt: skip
    assert run.exit_status == 0 and sorted(run.graded) == ["aaa_loop", "exit", "numpy", "ok1", "ok2"]  # fmt: skip
    # The loop was sent first, yet the others, on the second process, were all done before it.
    assert finished[-1][0] == "aaa_loop", finished
    loop_time = finished[-1][1]
    assert all(t < loop_time for _, t in finished[:-1]), finished
    with Gradebook(tmp_path / "out" / "gradebook.sqlite") as book:
        loop = book.results("aaa_loop")
        assert loop and all("did not finish within its time limit" in r.output for r in loop)
        for student in ("aaa_loop", "exit", "numpy"):
            assert sum(r.score for r in book.results(student)) == 0, student
        ok1 = book.results("ok1")
        assert sum(r.score for r in ok1) == sum(r.max_score for r in ok1)


# -- killed and resumed -------------------------------------------------------------------------
KILL_CLASS = {
    "s1": {L1: reference(L1), L2: reference(L2)},
    "s2": {L1: golden("lec01_partial", L1), L2: golden("lec02_partial", L2)},
    "s3": {L1: golden("lec01_no_sqrt", L1), L2: reference(L2)},
    "s4": {L1: stub(L1), L2: stub(L2)},
    "s5": {L1: golden("lec01_angle_degrees", L1)},
    "s6": {L2: golden("lec02_matmul_elementwise", L2)},
    "s7": {L1: broken(L1), L2: golden("lec02_inverse_no_singular_check", L2)},
    "s8": {L1: golden("lec01_l1_no_abs", L1), L2: golden("lec02_inner_no_transpose", L2)},
}


def cli(*args: str, **kwargs) -> list[str]:
    return [sys.executable, "-m", "autograder.cli", "grade", *args, "--assignment", *GRADED]


def committed_students(out: Path) -> set[str]:
    try:
        db = sqlite3.connect(f"file:{out / 'gradebook.sqlite'}?mode=ro", uri=True, timeout=5)
        return {row[0] for row in db.execute("SELECT DISTINCT student FROM submissions")}
    except sqlite3.OperationalError:  # not created yet
        return set()


def test_killed_with_sigkill_and_run_again_finishes_the_class_exactly_once(tmp_path):
    folder = make_class(tmp_path / "class", KILL_CLASS)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        cli(str(folder), "--out", str(out), "-j", "1"), cwd=REPO,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while len(committed_students(out)) < 2:
        assert proc.poll() is None, "finished before it could be killed: " + proc.stderr.read().decode()  # fmt: skip
        assert time.monotonic() < deadline
        time.sleep(0.02)
    pool = batch._child_pids(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    first = committed_students(out)
    assert 2 <= len(first) < len(KILL_CLASS), first
    # The grading processes notice that their coordinator is gone and end, with their workers.
    deadline = time.monotonic() + 10
    while any(os.path.exists(f"/proc/{pid}") for pid in pool) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in pool), "orphaned grading processes"

    with Gradebook(out / "gradebook.sqlite") as book:
        runs_first = {(s.student, s.assignment): s.run_id for s in book.submissions()}
    resumed = subprocess.run(cli(str(folder), "--out", str(out), "-j", "2"), cwd=REPO,
                             capture_output=True, text=True, timeout=300)  # fmt: skip
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert f"{len(first)} unchanged" in resumed.stdout

    clean = tmp_path / "clean"
    fresh = subprocess.run(cli(str(folder), "--out", str(clean), "-j", "2"), cwd=REPO,
                           capture_output=True, text=True, timeout=300)  # fmt: skip
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    assert dump(out) == dump(clean)
    assert (out / "grades.csv").read_text() == (clean / "grades.csv").read_text()
    with Gradebook(out / "gradebook.sqlite") as book:
        subs = book.submissions()
        # students committed before the kill were not graded again; everyone exactly once
        for s in subs:
            if (s.student, s.assignment) in runs_first:
                assert s.run_id == runs_first[s.student, s.assignment]
        expected = {(s, a) for s, files in KILL_CLASS.items() for a in files}
        assert sorted((s.student, s.assignment) for s in subs) == sorted(expected)
        for s in subs:
            assert s.n_tests == len(book.results(s.student, s.assignment)) > 0


def test_ctrl_c_stops_soon_with_130_and_leaves_feedback_only_for_graded_students(tmp_path):
    folder = make_class(tmp_path / "class", {s: KILL_CLASS[s] for s in ("s1", "s2", "s3", "s4")})
    out = tmp_path / "out"
    proc = subprocess.Popen(
        cli(str(folder), "--out", str(out), "-j", "1"), cwd=REPO, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not committed_students(out):
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    output, _ = proc.communicate(timeout=30)
    assert proc.returncode == 130, output
    assert "Interrupted: run the same command again" in output
    graded = committed_students(out)
    assert 1 <= len(graded) < 4
    assert {p.stem for p in (out / "feedback").glob("*.json")} == graded
    rows = list(csv.DictReader((out / "grades.csv").open()))[1:]  # after the maximum points
    assert {r["student"] for r in rows} == graded


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


# -- Dask ---------------------------------------------------------------------------------------
DASK_CLASS = {
    "ada": {L1: reference(L1), L2: reference(L2)},
    "bora": {L1: golden("lec01_partial", L1)},
    "gyu": {L1: broken(L1), L2: golden("lec02_regression_intercept_first", L2)},
    "kim": {L2: stub(L2)},
    "lee": {L1: golden("lec01_angle_no_clip", L1)},  # numpy warns, naming the file
}


def test_dask_cluster_grades_the_same_gradebook_as_the_local_pool(tmp_path):
    distributed = pytest.importorskip("distributed")
    folder = make_class(tmp_path / "class", DASK_CLASS)
    local = grade(folder, tmp_path / "local", jobs=2)
    assert local.exit_status == 0
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:  # fmt: skip
        run = grade(folder, tmp_path / "dask", executor="dask", scheduler=cluster.scheduler_address)
    assert run.exit_status == 0 and sorted(run.graded) == sorted(DASK_CLASS)
    assert dump(tmp_path / "dask") == dump(tmp_path / "local")
    printed = [row for row in dump(tmp_path / "local") if "Your code printed" in (row[15] or "")]
    assert printed and not any("aimath-grade-" in row[15] for row in printed)
    local_csv = (tmp_path / "local" / "grades.csv").read_text()
    assert (tmp_path / "dask" / "grades.csv").read_text() == local_csv


# -- the command line ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "args, fragment",
    [
        (["grade", "no/such/class"], "no class folder"),
        (["grade", "examples/class", "--assignment", "lec99"], "unknown assignment lec99"),
        (["grade", "examples/class", "-j", "0"], "-j must be at least 1"),
        (["grade", "examples/class", "--scheduler", "tcp://127.0.0.1:1"], "needs --executor dask"),
    ],
)
def test_grade_usage_errors_exit_2(args, fragment, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    assert main([*args, "--out", str(tmp_path / "out")]) == 2
    assert fragment in capsys.readouterr().err


def test_an_output_folder_with_something_else_in_gradebook_sqlite_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "gradebook.sqlite").write_text("not a database, and not to be overwritten" * 100)
    assert main(["grade", str(REPO / "examples" / "class"), "--out", str(out)]) == 2
    assert "gradebook.sqlite cannot be used" in capsys.readouterr().err


def test_a_second_grade_on_the_same_output_folder_is_refused(tmp_path):
    (tmp_path / "class" / "ada").mkdir(parents=True)
    lock = batch._lock_output(tmp_path)
    try:
        with pytest.raises(UsageError, match="another `aimath grade` is writing"):
            grade(tmp_path / "class", tmp_path)
    finally:
        lock.close()
    grade(tmp_path / "class", tmp_path)  # free again


def test_grader_errors_exit_1_and_are_graded_again_once_fixed(tmp_path):
    folder = make_class(tmp_path / "class", {"ada": {L1: reference(L1)}})
    out = tmp_path / "out"
    env = {**os.environ, "AIMATH_SOLUTIONS": str(tmp_path / "no-solutions")}
    run = subprocess.run(
        cli(str(folder), "--out", str(out), "-j", "1"), cwd=REPO, env=env, capture_output=True,
        text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 1, run.stdout + run.stderr
    assert "GRADER ERRORS" in run.stdout and "grader error" in run.stdout
    fixed = subprocess.run(cli(str(folder), "--out", str(out), "-j", "1"), cwd=REPO,
                           capture_output=True, text=True, timeout=300)  # fmt: skip
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    with Gradebook(out / "gradebook.sqlite") as book:
        results = book.results("ada")
        assert results and all(r.status == "passed" for r in results)


def test_the_readme_main_job_grades_the_example_class(tmp_path):
    """`aimath grade examples/class`: the example class, out of the box."""
    out = tmp_path / "results"
    proc = subprocess.run(
        [sys.executable, "-m", "autograder.cli", "grade", "examples/class", "--out", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Class summary: 12 students" in proc.stdout
    assert "Tests not passed, by kind" in proc.stdout
    book = Gradebook(out / "gradebook.sqlite")
    subs = {(s.student, s.assignment): s for s in book.submissions()}
    assert len({s for s, _ in subs}) == 12

    def full(student, assignment):
        s = subs[student, assignment]
        return s.score == s.max_score > 0

    assert full("ada", L1) and full("ada", L2) and full("hana", L1) and full("gyu", L2)
    assert full("ada", "lec03_gradient_descent") and full("ada", "lec04_sgd")
    assert all(full("ada", a) for a in ASSIGNMENTS)  # the whole course
    for key in [("farid", "lec03_gradient_descent"), ("chen", "lec04_sgd"), ("dami", "lec04_sgd"),
                ("eun", "lec05_neural_networks"), ("chen", "lec06_probability"),
                ("dami", "lec07_statistics"), ("eun", "lec08_bayes"), ("farid", "lec09_cnn"),
                ("gyu", "lec10_rnn"), ("bora", "lec08_bayes"), ("bora", "lec09_cnn"),
                ("bora", "lec10_rnn")]:  # fmt: skip
        assert 0 < subs[key].score < subs[key].max_score, key
    assert ("hana", L2) not in subs  # submitted only one assignment
    assert {r.status for r in book.results("kim")} == {"not_attempted"}
    assert all("could not be loaded" in r.output for r in book.results("gyu", L1))
    assert sum(r.score for r in book.results("ivan")) == 0  # the hostile one earns nothing
    assert subs["lee", L2].filename == "lec02_matrices.ipynb"  # a notebook
    for key in [("jun", L1), ("jun", L2), ("bora", L1), ("chen", L1), ("dami", L2)]:
        assert 0 < subs[key].score < subs[key].max_score, key  # partly right: from a zip too
    html = (out / "feedback" / "chen.html").read_text()
    assert "FAILED" in html and "(hidden)" in html
    book.close()


def test_payload_carries_bytes_unchanged(tmp_path):
    data = "# 한국어 주석\n".encode() + b"\xff\xfe not utf-8"
    files = {L1: intake.SubmittedFile(L1, "lec01_vectors.py", data)}
    payload = json.loads(make_payload("s", files, timeout_s=1.5))
    assert base64.b64decode(payload["files"][L1]["data"]) == data
    assert payload["timeout_s"] == 1.5


def test_the_output_folder_is_private_and_a_shared_one_is_tightened_with_a_warning(tmp_path):
    folder = make_class(tmp_path / "class", {"ada": {L1: reference(L1)}})
    out = tmp_path / "out"
    out.mkdir()
    (out / "feedback").mkdir()
    old = os.umask(0o022)
    try:
        out.chmod(0o755)
        (out / "feedback").chmod(0o775)
        run = grade(folder, out, assignments=[L1], jobs=1)
    finally:
        os.umask(old)
    assert run.exit_status == 0 and run.graded == ["ada"]
    assert any(f"{out} could be read by others (mode 0755)" in w for w in run.warnings)
    assert any("feedback could be read by others (mode 0775)" in w for w in run.warnings)
    assert {(p.name, oct(p.stat().st_mode & 0o777)) for p in out.rglob("*") if p.is_dir()} == {
        ("feedback", "0o700")
    }
    files = [p for p in out.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert {"gradebook.sqlite", "grades.csv", "ada.json", "ada.html"} <= names
    assert {p.name: oct(p.stat().st_mode & 0o777) for p in files} == dict.fromkeys(names, "0o600")
    assert out.stat().st_mode & 0o777 == 0o700
    again = grade(folder, out, assignments=[L1], jobs=1)
    assert not any("read by others" in w for w in again.warnings)  # private now: no warning
