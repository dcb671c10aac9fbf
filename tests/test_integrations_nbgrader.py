"""nbgrader both ways: the exported course run by the real nbgrader, and scores in its gradebook.

The export of lec01 (``aimath nbgrader export``, the CLI) is released by the real
``nbgrader generate_assignment``; the release must hold no solution line, no hidden test and no
hidden value. Four students (the reference, the stub and two golden mistakes) fill in the
student version; the real ``nbgrader autograde`` and ``aimath grade`` grade the same notebooks and
agree test by test. The helpers (student notebooks, running both tools) are the benchmark's,
benchmarks/integrations.py, which compares more assignments and every golden submission.
"""

from __future__ import annotations

import ast
import base64
import importlib.util
import json
import shutil
import sys
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder import leakscan
from autograder.cli import main
from autograder.integrations import nbgrader as nbx
from autograder.seeds import instructor_secret

pytest.importorskip("nbgrader", reason='the real nbgrader: pip install -e ".[nbgrader]"')

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENT = "lec01_vectors"
STUDENTS = ["reference", "stub", "lec01_angle_degrees", "lec01_no_sqrt"]
SLOW_S = 90  # the real nbgrader on four notebooks, and aimath on them, together


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return sys.modules[name]


bench = _load("integrations_benchmark", REPO / "benchmarks" / "integrations.py")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """lec01 exported by the CLI and released by the real nbgrader: (course dir, release)."""
    root = tmp_path_factory.mktemp("nbgrader-export") / "course"
    start = time.perf_counter()
    releases = bench.export_and_release(root, [ASSIGNMENT])
    return root, releases[ASSIGNMENT], time.perf_counter() - start


def _source(root: Path) -> nbformat.NotebookNode:
    return nbformat.read(root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)


def _meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def test_every_lec01_test_is_a_cell_with_its_points(course):
    root, _, _ = course
    report = json.loads((root / nbx.REPORT_FILE).read_text(encoding="utf-8"))
    entry = report["assignments"][ASSIGNMENT]
    assert entry["left_out"] == {} and len(entry["exported"]) == 26
    assert entry["points_exported"] == entry["points_total"] == 38
    cells = {_meta(c).get("grade_id"): c for c in _source(root).cells if _meta(c)}
    tests = {k: c for k, c in cells.items() if _meta(c)["grade"]}
    assert sorted(tests) == sorted(entry["exported"])
    assert sum(_meta(c)["points"] for c in tests.values()) == 38
    assert all(_meta(c)["schema_version"] == 3 and _meta(c)["locked"] for c in tests.values())
    hidden = [k for k, c in tests.items() if "### BEGIN HIDDEN TESTS" in c.source]
    assert sorted(hidden) == sorted(k for k in tests if k.startswith("test_hidden_"))
    assert len(hidden) == 10
    solutions = [c for c in cells.values() if _meta(c)["solution"]]
    assert len(solutions) == 7
    assert all("### BEGIN SOLUTION" in c.source and "### END SOLUTION" in c.source
               for c in solutions)  # fmt: skip
    config = (root / nbx.CONFIG_FILE).read_text(encoding="utf-8")
    assert "c.CourseDirectory.course_id = 'aimath'" in config


def test_test_cells_hold_only_literals_and_asserts(course):
    """The kernel never sees the reference, the secret or a grader module."""
    root, _, _ = course
    secret = instructor_secret().decode()
    for cell in _source(root).cells:
        if not _meta(cell).get("grade"):
            continue
        tree = ast.parse(cell.source)
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert imported <= {"base64", "warnings", "numpy"}, imported
        assert secret not in cell.source and nbx.export_secret(secret.encode()).decode() not in (
            cell.source
        )
        assert "solutions" not in cell.source and "autograder" not in cell.source


