"""The gradebook: one transaction per student, replaced never duplicated, skip decisions, grades.csv."""

from __future__ import annotations

import csv
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from autograder.course import PACKAGE_DIR
from autograder.gradebook import (
    Gradebook,
    SubmissionRecord,
    grader_version,
    grades_table,
    make_private_dir,
    write_atomic,
    write_grades_csv,
)
from autograder.results import TestResult

REPO = Path(__file__).resolve().parents[1]


def result(n: int, status: str = "passed", *, assignment: str = "lec01_vectors", points=2.0):
    return TestResult(
        name=f"test {n}", number=f"1.{n}", score=points if status == "passed" else 0.0,
        max_score=points, status=status, assignment=assignment, output=f"output {n}",
        hidden=n > 2, visibility="after_published" if n > 2 else "visible",
        tags=("hidden",) if n > 2 else ("public",), execution_time=0.01 * n,
        nodeid=f"graders/{assignment}/test_public.py::test_{n}",
    )  # fmt: skip


def record(assignment="lec01_vectors", statuses=("passed", "failed", "passed"), **kwargs):
    results = [result(i + 1, s, assignment=assignment) for i, s in enumerate(statuses)]
    defaults = dict(filename=f"{assignment}.py", sha256="a" * 64, grader_version="v1")
    return SubmissionRecord(assignment=assignment, results=results, **{**defaults, **kwargs})


@pytest.fixture
def book(tmp_path):
    with Gradebook(tmp_path / "gradebook.sqlite") as b:
        yield b


def test_a_student_round_trips_with_results_in_order(book):
    run = book.start_run(source="class", executor="local", jobs=2)
    book.record_student("alice", source="class/alice", run_id=run, submissions=[record()])
    [sub] = book.submissions("alice")
    assert (sub.score, sub.max_score, sub.n_tests, sub.n_errors) == (4.0, 6.0, 3, 0)
    assert sub.run_id == run and sub.status == "graded"
    results = book.results("alice")
    assert [r.number for r in results] == ["1.1", "1.2", "1.3"]
    assert results == record().results  # every field survives, tags and hidden included
    assert [r.nodeid for r in results] == [r.nodeid for r in record().results]


def test_recording_again_replaces_never_duplicates(book):
    run = book.start_run(source="class", executor="local", jobs=1)
    for sha in ("a" * 64, "b" * 64, "b" * 64):
        book.record_student(
            "alice", source="x", run_id=run, submissions=[record(sha256=sha, statuses=["failed"])]
        )
    assert len(book.submissions("alice")) == 1
    assert book.submissions("alice")[0].sha256 == "b" * 64
    assert book.db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 1


def test_a_failed_transaction_leaves_the_student_untouched(book):
    run = book.start_run(source="class", executor="local", jobs=1)
    book.record_student("alice", source="x", run_id=run, submissions=[record()])
    duplicate_numbers = record(statuses=("passed",))
    bad = SubmissionRecord(**{**duplicate_numbers.__dict__, "results": [result(1), result(1)]})
    with pytest.raises(sqlite3.IntegrityError):
        book.record_student("alice", source="x", run_id=run, submissions=[bad])
    assert len(book.results("alice")) == 3  # the earlier rows are still there, whole


def test_remove_and_problem(book):
    run = book.start_run(source="class", executor="local", jobs=1)
    subs = [record(), record("lec02_matrices")]
    book.record_student("bob", source="bob.zip", run_id=run, submissions=subs)
    book.record_student("bob", source="bob.zip", run_id=run, remove=["lec02_matrices"])
    assert [s.assignment for s in book.submissions("bob")] == ["lec01_vectors"]
    book.record_student(
        "bob", source="bob.zip", run_id=run, remove=["lec01_vectors"], problem="bad zip"
    )
    assert book.submissions("bob") == [] and book.results("bob") == []
    assert book.problem("bob") == "bad zip" and book.students() == ["bob"]


