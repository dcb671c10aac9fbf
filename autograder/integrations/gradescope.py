"""Gradescope: the autograder zip (setup.sh, run_autograder) and the results.json it writes.

    >>> build_bundle(["lec01_vectors"], Path("autograder.zip"))      # the instructor, once
    >>> run_autograder(Path("/autograder"))                          # Gradescope, per submission
    0

``aimath gradescope bundle ASSIGNMENT... --out autograder.zip`` writes the zip that an instructor
uploads to a Gradescope programming assignment. It is instructor-side: it holds the framework
(``package/``), the chosen assignments' reference solutions and hidden graders (``course/``) and a
secret derived from the instructor's (``secret``: HMAC-SHA256 of the instructor's secret, so the
instructor's own never leaves the machine). Gradescope unpacks it into ``/autograder/source``, runs
``setup.sh`` once (a virtual environment with the package), then ``run_autograder`` for every
submission, which calls :func:`run_autograder`: it finds the assignment files in
``/autograder/submission`` (.py, .ipynb, in folders or in a zip), grades them with ``run_graders``
(every submission runs only in sandboxed workers, as with ``aimath check``) and writes
``/autograder/results/results.json``, always, even when the grader breaks.

The results follow Gradescope's documented format (https://gradescope-autograders.readthedocs.io/
en/latest/specs/): top-level ``score``, ``execution_time``, ``output`` and ``tests`` (name, number,
score, max_score, status, output, tags, visibility, extra_data). Deliberately: every output is
plain ``text`` (a submission's printed text is never read as HTML or Markdown),
``stdout_visibility`` is ``hidden`` (run_autograder's stdout is for the instructor), there is no
leaderboard (grades are not a ranking), a test's execution time is in its ``extra_data``, and
hidden tests are ``after_published`` (or ``hidden``, ``after_due_date``: configurable) with their
output withheld unless the bundle was built with ``reveal_hidden``, since it holds the hidden
inputs and the reference's values.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import json
import os
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..course import (
    ASSIGNMENTS,
    PACKAGE_DIR,
    SUBMISSION_SUFFIXES,
    default_hidden_dir,
    default_solutions_dir,
)
from ..intake import (
    MAX_FILE_BYTES,
    SubmissionRejected,
    SubmittedFile,
    prefers_notebook,
    read_zip,
)
from ..results import TestResult, to_gradescope

CONFIG_FILE = "aimath_gradescope.json"
SECRET_FILE = "secret"
VENV_DIR = "aimath-venv"
HIDDEN_VISIBILITIES = ("after_published", "after_due_date", "hidden")
DEFAULT_HIDDEN_VISIBILITY = "after_published"
MAX_DEPTH = 3
"""How many folders deep the assignment files are looked for below /autograder/submission (a
zipped folder, or a repository whose files are in ``assignments/``)."""
ZIP_DATE = (2020, 1, 1, 0, 0, 0)  # every member's time stamp: the same inputs give the same zip
BROKE = "The autograder itself broke (not your fault; your instructor can see why): "
NOTHING_FOUND = "No assignment file was found in your submission (expected {expected})."

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu): a virtual
# environment with the aimath framework and its dependencies. Written by `aimath gradescope bundle`.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends python3 python3-pip python3-venv
python3 -m venv /autograder/{venv}
/autograder/{venv}/bin/pip install --upgrade pip
/autograder/{venv}/bin/pip install /autograder/source/package
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for every submission: aimath grades /autograder/submission (public and
# hidden tests; the submission runs only in sandboxed workers) and writes
# /autograder/results/results.json. Written by `aimath gradescope bundle`.
# AIMATH_GRADESCOPE_ROOT and AIMATH_PYTHON stand in for /autograder and its Python in tests.
set -u
root="${{AIMATH_GRADESCOPE_ROOT:-/autograder}}"
python="${{AIMATH_PYTHON:-$root/{venv}/bin/python}}"
export PYTHONPATH="$root/source/package"
export AIMATH_COURSE="$root/source/course"
export AIMATH_CONFIG_DIR="$root/aimath-config"
AIMATH_SECRET="$(cat "$root/source/{secret}")"
export AIMATH_SECRET
cd "$root"
exec "$python" -m autograder.cli gradescope run --root "$root"
"""

