"""The real nbgrader and aimath on the same class of nbgrader notebooks, side by side.

    python benchmarks/nbgrader_agreement.py                    # the whole class (~30 notebooks)
    python benchmarks/nbgrader_agreement.py --sample 5         # the first 5 students
    python benchmarks/nbgrader_agreement.py --students stub reference
    python benchmarks/nbgrader_agreement.py --record           # also write nbgrader's scores

The class is tests/nbgrader_class/ (made by its make_class.py): an nbgrader source notebook of
lec01_vectors whose 26 test cells are aimath's 26 tests of lec01 (same points, same checks), and
students who filled in its student version in different ways. A temporary nbgrader course gets the
source, ``nbgrader generate_assignment`` and the students' ``submitted/`` folders; the real
``nbgrader autograde`` grades them, and each student's total and per-cell scores are read back
through nbgrader's own API (``nbgrader.api.Gradebook``). Then ``aimath grade`` (the CLI, in a
subprocess) grades the same notebooks; its totals come from grades.csv and its per-test results
from gradebook.sqlite. We print, per student, both totals and the tests whose scores differ, and
the time per notebook of each tool. ``--record`` writes nbgrader's scores, with its version, to
tests/nbgrader_class/nbgrader_totals.json, which tests/test_nbgrader_agreement.py compares aimath to.

Exit status: 0 when every student's totals agree, 1 otherwise.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLASS_DIR = REPO / "tests" / "nbgrader_class"
TOTALS_FILE = CLASS_DIR / "nbgrader_totals.json"
# The test suite's instructor secret (tests/conftest.py), so hidden inputs are the same as in CI.
TEST_SECRET = "aimath-test-suite-secret"


def load_make_class():
    """tests/nbgrader_class/make_class.py as a module (the folder is not a package)."""
    spec = importlib.util.spec_from_file_location("make_class", CLASS_DIR / "make_class.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_class", module)
    spec.loader.exec_module(module)
    return module


mc = load_make_class()
ASSIGNMENT = mc.ASSIGNMENT


@dataclass
class Scores:
    """One tool's scores for a set of students: totals and per test (cell), and the time taken."""

    totals: dict[str, float | None] = field(default_factory=dict)
    tests: dict[str, dict[str, float]] = field(default_factory=dict)
    seconds: float = 0.0