def test_is_current_needs_same_files_same_graders_and_no_grader_error(book):
    run = book.start_run(source="class", executor="local", jobs=1)
    book.record_student("a", source="x", run_id=run, submissions=[record()])
    book.record_student("b", source="x", run_id=run, submissions=[record(statuses=["error"])])
    book.record_student(
        "c", source="x", run_id=run, submissions=[record(statuses=[], status="error", message="m")]
    )
    a, b, c = (book.submissions(s)[0] for s in "abc")
    assert a.is_current("a" * 64, "v1")
    assert not a.is_current("b" * 64, "v1") and not a.is_current("a" * 64, "v2")
    assert not b.is_current("a" * 64, "v1")  # a test broke: grade again next time
    assert not c.is_current("a" * 64, "v1") and c.message == "m"


def test_wal_mode_and_schema_survive_reopening(tmp_path):
    path = tmp_path / "g.sqlite"
    with Gradebook(path) as book:
        run = book.start_run(source="c", executor="dask", jobs=4)
        book.record_student("a", source="x", run_id=run, submissions=[record()])
        book.finish_run(run, graded=1, skipped=0, errors=0)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT graded, finished_at IS NOT NULL FROM runs").fetchone() == (1, 1)
    with Gradebook(path) as book:
        assert len(book.results("a")) == 3


def test_grades_csv_columns_are_stable_and_ids_cannot_be_formulas(book, tmp_path):
    run = book.start_run(source="class", executor="local", jobs=1)
    book.record_student("zoe", source="x", run_id=run, submissions=[record("lec02_matrices")])
    book.record_student("=cmd()", source="x", run_id=run, submissions=[record()])
    book.record_student("amy", source="x", run_id=run, submissions=[record(), record("lec02_matrices")])  # fmt: skip
    path = tmp_path / "grades.csv"
    write_grades_csv(book, path, ["amy", "zoe", "=cmd()"], ["lec01_vectors", "lec02_matrices"])
    rows = list(csv.reader(path.open()))
    assert rows == [
        ["student", "lec01_vectors", "lec02_matrices", "total", "note"],
        ["Points Possible", "6", "6", "12", ""],  # the maximum points, as Canvas names the row
        ["amy", "4", "4", "8", ""],
        ["zoe", "", "4", "4", ""],
        ["'=cmd()", "4", "", "4", ""],
    ]
    header, _ = grades_table(book, ["amy"])
    assert header[1:3] == ["lec01_vectors", "lec02_matrices"] and header[-2:] == ["total", "note"]
    # A rejected zip's empty cells are not "not submitted": the note says why.
    book.record_student("kim", source="kim.zip", run_id=run, submissions=[],
                        problem="kim.zip is not a readable zip file (bad magic)")  # fmt: skip
    _, rows = grades_table(book, ["kim"], ["lec01_vectors"])
    assert rows[1] == ["kim", "", "0", "rejected: kim.zip is not a readable zip file (bad magic)"]


