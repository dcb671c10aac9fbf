"""The real installs: the project's wheel and the student bundle, each in a fresh virtual environment.

These tests build with pip, create venvs and install the dependencies from the package index (pip's
cache makes later runs quick), then run the installed ``aimath`` command, never this checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from autograder.course import ASSIGNMENTS

REPO = Path(__file__).resolve().parents[1]
PUBLIC_POINTS = {"lec01_vectors": 25, "lec02_matrices": 29, "lec03_gradient_descent": 29,
                 "lec04_sgd": 30, "lec05_neural_networks": 30, "lec06_probability": 28,
                 "lec07_statistics": 30, "lec08_bayes": 25, "lec09_cnn": 29,
                 "lec10_rnn": 28}  # fmt: skip


def run(cmd: list[str], *, cwd: Path, env: dict | None = None, timeout: float = 600):
    proc = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=timeout,
        env=os.environ.copy() if env is None else env,
    )  # fmt: skip
    return proc


def must(cmd: list[str], *, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    proc = run(cmd, cwd=cwd, env=env)
    assert proc.returncode == 0, f"{cmd} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
    return proc


def fresh_venv(path: Path) -> Path:
    """A new venv with pip and without this Python's packages; returns its bin folder."""
    venv.EnvBuilder(with_pip=True, clear=True, system_site_packages=False).create(path)
    return path / ("Scripts" if os.name == "nt" else "bin")


