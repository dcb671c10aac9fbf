"""aimath grades nbgrader notebooks as the real nbgrader does: the class in tests/nbgrader_class/.

The class (made by tests/nbgrader_class/make_class.py) is an nbgrader source notebook of
lec01_vectors whose 26 test cells stand for aimath's 26 tests of lec01, and ~30 students who filled
in its student version in different ways: the reference, the stub, the golden mistakes, syntax
errors, raising cells, magics and shell lines, edited test cells... nbgrader's scores of the whole
class were recorded in tests/nbgrader_class/nbgrader_totals.json by
``python benchmarks/nbgrader_agreement.py --record``.

- aimath's totals (and per-test scores) for the whole class equal nbgrader's recorded ones.
- The live check: the real ``nbgrader autograde`` on a small sample agrees with the record and with
  aimath (needs nbgrader: ``pip install -e ".[nbgrader]"``, which CI installs).
- The class is up to date with make_class.py (and with what nbgrader generates).
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CLASS_DIR = REPO / "tests" / "nbgrader_class"
GOLDEN_DIR = REPO / "tests" / "submissions"
LIVE_SAMPLE = ["reference", "stub", "angle_degrees", "syntax_error", "raising_demo"]
CI_SECONDS = 30  # aimath on the whole class must stay well within a CI step


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return sys.modules[name]


agreement = _load("nbgrader_agreement", REPO / "benchmarks" / "nbgrader_agreement.py")
make_class = agreement.mc
RECORDED = json.loads(agreement.TOTALS_FILE.read_text(encoding="utf-8"))
STUDENTS = agreement.all_students()


@pytest.fixture(scope="module")
def aimath_class(tmp_path_factory):
    """One ``aimath grade`` run over the whole class (the CLI, in a subprocess), and its time."""
    out = tmp_path_factory.mktemp("nbgrader-class") / "results"
    start = time.perf_counter()
    scores = agreement.grade_with_aimath(CLASS_DIR / "submitted", out)
    return scores, time.perf_counter() - start


def _recorded_totals() -> dict[str, float]:
    return {s: r["total"] for s, r in RECORDED["students"].items()}


def test_the_record_covers_the_class():
    descriptions = json.loads((CLASS_DIR / "students.json").read_text(encoding="utf-8"))
    assert sorted(RECORDED["students"]) == STUDENTS == sorted(descriptions)
    assert len(STUDENTS) >= 25
    assert RECORDED["max_score"] == 38 == sum(t.points for t in make_class.TEST_CELLS)
    assert RECORDED["nbgrader_version"].startswith("0.9")


def test_the_record_was_made_from_the_committed_notebooks():
    """Regenerating the class means recording again: benchmarks/nbgrader_agreement.py --record."""
    notebook = make_class.NOTEBOOK
    source = CLASS_DIR / "source" / make_class.ASSIGNMENT / notebook
    assert RECORDED["source_sha256"] == agreement.notebook_sha256(source)
    stale = [
        student
        for student, record in RECORDED["students"].items()
        if record["sha256"]
        != agreement.notebook_sha256(
            CLASS_DIR / "submitted" / student / make_class.ASSIGNMENT / notebook
        )
    ]
    assert stale == []


def test_aimath_totals_equal_recorded_nbgrader_totals(aimath_class):
    scores, seconds = aimath_class
    assert scores.totals == _recorded_totals()
    assert seconds < CI_SECONDS, f"aimath took {seconds:.1f} s on the class"


def test_aimath_per_test_scores_equal_nbgrader_per_cell_scores(aimath_class):
    scores, _ = aimath_class
    differ = {
        student: agreement.differing_tests(record["cells"], scores.tests.get(student, {}))
        for student, record in RECORDED["students"].items()
    }
    assert {s: d for s, d in differ.items() if d} == {}


def test_the_test_cells_are_aimaths_tests_with_their_points():
    ours = {t.name: (t.points, t.hidden) for t in make_class.TEST_CELLS}
    assert ours == make_class.aimath_tests()
    assert len([t for t in ours.values() if t[1]]) == 10 and len(ours) == 26


@pytest.mark.parametrize("case", make_class.GOLDEN_CASES)
def test_nbgrader_fails_the_tests_each_golden_mistake_fails(case):
    """nbgrader's record of a golden mistake: the cells expected.json names fail, the others pass."""
    expected = json.loads((GOLDEN_DIR / f"lec01_{case}" / "expected.json").read_text())
    expected = expected["assignments"][make_class.ASSIGNMENT]
    record = RECORDED["students"][case]
    points = {t.name: t.points for t in make_class.TEST_CELLS}
    failed = {name for name, score in record["cells"].items() if score < points[name]}
    assert failed == set(expected["statuses"])
    assert record["total"] == expected["score"]


def test_live_nbgrader_autograde_on_a_sample_agrees(tmp_path):
    """The real nbgrader on a few students: the same scores as recorded, and as aimath's."""
    pytest.importorskip("nbgrader", reason='the real nbgrader: pip install -e ".[nbgrader]"')
    nbgrader = agreement.grade_with_nbgrader(LIVE_SAMPLE, tmp_path)
    recorded = {s: RECORDED["students"][s] for s in LIVE_SAMPLE}
    assert nbgrader.totals == {s: r["total"] for s, r in recorded.items()}
    assert nbgrader.tests == {s: r["cells"] for s, r in recorded.items()}
    sample = agreement._copy_students(LIVE_SAMPLE, tmp_path / "class")
    aimath = agreement.grade_with_aimath(sample, tmp_path / "aimath")
    assert aimath.totals == nbgrader.totals
    assert aimath.tests == nbgrader.tests


def test_the_class_is_up_to_date_with_make_class():
    """Source and students as make_class.py writes them (from the committed student version)."""
    assert make_class.drift(use_nbgrader=False) == []


def test_the_student_version_is_what_nbgrader_generates():
    pytest.importorskip("nbgrader", reason='the real nbgrader: pip install -e ".[nbgrader]"')
    fresh = make_class.generate_release(make_class.build_source_notebook())
    assert make_class._text(fresh) == make_class._text(make_class.committed_release())
