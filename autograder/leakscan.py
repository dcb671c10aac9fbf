"""The leak scan: prove that nothing a student receives holds a solution, a hidden test or its values.

    >>> secrets = course_secrets(Path("solutions"), Path("hidden"))
    >>> scan(Path("release/aimath-course"), secrets)
    []

What counts as secret, taken from the instructor's course folder:
- **solution lines**: every line inside a ``BEGIN SOLUTION`` / ``END SOLUTION`` block;
- **hidden-test lines**: every line of the hidden graders (``hidden/<assignment>/*.py``);
- **hidden values**: the expected values the hidden tests compare with, recorded by running them on
  the reference solutions for a few student ids (so fixed and seeded inputs are both covered);
- **names**: the hidden graders' file names, and the instructor's secret that seeds hidden inputs.
Lines that also occur in what students legitimately get (the stubs, the public graders and their
support modules, the framework) are not secret, and neither are short or trivial lines (``else:``,
``return x``), which would match anywhere. Values count only when they are floats with at least
``MIN_SIGNIFICANT_DIGITS`` significant digits, which do not occur by chance.

Every file is read, whatever its name: text as UTF-8, notebooks and other JSON also through their
parsed strings (a cell's source is JSON-escaped in the file), zip files (wheels, sdists' zips,
nested zips) member by member, within size limits. A file the scan cannot read is itself a finding.
"""

from __future__ import annotations

import io
import json
import math
import re
import tarfile
import zipfile
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

MIN_LINE_CHARS = 20  # a shorter line is too common to be evidence of a leak
MIN_SIGNIFICANT_DIGITS = 7
VALUE_RTOL = 1e-9
MAX_SCAN_BYTES = 256 * 1024 * 1024  # everything unpacked, in all
MAX_NESTING = 4
SCAN_STUDENTS = ("leak-scan-a", "leak-scan-b")

_FLOAT = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?\d+[eE][-+]?\d+")
_TRIVIAL = re.compile(r"^(?:[\w.]+\s*=\s*)?(?:np\.)?[\w.]+\([\w., =]*\)$|^[\w., ]+$")


@dataclass(frozen=True)
class Leak:
    """One finding: where, what kind of secret, and the evidence (the line or value found)."""

    path: str
    kind: str
    evidence: str

    def __str__(self) -> str:
        return f"{self.path}: {self.kind}: {self.evidence}"


@dataclass
class Secrets:
    """What must never reach a student, as the scan looks for it."""

    solution_lines: dict[str, str] = field(default_factory=dict)  # normalised -> where from
    hidden_lines: dict[str, str] = field(default_factory=dict)
    hidden_values: list[float] = field(default_factory=list)  # sorted
    names: dict[str, str] = field(default_factory=dict)  # substring -> what it is
    forbidden_files: tuple[str, ...] = ()

    def value_of(self, x: float) -> float | None:
        """The hidden value that ``x`` matches (within VALUE_RTOL), if any."""
        values = self.hidden_values
        i = bisect_left(values, x - abs(x) * VALUE_RTOL)
        if i < len(values) and abs(values[i] - x) <= abs(x) * VALUE_RTOL:
            return values[i]
        return None


def normalise(line: str) -> str:
    """A line without indentation, trailing comments or repeated spaces ('' if not significant)."""
    text = line.strip()
    if text.startswith("#") or len(text) < MIN_LINE_CHARS:
        return ""
    text = re.sub(r"\s+", " ", text)
    if _TRIVIAL.match(text) and len(text) < 2 * MIN_LINE_CHARS:
        return ""
    return text


def _lines(text: str) -> set[str]:
    return {n for n in map(normalise, text.splitlines()) if n}


