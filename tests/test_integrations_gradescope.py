"""The Gradescope autograder zip, run as Gradescope runs it, and its results.json against the spec.

`aimath gradescope bundle` writes the zip; each test unpacks it into a temporary folder that stands
in for /autograder (source/, submission/, results/, submission_metadata.json), runs the unpacked
``run_autograder`` script (bash, then the bundled framework on PYTHONPATH) on one submission, and
validates the results.json it leaves against Gradescope's documented format
(https://gradescope-autograders.readthedocs.io/en/latest/specs/), written below as a JSON schema.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest

from autograder.cli import main
from autograder.integrations.gradescope import bundle_secret, collect_submission
from autograder.seeds import instructor_secret
from autograder.student_page import HIDDEN_NOTE

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENTS = ["lec01_vectors", "lec02_matrices"]
MAX_POINTS = {"lec01_vectors": 38, "lec02_matrices": 45}

# Gradescope's results.json, as documented ("Output format" of the autograder specifications).
VISIBILITY = {"enum": ["hidden", "after_due_date", "after_published", "visible"]}
OUTPUT_FORMAT = {"enum": ["text", "html", "simple_format", "md", "ansi"]}
NUMBER = {"type": "number"}
TEST_CASE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "score": NUMBER,
        "max_score": NUMBER,
        "status": {"enum": ["passed", "failed"]},
        "name": {"type": "string"},
        "name_format": OUTPUT_FORMAT,
        "number": {"type": ["string", "number"]},
        "output": {"type": "string"},
        "output_format": OUTPUT_FORMAT,
        "tags": {"type": "array", "items": {"type": "string"}},
        "visibility": VISIBILITY,
        "extra_data": {"type": "object"},
    },
}
RESULTS_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "score": NUMBER,
        "execution_time": NUMBER,
        "output": {"type": "string"},
        "output_format": OUTPUT_FORMAT,
        "test_output_format": OUTPUT_FORMAT,
        "test_name_format": OUTPUT_FORMAT,
        "visibility": VISIBILITY,
        "stdout_visibility": VISIBILITY,
        "extra_data": {"type": "object"},
        "tests": {"type": "array", "items": TEST_CASE},
        "leaderboard": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "value"],
                "properties": {
                    "name": {"type": "string"},
                    "value": {"type": ["number", "string"]},
                    "order": {"enum": ["asc", "desc"]},
                },
            },
        },
    },
    # "score: optional, but required if not on each test case"
    "anyOf": [
        {"required": ["score"]},
        {"required": ["tests"], "properties": {"tests": {"items": {"required": ["score"]}}}},
    ],
}


def validate(data: dict) -> None:
    """Gradescope's format, and what it implies: the score is the tests' sum, statuses agree."""
    jsonschema.Draft7Validator(RESULTS_SCHEMA).validate(data)
    assert data["score"] == pytest.approx(sum(t["score"] for t in data["tests"]))
    for test in data["tests"]:
        assert 0 <= test["score"] <= test["max_score"]
        assert (test["status"] == "passed") == (test["score"] == test["max_score"])
    assert "leaderboard" not in data  # left out on purpose: grades are not a ranking
    assert data["stdout_visibility"] == "hidden"
    assert data["output_format"] == data["test_output_format"] == "text"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundle") / "autograder.zip"
    assert main(["gradescope", "bundle", *ASSIGNMENTS, "--out", str(out)]) == 0
    return out


def gradescope(tmp: Path, zip_path: Path, files: dict[str, bytes], *, user_id="4242") -> dict:
    """Unpack the zip as Gradescope does, hand in ``files``, run run_autograder: results.json."""
    root = tmp / "autograder"
    source = root / "source"
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(source)
        for info in zf.infolist():
            (source / info.filename).chmod(stat.S_IMODE(info.external_attr >> 16))
    shutil.copy2(source / "run_autograder", root / "run_autograder")
    (root / "results").mkdir()
    (root / "submission").mkdir()
    for name, data in files.items():
        (root / "submission" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "submission" / name).write_bytes(data)
    metadata = {"id": 1, "users": [{"id": user_id, "email": "s@example.edu", "name": "S"}]}
    (root / "submission_metadata.json").write_text(json.dumps(metadata))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIMATH_", "PYTHON"))}
    env.update(AIMATH_GRADESCOPE_ROOT=str(root), AIMATH_PYTHON=sys.executable)
    proc = subprocess.run(
        [str(root / "run_autograder")], cwd=tmp, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert (root / "results" / "results.json").is_file(), proc.stdout + proc.stderr
    data = json.loads((root / "results" / "results.json").read_text())
    data["_stdout"], data["_returncode"] = proc.stdout + proc.stderr, proc.returncode
    return data


def scores(data: dict) -> dict[str, float]:
    out = dict.fromkeys(ASSIGNMENTS, 0.0)
    for t in data["tests"]:
        out[t["extra_data"]["assignment"]] += t["score"]
    return out


def statuses(data: dict) -> set[str]:
    return {t["extra_data"]["status"] for t in data["tests"]}


def reference(name: str) -> bytes:
    return (REPO / "solutions" / f"{name}.py").read_bytes()


def stub(name: str, suffix: str = ".py") -> bytes:
    return (REPO / "assignments" / f"{name}{suffix}").read_bytes()


def clean(data: dict) -> dict:
    return {k: v for k, v in data.items() if not k.startswith("_")}


# -- the zip ------------------------------------------------------------------------------------
def test_the_zip_has_setup_and_run_autograder_at_its_root_and_the_course_inside(bundle):
    with zipfile.ZipFile(bundle) as zf:
        infos = {i.filename: i for i in zf.infolist()}
        names = set(infos)
        assert {"setup.sh", "run_autograder", "aimath_gradescope.json", "secret"} <= names
        for script in ("setup.sh", "run_autograder"):
            assert stat.S_IMODE(infos[script].external_attr >> 16) == 0o755
            assert zf.read(script).startswith(b"#!/usr/bin/env bash\n")
        assert {f"course/solutions/{a}.py" for a in ASSIGNMENTS} <= names
        assert {f"course/hidden/{a}/test_hidden.py" for a in ASSIGNMENTS} <= names
        assert "package/pyproject.toml" in names and "package/autograder/cli.py" in names
        assert not [n for n in names if n.startswith("package/") and "test_hidden" in n]
        assert not [n for n in names if n.startswith("course/") and ("lec03" in n or "lec04" in n)]
        secret = zf.read("secret").decode().strip()
        everything = b"".join(zf.read(n) for n in names)
    # The bundle carries a secret derived from the instructor's, never the instructor's own.
    assert secret == bundle_secret(instructor_secret())
    assert instructor_secret() not in everything
    assert stat.S_IMODE(bundle.stat().st_mode) == 0o600


def test_the_same_course_gives_the_same_zip(bundle, tmp_path):
    again = tmp_path / "again.zip"
    assert main(["gradescope", "bundle", *ASSIGNMENTS, "--out", str(again)]) == 0
    assert (
        hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(bundle.read_bytes()).digest()
    )


def test_unknown_assignments_are_a_usage_error(tmp_path, capsys):
    assert main(["gradescope", "bundle", "lec99_nothing", "--out", str(tmp_path / "a.zip")]) == 2
    assert "lec99_nothing" in capsys.readouterr().err
    assert not (tmp_path / "a.zip").exists()


# -- run_autograder -----------------------------------------------------------------------------
def test_the_reference_gets_full_marks_with_hidden_tests_after_published(bundle, tmp_path):
    data = gradescope(tmp_path, bundle, {f"{a}.py": reference(a) for a in ASSIGNMENTS})
    validate(clean(data))
    assert data["_returncode"] == 0, data["_stdout"]
    assert scores(data) == MAX_POINTS and data["score"] == 83
    # The bundled framework graded it (PYTHONPATH), not this checkout's.
    assert str(tmp_path / "autograder" / "source" / "package" / "autograder") in data["_stdout"]
    hidden = [t for t in data["tests"] if t["extra_data"]["hidden"]]
    assert len(hidden) == 19
    assert {t["visibility"] for t in hidden} == {"after_published"}
    assert {t["output"] for t in hidden} <= {HIDDEN_NOTE, ""}
    assert {t["visibility"] for t in data["tests"] if not t["extra_data"]["hidden"]} == {"visible"}
    assert all(isinstance(t["extra_data"]["execution_time"], float) for t in data["tests"])
    assert data["execution_time"] > 0


def test_the_stub_is_not_attempted_everywhere(bundle, tmp_path):
    data = gradescope(tmp_path, bundle, {f"{a}.py": stub(a) for a in ASSIGNMENTS})
    validate(clean(data))
    assert data["score"] == 0 and statuses(data) == {"not_attempted"}
    assert len(data["tests"]) == 26 + 28  # every test is listed, with its points


def test_a_broken_notebook_fails_its_assignment_only(bundle, tmp_path):
    files = {"lec01_vectors.ipynb": b'{"cells": [ this is not json', "lec02_matrices.py":
             reference("lec02_matrices")}  # fmt: skip
    data = gradescope(tmp_path, bundle, files)
    validate(clean(data))
    assert data["_returncode"] == 0
    assert scores(data) == {"lec01_vectors": 0, "lec02_matrices": 45}
    lec01 = [t for t in data["tests"] if t["extra_data"]["assignment"] == "lec01_vectors"]
    assert {t["extra_data"]["status"] for t in lec01} == {"failed"}
    visible = [t for t in lec01 if t["visibility"] == "visible"]
    assert "could not be loaded" in visible[0]["output"] or "notebook" in visible[0]["output"]


def test_a_zip_of_a_folder_and_a_renamed_single_file_are_found(bundle, tmp_path):
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("my work/lec01_vectors.py", reference("lec01_vectors"))
        zf.writestr("my work/lec02_matrices.py", stub("lec02_matrices"))
    data = gradescope(tmp_path / "zip", bundle, {"handin.zip": buffer.getvalue()})
    validate(clean(data))
    assert scores(data) == {"lec01_vectors": 38, "lec02_matrices": 0}
    # collect_submission on its own: one assignment, one file of another name.
    (tmp_path / "renamed").mkdir()
    (tmp_path / "renamed" / "hw1 (2).py").write_bytes(reference("lec01_vectors"))
    found = collect_submission(tmp_path / "renamed", ["lec01_vectors"])
    assert list(found.files) == ["lec01_vectors"] and found.files["lec01_vectors"].filename == (
        "lec01_vectors.py"
    )
    assert "hw1 (2).py was graded as lec01_vectors.py." in found.notes


def test_an_empty_submission_scores_zero_and_says_why(bundle, tmp_path):
    data = gradescope(tmp_path, bundle, {"notes.txt": b"I could not finish"})
    validate(clean(data))
    assert data["score"] == 0 and "No assignment file was found" in data["output"]


HOSTILE = """
import json, os, sys
ROOT = {root!r}
STOLEN = []
for path in (ROOT + "/source/course/solutions/lec01_vectors.py", ROOT + "/source/secret"):
    try:
        STOLEN.append(open(path).read())
    except OSError as exc:
        STOLEN.append(type(exc).__name__)
