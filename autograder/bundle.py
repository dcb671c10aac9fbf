"""The student bundle: what a class receives, proven free of solutions and hidden tests.

    >>> report = release_course(Path("release/aimath-course"))
    >>> report.leaks
    []

``aimath release --out DIR`` writes DIR, an installable project (``pip install DIR``, or from a
git repository made of it) that holds:

- ``assignments/``: the stubs (.py) and notebooks (.ipynb) of every assignment, as ``aimath build``
  generates them (the build must be up to date);
- ``autograder/``: the framework with the public graders only (hidden graders live in the course
  repository's ``hidden/``, never in a package);
- ``README.md``: the student guide, in Korean and English;
- ``pyproject.toml`` (the distribution ``aimath-course``, with the ``aimath`` command);
- ``.github/workflows/autograde.yml``: the self-check on every push (``--attempted-only``).

The bundle is written next to DIR, scanned (``autograder.leakscan``: every file, zips and
notebooks' JSON included) and moved into place only when the scan finds nothing; otherwise
nothing is left and ReleaseError lists every leak.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .course import ASSIGNMENTS, PACKAGE_DIR, default_hidden_dir, default_solutions_dir
from .leakscan import Leak, Secrets, course_secrets, scan
from .release import ReleaseError, build_assignments

DISTRIBUTION = "aimath-course"
TEMPLATES = PACKAGE_DIR / "templates"
# The framework's runtime dependencies (tests check they equal pyproject.toml's).
DEPENDENCIES = (
    "numpy>=1.24",
    "sympy>=1.12",
    "pytest>=7.4",
    "nbformat>=5.9",
    "rich>=13",
    "matplotlib>=3.7",
    "jinja2>=3.1",
    "tomli>=2.0; python_version < '3.11'",
)
NOTEBOOK_EXTRA = ("nbclient>=0.8", "ipykernel>=6.20")
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo", "test_hidden*.py", ".*")

PYPROJECT = """\
[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
version = "{version}"
description = "AI Math assignments with their self-check (aimath check); no solutions or hidden tests inside."
readme = "README.md"
requires-python = ">=3.10"
dependencies = [
{dependencies}
]

[project.optional-dependencies]
# Jupyter on your own computer (Colab has it already).
notebook = [
{notebook}
]

[project.scripts]
aimath = "autograder.cli:main"

[tool.setuptools.packages.find]
include = ["autograder*"]

[tool.setuptools.package-data]
"autograder" = ["py.typed", "graders/pytest.ini", "graders/stubs.json", "graders/*/messages.toml", "templates/*", "locales/*.toml"]
"""


@dataclass
class ReleaseReport:
    """What ``release_course`` wrote: the bundle's folder, its files (relative) and total size."""

    out: Path
    files: list[str] = field(default_factory=list)
    size_bytes: int = 0
    leaks: list[Leak] = field(default_factory=list)
    secrets: Secrets | None = None


def framework_version() -> str:
    """This framework's version (the installed distribution's, else pyproject.toml's)."""
    from importlib.metadata import PackageNotFoundError, version

    for name in ("aimath-autograder", DISTRIBUTION):
        try:
            return version(name)
        except PackageNotFoundError:
            continue
    return "0.0.0"


def release_course(
    out: Path,
    *,
    solutions_dir: Path | None = None,
    hidden_dir: Path | None = None,
    assignments_dir: Path | None = None,
    force: bool = False,
) -> ReleaseReport:
    """Write the student bundle to ``out``, scan it, and keep it only if it leaks nothing.

    Raises:
        ReleaseError: the stubs or notebooks are out of date, ``out`` exists and is not empty
            (without ``force``), or the scan found leaks (each one listed).
    """
    from .course import course_dir

    out = Path(out).resolve()
    solutions_dir = Path(solutions_dir or default_solutions_dir())
    hidden_dir = Path(hidden_dir or default_hidden_dir())
    assignments_dir = Path(assignments_dir or course_dir() / "assignments")
    if not solutions_dir.is_dir():
        raise ReleaseError(f"no solutions folder at {solutions_dir} (give --solutions or --course)")
    build = build_assignments(solutions_dir, assignments_dir, check=True)
    if build.has_drift:
        stale = ", ".join(p.name for p in [*build.drifted, *build.missing])
        raise ReleaseError(f"{assignments_dir} is not up to date ({stale}): run `aimath build`")
    if out.exists() and any(out.iterdir()) and not force:
        raise ReleaseError(f"{out} exists and is not empty (use --force to replace it)")

    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        _write_bundle(staging, assignments_dir)
        public = [p.read_text(encoding="utf-8") for p in _public_sources(assignments_dir)]
        try:
            secrets = course_secrets(
                solutions_dir, hidden_dir, public_texts=public, secret=_secret(strict=True)
            )
        except (RuntimeError, ValueError) as exc:
            raise ReleaseError(f"the leak scan cannot run: {exc}") from None
        leaks = scan(staging, secrets)
        if leaks:
            listed = "\n".join(f"  - {leak}" for leak in leaks[:50])
            more = f"\n  ... and {len(leaks) - 50} more" if len(leaks) > 50 else ""
            raise ReleaseError(
                f"the student bundle would leak {len(leaks)} secrets; nothing was written:\n"
                f"{listed}{more}"
            )
        if out.exists():
            shutil.rmtree(out)
        os.replace(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    size = sum((out / f).stat().st_size for f in files)
    return ReleaseReport(out=out, files=files, size_bytes=size, leaks=[], secrets=secrets)


def scan_release(
    target: Path, *, solutions_dir: Path | None = None, hidden_dir: Path | None = None
) -> list[Leak]:
    """Scan any folder, zip or file that students would get (``aimath release --scan PATH``)."""
    from .course import course_dir

    solutions_dir = Path(solutions_dir or default_solutions_dir())
    hidden_dir = Path(hidden_dir or default_hidden_dir())
    public = [p.read_text(encoding="utf-8") for p in _public_sources(course_dir() / "assignments")]
    secrets = course_secrets(solutions_dir, hidden_dir, public_texts=public, secret=_secret())
    return scan(Path(target), secrets)


def _secret(*, strict: bool = False) -> bytes | None:
    """The instructor's secret, if there is one; ``strict``: created if missing, errors raised."""
    from .seeds import instructor_secret

    if strict:
        return instructor_secret()
    try:
        return instructor_secret(create=False)
    except (LookupError, ValueError, OSError):
        return None


def _public_sources(assignments_dir: Path) -> list[Path]:
    """What students get on purpose: the stubs and the public graders (with their support)."""
    stubs = sorted(Path(assignments_dir).glob("lec*.py"))
    graders = sorted(p for p in (PACKAGE_DIR / "graders").rglob("*.py") if "hidden" not in p.name)
    return stubs + graders


def _write_bundle(root: Path, assignments_dir: Path) -> None:
    shutil.copytree(PACKAGE_DIR, root / "autograder", ignore=_SKIP)
    (root / "assignments").mkdir()
    for name in ASSIGNMENTS:
        for suffix in (".py", ".ipynb"):
            source = Path(assignments_dir) / f"{name}{suffix}"
            if source.is_file():
                shutil.copy2(source, root / "assignments" / source.name)
    version = framework_version()
    table = "\n".join(
        f"| `{a.name}` | {a.title} | `assignments/{a.name}.py`, `assignments/{a.name}.ipynb` |"
        for a in ASSIGNMENTS.values()
        if (Path(assignments_dir) / f"{a.name}.py").is_file()
    )
    assignments = "| assignment | lecture | files |\n| --- | --- | --- |\n" + table
    readme = (TEMPLATES / "README.md").read_text(encoding="utf-8")
    readme = readme.replace("{assignments}", assignments).replace("{version}", version)
    (root / "README.md").write_text(readme, encoding="utf-8")
    (root / "pyproject.toml").write_text(
        PYPROJECT.format(
            name=DISTRIBUTION, version=version,
            dependencies="\n".join(f'    "{d}",' for d in DEPENDENCIES),
            notebook="\n".join(f'    "{d}",' for d in NOTEBOOK_EXTRA),
        ),
        encoding="utf-8",
    )  # fmt: skip
    workflows = root / ".github" / "workflows"
    workflows.mkdir(parents=True)
    shutil.copy2(TEMPLATES / "autograde.yml", workflows / "autograde.yml")
    shutil.copy2(TEMPLATES / "gitignore", root / ".gitignore")