def notebook_sha256(path: Path) -> str:
    """What a record was made from: the sha256 of a notebook file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def all_students() -> list[str]:
    return sorted(p.name for p in (CLASS_DIR / "submitted").iterdir() if p.is_dir())


def _copy_students(students: list[str], dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for student in students:
        shutil.copytree(CLASS_DIR / "submitted" / student, dest / student)
    return dest


# -- nbgrader ---------------------------------------------------------------------------------------
def nbgrader_version() -> str:
    import nbgrader

    return nbgrader.__version__


def grade_with_nbgrader(students: list[str], workdir: Path) -> Scores:
    """Autograde ``students`` with the real nbgrader in a fresh course under ``workdir``."""
    from nbgrader.api import Gradebook, MissingEntry

    root = workdir / "nbgrader_course"
    source = mc.nbformat.read(CLASS_DIR / "source" / ASSIGNMENT / mc.NOTEBOOK, as_version=4)
    mc.make_course(root, source)
    _copy_students(students, root / "submitted")
    start = time.perf_counter()
    mc.run_nbgrader(root, "autograde", ASSIGNMENT)
    scores = Scores(seconds=time.perf_counter() - start)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id=mc.COURSE_ID) as gb:
        for student in students:
            try:
                submission = gb.find_submission_notebook(mc.NOTEBOOK[:-6], ASSIGNMENT, student)
            except MissingEntry:
                scores.totals[student] = None
                continue
            scores.totals[student] = float(gb.find_submission(ASSIGNMENT, student).score)
            scores.tests[student] = {g.name: float(g.score or 0.0) for g in submission.grades}
    return scores


# -- aimath -----------------------------------------------------------------------------------------
def aimath_command() -> list[str]:
    script = Path(sys.executable).with_name("aimath")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from autograder.cli import main; sys.exit(main())"]


def grade_with_aimath(class_dir: Path, out: Path, *, jobs: int | None = None) -> Scores:
    """``aimath grade CLASS_DIR --out OUT --assignment lec01_vectors``, in a subprocess."""
    env = dict(os.environ)
    env.setdefault("AIMATH_SECRET", TEST_SECRET)
    env.setdefault("AIMATH_CONFIG_DIR", str(out.parent / "aimath-config"))
    command = [*aimath_command(), "grade", str(class_dir), "--out", str(out),
               "--assignment", ASSIGNMENT]  # fmt: skip
    if jobs is not None:
        command += ["-j", str(jobs)]
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=3600)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(
            f"aimath grade failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
    scores = Scores(seconds=seconds)
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["student"] == "Points Possible":  # the row of maximum points
                continue
            value = row.get(ASSIGNMENT, "")
            scores.totals[row["student"]] = float(value) if value != "" else None
    db = sqlite3.connect(out / "gradebook.sqlite")
    try:
        query = (
            "SELECT s.student, r.nodeid, r.score FROM results r "
            "JOIN submissions s ON s.id = r.submission_id WHERE s.assignment = ?"
        )
        for student, nodeid, score in db.execute(query, (ASSIGNMENT,)):
            scores.tests.setdefault(student, {})[nodeid.split("::")[-1]] = float(score)
    finally:
        db.close()
    return scores


# -- comparing ----------------------------------------------------------------------------------------
def differing_tests(a: dict[str, float], b: dict[str, float]) -> list[str]:
    return sorted(n for n in set(a) | set(b) if a.get(n) != b.get(n))


def _fmt(v: float | None) -> str:
    return "-" if v is None else f"{v:g}"


def print_table(students: list[str], nb: Scores, am: Scores, descriptions: dict[str, str]) -> int:
    """The side-by-side table; returns the number of students whose totals differ."""
    width = max(len(s) for s in students)
    print(f"{'student':<{width}}  nbgrader  aimath  agree  tests that differ (nbgrader/aimath)")
    disagreements = 0
    for student in students:
        a, b = nb.totals.get(student), am.totals.get(student)
        agree = a is not None and a == b
        disagreements += not agree
        diff = differing_tests(nb.tests.get(student, {}), am.tests.get(student, {}))
        shown = ", ".join(
            f"{d} {_fmt(nb.tests.get(student, {}).get(d))}/{_fmt(am.tests.get(student, {}).get(d))}"
            for d in diff
        )
        print(
            f"{student:<{width}}  {_fmt(a):>8}  {_fmt(b):>6}  {'yes' if agree else 'NO':>5}  {shown}"
        )
    print()
    n = len(students)
    print(f"{n - disagreements} of {n} students agree")
    for student in students:
        if nb.totals.get(student) != am.totals.get(student):
            print(f"  {student}: {descriptions.get(student, '')}")
    return disagreements


def record(nb: Scores, students: list[str]) -> None:
    """Write (or update, for a sample) tests/nbgrader_class/nbgrader_totals.json."""
    data = {"students": {}}
    if TOTALS_FILE.is_file():
        data = json.loads(TOTALS_FILE.read_text(encoding="utf-8"))
    data["nbgrader_version"] = nbgrader_version()
    data["assignment"] = ASSIGNMENT
    data["max_score"] = sum(t.points for t in mc.TEST_CELLS)
    data["command"] = f"nbgrader autograde {ASSIGNMENT}"
    data["source_sha256"] = notebook_sha256(CLASS_DIR / "source" / ASSIGNMENT / mc.NOTEBOOK)
    for student in students:
        data["students"][student] = {
            "sha256": notebook_sha256(CLASS_DIR / "submitted" / student / ASSIGNMENT / mc.NOTEBOOK),
            "total": nb.totals[student],
            "cells": dict(sorted(nb.tests.get(student, {}).items())),
        }
    data["students"] = dict(sorted(data["students"].items()))
    keys = ("nbgrader_version", "assignment", "command", "max_score", "source_sha256")
    ordered = {k: data[k] for k in keys}
    ordered["students"] = data["students"]
    TOTALS_FILE.write_text(json.dumps(ordered, indent=1) + "\n", encoding="utf-8")
    print(
        f"recorded nbgrader's scores of {len(students)} students in {TOTALS_FILE.relative_to(REPO)}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--sample", type=int, help="only the first N students (sorted by id)")
    which.add_argument("--students", nargs="+", help="only these students")
    parser.add_argument("--record", action="store_true", help=f"write {TOTALS_FILE.name}")
    parser.add_argument("-j", "--jobs", type=int, default=1,
                        help="aimath's grading processes (default 1, as nbgrader: one at a time)")  # fmt: skip
    args = parser.parse_args(argv)
    students = all_students()
    if args.students:
        unknown = sorted(set(args.students) - set(students))
        if unknown:
            parser.error(f"unknown students: {', '.join(unknown)}")
        students = sorted(args.students)
    elif args.sample:
        students = students[: args.sample]
    descriptions = json.loads((CLASS_DIR / "students.json").read_text(encoding="utf-8"))

    with tempfile.TemporaryDirectory(prefix="nbgrader-agreement-") as tmp:
        tmp = Path(tmp)
        print(
            f"nbgrader {nbgrader_version()}: autograding {len(students)} notebooks ...", flush=True
        )
        nb = grade_with_nbgrader(students, tmp)
        class_dir = CLASS_DIR / "submitted"
        if students != all_students():
            class_dir = _copy_students(students, tmp / "class")
        print(f"aimath grade -j {args.jobs}: {len(students)} notebooks ...", flush=True)
        am = grade_with_aimath(class_dir, tmp / "aimath", jobs=args.jobs)
    print()
    disagreements = print_table(students, nb, am, descriptions)
    n = len(students)
    nb_each, am_each = nb.seconds / n, am.seconds / n
    print()
    print(f"nbgrader autograde: {nb.seconds:.1f} s, {nb_each:.2f} s/notebook (one at a time)")
    print(f"aimath grade -j {args.jobs}: {am.seconds:.1f} s, {am_each:.2f} s/notebook")
    print(f"ratio nbgrader / aimath: {nb_each / am_each:.1f}")
    if args.record:
        record(nb, students)
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