def course_secrets(
    solutions_dir: Path,
    hidden_dir: Path,
    *,
    public_texts: Iterable[str] = (),
    assignments: Iterable[str] | None = None,
    record_values: bool = True,
    secret: bytes | None = None,
) -> Secrets:
    """Collect the secrets of a course: solution lines, hidden-test lines and values, names.

    ``public_texts`` are texts students legitimately get (stubs, public graders, the framework):
    lines that occur in them are not secret.
    """
    from .course import ASSIGNMENTS
    from .release import find_solution_blocks

    names = list(assignments or ASSIGNMENTS)
    public: set[str] = set()
    for text in public_texts:
        public |= _lines(text)
    found = Secrets(forbidden_files=("test_hidden.py",))
    for name in names:
        solution = Path(solutions_dir) / f"{name}.py"
        if solution.is_file():
            text = solution.read_text(encoding="utf-8")
            lines = text.splitlines()
            for block in find_solution_blocks(text, filename=str(solution)):
                for lineno in range(block.begin + 1, block.end):
                    n = normalise(lines[lineno - 1])
                    if n and n not in public:
                        found.solution_lines.setdefault(n, f"solutions/{name}.py:{lineno}")
        for path in sorted((Path(hidden_dir) / name).glob("*.py")):
            for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                n = normalise(line)
                if n and n not in public:
                    found.hidden_lines.setdefault(n, f"hidden/{name}/{path.name}:{lineno}")
    if secret:
        found.names[secret.decode("utf-8", "replace")] = "the instructor's secret"
    if record_values:
        found.hidden_values = sorted(
            set(record_hidden_values(names, solutions_dir=solutions_dir, hidden_dir=hidden_dir))
        )
    return found


def record_hidden_values(
    assignments: list[str], *, solutions_dir: Path, hidden_dir: Path
) -> list[float]:
    """The distinctive floats that hidden tests expect, recorded on the reference solutions.

    The checks (``check_close`` and friends) are wrapped for the duration of the run so each
    ``expected`` value is kept; the hidden tests are run for SCAN_STUDENTS on the reference.
    """
    from . import checks
    from .plugin import run_graders

    recorded: list[float] = []
    wrapped = {}

    def recorder(original, position: int, keyword: str):
        def check(*args, **kwargs):
            value = args[position] if len(args) > position else kwargs.get(keyword)
            recorded.extend(_distinctive_floats(value))
            return original(*args, **kwargs)

        return check

    for name, position, keyword in (
        ("check_close", 1, "expected"), ("check_equal", 1, "expected"),
        ("check_converged", 1, "point"), ("check_symbolic", 1, "expected"),
    ):  # fmt: skip
        wrapped[name] = getattr(checks, name)
        setattr(checks, name, recorder(wrapped[name], position, keyword))
    try:
        for student in SCAN_STUDENTS:
            run_graders(
                Path(solutions_dir), assignments, hidden=True, student=student,
                solutions=Path(solutions_dir), hidden_tests=Path(hidden_dir),
                extra_args=("-m", "hidden"),
            )  # fmt: skip
    finally:
        for name, original in wrapped.items():
            setattr(checks, name, original)
    return recorded


def _distinctive_floats(value: object) -> Iterator[float]:
    """Finite floats of ``value`` (numbers, arrays, nested lists/tuples) with many digits."""
    import numpy as np

    if isinstance(value, (list, tuple)):
        for v in value:
            yield from _distinctive_floats(v)
        return
    try:
        array = np.asarray(value)
    except Exception:  # noqa: BLE001 - sympy values and other objects: no floats to record
        return
    if array.dtype.kind == "c":
        array = np.concatenate([array.real.ravel(), array.imag.ravel()])
    if array.dtype.kind != "f":
        return
    for x in array.ravel()[:100_000].tolist():
        if is_distinctive(x):
            yield float(x)


def is_distinctive(x: float) -> bool:
    """True for a finite float with at least MIN_SIGNIFICANT_DIGITS significant digits."""
    if not math.isfinite(x) or x == 0:
        return False
    digits = repr(float(x)).lower().split("e")[0].lstrip("-").replace(".", "").strip("0")
    return len(digits) >= MIN_SIGNIFICANT_DIGITS


# -- scanning -------------------------------------------------------------------------------------
def scan(root: Path, secrets: Secrets) -> list[Leak]:
    """Every leak in a folder, zip, wheel or single file; an empty list means it is clean."""
    root = Path(root)
    budget = [MAX_SCAN_BYTES]
    leaks: list[Leak] = []
    paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    for path in paths:
        label = path.name if path == root else path.relative_to(root).as_posix()
        leaks += _scan_bytes(label, path.read_bytes(), secrets, budget, depth=0)
    return leaks