def clean_env(tmp: Path) -> dict:
    """No trace of this checkout: no course, no PYTHONPATH; a scratch home and config."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIMATH_", "PYTHON"))}
    env.update(HOME=str(tmp / "home"), AIMATH_CONFIG_DIR=str(tmp / "config"), COLUMNS="120",
               AIMATH_SECRET="packaging-test-secret")  # fmt: skip
    (tmp / "home").mkdir(exist_ok=True)
    return env


def results_of(path: Path) -> list[dict]:
    return json.loads(path.read_text())["tests"]


def points(tests: list[dict]) -> dict[str, float]:
    out: dict[str, float] = {}
    for t in tests:
        out[t["extra_data"]["assignment"]] = out.get(t["extra_data"]["assignment"], 0) + t["score"]
    return out


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    must([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, REPO], cwd=out)
    (found,) = out.glob("aimath_autograder-*.whl")
    return found


def test_the_wheel_ships_no_hidden_grader_and_no_solution_but_all_package_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "autograder/graders/pytest.ini" in names
    assert "autograder/templates/README.md" in names and "autograder/sandbox/cells.py" in names
    assert {f"autograder/graders/{a}/test_public.py" for a in ASSIGNMENTS} <= set(names)
    assert not [n for n in names if "hidden" in n.split("/")[-1] or n.startswith("solutions/")]

    from autograder.bundle import scan_release

    assert scan_release(wheel) == []  # every member, as the release's leak scan reads it


def test_a_regular_install_of_the_wheel_grades(wheel, tmp_path):
    bin_dir = fresh_venv(tmp_path / "venv")
    env = clean_env(tmp_path)
    must([bin_dir / "python", "-m", "pip", "install", "-q", wheel], cwd=tmp_path, env=env)
    version = must([bin_dir / "aimath", "--version"], cwd=tmp_path, env=env).stdout
    assert "aimath 0.1.0" in version

    # A student's check, from a folder that is not the course: the public graders only.
    submission = tmp_path / "alice"
    shutil.copytree(REPO / "solutions", submission)
    out = tmp_path / "public.json"
    proc = run([bin_dir / "aimath", "check", "--submission", submission, "--json", out],
               cwd=tmp_path, env=env)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    tests = results_of(out)
    assert points(tests) == PUBLIC_POINTS and not any(t["extra_data"]["hidden"] for t in tests)

    # Hidden tests are not in the package: asking for them without the course says where to look.
    proc = run([bin_dir / "aimath", "check", "lec01_vectors", "--submission", submission,
                "--hidden"], cwd=tmp_path, env=env)  # fmt: skip
    assert proc.returncode == 2 and "no hidden tests" in proc.stderr

    # The instructor points the installed package at the course repository.
    out = tmp_path / "all.json"
    proc = run([bin_dir / "aimath", "check", "lec01_vectors", "lec02_matrices", "--submission",
                submission, "--hidden", "--course", REPO, "--json", out], cwd=tmp_path, env=env)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    tests = results_of(out)
    assert any(t["extra_data"]["hidden"] for t in tests)
    assert sum(t["score"] for t in tests) == sum(t["max_score"] for t in tests) == 38 + 45

    # And grades a class with it.
    klass = tmp_path / "class"
    for student in ("ada", "bora"):
        shutil.copytree(REPO / "examples" / "class" / student, klass / student)
    proc = run([bin_dir / "aimath", "grade", klass, "--out", tmp_path / "results", "-j", "2",
                "--assignment", "lec01_vectors", "lec02_matrices", "--course", REPO],
               cwd=tmp_path, env=env)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    grades = (tmp_path / "results" / "grades.csv").read_text().splitlines()
    assert grades[1].startswith("Points Possible,38,") and grades[2].startswith("ada,38,45,")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "aimath-course"
    proc = run([sys.executable, "-m", "autograder.cli", "release", "--out", out], cwd=REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no leaks" in proc.stdout
    return out


def test_the_bundle_holds_what_students_need_and_nothing_secret(bundle):
    files = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    for name in ASSIGNMENTS:
        assert {f"assignments/{name}.py", f"assignments/{name}.ipynb",
                f"autograder/graders/{name}/test_public.py"} <= files  # fmt: skip
    assert {"README.md", "pyproject.toml", ".github/workflows/autograde.yml"} <= files
    assert not [f for f in files if f.startswith(("solutions/", "hidden/", "examples/", "tests/"))]
    assert not [f for f in files if "test_hidden" in f]
    # Hints' mistakes are the reference with one thing changed: they stay with the hidden graders.
    assert not [f for f in files if f.endswith("hints.py") and f != "autograder/hints.py"]
    # The messages of every language ship (package data: a pip-installed bundle reads them).
    assert {"autograder/locales/checks.toml", "autograder/locales/engine.toml"} <= files
    assert {f"autograder/graders/{name}/messages.toml" for name in ASSIGNMENTS} <= files
    readme = (bundle / "README.md").read_text()
    assert "설치" in readme and "Install" in readme and "--attempted-only" in readme
    workflow = (bundle / ".github" / "workflows" / "autograde.yml").read_text()
    assert "pip install ." in workflow and "aimath check" in workflow
    assert "--attempted-only" in workflow and "--junit" in workflow


def test_the_bundle_installs_from_its_git_repository_and_self_checks(bundle, tmp_path):
    # The course's repository for students is the bundle, committed.
    repo = tmp_path / "course.git"
    shutil.copytree(bundle, repo)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    must([*git, "init", "-q", "-b", "main"], cwd=repo)
    must([*git, "add", "-A"], cwd=repo)
    must([*git, "commit", "-q", "-m", "release"], cwd=repo)

    bin_dir = fresh_venv(tmp_path / "venv")
    env = clean_env(tmp_path)
    must([bin_dir / "python", "-m", "pip", "install", "-q", f"git+{repo.as_uri()}"],
         cwd=tmp_path, env=env)  # fmt: skip
    assert "aimath-course" in must([bin_dir / "aimath", "--version"], cwd=tmp_path, env=env).stdout

    # A student's clone: the stubs are not attempted; --attempted-only keeps CI green.
    clone = tmp_path / "clone"
    shutil.copytree(repo, clone, ignore=shutil.ignore_patterns(".git"))
    out = tmp_path / "stubs.json"
    proc = run([bin_dir / "aimath", "check", "--json", out], cwd=clone, env=env)
    assert proc.returncode == 1
    tests = results_of(out)
    assert tests and {t["extra_data"]["status"] for t in tests} == {"not_attempted"}
    proc = run([bin_dir / "aimath", "check", "--attempted-only"], cwd=clone, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr

    # The reference, as a student who finished: full public marks, with JUnit for CI.
    for name in ASSIGNMENTS:
        shutil.copy(REPO / "solutions" / f"{name}.py", clone / "assignments" / f"{name}.py")
    out, junit = tmp_path / "done.json", tmp_path / "junit.xml"
    proc = run([bin_dir / "aimath", "check", "--attempted-only", "--json", out, "--junit", junit],
               cwd=clone, env={**env, "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")})  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert points(results_of(out)) == PUBLIC_POINTS
    assert 'failures="0"' in junit.read_text()
    total = sum(PUBLIC_POINTS.values())
    assert f"{total}/{total}" in (tmp_path / "summary.md").read_text()


def test_the_bundle_installs_with_pip_install_dir(bundle, tmp_path):
    bin_dir = fresh_venv(tmp_path / "venv")
    env = clean_env(tmp_path)
    must([bin_dir / "python", "-m", "pip", "install", "-q", bundle], cwd=tmp_path, env=env)
    clone = tmp_path / "work"
    shutil.copytree(bundle, clone)
    shutil.copy(REPO / "solutions" / "lec01_vectors.py", clone / "assignments" / "lec01_vectors.py")
    out = tmp_path / "r.json"
    proc = run([bin_dir / "aimath", "check", "lec01_vectors", "lec02_matrices", "--json", out,
                "--lang", "ko"], cwd=clone, env=env)  # fmt: skip
    assert proc.returncode == 1  # lec02 is still the stub
    assert "합계" in proc.stdout and "아직 풀지 않음" in proc.stdout  # the installed catalogs
    tests = results_of(out)
    assert points(tests) == {"lec01_vectors": 25, "lec02_matrices": 0}
    lec02 = {
        t["extra_data"]["status"] for t in tests if t["extra_data"]["assignment"] != "lec01_vectors"
    }
    assert lec02 == {"not_attempted"}
