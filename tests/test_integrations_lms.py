"""LMS exports: grades.csv's maximum points, late submissions, overrides kept across regrades, and
the Canvas, Moodle and CSV files checked against what each system's gradebook import reads.

Canvas ("How do I import grades in the Gradebook?"): a CSV whose header starts with Student, ID,
SIS User ID, SIS Login ID, Section, then one column per assignment; students are matched by one of
the id columns; the "Points Possible" row follows the header in Canvas's own exports; an empty cell
leaves a grade unchanged. Moodle ("Import grades: CSV file"): a header row, one column holding a
user identifier mapped to a user field (username), one column per grade item, optional feedback
columns; every row is a user. The class is graded once by the real ``grade_class``.
"""

from __future__ import annotations

import csv
import datetime
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from autograder.batch import grade_class
from autograder.cli import main
from autograder.gradebook import POINTS_POSSIBLE, Gradebook
from autograder.intake import parse_time
from autograder.integrations.lms import (
    CANVAS_COLUMNS,
    CSV_COLUMNS,
    export_grades,
    grade_rows,
    parse_deadlines,
    penalty_pct,
)

REPO = Path(__file__).resolve().parents[1]
A = "lec01_vectors"
DEADLINE = datetime.datetime(2026, 3, 1, 23, 59, tzinfo=datetime.timezone.utc)
UTC = datetime.timezone.utc


def at(hours: float) -> float:
    """A POSIX time ``hours`` after the deadline."""
    return (DEADLINE + datetime.timedelta(hours=hours)).timestamp()