BUNDLE_README = """\
# aimath autograder for Gradescope (instructor-side: do not hand this out)

Upload this zip as the autograder of a Gradescope programming assignment. It holds the reference
solutions and hidden graders of: {assignments}. Students submit their files ({files}, or a zip
of them); each submission is graded by `run_autograder` in sandboxed workers. Hidden tests are
`{visibility}` on Gradescope{reveal}. Made by `aimath gradescope bundle` ({version}).
"""

PYPROJECT = """\
[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "aimath-autograder"
version = "{version}"
description = "The aimath autograder, as installed in a Gradescope autograder image."
readme = "README.md"
requires-python = ">=3.10"
dependencies = [
{dependencies}
]

[project.scripts]
aimath = "autograder.cli:main"

[tool.setuptools.packages.find]
include = ["autograder*"]

[tool.setuptools.package-data]
"autograder" = ["py.typed", "graders/pytest.ini", "graders/stubs.json", "graders/*/messages.toml", "templates/*", "locales/*.toml"]
"""


class BundleError(ValueError):
    """The Gradescope bundle cannot be made (an unknown assignment, no hidden graders...)."""


@dataclass(frozen=True)
class BundleConfig:
    """What run_autograder needs to know, kept in the zip as aimath_gradescope.json."""

    assignments: tuple[str, ...]
    hidden_visibility: str = DEFAULT_HIDDEN_VISIBILITY
    reveal_hidden: bool = False
    version: str = ""

    def to_json(self) -> str:
        data = dataclasses.asdict(self)
        data["assignments"] = list(self.assignments)
        return json.dumps(data, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> BundleConfig:
        data = json.loads(text)
        names = tuple(str(a) for a in data["assignments"])
        unknown = [a for a in names if a not in ASSIGNMENTS]
        if not names or unknown:
            raise ValueError(f"{CONFIG_FILE} names no assignment or unknown ones: {unknown}")
        visibility = str(data.get("hidden_visibility", DEFAULT_HIDDEN_VISIBILITY))
        if visibility not in HIDDEN_VISIBILITIES:
            raise ValueError(f"{CONFIG_FILE}: unknown hidden_visibility {visibility!r}")
        return cls(names, visibility, bool(data.get("reveal_hidden")), str(data.get("version")))


@dataclass
class BundleReport:
    """What build_bundle wrote: the zip, its members and its size."""

    out: Path
    members: list[str] = field(default_factory=list)
    size_bytes: int = 0


# -- the instructor's side: the zip ------------------------------------------------------------
def bundle_secret(secret: bytes) -> str:
    """The secret a bundle carries: derived from the instructor's, which it does not reveal."""
    return hmac.new(secret, b"aimath gradescope bundle", hashlib.sha256).hexdigest()


def build_bundle(
    assignments: list[str],
    out: Path,
    *,
    hidden_visibility: str = DEFAULT_HIDDEN_VISIBILITY,
    reveal_hidden: bool = False,
    solutions_dir: Path | None = None,
    hidden_dir: Path | None = None,
    secret: bytes | None = None,
) -> BundleReport:
    """Write Gradescope's autograder zip for ``assignments`` to ``out``.

    Raises:
        BundleError: an unknown assignment, a missing reference solution or hidden grader, or an
            unknown visibility.
    """
    from ..bundle import _SKIP, DEPENDENCIES, framework_version
    from ..seeds import instructor_secret

    names = list(dict.fromkeys(assignments))
    unknown = [a for a in names if a not in ASSIGNMENTS]
    if not names or unknown:
        raise BundleError(
            f"give known assignments (unknown: {', '.join(unknown) or 'none given'}; "
            f"known: {', '.join(ASSIGNMENTS)})"
        )
    if hidden_visibility not in HIDDEN_VISIBILITIES:
        raise BundleError(f"hidden tests' visibility must be one of {HIDDEN_VISIBILITIES}")
    solutions_dir = Path(solutions_dir or default_solutions_dir())
    hidden_dir = Path(hidden_dir or default_hidden_dir())
    version = framework_version()
    members: dict[str, bytes] = {}
    for name in names:
        solution = solutions_dir / f"{name}.py"
        if not solution.is_file():
            raise BundleError(f"no reference solution at {solution} (give --course)")
        members[f"course/solutions/{name}.py"] = solution.read_bytes()
        graders = sorted((hidden_dir / name).glob("*.py"))
        if not any(p.name.startswith("test_") for p in graders):
            raise BundleError(f"no hidden graders in {hidden_dir / name} (give --course)")
        for path in graders:
            members[f"course/hidden/{name}/{path.name}"] = path.read_bytes()
    with tempfile.TemporaryDirectory(prefix="aimath-gradescope-") as tmp:
        copy = Path(tmp) / "autograder"
        shutil.copytree(PACKAGE_DIR, copy, ignore=_SKIP)
        for path in sorted(copy.rglob("*")):
            if path.is_file():
                members[f"package/autograder/{path.relative_to(copy).as_posix()}"] = (
                    path.read_bytes()
                )
    dependencies = "\n".join(f'    "{d}",' for d in DEPENDENCIES)
    members["package/pyproject.toml"] = PYPROJECT.format(
        version=version, dependencies=dependencies
    ).encode()
    members["package/README.md"] = b"The aimath autograder (installed by setup.sh).\n"
    config = BundleConfig(tuple(names), hidden_visibility, reveal_hidden, version)
    members[CONFIG_FILE] = config.to_json().encode()
    members[SECRET_FILE] = (bundle_secret(secret or instructor_secret()) + "\n").encode()
    members["setup.sh"] = SETUP_SH.format(venv=VENV_DIR).encode()
    members["run_autograder"] = RUN_AUTOGRADER.format(venv=VENV_DIR, secret=SECRET_FILE).encode()
    files = ", ".join(f"{a}.py or {a}.ipynb" for a in names)
    reveal = ", with their output" if reveal_hidden else ", their output withheld"
    members["README.md"] = BUNDLE_README.format(
        assignments=", ".join(names), files=files, visibility=hidden_visibility, reveal=reveal,
        version=version,
    ).encode()  # fmt: skip

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    modes = {"setup.sh": 0o755, "run_autograder": 0o755, SECRET_FILE: 0o600}
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in sorted(members):
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                info.external_attr = (0o100000 | modes.get(name, 0o644)) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, members[name])
        os.chmod(partial, 0o600)  # it holds solutions, hidden graders and a secret
        os.replace(partial, out)
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return BundleReport(out=out, members=sorted(members), size_bytes=out.stat().st_size)