def test_the_release_holds_no_solution_and_no_hidden_test(course):
    root, release, _ = course
    secrets = leakscan.course_secrets(REPO / "solutions", REPO / "hidden",
                                      assignments=[ASSIGNMENT], record_values=False)  # fmt: skip
    source = _source(root)
    public = {  # the boilerplate of public test cells (imports, warnings) is public by design
        leakscan.line_key(leakscan.normalise(line))
        for cell in source.cells
        if "### BEGIN HIDDEN TESTS" not in cell.source
        for line in cell.source.splitlines()
    }
    hidden_values: set[float] = set()
    for cell in source.cells:
        if "### BEGIN HIDDEN TESTS" not in cell.source:
            continue
        region = cell.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
        for line in region.splitlines():
            n = leakscan.normalise(line)
            if len(n) >= 20 and leakscan.line_key(n) not in public:
                secrets.hidden_lines.setdefault(n, f"a hidden test cell of {ASSIGNMENT}")
        for node in ast.walk(ast.parse(region)):
            if isinstance(node, ast.Constant) and type(node.value) is float:
                if leakscan.is_distinctive(node.value) and not leakscan.is_well_known(node.value):
                    hidden_values.add(node.value)
    assert hidden_values and secrets.solution_lines
    secrets.hidden_values = sorted(hidden_values)
    notebook = root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    leaks = leakscan.scan(notebook, secrets)
    assert [str(leak) for leak in leaks] == []
    text = notebook.read_text(encoding="utf-8")
    assert "HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text
    stubs = [c for c in release.cells if _meta(c).get("solution")]
    assert len(stubs) == 7 and all("raise NotImplementedError()" in c.source for c in stubs)


def test_real_nbgrader_and_aimath_agree_test_by_test(course, tmp_path):
    root, release, export_s = course
    students = {s: p for s, p in bench.golden_students(ASSIGNMENT).items() if s in STUDENTS}
    assert sorted(students) == sorted(STUDENTS)
    bench.write_submitted(root, ASSIGNMENT, release, students)
    start = time.perf_counter()
    nb, am = bench.compare(root, ASSIGNMENT, students, tmp_path)
    seconds = time.perf_counter() - start
    print(f"\nexport {export_s:.1f} s; nbgrader {nb.seconds:.1f} s, aimath {am.seconds:.1f} s")
    for student in STUDENTS:
        print(f"{student}: nbgrader {nb.totals[student]:g}, aimath {am.totals[student]:g}")
    assert nb.totals == am.totals
    assert nb.tests == am.tests
    assert nb.totals["reference"] == 38 and nb.totals["stub"] == 0
    expected = json.loads((REPO / "tests" / "submissions" / "lec01_no_sqrt" / "expected.json")
                          .read_text(encoding="utf-8"))  # fmt: skip
    assert nb.totals["lec01_no_sqrt"] == expected["assignments"][ASSIGNMENT]["score"]
    assert export_s + seconds < SLOW_S


def test_tests_that_compute_with_returned_values_are_left_out_and_reported(tmp_path, capsys):
    """lec04's minibatch tests check derived values (check_true on a partition): not exported."""
    code = main(["nbgrader", "export", str(tmp_path / "course"), "lec04_sgd"])
    assert code == 0
    out = capsys.readouterr().out
    assert "left out test_minibatches_partition" in out and "check_true" in out
    report = json.loads((tmp_path / "course" / nbx.REPORT_FILE).read_text(encoding="utf-8"))
    entry = report["assignments"]["lec04_sgd"]
    assert "test_minibatches_partition" in entry["left_out"]
    assert "test_add_intercept_lecture_example" in entry["exported"]
    assert entry["points_exported"] < entry["points_total"]


def test_gradient_checks_and_batched_calls_are_left_out_not_exported_without_their_asserts(
    tmp_path, capsys
):
    """lec05's backward tests call the forward pass in a batch and use check_gradient."""
    assert main(["nbgrader", "export", str(tmp_path / "course"), "lec05_neural_networks"]) == 0
    capsys.readouterr()
    report = json.loads((tmp_path / "course" / nbx.REPORT_FILE).read_text(encoding="utf-8"))
    entry = report["assignments"]["lec05_neural_networks"]
    for test in ("test_mlp_backward_matches_finite_differences", "test_softmax_lecture_example"):
        assert "uses check_probabilities" in entry["left_out"][test]  # the first one it meets
    assert "test_relu" in entry["exported"]
    assert entry["points_exported"] < entry["points_total"] == 45