def _scan_bytes(
    label: str, data: bytes, secrets: Secrets, budget: list[int], *, depth: int
) -> list[Leak]:
    budget[0] -= len(data)
    if budget[0] < 0:
        return [Leak(label, "not scanned", f"more than {MAX_SCAN_BYTES} bytes to scan in all")]
    leaks = []
    base = label.rsplit("!/", 1)[-1].rsplit("/", 1)[-1]
    if base in secrets.forbidden_files:
        leaks.append(Leak(label, "hidden grader file", base))
    if data[:4] == b"PK\x03\x04" or label.endswith((".zip", ".whl")):
        return leaks + _scan_zip(label, data, secrets, budget, depth=depth)
    if data[:2] == b"\x1f\x8b" or label.endswith((".tar", ".tar.gz", ".tgz")):
        return leaks + _scan_tar(label, data, secrets, budget, depth=depth)
    text = data.decode("utf-8", errors="replace")
    texts = [text]
    if label.endswith((".ipynb", ".json")) or text.lstrip().startswith(("{", "[")):
        try:
            texts += list(_json_strings(json.loads(text)))
        except (ValueError, RecursionError):
            pass
    seen: set[tuple[str, str]] = set()
    for t in texts:
        for finding in _scan_text(t, secrets):
            if finding not in seen:
                seen.add(finding)
                leaks.append(Leak(label, *finding))
    return leaks


def _scan_text(text: str, secrets: Secrets) -> Iterator[tuple[str, str]]:
    for line in text.splitlines():
        n = normalise(line)
        if not n:
            continue
        if n in secrets.solution_lines:
            yield "solution line", f"{n!r} (from {secrets.solution_lines[n]})"
        if n in secrets.hidden_lines:
            yield "hidden-test line", f"{n!r} (from {secrets.hidden_lines[n]})"
    for needle, what in secrets.names.items():
        if needle and needle in text:
            yield what, "found in the file"
    if secrets.hidden_values:
        for match in _FLOAT.finditer(text):
            try:
                x = float(match.group())
            except ValueError:
                continue
            if is_distinctive(x) and secrets.value_of(x) is not None:
                yield "hidden test's expected value", match.group()


def _json_strings(value: object) -> Iterator[str]:
    """Every string in a parsed JSON document (keys too), and lists of strings joined (cells)."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            yield v
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            if v and all(isinstance(s, str) for s in v):
                yield "".join(v)
            stack.extend(v)


def _scan_zip(
    label: str, data: bytes, secrets: Secrets, budget: list[int], *, depth: int
) -> list[Leak]:
    if depth >= MAX_NESTING:
        return [Leak(label, "not scanned", "archives nested too deeply")]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            leaks = []
            for info in zf.infolist():
                if info.is_dir():
                    continue
                if info.file_size > budget[0]:
                    return leaks + [Leak(f"{label}!/{info.filename}", "not scanned", "too large")]
                member = zf.read(info)
                leaks += _scan_bytes(
                    f"{label}!/{info.filename}", member, secrets, budget, depth=depth + 1
                )
            return leaks
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, OSError) as exc:
        return [Leak(label, "not scanned", f"an archive that cannot be read ({exc})")]


def _scan_tar(
    label: str, data: bytes, secrets: Secrets, budget: list[int], *, depth: int
) -> list[Leak]:
    if depth >= MAX_NESTING:
        return [Leak(label, "not scanned", "archives nested too deeply")]
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as tf:
            leaks = []
            for info in tf.getmembers():
                if not info.isfile():
                    continue
                if info.size > budget[0]:
                    return leaks + [Leak(f"{label}!/{info.name}", "not scanned", "too large")]
                member = tf.extractfile(info).read()
                leaks += _scan_bytes(
                    f"{label}!/{info.name}", member, secrets, budget, depth=depth + 1
                )
            return leaks
    except (tarfile.TarError, EOFError, OSError) as exc:
        return [Leak(label, "not scanned", f"an archive that cannot be read ({exc})")]