def test_grader_version_follows_graders_solutions_engine_and_time_limit(tmp_path):
    package = tmp_path / "autograder"
    shutil.copytree(PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    solutions = tmp_path / "solutions"
    shutil.copytree(REPO / "solutions", solutions)
    hidden = tmp_path / "hidden"
    shutil.copytree(REPO / "hidden", hidden)

    def version(**kwargs):
        return grader_version(
            "lec01_vectors", package_dir=package, solutions_dir=solutions, hidden_dir=hidden,
            **kwargs,
        )  # fmt: skip

    base = version()
    assert base == grader_version("lec01_vectors")  # the copy is the installed graders
    assert version() == base and len(base) == 64
    assert version(timeout_s=0.5) != base
    assert version(secret=b"another instructor secret") != base  # other hidden inputs
    assert grader_version("lec02_matrices") != grader_version("lec01_vectors")
    for changed in (
        package / "graders" / "lec01_vectors" / "test_public.py",
        hidden / "lec01_vectors" / "test_hidden.py",
        solutions / "lec01_vectors.py",
        package / "checks.py",
        package / "sandbox" / "worker.py",
    ):
        original = changed.read_bytes()
        changed.write_bytes(original + b"\n# changed\n")
        assert version() != base, changed
        changed.write_bytes(original)
    assert version() == base
    (package / "graders" / "lec02_matrices" / "test_public.py").write_text("# other graders\n")
    assert version() == base  # another assignment's graders do not matter


def test_every_module_is_either_in_the_grader_version_or_declared_not_grading():
    from autograder.course import PACKAGE_DIR
    from autograder.gradebook import ENGINE_FILES, NON_GRADING_FILES

    modules = {
        p.relative_to(PACKAGE_DIR).as_posix()
        for p in PACKAGE_DIR.rglob("*.py")
        if "graders" not in p.relative_to(PACKAGE_DIR).parts
    }
    assert modules == (set(ENGINE_FILES) - {"graders/pytest.ini"}) | set(NON_GRADING_FILES)


# -- private files --------------------------------------------------------------------------------
def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    """A umask that lets everyone read new files, as on many machines: privacy must not rely on it."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_the_gradebook_and_grades_csv_are_private_in_a_private_folder(tmp_path, open_umask):
    folder = tmp_path / "new" / "results"
    with Gradebook(folder / "gradebook.sqlite") as b:
        b.record_student("alice", source="class/alice", run_id=b.start_run(
            source="class", executor="local", jobs=1), submissions=[record()])  # fmt: skip
        wal, shm = Path(f"{b.path}-wal"), Path(f"{b.path}-shm")
        assert wal.exists() and shm.exists()
        assert mode(b.path) == mode(wal) == mode(shm) == 0o600
        write_grades_csv(b, folder / "grades.csv", ["alice"])
    assert mode(folder) == 0o700
    assert mode(folder / "grades.csv") == 0o600


def test_files_written_before_are_made_private(tmp_path, open_umask):
    with Gradebook(tmp_path / "gradebook.sqlite") as b:
        b.start_run(source="class", executor="local", jobs=1)
    for name in ("gradebook.sqlite", "gradebook.sqlite-wal", "gradebook.sqlite-shm"):
        if (tmp_path / name).exists():
            (tmp_path / name).chmod(0o644)
    (tmp_path / "grades.csv").write_text("old\n")
    (tmp_path / "grades.csv").chmod(0o666)
    with Gradebook(tmp_path / "gradebook.sqlite") as b:
        assert mode(b.path) == 0o600
        write_atomic(tmp_path / "grades.csv", "new\n")
    assert mode(tmp_path / "grades.csv") == 0o600
    assert (tmp_path / "grades.csv").read_text() == "new\n"
    assert not list(tmp_path.glob(".*.tmp"))


def test_make_private_dir_tightens_a_shared_folder_and_says_so(tmp_path, open_umask):
    assert make_private_dir(tmp_path / "a" / "b") is None
    assert mode(tmp_path / "a" / "b") == 0o700
    assert make_private_dir(tmp_path / "a" / "b") is None  # already private: nothing to say
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    warning = make_private_dir(shared)
    assert warning and "mode 0755" in warning and "now 0700" in warning
    assert mode(shared) == 0o700


def test_the_mutant_probes_beside_the_hidden_graders_do_not_change_the_grader_version(tmp_path):
    import shutil

    from autograder.course import default_hidden_dir

    hidden = tmp_path / "hidden"
    shutil.copytree(default_hidden_dir() / "lec01_vectors", hidden / "lec01_vectors")
    before = grader_version("lec01_vectors", hidden_dir=hidden)
    (hidden / "lec01_vectors" / "probes.py").write_text("# other probe inputs\n")
    assert grader_version("lec01_vectors", hidden_dir=hidden) == before
    (hidden / "lec01_vectors" / "test_hidden.py").write_text("# other tests\n")
    assert grader_version("lec01_vectors", hidden_dir=hidden) != before
