"""The nbgrader export graded by the real nbgrader and by aimath, side by side, with wall times.

    python benchmarks/integrations.py                          # lec01 and lec02, every golden file
    python benchmarks/integrations.py lec01_vectors --students reference stub lec01_no_sqrt

``aimath nbgrader export`` writes an nbgrader course of the assignments; the real
``nbgrader generate_assignment`` makes the student version; each student (the reference, the
untouched stub and every golden submission tests/submissions/<assignment prefix>_*) fills it in
with the functions of their .py file, in nbgrader's ``submitted/<student>/<a>/<a>.ipynb`` layout.
The real ``nbgrader autograde`` grades them (scores read back through ``nbgrader.api.Gradebook``),
then ``aimath grade`` (the CLI, in a subprocess) grades the same notebooks. We print, per student,
both totals and the tests whose scores differ, then the wall time of each tool.

Exit status: 0 when every student's per-test scores agree, 1 otherwise.
"""

from __future__ import annotations

import argparse
import ast
import csv
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

import nbformat

REPO = Path(__file__).resolve().parents[1]
GOLDEN_DIR = REPO / "tests" / "submissions"
TEST_SECRET = "aimath-test-suite-secret"  # the suite's (tests/conftest.py)
PREFIXES = {"lec01_vectors": "lec01", "lec02_matrices": "lec02", "lec03_gradient_descent": "lec03",
            "lec04_sgd": "lec04"}  # fmt: skip


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return sys.modules[name]


# The real nbgrader's runner, from the nbgrader class of lec01 (tests/nbgrader_class/).
mc = _load("make_class", REPO / "tests" / "nbgrader_class" / "make_class.py")


@dataclass
class Scores:
    """One tool's scores: per student the total and each test's score, and the time taken."""

    totals: dict[str, float | None] = field(default_factory=dict)
    tests: dict[str, dict[str, float]] = field(default_factory=dict)
    seconds: float = 0.0