def reference() -> bytes:
    return (REPO / "solutions" / f"{A}.py").read_bytes()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A class of five graded with a deadline: on time, 30 h late (file time), nbgrader's
    timestamp.txt 2 h late, a zip on time, the stub; then a grade set by hand and a forced regrade."""
    tmp = tmp_path_factory.mktemp("lms")
    folder = tmp / "class"
    for student, when in (("ada", -5), ("bora", 30)):
        (folder / student).mkdir(parents=True)
        path = folder / student / f"{A}.py"
        path.write_bytes(reference())
        os.utime(path, (at(when), at(when)))
    nb = folder / "carol" / A
    nb.mkdir(parents=True)
    (nb / f"{A}.py").write_bytes(reference())
    (nb / "timestamp.txt").write_text("2026-03-02 01:59:00.000000 UTC\n")  # nbgrader's format
    local = datetime.datetime.fromtimestamp(at(-1)).timetuple()[:6]  # zips keep local time
    with zipfile.ZipFile(folder / "dan.zip", "w") as zf:
        zf.writestr(zipfile.ZipInfo(f"{A}.py", date_time=local), reference())
    (folder / "=eve").mkdir()
    shutil.copy(REPO / "assignments" / f"{A}.py", folder / "=eve" / f"{A}.py")
    os.utime(folder / "=eve" / f"{A}.py", (at(-10), at(-10)))
    out = tmp / "results"
    run = grade_class(folder, out_dir=out, jobs=2, assignments=[A],
                      deadlines=parse_deadlines([f"{A}={DEADLINE.isoformat()}"]))  # fmt: skip
    assert run.exit_status == 0 and run.students == ["=eve", "ada", "bora", "carol", "dan"]
    assert main(["override", "bora", A, "30", "--reason", "medical note", "--out", str(out)]) == 0
    again = grade_class(folder, out_dir=out, jobs=2, assignments=[A], force=True)
    assert sorted(again.graded) == sorted(run.students)
    return out


def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(path.open(newline="", encoding="utf-8")))


def test_grades_csv_starts_with_the_maximum_points_and_shows_overrides(graded):
    points, *rows = csv.DictReader((graded / "grades.csv").open(newline="", encoding="utf-8"))
    assert (points["student"], points[A], points["total"]) == (POINTS_POSSIBLE, "38", "38")
    assert points["lec02_matrices"] == ""  # not graded in this class
    by_student = {r["student"]: (r[A], r["total"]) for r in rows}
    assert by_student == {"'=eve": ("0", "0"), "ada": ("38", "38"), "bora": ("30", "30"),
                          "carol": ("38", "38"), "dan": ("38", "38")}  # fmt: skip


def test_submission_times_come_from_timestamp_txt_file_times_and_zip_entries(graded):
    with Gradebook(graded / "gradebook.sqlite") as book:
        subs = {s.student: s for s in book.submissions()}
        assert book.deadlines() == {A: "2026-03-01T23:59:00+00:00"}
        late = {r.student: r.late_by_s for r in grade_rows(book)}
    assert subs["ada"].submitted_from == "file modification time"
    assert subs["carol"].submitted_from == "timestamp.txt"
    assert subs["carol"].submitted_at == "2026-03-02T01:59:00+00:00"
    assert subs["dan"].submitted_from == "zip entry time"
    assert late == {"=eve": 0, "ada": 0, "bora": 30 * 3600, "carol": 2 * 3600, "dan": 0}


def test_the_override_survives_a_forced_regrade_and_can_be_removed(graded, tmp_path):
    copy = tmp_path / "results"
    shutil.copytree(graded, copy)
    with Gradebook(copy / "gradebook.sqlite") as book:
        [override] = book.overrides().values()
        assert (override.student, override.score, override.reason) == ("bora", 30, "medical note")
        graded_score = {s.student: s.score for s in book.submissions()}["bora"]
    assert graded_score == 38  # the gradebook keeps the graded score beside the override
    assert main(["override", "bora", A, "--remove", "--out", str(copy)]) == 0
    bora = next(r for r in csv.DictReader((copy / "grades.csv").open()) if r["student"] == "bora")
    assert (bora[A], bora["total"]) == ("38", "38")
    assert main(["override", "bora", A, "--remove", "--out", str(copy)]) == 2


def test_canvas_export_is_canvas_gradebook_import_format(graded, tmp_path):
    target = tmp_path / "canvas.csv"
    assert main(["export", "--format", "canvas", "--out", str(graded), "--to", str(target),
                 "--late-penalty", "10"]) == 0  # fmt: skip
    rows = rows_of(target)
    assert tuple(rows[0][:5]) == CANVAS_COLUMNS and rows[0][5:] == [A]
    assert rows[1][0].strip() == POINTS_POSSIBLE and rows[1][5] == "38"
    body = {r[3]: r for r in rows[2:]}  # matched by SIS Login ID
    assert set(body) == {"'=eve", "ada", "bora", "carol", "dan"}
    for row in rows[2:]:
        assert len(row) == len(rows[0]) and row[0] == row[3]
        assert row[5] == "" or 0 <= float(row[5]) <= 38
    # 10% per started day late: carol (2 h) loses 10%; bora's grade was set by hand: no penalty.
    assert {k: r[5] for k, r in body.items()} == {"'=eve": "0", "ada": "38", "bora": "30",
                                                  "carol": "34.2", "dan": "38"}  # fmt: skip


def test_moodle_export_is_one_user_per_row_with_grades_and_feedback(graded, tmp_path):
    target = tmp_path / "moodle.csv"
    with Gradebook(graded / "gradebook.sqlite") as book:
        export_grades(book, target, "moodle")
    rows = rows_of(target)
    assert rows[0] == ["username", A, f"{A} feedback"]
    body = {r[0]: r for r in rows[1:]}
    assert POINTS_POSSIBLE not in body and len(body) == 5  # every row is a user
    assert body["carol"][1] == "38" and "2 h 0 min after the deadline" in body["carol"][2]
    assert body["bora"][1] == "30" and "medical note" in body["bora"][2]
    assert body["ada"][2] == ""


def test_csv_export_has_one_row_per_student_and_assignment_with_everything(graded, tmp_path):
    target = tmp_path / "grades-long.csv"
    assert main(["export", "--out", str(graded), "--to", str(target)]) == 0
    rows = list(csv.DictReader(target.open(newline="", encoding="utf-8")))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == 5
    bora = next(r for r in rows if r["student"] == "bora")
    assert (bora["score"], bora["override_score"], bora["final_score"]) == ("38", "30", "30")
    assert bora["late_by_hours"] == "30" and bora["due_at"] == "2026-03-01T23:59:00+00:00"
    carol = next(r for r in rows if r["student"] == "carol")
    assert carol["late_penalty_pct"] == "" and carol["final_score"] == "38"  # no penalty asked
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_deadlines_and_times_parse_nbgrader_iso_and_local_times():
    assert parse_time("2026-03-02 01:59:00.123456 UTC") == "2026-03-02T01:59:00+00:00"
    assert parse_time("2026-03-02T10:59:00+09:00") == "2026-03-02T01:59:00+00:00"
    naive = datetime.datetime(2026, 3, 2, 1, 59).astimezone().astimezone(UTC)
    assert parse_time("2026-03-02 01:59") == naive.isoformat(timespec="seconds")
    assert parse_time("next tuesday") is None
    assert parse_deadlines(["2026-03-01T23:59Z"]) == {"*": "2026-03-01T23:59:00+00:00"}
    with pytest.raises(ValueError, match="unknown assignment"):
        parse_deadlines(["lec99=2026-03-01"])
    assert [penalty_pct(s, 10) for s in (0, 1, 86400, 86401, 30 * 86400)] == [0, 10, 10, 20, 100]
    assert penalty_pct(3600, None) == 0


def test_grade_rejects_a_bad_deadline(tmp_path, capsys):
    assert main(["grade", str(tmp_path), "--out", str(tmp_path / "o"), "--deadline", "soon"]) == 2
    assert "not a time" in capsys.readouterr().err
