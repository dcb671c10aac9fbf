"""Grading notebooks: the worker runs code cells as Jupyter does, and what it noted reaches the student.

Every notebook here is the reference solution of lec01_vectors split into cells (a markdown title,
the module header, one cell per function), with one thing changed. It is graded through Sandbox
and through ``run_graders(..., hidden=True)``; a notebook that is right apart from a cell that
raises still earns every point, a broken function cell costs exactly that function's tests, and
the notes on the cells reach results.json, the gradebook and the feedback files.
"""

from __future__ import annotations

import ast
import itertools
import json
import zipfile
from pathlib import Path

import markupsafe
import nbformat
import numpy as np
import pytest
from nbformat import v3, v4

from autograder import intake
from autograder.batch import grade_class
from autograder.course import ASSIGNMENTS
from autograder.gradebook import Gradebook
from autograder.i18n import render_note
from autograder.plugin import run_graders
from autograder.sandbox.process import Limits, Sandbox

REPO = Path(__file__).resolve().parents[1]
L1, L2 = "lec01_vectors", "lec02_matrices"
FUNCTIONS = ASSIGNMENTS[L1].functions
FULL_MARKS = 38  # 25 public + 13 hidden points
HADAMARD_POINTS = 4  # two public tests (2 + 1) and one hidden test (1)
PROJECTION_POINTS = 8  # three public tests (2 + 2 + 1) and two hidden tests (2 + 1)
STUDENT = "s1"


def split_module(source: str) -> list[str]:
    """A module's header (docstring, imports), then one piece per top-level function."""
    lines = source.split("\n")
    starts = [
        node.lineno - 1 for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)
    ]
    bounds = [0, *starts, len(lines)]
    return ["\n".join(lines[a:b]).strip("\n") for a, b in itertools.pairwise(bounds)]


REFERENCE = (REPO / "solutions" / f"{L1}.py").read_text()
STUB = (REPO / "assignments" / f"{L1}.py").read_text()


def reference_cells() -> list[nbformat.NotebookNode]:
    """[markdown title, header, hadamard, l1_norm, ..., projection] as notebook cells."""
    header, *functions = split_module(REFERENCE)
    assert len(functions) == len(FUNCTIONS)
    cells = [v4.new_markdown_cell("# AI Math 1강: 벡터가 뭐에요?"), v4.new_code_cell(header)]
    return cells + [v4.new_code_cell(source) for source in functions]


def position(function: str) -> int:
    """The index in reference_cells() of the cell defining ``function`` (its number is one more)."""
    return 2 + FUNCTIONS.index(function)


def write_notebook(path: Path, cells: list[nbformat.NotebookNode]) -> Path:
    nb = v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.validate(nb)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nbformat.writes(nb), encoding="utf-8")
    return path


def grade(folder: Path, assignments: tuple[str, ...] = (L1,), **kwargs):
    """(results, notes) of the public and hidden tests of ``assignments`` on ``folder``."""
    notes: dict[str, list[str]] = {}
    results = run_graders(
        folder, list(assignments), hidden=True, student=STUDENT, notes=notes, **kwargs
    )
    return results, notes


def score(results, assignment: str = L1) -> float:
    return sum(r.score for r in results if r.assignment == assignment)


def max_score(results, assignment: str = L1) -> float:
    return sum(r.max_score for r in results if r.assignment == assignment)


def statuses(results) -> dict[str, str]:
    return {r.nodeid: r.status for r in results}


def raised_notes(notes: list[str]) -> list[str]:
    return [n for n in notes if " raised " in n or "syntax error" in n]


@pytest.fixture(scope="module")
def reference_results(tmp_path_factory) -> dict[str, str]:
    """The per-test statuses of the reference notebook, graded for STUDENT."""
    folder = tmp_path_factory.mktemp("reference")
    write_notebook(folder / f"{L1}.ipynb", reference_cells())
    results, notes = grade(folder)
    assert notes == {}
    return statuses(results)


# -- the reference notebook ---------------------------------------------------------------------
def test_reference_notebook_through_sandbox(tmp_path):
    path = write_notebook(tmp_path / f"{L1}.ipynb", reference_cells())
    with Sandbox(path, L1, limits=Limits(load_timeout_s=20)) as box:
        value, printed = box.call(
            "l2_norm", (np.array([3.0, 4.0]),), {}, timeout_s=5, call="l2_norm([3, 4])"
        )
        assert value == 5.0 and printed == ""
        assert set(FUNCTIONS) <= box.functions
        assert box.load_notes == ()
        value, _ = box.call("l1_distance", (np.ones(3), np.zeros(3)), {}, timeout_s=5, call="d")
        assert value == 3.0  # a function calling a function of an earlier cell


