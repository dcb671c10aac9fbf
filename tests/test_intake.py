"""Intake: which file of an assignment is graded when a student hands in both a .py and a notebook."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from autograder.intake import (
    StudentEntry,
    find_assignment_file,
    misnamed_file,
    read_submission,
    read_zip,
)

REPO = Path(__file__).resolve().parents[1]
L1 = "lec01_vectors"
STUB_PY = (REPO / "assignments" / f"{L1}.py").read_bytes()
STUB_NB = (REPO / "assignments" / f"{L1}.ipynb").read_bytes()
REFERENCE = (REPO / "solutions" / f"{L1}.py").read_bytes()


def worked_notebook() -> bytes:
    """The generated notebook with one function filled in (anything but the stub)."""
    nb = json.loads(STUB_NB)
    cell = next(c for c in nb["cells"] if c["metadata"].get("aimath", {}).get("function"))
    cell["source"] = "def hadamard(x, y):\n    return x * y\n"
    return json.dumps(nb).encode()


def test_the_untouched_stub_py_gives_way_to_the_notebook_the_student_worked_in(tmp_path):
    (tmp_path / f"{L1}.py").write_bytes(STUB_PY)
    (tmp_path / f"{L1}.ipynb").write_bytes(worked_notebook())
    path, notes = find_assignment_file(tmp_path, L1)
    assert path.name == f"{L1}.ipynb"
    assert notes == [
        f"{L1}.ipynb was graded: {L1}.py is still the untouched stub (hand in only the file you "
        "worked in)."
    ]


def test_windows_line_endings_do_not_make_the_stub_look_edited(tmp_path):
    (tmp_path / f"{L1}.py").write_bytes(STUB_PY.replace(b"\n", b"\r\n"))
    (tmp_path / f"{L1}.ipynb").write_bytes(worked_notebook())
    assert find_assignment_file(tmp_path, L1)[0].suffix == ".ipynb"


def test_an_edited_py_is_graded_even_beside_an_edited_notebook(tmp_path):
    (tmp_path / f"{L1}.py").write_bytes(REFERENCE)
    (tmp_path / f"{L1}.ipynb").write_bytes(worked_notebook())
    path, notes = find_assignment_file(tmp_path, L1)
    assert path.suffix == ".py" and "was graded and" in notes[0]


def test_both_untouched_stubs_grade_the_py(tmp_path):
    (tmp_path / f"{L1}.py").write_bytes(STUB_PY)
    (tmp_path / f"{L1}.ipynb").write_bytes(STUB_NB)
    assert find_assignment_file(tmp_path, L1)[0].suffix == ".py"


def test_one_file_alone_has_no_note(tmp_path):
    (tmp_path / f"{L1}.ipynb").write_bytes(STUB_NB)
    assert find_assignment_file(tmp_path, L1) == (tmp_path / f"{L1}.ipynb", [])


def test_the_same_choice_in_a_folder_entry_and_in_a_zip(tmp_path):
    folder = tmp_path / "ana"
    folder.mkdir()
    (folder / f"{L1}.py").write_bytes(STUB_PY)
    (folder / f"{L1}.ipynb").write_bytes(worked_notebook())
    from_folder = read_submission(StudentEntry("ana", folder, "folder"), [L1])[L1]

    archive = tmp_path / "ana.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"ana/{L1}.py", STUB_PY)
        zf.writestr(f"ana/{L1}.ipynb", worked_notebook())
        zf.writestr(f"ana/old/{L1}.py", REFERENCE)  # deeper: not a candidate
    from_zip = read_zip(archive, [L1])[L1]
    for chosen in (from_folder, from_zip):
        assert chosen.filename == f"{L1}.ipynb" and chosen.data == worked_notebook()
        assert "untouched stub" in chosen.notes[0]

    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"{L1}.py", REFERENCE)
        zf.writestr(f"{L1}.ipynb", worked_notebook())
    chosen = read_zip(archive, [L1])[L1]
    assert chosen.filename == f"{L1}.py" and chosen.data == REFERENCE
    assert "was graded and" in chosen.notes[0]


# -- misnamed files -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "names, assignment, expected",
    [
        (["lec1_vectors.py", "notes.txt"], "lec01_vectors", "lec1_vectors.py"),
        (["Lec01_Vectors.py"], "lec01_vectors", "Lec01_Vectors.py"),
        (["lec01_vector.ipynb"], "lec01_vectors", "lec01_vector.ipynb"),
        (["lec01-vectors (1).py"], "lec01_vectors", "lec01-vectors (1).py"),
        (["lec10_rnn.py", "lec1_rnn.py"], "lec10_rnn", "lec1_rnn.py"),
        (["lec1_rnn.py"], "lec01_vectors", None),  # another lecture's file
        (["lec10_rnn.py"], "lec01_vectors", None),  # a right name is never misnamed
        (["homework.py", "lec01_vectors.txt"], "lec01_vectors", None),
        ([], "lec02_matrices", None),
    ],
)
def test_a_misnamed_assignment_file_is_recognised(names, assignment, expected):
    assert misnamed_file(names, assignment) == expected


def test_find_assignment_file_names_the_misnamed_file_in_its_note(tmp_path):
    (tmp_path / "lec1_vectors.py").write_text("x = 1\n")
    path, notes = find_assignment_file(tmp_path, "lec01_vectors")
    assert path is None
    assert notes == [
        "lec01_vectors.py was not found, but lec1_vectors.py was handed in: if it is this "
        "assignment, rename it to lec01_vectors.py (files are graded by their exact names)"
    ]
    assert find_assignment_file(tmp_path, "lec02_matrices") == (None, [])