def test_unknown_assignment_is_a_usage_error(tmp_path, capsys):
    assert main(["nbgrader", "export", str(tmp_path / "c"), "lec99_nothing"]) == 2
    assert "unknown assignments: lec99_nothing" in capsys.readouterr().err


def test_perturb_changes_every_value_and_keeps_its_kind():
    value = (1, 2.5, True, np.arange(3), np.ones(2) / 3, [np.int64(4)], {"a": np.float32(1)})
    changed = nbx.perturb(value)
    assert type(changed) is tuple and changed[0] == 2 and changed[2] is False
    assert changed[3].dtype == value[3].dtype and not np.array_equal(changed[3], value[3])
    assert not np.allclose(changed[4], value[4]) and type(changed[5][0]) is np.int64
    assert type(changed[6]["a"]) is np.float32 and changed[6]["a"] != 1


def test_array_literals_are_exact():
    """Large or non-finite arrays as base64 bytes with dtype and shape; small ones as lists."""
    recording = nbx._TestRecording()
    a = np.array([[np.nan, 1 / 3, -np.inf], [1e-300, 2.0, 7.0]])
    text = recording.literal(a)
    call = ast.parse(text, mode="eval").body
    data, dtype, shape = (ast.literal_eval(arg) for arg in call.args)
    decoded = np.frombuffer(base64.b64decode(data), dtype=dtype).reshape(shape)
    assert decoded.tobytes() == a.tobytes() and decoded.shape == a.shape
    assert recording.literal(np.array([1, 7, 2])) == "np.array([1, 7, 2], dtype='int64')"
    assert recording.literal(0.1 + 0.2) == repr(0.1 + 0.2)
    assert recording.literal(float("nan")) == "float('nan')"


# -- import: aimath's scores in nbgrader's gradebook -----------------------------------------
def test_grade_writes_scores_into_nbgrader_gradebook(tmp_path, capsys):
    """``aimath grade --nbgrader-db``; read back through nbgrader's API, then imported again."""

    from nbgrader.api import Gradebook

    golden = REPO / "tests" / "submissions" / "lec01_no_sqrt"
    for student, source in (("alice", REPO / "solutions"), ("bob", golden)):
        (tmp_path / "class" / student).mkdir(parents=True)
        shutil.copy(source / f"{ASSIGNMENT}.py", tmp_path / "class" / student)
    url = f"sqlite:///{tmp_path / 'nbgrader' / 'gradebook.db'}"
    (tmp_path / "nbgrader").mkdir()
    out = tmp_path / "results"
    code = main(["grade", str(tmp_path / "class"), "--out", str(out), "--assignment", ASSIGNMENT,
                 "-j", "1", "--nbgrader-db", url])  # fmt: skip
    assert code == 0
    assert "2 submissions, 52 grades" in capsys.readouterr().out
    assert main(["nbgrader", "import", "--db", url, "--out", str(out)]) == 0  # again: updated
    expected = json.loads((golden / "expected.json").read_text(encoding="utf-8"))
    expected = expected["assignments"][ASSIGNMENT]
    with Gradebook(url, course_id="aimath") as gb:
        assignment = gb.find_assignment(ASSIGNMENT)
        assert assignment.max_score == 38 and len(assignment.notebooks[0].grade_cells) == 26
        assert sorted(s.id for s in gb.students) == ["alice", "bob"]
        assert gb.find_submission(ASSIGNMENT, "alice").score == 38
        bob = gb.find_submission(ASSIGNMENT, "bob")
        assert bob.score == expected["score"] == 20
        grades = {g.name: g for g in gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT,
                                                                 "bob").grades}  # fmt: skip
        assert len(grades) == 26 and not any(g.needs_manual_grade for g in grades.values())
        failed = {name for name, g in grades.items() if g.score < g.max_score}
        assert failed == set(expected["statuses"])
        assert grades["test_l2_norm_lecture_example"].auto_score == 0
        assert grades["test_hadamard_lecture_example"].auto_score == 2