def test_reference_notebook_gets_full_marks(reference_results, tmp_path):
    assert len(reference_results) == 26
    assert set(reference_results.values()) == {"passed"}
    write_notebook(tmp_path / f"{L1}.ipynb", reference_cells())
    results, notes = grade(tmp_path)
    assert (score(results), max_score(results)) == (FULL_MARKS, FULL_MARKS)
    assert notes == {}


# -- cells that raise -----------------------------------------------------------------------------
def test_a_demo_cell_that_raises_costs_nothing_and_is_noted(tmp_path):
    cells = reference_cells()
    demo = position("angle") + 1
    cells.insert(demo, v4.new_code_cell("print('demo')\nangle(np.zeros(3), np.ones(3))"))
    path = write_notebook(tmp_path / f"{L1}.ipynb", cells)

    with Sandbox(path, L1, limits=Limits(load_timeout_s=20)) as box:
        box.start()
        assert set(FUNCTIONS) <= box.functions  # projection's cell, after the demo, ran
        assert box.load_output == "demo\n"
        (note,) = box.load_notes
    assert note.startswith(f"cell {demo + 1} raised ValueError: ")
    assert "the angle with a zero vector is undefined" in note
    assert "cells after it still ran" in note
    # where: the demo cell's own line, which called the raising line in angle's cell
    angle_cell = cells[position("angle")].source.split("\n")
    line = 1 + next(i for i, text in enumerate(angle_cell) if "zero vector is undefined" in text)
    raising = 'raise ValueError("angle: the angle with a zero vector is undefined")'
    assert (
        f"(line 2: angle(np.zeros(3), np.ones(3)), which called cell {position('angle') + 1}, "
        f"line {line}: {raising})"
    ) in note

    results, notes = grade(tmp_path)
    assert score(results) == FULL_MARKS
    assert notes == {L1: [note]}


def test_a_syntax_error_loses_exactly_that_functions_tests(tmp_path, reference_results):
    cells = reference_cells()
    broken = position("hadamard")
    cells[broken].source = cells[broken].source.replace(
        "def hadamard(x: np.ndarray, y: np.ndarray)", "def hadamard(x, y"
    )
    write_notebook(tmp_path / f"{L1}.ipynb", cells)
    results, notes = grade(tmp_path)

    got = statuses(results)
    assert got.keys() == reference_results.keys()
    lost = {nodeid for nodeid, status in got.items() if status != reference_results[nodeid]}
    assert lost == {nodeid for nodeid in got if "hadamard" in nodeid}
    assert len(lost) == 3
    assert {got[nodeid] for nodeid in lost} == {"failed"}
    assert score(results) == FULL_MARKS - HADAMARD_POINTS

    (note,) = notes[L1]
    assert note.startswith(f"cell {broken + 1} has a syntax error: ")
    assert "def hadamard(x, y" in note and "nothing it defines exists" in note
    for r in results:
        if r.nodeid in lost:
            assert f"{L1}.ipynb has no function hadamard" in r.output
            assert "Cells of your notebook that did not run" in r.output
            assert f"cell {broken + 1} has a syntax error" in r.output


def test_a_cell_raising_not_implemented_error_does_not_stop_later_cells(tmp_path):
    cells = reference_cells()
    cells.insert(2, v4.new_code_cell("raise NotImplementedError('write the functions below')"))
    write_notebook(tmp_path / f"{L1}.ipynb", cells)
    results, notes = grade(tmp_path)
    assert score(results) == FULL_MARKS
    assert {r.status for r in results} == {"passed"}  # not "not attempted"
    (note,) = notes[L1]
    assert note.startswith("cell 3 raised NotImplementedError: write the functions below")


@pytest.mark.parametrize(
    "code",
    ["import sys\nsys.exit()", "import sys\nsys.exit(3)", "exit()", "raise KeyboardInterrupt"],
)
def test_exiting_in_a_cell_is_just_a_raising_cell(tmp_path, code):
    cells = reference_cells()
    where = position("l1_norm") + 1
    cells.insert(where, v4.new_code_cell(code))
    write_notebook(tmp_path / f"{L1}.ipynb", cells)
    results, notes = grade(tmp_path)
    assert score(results) == FULL_MARKS
    (note,) = notes[L1]
    exception = "KeyboardInterrupt" if "Keyboard" in code else "SystemExit"
    assert note.startswith(f"cell {where + 1} raised {exception}")