PERFECT = {{"score": 1000.0, "tests": [{{"name": "all", "score": 1000.0, "max_score": 1000.0}}]}}
for target in (ROOT + "/results/results.json", "results.json"):
    try:
        with open(target, "w") as f:
            json.dump(PERFECT, f)
    except OSError:
        pass
print("".join(STOLEN))
print(json.dumps(PERFECT))
import numpy as np
np.isclose = lambda *a, **k: True
np.allclose = lambda *a, **k: True


def _answer(*args, **kwargs):
    print("".join(STOLEN))
    return {answer}


hadamard = l1_norm = l2_norm = l1_distance = l2_distance = angle = projection = _answer
"""
HONEST_TWIN = """
def _answer(*args, **kwargs):
    return {answer}


hadamard = l1_norm = l2_norm = l1_distance = l2_distance = angle = projection = _answer
"""


def test_a_hostile_submission_earns_its_honest_twins_score_and_leaks_nothing(bundle, tmp_path):
    root = tmp_path / "hostile" / "autograder"
    hostile = HOSTILE.format(root=str(root), answer="0.0").encode()
    data = gradescope(tmp_path / "hostile", bundle, {"lec01_vectors.py": hostile})
    twin = gradescope(tmp_path / "twin", bundle,
                      {"lec01_vectors.py": HONEST_TWIN.format(answer="0.0").encode()})  # fmt: skip
    validate(clean(data))
    assert data["score"] == twin["score"] < 38
    assert [t["score"] for t in data["tests"]] == [t["score"] for t in twin["tests"]]
    text = json.dumps(clean(data))
    solution_lines = [
        line.strip() for line in reference("lec01_vectors").decode().splitlines()
        if len(line.strip()) > 30 and "BEGIN" not in line and "def " not in line
    ]  # fmt: skip
    assert solution_lines and not [line for line in solution_lines if line in text]
    secret = (root / "source" / "secret").read_text().strip()
    assert secret not in text and "1000" not in json.dumps(data["score"])


def test_hidden_tests_can_be_hidden_for_good_or_revealed(tmp_path):
    out = tmp_path / "autograder.zip"
    args = ["gradescope", "bundle", "lec01_vectors", "--out", str(out), "--hidden-visibility",
            "hidden", "--reveal-hidden"]  # fmt: skip
    assert main(args) == 0
    wrong = reference("lec01_vectors").replace(b"np.sqrt(", b"(")  # l2 norms without the root
    data = gradescope(tmp_path, out, {"lec01_vectors.py": wrong})
    validate(clean(data))
    hidden = [t for t in data["tests"] if t["extra_data"]["hidden"]]
    assert {t["visibility"] for t in hidden} == {"hidden"}
    failed = [t for t in hidden if t["status"] == "failed"]
    assert failed and all(t["output"] != HIDDEN_NOTE and "returned" in t["output"] for t in failed)