# -- the course and the students --------------------------------------------------------------
def aimath_env(config_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("AIMATH_SECRET", TEST_SECRET)
    env.setdefault("AIMATH_CONFIG_DIR", str(config_dir))
    return env


def aimath_command() -> list[str]:
    return [sys.executable, "-c", "import sys; from autograder.cli import main; sys.exit(main())"]


def export_and_release(course: Path, assignments: list[str]) -> dict[str, nbformat.NotebookNode]:
    """``aimath nbgrader export`` (the CLI), then the real generate_assignment: the releases."""
    proc = subprocess.run(
        [*aimath_command(), "nbgrader", "export", str(course), *assignments],
        cwd=REPO, env=aimath_env(course.parent / "aimath-config"), capture_output=True,
        text=True, timeout=1800,
    )  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(f"aimath nbgrader export failed:\n{proc.stdout}\n{proc.stderr}")
    releases = {}
    for assignment in assignments:
        mc.run_nbgrader(course, "generate_assignment", assignment, "--force")
        path = course / "release" / assignment / f"{assignment}.ipynb"
        releases[assignment] = nbformat.read(path, as_version=4)
    return releases


def function_sources(path: Path) -> dict[str, str]:
    """Each top-level function of a .py file, as written."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    return {
        node.name: "\n".join(lines[node.lineno - 1 : node.end_lineno])
        for node in ast.parse(text).body
        if isinstance(node, ast.FunctionDef)
    }


def student_notebook(release: nbformat.NotebookNode, py: Path | None) -> nbformat.NotebookNode:
    """The student version with each answer cell replaced by the .py file's function (None: stub)."""
    nb = nbformat.from_dict(json.loads(json.dumps(release)))
    functions = function_sources(py) if py is not None else {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id") in functions:
            cell.source = functions[meta["grade_id"]]
    return nb


def golden_students(assignment: str) -> dict[str, Path | None]:
    """Student id -> the .py file it hands in: the reference, the stub (None), the golden files."""
    students: dict[str, Path | None] = {
        "reference": REPO / "solutions" / f"{assignment}.py",
        "stub": None,
    }
    for folder in sorted(GOLDEN_DIR.glob(f"{PREFIXES[assignment]}_*")):
        if (folder / f"{assignment}.py").is_file():
            students[folder.name] = folder / f"{assignment}.py"
    return students


def write_submitted(
    course: Path, assignment: str, release, students: dict[str, Path | None]
) -> None:
    for student, py in students.items():
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(student_notebook(release, py), folder / f"{assignment}.ipynb")


# -- the two graders --------------------------------------------------------------------------
def grade_with_nbgrader(course: Path, assignment: str, students: list[str]) -> Scores:
    """The real ``nbgrader autograde``; scores read back through nbgrader's own API."""
    from nbgrader.api import Gradebook, MissingEntry

    start = time.perf_counter()
    mc.run_nbgrader(course, "autograde", assignment, "--force")
    scores = Scores(seconds=time.perf_counter() - start)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id="aimath") as gb:
        for student in students:
            try:
                notebook = gb.find_submission_notebook(assignment, assignment, student)
            except MissingEntry:
                scores.totals[student] = None
                continue
            scores.totals[student] = float(gb.find_submission(assignment, student).score)
            scores.tests[student] = {g.name: float(g.score or 0.0) for g in notebook.grades}
    return scores


def grade_with_aimath(class_dir: Path, assignment: str, out: Path) -> Scores:
    """``aimath grade CLASS_DIR --assignment A`` (the CLI, in a subprocess), one process."""
    command = [*aimath_command(), "grade", str(class_dir), "--out", str(out), "--assignment",
               assignment, "-j", "1"]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=REPO, env=aimath_env(out.parent / "aimath-config"),
                          capture_output=True, text=True, timeout=3600)  # fmt: skip
    scores = Scores(seconds=time.perf_counter() - start)
    if proc.returncode not in (0, 1):  # 1: some test hit a grader error (a golden hostile file)
        raise RuntimeError(
            f"aimath grade failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["student"] != "Points Possible" and row.get(assignment, "") != "":
                scores.totals[row["student"]] = float(row[assignment])
    db = sqlite3.connect(out / "gradebook.sqlite")
    try:
        query = ("SELECT s.student, r.nodeid, r.score FROM results r JOIN submissions s "
                 "ON s.id = r.submission_id WHERE s.assignment = ?")  # fmt: skip
        for student, nodeid, score in db.execute(query, (assignment,)):
            scores.tests.setdefault(student, {})[nodeid.split("::")[-1]] = float(score)
    finally:
        db.close()
    return scores


def exported_tests(course: Path, assignment: str) -> list[str]:
    report = json.loads((course / "aimath_export.json").read_text(encoding="utf-8"))
    return report["assignments"][assignment]["exported"]


def compare(course: Path, assignment: str, students: dict[str, Path | None], workdir: Path):
    """Both tools on the same notebooks: (nbgrader, aimath restricted to the exported tests)."""
    nb = grade_with_nbgrader(course, assignment, list(students))
    am = grade_with_aimath(course / "submitted", assignment, workdir / f"aimath-{assignment}")
    names = set(exported_tests(course, assignment))
    for student, tests in am.tests.items():
        am.tests[student] = {n: s for n, s in tests.items() if n in names}
        am.totals[student] = sum(am.tests[student].values())
    return nb, am


def differing(a: dict[str, float], b: dict[str, float]) -> list[str]:
    return sorted(n for n in set(a) | set(b) if a.get(n) != b.get(n))


def print_table(assignment: str, students: list[str], nb: Scores, am: Scores) -> int:
    width = max(len(s) for s in students)
    print(f"\n{assignment}")
    print(f"{'student':<{width}}  nbgrader  aimath  tests that differ (nbgrader/aimath)")
    bad = 0
    for s in students:
        diff = differing(nb.tests.get(s, {}), am.tests.get(s, {}))
        bad += bool(diff) or nb.totals.get(s) != am.totals.get(s)
        shown = ", ".join(f"{d} {nb.tests.get(s, {}).get(d)}/{am.tests.get(s, {}).get(d)}"
                          for d in diff)  # fmt: skip
        print(f"{s:<{width}}  {nb.totals.get(s)!s:>8}  {am.totals.get(s)!s:>6}  {shown}")
    n = len(students)
    print(f"{n - bad} of {n} students agree test by test; nbgrader autograde {nb.seconds:.1f} s "
          f"({nb.seconds / n:.2f} s/notebook), aimath grade -j 1 {am.seconds:.1f} s "
          f"({am.seconds / n:.2f} s/notebook)")  # fmt: skip
    return bad


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("assignment", nargs="*", default=["lec01_vectors", "lec02_matrices"])
    parser.add_argument("--students", nargs="+", help="only these students (default: all)")
    args = parser.parse_args(argv)
    bad = 0
    with tempfile.TemporaryDirectory(prefix="aimath-nbgrader-") as tmp:
        tmp = Path(tmp)
        course = tmp / "course"
        start = time.perf_counter()
        releases = export_and_release(course, args.assignment)
        print(f"export + generate_assignment: {time.perf_counter() - start:.1f} s")
        for assignment in args.assignment:
            students = golden_students(assignment)
            if args.students:
                students = {s: p for s, p in students.items() if s in args.students}
            write_submitted(course, assignment, releases[assignment], students)
            nb, am = compare(course, assignment, students, tmp)
            bad += print_table(assignment, list(students), nb, am)
            shutil.rmtree(course / "submitted")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