# -- notebooks that cannot be read ------------------------------------------------------------------
def invalid_json(path: Path) -> None:
    write_notebook(path, reference_cells())
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")  # cut off mid-way


def nbformat_3(path: Path) -> None:
    cells = [v3.new_code_cell(input=source) for source in split_module(REFERENCE)]
    nb = v3.new_notebook(worksheets=[v3.new_worksheet(cells=cells)])
    path.write_text(v3.writes_json(nb), encoding="utf-8")


def no_code_cells(path: Path) -> None:
    cells = [v4.new_markdown_cell("# my answers"), v4.new_markdown_cell(REFERENCE)]
    write_notebook(path, cells)


def not_utf8(path: Path) -> None:
    write_notebook(path, reference_cells())
    data = path.read_text(encoding="utf-8").encode("cp949")  # saved by a Korean Windows editor
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    path.write_bytes(data)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (invalid_json, f"{L1}.ipynb could not be loaded: it is not a valid notebook: its JSON is "
                       "broken at line"),
        (nbformat_3, f"{L1}.ipynb could not be loaded: it is an nbformat 3 notebook"),
        (no_code_cells, f"{L1}.ipynb could not be loaded: it has no code cells"),
        (not_utf8, f"{L1}.ipynb is not UTF-8 text"),
    ],
    ids=["invalid-json", "nbformat-3", "no-code-cells", "not-utf-8"],
)  # fmt: skip
def test_an_unreadable_notebook_fails_every_test_with_one_message(tmp_path, make, message):
    make(tmp_path / f"{L1}.ipynb")
    (tmp_path / f"{L2}.py").write_text((REPO / "solutions" / f"{L2}.py").read_text())
    results, notes = grade(tmp_path, (L1, L2))

    mine = [r for r in results if r.assignment == L1]
    assert len(mine) == 26
    assert {r.status for r in mine} == {"failed"}
    assert score(results, L1) == 0
    outputs = {r.output for r in mine}
    assert len(outputs) == 1  # the same message for every test
    (output,) = outputs
    assert output.startswith(message)
    assert "Traceback" not in output and "NotebookUnreadable" not in output
    # the other assignment of the same folder is graded as usual
    assert score(results, L2) == max_score(results, L2) > 0
    assert {r.status for r in results if r.assignment == L2} == {"passed"}
    assert L2 not in notes


# -- IPython, plotting, scripts -----------------------------------------------------------------------
def test_matplotlib_plots_with_the_agg_backend(tmp_path):
    cells = reference_cells()
    cells.append(
        v4.new_code_cell(
            "import matplotlib\n"
            "import matplotlib.pyplot as plt\n"
            "xs = np.linspace(-2, 2, 5)\n"
            "plt.plot(xs, [l2_norm(np.array([x, 1.0])) for x in xs], label='norm')\n"
            "plt.title('L2 norm')\n"
            "plt.legend()\n"
            "plt.show()\n"
            "BACKEND = matplotlib.get_backend()\n"
            "def backend():\n"
            "    return BACKEND\n"
        )
    )
    path = write_notebook(tmp_path / f"{L1}.ipynb", cells)
    with Sandbox(path, L1, limits=Limits(load_timeout_s=30)) as box:
        value, _ = box.call("backend", (), {}, timeout_s=5, call="backend()")
        assert box.load_notes == ()
    assert value.lower() == "agg"
    results, notes = grade(tmp_path)
    assert score(results) == FULL_MARKS and notes == {}


def test_magic_and_shell_lines_are_dropped_with_a_note(tmp_path):
    cells = reference_cells()
    cells[1].source = "%matplotlib inline\n!ls\n" + cells[1].source
    cells[position("l2_norm")].source += "\n\n%time n = l2_norm(np.array([3.0, 4.0]))"
    cells.append(v4.new_code_cell("assert n == 5.0\nnp.sum?"))
    write_notebook(tmp_path / f"{L1}.ipynb", cells)
    results, notes = grade(tmp_path)
    assert score(results) == FULL_MARKS
    header, timed, last = notes[L1]
    assert header.startswith("cell 2: IPython magics and shell commands were skipped")
    assert "line 1: %matplotlib inline" in header and "line 2: !ls" in header
    assert timed.startswith(f"cell {position('l2_norm') + 1}:") and "%time n = l2_norm" in timed
    assert last.startswith(f"cell {len(cells)}:") and "np.sum?" in last  # the assert passed