# -- Gradescope's side: one submission ---------------------------------------------------------
@dataclass
class CollectedSubmission:
    """The assignment files found in /autograder/submission, notes on them, or why none could be."""

    files: dict[str, SubmittedFile] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    problem: str | None = None


def collect_submission(folder: Path, assignments: list[str]) -> CollectedSubmission:
    """Find each assignment's file in a Gradescope submission folder, read into memory.

    ``<assignment>.py`` or ``.ipynb`` at the top or in folders below it (the shallowest copy; the
    .py unless it is still the untouched stub), else in a zip file of the submission (read with
    intake's safe reader, never extracted). With a single assignment, a lone .py or .ipynb of
    another name is graded as that assignment's file. Symbolic links are never followed.
    """
    found = CollectedSubmission()
    plain: list[tuple[int, str, Path]] = []
    zips: list[tuple[int, str, Path]] = []
    for depth, path in _walk(Path(folder)):
        if path.suffix.lower() == ".zip":
            zips.append((depth, path.as_posix(), path))
        elif path.suffix in SUBMISSION_SUFFIXES:
            plain.append((depth, path.as_posix(), path))
    plain.sort()
    for assignment in assignments:
        copies = {
            s: [p for _, _, p in plain if p.name == f"{assignment}{s}"] for s in SUBMISSION_SUFFIXES
        }
        chosen = _choose(assignment, copies, found.notes)
        if chosen is not None:
            found.files[assignment] = chosen
    if not found.files and zips:
        zips.sort()
        depth, _, path = zips[0]
        try:
            found.files = read_zip(path, assignments)
        except SubmissionRejected as exc:
            found.problem = str(exc)
            return found
        if len(zips) > 1:
            found.notes.append(f"{path.name} was graded; other zip files were ignored.")
    if not found.files and len(assignments) == 1 and len(plain) == 1:
        (assignment,) = assignments
        _, _, path = plain[0]
        data = _read_capped(path, found)
        if data is not None:
            filename = f"{assignment}{path.suffix}"
            found.files[assignment] = SubmittedFile(assignment, filename, data)
            found.notes.append(f"{path.name} was graded as {filename}.")
    if not found.files and found.problem is None:
        expected = " or ".join(f"{a}.py, {a}.ipynb" for a in assignments)
        found.problem = NOTHING_FOUND.format(expected=expected)
    return found


def _walk(folder: Path) -> list[tuple[int, Path]]:
    """Regular files below ``folder`` (up to MAX_DEPTH folders down), no links, no dot files."""
    files = []
    stack = [(folder, 0)]
    while stack:
        current, depth = stack.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith((".", "_")) or entry.is_symlink():
                continue
            if entry.is_dir(follow_symlinks=False) and depth < MAX_DEPTH:
                stack.append((Path(entry.path), depth + 1))
            elif entry.is_file(follow_symlinks=False):
                files.append((depth, Path(entry.path)))
    return files


def _choose(
    assignment: str, copies: dict[str, list[Path]], notes: list[str]
) -> SubmittedFile | None:
    """The shallowest copy of an assignment's file; the .py first unless it is the stub."""
    py, nb = copies.get(".py") or [], copies.get(".ipynb") or []
    for paths in (py, nb):
        if len(paths) > 1:
            notes.append(
                f"{len(paths)} copies of {paths[0].name} were handed in; the one in "
                f"{paths[0].parent.name or 'the top folder'} was graded."
            )
    if not py and not nb:
        return None
    found = CollectedSubmission()
    if py and nb and len(py[0].parts) == len(nb[0].parts):
        py_data, nb_data = _read_capped(py[0], found), _read_capped(nb[0], found)
        notes.extend(found.notes)
        if py_data is None or nb_data is None:
            return None
        if prefers_notebook(assignment, py_data, nb_data):
            notes.append(f"{nb[0].name} was graded: {py[0].name} is still the untouched stub.")
            return SubmittedFile(assignment, nb[0].name, nb_data)
        notes.append(f"Both {py[0].name} and {nb[0].name} were handed in: {py[0].name} was graded.")
        return SubmittedFile(assignment, py[0].name, py_data)
    path = min([*py[:1], *nb[:1]], key=lambda p: len(p.parts))
    data = _read_capped(path, found)
    notes.extend(found.notes)
    return None if data is None else SubmittedFile(assignment, path.name, data)


def _read_capped(path: Path, found: CollectedSubmission) -> bytes | None:
    with open(path, "rb") as f:
        data = f.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        found.notes.append(f"{path.name} is larger than {MAX_FILE_BYTES // 2**20} MiB: not graded.")
        return None
    return data


def student_id(root: Path) -> str:
    """The student's id from Gradescope's submission_metadata.json (seeds the random inputs)."""
    try:
        data = json.loads((Path(root) / "submission_metadata.json").read_text(encoding="utf-8"))
        users = data.get("users") or []
        user = users[0] if users and isinstance(users[0], dict) else {}
        ident = user.get("id") or user.get("email") or data.get("id")
    except (OSError, ValueError, AttributeError):
        ident = None
    return f"gradescope-{ident}" if ident not in (None, "") else "gradescope"