def test_a_captured_shell_output_fails_only_the_cell_that_uses_it(tmp_path):
    cells = reference_cells()
    cells.insert(2, v4.new_code_cell("files = !ls"))
    demo = position("l2_norm") + 2
    cells.insert(demo, v4.new_code_cell("print(len(files))"))
    write_notebook(tmp_path / f"{L1}.ipynb", cells)
    results, notes = grade(tmp_path)
    assert score(results) == FULL_MARKS
    skipped, raised = notes[L1]
    assert skipped.startswith("cell 3: IPython magics") and "files = !ls" in skipped
    assert raised.startswith(f"cell {demo + 1} raised NameError: name 'files' is not defined")


def test_a_captured_shell_output_used_in_a_function_cell_loses_that_function(
    tmp_path, reference_results
):
    cells = reference_cells()
    cells.insert(2, v4.new_code_cell("files = !ls"))
    broken = position("projection") + 1
    cells[broken].source = "n_files = len(files)\n\n" + cells[broken].source
    write_notebook(tmp_path / f"{L1}.ipynb", cells)
    results, notes = grade(tmp_path)
    got = statuses(results)
    lost = {nodeid for nodeid, status in got.items() if status != reference_results[nodeid]}
    assert lost == {nodeid for nodeid in got if "projection" in nodeid}
    assert score(results) == FULL_MARKS - PROJECTION_POINTS
    assert raised_notes(notes[L1]) == [
        n for n in notes[L1] if n.startswith(f"cell {broken + 1} raised NameError")
    ]


MAIN_GUARD = """
MAIN_RAN = False


def main_ran():
    return MAIN_RAN, __name__


if __name__ == "__main__":
    MAIN_RAN = True
    print("running as a script")
"""


def test_the_main_guard_runs_in_a_notebook_but_not_in_a_py_file(tmp_path):
    nb_path = write_notebook(
        tmp_path / "nb" / f"{L1}.ipynb", [*reference_cells(), v4.new_code_cell(MAIN_GUARD)]
    )
    py_path = tmp_path / "py" / f"{L1}.py"
    py_path.parent.mkdir()
    py_path.write_text(REFERENCE + "\n" + MAIN_GUARD)
    with Sandbox(nb_path, L1) as box:
        (ran, _), _ = box.call("main_ran", (), {}, timeout_s=5, call="main_ran()")
        assert ran is True and box.load_output == "running as a script\n"
    with Sandbox(py_path, L1) as box:
        (ran, name), _ = box.call("main_ran", (), {}, timeout_s=5, call="main_ran()")
        assert ran is False and box.load_output == "" and name == L1


def test_functions_of_a_notebook_keep_seeing_main_as_in_jupyter(tmp_path):
    """In a kernel, __name__ stays "__main__" for the functions defined there; so here."""
    nb_path = write_notebook(
        tmp_path / f"{L1}.ipynb", [*reference_cells(), v4.new_code_cell(MAIN_GUARD)]
    )
    with Sandbox(nb_path, L1) as box:
        (_, name), _ = box.call("main_ran", (), {}, timeout_s=5, call="main_ran()")
    assert name == "__main__"


def test_a_main_guard_that_would_fail_is_not_run_in_a_py_file(tmp_path):
    guard = '\nif __name__ == "__main__":\n    raise SystemExit("demo code that must not run")\n'
    (tmp_path / f"{L1}.py").write_text(REFERENCE + guard)
    results, notes = grade(tmp_path)
    assert score(results) == FULL_MARKS and notes == {}


def nbgrader_meta(grade: bool, solution: bool, grade_id: str, points: int = 0) -> dict:
    meta = {"grade": grade, "solution": solution, "grade_id": grade_id, "locked": not solution,
            "schema_version": 3}  # fmt: skip
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def test_nbgrader_test_cells_are_not_run(tmp_path):
    cells = reference_cells()
    for i, function in enumerate(FUNCTIONS):
        cells[position(function)].metadata.update(nbgrader_meta(False, True, f"answer-{i}"))
    tests = [
        "def l2_norm(x):\n    return 0.0\n\nassert False, 'the instructor tests'",
        "raise NotImplementedError",
        "hadamard = None",
    ]
    for i, source in enumerate(tests):
        cells.append(v4.new_code_cell(source, metadata=nbgrader_meta(True, False, f"test-{i}", 1)))
    write_notebook(tmp_path / f"{L1}.ipynb", cells)
    results, notes = grade(tmp_path)
    assert score(results) == FULL_MARKS
    first = len(cells) - len(tests) + 1
    assert notes[L1] == [
        f"cells {first}-{len(cells)} are nbgrader test cells, not run (the grader runs its own "
        "tests)"
    ]


# -- a .py and a .ipynb of the same assignment ----------------------------------------------------------
def stub_cells() -> list[nbformat.NotebookNode]:
    return [v4.new_code_cell(source) for source in split_module(STUB)]


BOTH_NOTE = (
    f"Both {L1}.py and {L1}.ipynb were handed in: {L1}.py was graded and {L1}.ipynb was ignored"
)


def test_the_stub_notebook_alone_is_not_attempted(tmp_path):
    write_notebook(tmp_path / f"{L1}.ipynb", stub_cells())
    results, _ = grade(tmp_path)
    assert {r.status for r in results} == {"not_attempted"} and score(results) == 0


def test_when_both_files_are_handed_in_the_py_is_graded(tmp_path):
    (tmp_path / f"{L1}.py").write_text(REFERENCE)
    write_notebook(tmp_path / f"{L1}.ipynb", stub_cells())
    results, notes = grade(tmp_path)
    assert score(results) == FULL_MARKS
    (note,) = notes[L1]
    assert note.startswith(BOTH_NOTE)

    entry = intake.StudentEntry("alice", tmp_path, "folder")
    files = intake.read_submission(entry, [L1])
    assert files[L1].filename == f"{L1}.py"
    assert files[L1].data == REFERENCE.encode()
    (note,) = files[L1].notes
    assert note.startswith(BOTH_NOTE)


def test_when_a_zip_holds_both_files_the_py_is_graded(tmp_path):
    notebook = write_notebook(tmp_path / "nb" / f"{L1}.ipynb", stub_cells()).read_bytes()
    zipped = tmp_path / "alice.zip"
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr(f"homework/{L1}.ipynb", notebook)
        zf.writestr(f"homework/{L1}.py", REFERENCE)
    files = intake.read_zip(zipped, [L1])
    assert files[L1].filename == f"{L1}.py" and files[L1].data == REFERENCE.encode()
    (note,) = files[L1].notes
    assert note.startswith(BOTH_NOTE)
    entry = intake.StudentEntry("alice", zipped, "zip")
    assert intake.read_submission(entry, [L1]) == files


# -- where the notes end up ------------------------------------------------------------------------------
def noted_notebook(path: Path) -> Path:
    """The reference with `%matplotlib inline` in its header and a demo cell that raises."""
    cells = reference_cells()
    cells[1].source = "%matplotlib inline\n" + cells[1].source
    cells.insert(position("angle") + 1, v4.new_code_cell("angle(np.zeros(3), np.ones(3))"))
    return write_notebook(path, cells)


def test_notes_reach_results_json(tmp_path):
    noted_notebook(tmp_path / "sub" / f"{L1}.ipynb")
    results, notes = grade(tmp_path / "sub", json_path=tmp_path / "results.json")
    assert score(results) == FULL_MARKS
    assert len(notes[L1]) == 2
    data = json.loads((tmp_path / "results.json").read_text())
    assert data["score"] == FULL_MARKS
    assert data["output"] == "\n".join(f"{L1}: {n}" for n in notes[L1])
    assert "cell 2: IPython magics" in data["output"] and "raised ValueError" in data["output"]


def test_notes_reach_the_gradebook_and_the_feedback_files(tmp_path):
    classroom = tmp_path / "class"
    noted_notebook(classroom / "alice" / f"{L1}.ipynb")
    out = tmp_path / "out"
    run = grade_class(classroom, out_dir=out, jobs=1, assignments=[L1])
    assert run.exit_status == 0 and run.graded == ["alice"]

    with Gradebook(out / "gradebook.sqlite") as book:
        (submission,) = book.submissions("alice")
    assert submission.status == "graded" and submission.filename == f"{L1}.ipynb"
    assert submission.score == FULL_MARKS
    magic, raised = map(render_note, submission.message.splitlines())  # stored as messages
    assert magic.startswith("cell 2: IPython magics") and "%matplotlib inline" in magic
    demo = position("angle") + 2
    assert raised.startswith(f"cell {demo} raised ValueError: angle: the angle with a zero vector")

    feedback = json.loads((out / "feedback" / "alice.json").read_text())
    assert f"  note: {magic}" in feedback["output"].splitlines()
    assert f"  note: {raised}" in feedback["output"].splitlines()
    page = (out / "feedback" / "alice.html").read_text()
    # escaped as the page's template escapes text (Jinja2: &#34; for a double quote)
    assert f"<li>{markupsafe.escape(magic)}</li>" in page
    assert f"<li>{markupsafe.escape(raised)}</li>" in page