def gradescope_results(
    results: list[TestResult],
    config: BundleConfig,
    *,
    notes: list[str] = (),
    problem: str | None = None,
    submitted: set[str] | None = None,
    execution_time: float = 0.0,
) -> dict[str, Any]:
    """Gradescope's results.json for one submission: hidden tests with the bundle's visibility
    and, unless it reveals them, without their output."""
    from ..student_page import hidden_summary

    shown = [
        dataclasses.replace(
            r,
            visibility=config.hidden_visibility if r.hidden else "visible",
            output=hidden_summary(r)
            if r.hidden and r.output and not config.reveal_hidden
            else r.output,
        )
        for r in results
    ]
    lines = [f"Your submission could not be graded: {problem}"] if problem else []
    for assignment in config.assignments:
        mine = [r for r in results if r.assignment == assignment]
        public = [r for r in mine if not r.hidden]
        missing = submitted is not None and assignment not in submitted
        lines.append(
            f"{assignment}: {sum(r.score for r in mine):g}/{sum(r.max_score for r in mine):g} "
            f"points ({sum(r.score for r in public):g}/{sum(r.max_score for r in public):g} in "
            f"the public tests; {len(mine) - len(public)} hidden tests)"
            + (": not submitted" if missing else "")
        )
    lines += [f"note: {n}" for n in notes]
    data = to_gradescope(shown, execution_time=execution_time, output="\n".join(lines))
    for test in data["tests"]:
        test["extra_data"]["execution_time"] = test.pop("execution_time")
    data["output_format"] = "text"
    data["test_output_format"] = "text"
    data["test_name_format"] = "text"
    data["visibility"] = "visible"
    data["stdout_visibility"] = "hidden"
    data["extra_data"] = {"aimath": config.version, "assignments": list(config.assignments)}
    return data


def broken_results(config: BundleConfig | None, reason: str, execution_time: float) -> dict:
    """The results.json of a run where the grader itself broke: no score, and why."""
    return {
        "score": 0.0,
        "execution_time": round(execution_time, 3),
        "output": BROKE + reason,
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [],
        "extra_data": {"aimath": config.version if config else "", "grader_error": reason},
    }


def run_autograder(root: Path = Path("/autograder")) -> int:
    """Grade /autograder/submission and write /autograder/results/results.json (Gradescope's run).

    Returns 0 when the submission was graded (whatever its score) and 1 when the grader broke
    (results.json then says so, with no score).
    """
    from ..plugin import run_graders
    from ..sandbox.process import protections_off

    root = Path(root)
    started = time.monotonic()
    config: BundleConfig | None = None
    status = 0
    try:
        config = BundleConfig.from_json((root / "source" / CONFIG_FILE).read_text("utf-8"))
        names = list(config.assignments)
        found = collect_submission(root / "submission", names)
        student = student_id(root)
        print(f"aimath {config.version} ({PACKAGE_DIR}) grading {student}: {', '.join(names)}")
        off = protections_off()
        if off:
            print(f"Sandbox: these protections are off here: {'; '.join(off)}")
        with tempfile.TemporaryDirectory(prefix="aimath-gradescope-") as tmp:
            folder = Path(tmp) / "submission"
            folder.mkdir()
            for submitted in found.files.values():
                (folder / submitted.filename).write_bytes(submitted.data)
            file_notes: dict[str, list[str]] = {}
            results = run_graders(folder, names, hidden=True, student=student, notes=file_notes)
            prefixes = {f"{folder}{os.sep}", f"{folder.resolve()}{os.sep}"}
            results = [_strip(r, prefixes) for r in results]
        notes = found.notes + [f"{a}: {n}" for a, ns in file_notes.items() for n in ns]
        data = gradescope_results(
            results, config, notes=notes, problem=found.problem, submitted=set(found.files),
            execution_time=time.monotonic() - started,
        )  # fmt: skip
        broke = [r for r in results if r.status == "error"]
        if broke:
            status = 1
            print(f"{len(broke)} tests broke; first {broke[0].name}: {broke[0].output}")
        print(f"{student}: {data['score']:g}/{sum(r.max_score for r in results):g} points")
    except Exception as exc:  # a results file is always written, saying whose fault it was
        status = 1
        reason = f"{type(exc).__name__}: {exc}"
        print(reason)
        data = broken_results(config, reason, time.monotonic() - started)
    write_results(root / "results" / "results.json", data)
    return status


def _strip(result: TestResult, prefixes: set[str]) -> TestResult:
    output = result.output
    for prefix in prefixes:
        output = output.replace(prefix, "")
    return result if output == result.output else dataclasses.replace(result, output=output)


def write_results(path: Path, data: dict) -> None:
    """Write results.json atomically (a submission that wrote one first is overwritten)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(partial, path)


def member_names(zip_path: Path) -> list[str]:
    """The members of a bundle (for reports and tests)."""
    with zipfile.ZipFile(zip_path) as zf:
        return [PurePosixPath(i.filename).as_posix() for i in zf.infolist()]
