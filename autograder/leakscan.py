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
Lines that also occur in what students get on purpose (the stubs, the public graders and their
support modules) are not secret; the framework's own modules are scanned like anything else (a
docstring example once quoted a solution line), and neither are short or trivial lines (``else:``,
``return x``), which would match anywhere. Lines are compared without indentation, trailing
comments, whitespace (``x*y`` is ``x * y``) or the difference between ``'`` and ``"``; a line is
also found behind a comment mark, a markdown quote or list mark, a doctest prompt, inside
backticks, or as one statement of a ``;``-joined line.

Values count only when they are floats printed with at least ``MIN_SIGNIFICANT_DIGITS``
significant digits that a hidden value rounds to (``repr``, ``f"{x:.10g}"``, ``f"{x:.7g}"`` and
numpy's default ``array([-1.23456789])`` all match; six digits or fewer never do), which do not
occur by chance. Well-known numbers (``pi / 2``, ``sqrt(2)``, ``1 / 3``: small rational multiples
of pi, e or 1, and square roots of small rationals) are never hidden values, even when a hidden
test expects one.

Every file is read, whatever its name: text as UTF-8 (a BOM, UTF-16 and bytes that are not UTF-8
are dealt with), notebooks and other JSON also through their parsed strings (a cell's source is
JSON-escaped in the file), and any text also with its ``\\n``, ``\\"`` escapes undone (a string
literal holding code); zip files (wheels, nested zips, a zip appended to another file), tar files
(plain, gzip, bzip2, xz) member by member, and gzip, bzip2 or xz files, within size limits. A file
the scan cannot read is itself a finding.

Not seen (line matching is no parser): a solution line split over several lines, its names
renamed, or the code encoded (base64, hex, rot13, compressed inside a string); hidden values of
sympy expressions (``check_symbolic``) and of inputs seeded for other student ids.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import math
import re
import sys
import tarfile
import zipfile
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

MIN_LINE_CHARS = 20  # a shorter line is too common to be evidence of a leak
MIN_SIGNIFICANT_DIGITS = 7
VALUE_RTOL = 1e-9
WELL_KNOWN_RTOL = 1e-6  # twice the half unit of a 7-digit number: pi + 2e-8 prints as pi does
MAX_SCAN_BYTES = 256 * 1024 * 1024  # everything unpacked, in all
MAX_NESTING = 4
SCAN_STUDENTS = ("leak-scan-a", "leak-scan-b")

_FLOAT = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?\d+[eE][-+]?\d+")
_TRIVIAL = re.compile(r"^(?:[\w.]+\s*=\s*)?(?:np\.)?[\w.]+\([\w., =]*\)$|^[\w., ]+$")
# What may stand before a quoted line: comment marks, markdown quotes, list items, doctest prompts.
_PREFIX = re.compile(r"^(?:\s*(?:>>>|\.\.\.(?=\s|$)|#+|>+|[-*+](?=\s)|\d+[.)](?=\s)))+\s*")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_ESCAPE = re.compile(r"""\\(["'\\nrt])""")
_UNESCAPED = {"n": "\n", "r": "\n", "t": "\t", '"': '"', "'": "'", "\\": "\\"}
_BZ2_BLOCKS = (b"1AY&SY", b"\x17rE8P\x90")  # a bzip2 stream's first block: data, or end of stream
_COMPRESSED = {b"\x1f\x8b": gzip.open, b"BZh": bz2.open, b"\xfd7zXZ\x00": lzma.open}


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

    def value_of(self, x: float, half_unit: float = 0.0) -> float | None:
        """The hidden value that ``x`` matches, if any.

        A match is within VALUE_RTOL of ``x``, or within ``half_unit`` (half a unit of the last
        digit ``x`` was printed with: the hidden value rounds to ``x`` at that precision).
        """
        values = self.hidden_values
        tol = max(abs(x) * VALUE_RTOL, half_unit)
        i = bisect_left(values, x - tol)
        if i < len(values) and abs(values[i] - x) <= tol:
            return values[i]
        return None


def normalise(line: str) -> str:
    """A line without indentation, trailing comments or repeated spaces ('' if not significant)."""
    text = line.strip()
    if text.startswith("#"):
        return ""
    text = _strip_comment(text)
    if len(text) < MIN_LINE_CHARS:
        return ""
    text = re.sub(r"\s+", " ", text)
    if _TRIVIAL.match(text) and len(text) < 2 * MIN_LINE_CHARS:
        return ""
    return text


def _strip_comment(text: str) -> str:
    """``text`` without a trailing ``# comment`` (a ``#`` inside a string literal stays)."""
    if "#" not in text:
        return text
    quote = ""
    escaped = False
    for i, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#":
            return text[:i].rstrip()
    return text


def line_key(normalised: str) -> str:
    """What two lines must share to count as the same: no whitespace at all, one kind of quote."""
    return re.sub(r"\s+", "", normalised).replace("'", '"')


def is_well_known(x: float) -> bool:
    """True for numbers that occur by chance: p/q, p/q pi, p/q e, sqrt(p/q) with q <= 12, small p.

    Within WELL_KNOWN_RTOL, so that the angle of opposite vectors (pi, give or take the rounding of
    arccos near -1) is well known too: printed with 7 digits, it is pi.
    """
    if not math.isfinite(x) or x == 0:
        return False
    for base, square in ((1.0, False), (math.pi, False), (math.e, False), (1.0, True)):
        y = x * x if square else x / base
        for q in range(1, 13):
            p = round(y * q)
            if p and abs(p) <= 1000 and abs(y * q - p) <= WELL_KNOWN_RTOL * abs(y * q):
                return True
    return False


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
        public |= {line_key(n) for n in _lines(text)}
    found = Secrets(forbidden_files=("test_hidden.py",))
    for name in names:
        solution = Path(solutions_dir) / f"{name}.py"
        if solution.is_file():
            text = solution.read_text(encoding="utf-8")
            lines = text.splitlines()
            for block in find_solution_blocks(text, filename=str(solution)):
                for lineno in range(block.begin + 1, block.end):
                    n = normalise(lines[lineno - 1])
                    if n and line_key(n) not in public:
                        found.solution_lines.setdefault(n, f"solutions/{name}.py:{lineno}")
        for path in sorted((Path(hidden_dir) / name).glob("*.py")):
            for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                n = normalise(line)
                # a line that is a solution's too (a hint's mistake is the reference with one
                # thing changed) is told as the solution line it is
                if n and line_key(n) not in public and n not in found.solution_lines:
                    found.hidden_lines.setdefault(n, f"hidden/{name}/{path.name}:{lineno}")
    if secret:
        found.names[secret.decode("utf-8", "replace")] = "the instructor's secret"
    if record_values:
        recorded = record_hidden_values(names, solutions_dir=solutions_dir, hidden_dir=hidden_dir)
        found.hidden_values = sorted({x for x in recorded if not is_well_known(x)})
    return found


def record_hidden_values(
    assignments: list[str], *, solutions_dir: Path, hidden_dir: Path
) -> list[float]:
    """The distinctive floats that hidden tests expect, recorded on the reference solutions.

    The checks (``check_close`` and friends) are wrapped for the duration of the run so each
    ``expected`` value is kept; the hidden tests are run for SCAN_STUDENTS on the reference.
    Every module's reference to a check is swapped (a grader module imported by an earlier run
    holds the function itself, from ``from autograder.checks import check_close``), and swapped
    back afterwards, so the values are recorded however often this runs in one process.
    """
    from . import checks
    from .plugin import run_graders

    recorded: list[float] = []

    def recorder(original, position: int, keyword: str):
        def check(*args, **kwargs):
            value = args[position] if len(args) > position else kwargs.get(keyword)
            recorded.extend(_distinctive_floats(value))
            return original(*args, **kwargs)

        return check

    swaps = []
    for name, position, keyword in (
        ("check_close", 1, "expected"), ("check_equal", 1, "expected"),
        ("check_converged", 1, "point"), ("check_symbolic", 1, "expected"),
    ):  # fmt: skip
        original = getattr(checks, name)
        swaps.append((original, recorder(original, position, keyword)))
    _rebind_everywhere({id(old): (old, new) for old, new in swaps})
    try:
        for student in SCAN_STUDENTS:
            results = run_graders(
                Path(solutions_dir), assignments, hidden=True, student=student,
                solutions=Path(solutions_dir), hidden_tests=Path(hidden_dir),
                extra_args=("-m", "hidden"),
            )  # fmt: skip
            broken = [r for r in results if r.status != "passed"]
            if broken:  # the values would be missing: never scan with a partial list
                raise RuntimeError(
                    f"the hidden tests do not pass on the reference solutions, so their values "
                    f"cannot be recorded: {broken[0].number} {broken[0].name}: "
                    f"{broken[0].output[:500]}"
                )
    finally:
        _rebind_everywhere({id(new): (new, old) for old, new in swaps})
    return recorded


def _rebind_everywhere(replacements: dict[int, tuple[object, object]]) -> None:
    """In every loaded module, replace each global that is ``old`` by ``new``."""
    for module in list(sys.modules.values()):
        try:
            namespace = vars(module)
        except TypeError:
            continue
        for attribute, value in list(namespace.items()):
            swap = replacements.get(id(value))
            if swap is not None and swap[0] is value:
                namespace[attribute] = swap[1]


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
    scanner = _Scanner(secrets)
    leaks: list[Leak] = []
    paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    for path in paths:
        label = path.name if path == root else path.relative_to(root).as_posix()
        leaks += scanner.scan_bytes(label, path.read_bytes(), depth=0)
    return leaks


class _Scanner:
    """One scan: the secrets indexed by line key, and the bytes left to unpack (shared by all)."""

    def __init__(self, secrets: Secrets) -> None:
        self.secrets = secrets
        self.budget = MAX_SCAN_BYTES
        self.lines: dict[str, list[tuple[str, str]]] = {}
        for kind, table in (
            ("solution line", secrets.solution_lines),
            ("hidden-test line", secrets.hidden_lines),
        ):
            for line, origin in table.items():
                self.lines.setdefault(line_key(line), []).append((kind, origin))

    def scan_bytes(self, label: str, data: bytes, *, depth: int) -> list[Leak]:
        self.budget -= len(data)
        if self.budget < 0:
            return [Leak(label, "not scanned", f"more than {MAX_SCAN_BYTES} bytes to scan in all")]
        leaks = []
        base = label.rsplit("!/", 1)[-1].rsplit("/", 1)[-1]
        if base in self.secrets.forbidden_files:
            leaks.append(Leak(label, "hidden grader file", base))
        if data[:4] == b"PK\x03\x04" or label.endswith((".zip", ".whl")):
            return leaks + self._scan_zip(label, data, depth=depth)
        compressed = _compression(data)
        if (
            compressed is not None
            or data[257:262] == b"ustar"
            or label.endswith((".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz"))
        ):
            return leaks + self._scan_tar(label, data, compressed, depth=depth)
        leaks += self._scan_file_text(label, data)
        if _is_zip(data):  # a zip appended to something else (a self-extracting or polyglot file)
            leaks += self._scan_zip(label, data, depth=depth, quiet=True)
        return leaks

    def _scan_file_text(self, label: str, data: bytes) -> list[Leak]:
        texts = []
        for text in _decodings(data):
            texts.append(text)
            if label.endswith((".ipynb", ".json")) or text.lstrip().startswith(("{", "[")):
                try:
                    texts += list(_json_strings(json.loads(text)))
                except (ValueError, RecursionError):
                    pass
        leaks = []
        seen: set[tuple[str, str]] = set()
        for t in texts:
            # Bytes that are not text (bad UTF-8, tar padding) end a line rather than hide one.
            t = t.replace("\ufffd", "\n").replace("\x00", "\n")
            variants = [t, _ESCAPE.sub(lambda m: _UNESCAPED[m[1]], t)] if "\\" in t else [t]
            for variant in variants:
                for finding in self._scan_text(variant):
                    if finding not in seen:
                        seen.add(finding)
                        leaks.append(Leak(label, *finding))
        return leaks

    def _scan_text(self, text: str) -> Iterator[tuple[str, str]]:
        secrets = self.secrets
        for line in text.splitlines():
            for candidate in _candidates(line):
                n = normalise(candidate)
                for kind, origin in self.lines.get(line_key(n), ()) if n else ():
                    yield kind, f"{n!r} (from {origin})"
        for needle, what in secrets.names.items():
            if needle and needle in text:
                yield what, "found in the file"
        if secrets.hidden_values:
            for match in _FLOAT.finditer(text):
                try:
                    x = float(match.group())
                except ValueError:
                    continue
                if is_distinctive(x) and secrets.value_of(x, _half_unit(match.group())) is not None:
                    yield "hidden test's expected value", match.group()

    def _scan_zip(self, label: str, data: bytes, *, depth: int, quiet: bool = False) -> list[Leak]:
        if depth >= MAX_NESTING:
            return [Leak(label, "not scanned", "archives nested too deeply")]
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                leaks = []
                for info in zf.infolist():
                    if info.is_dir():
                        continue
                    name = f"{label}!/{info.filename}"
                    if info.file_size > self.budget:
                        return leaks + [Leak(name, "not scanned", "too large")]
                    leaks += self.scan_bytes(name, zf.read(info), depth=depth + 1)
                return leaks
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, OSError) as exc:
            if quiet:
                return []
            return [Leak(label, "not scanned", f"an archive that cannot be read ({exc})")]

    def _scan_tar(self, label: str, data: bytes, compressed, *, depth: int) -> list[Leak]:
        if depth >= MAX_NESTING:
            return [Leak(label, "not scanned", "archives nested too deeply")]
        try:
            with tarfile.open(fileobj=io.BytesIO(data)) as tf:
                leaks = []
                for info in tf:
                    if not info.isfile():
                        continue
                    name = f"{label}!/{info.name}"
                    if info.size > self.budget:
                        return leaks + [Leak(name, "not scanned", "too large")]
                    member = tf.extractfile(info).read()
                    leaks += self.scan_bytes(name, member, depth=depth + 1)
                return leaks
        except (tarfile.TarError, EOFError, OSError, lzma.LZMAError) as exc:
            if compressed is None or not isinstance(exc, tarfile.ReadError):
                return [Leak(label, "not scanned", f"an archive that cannot be read ({exc})")]
        # A compressed file that is not a tar (notes.py.gz): scan what it decompresses to.
        try:
            with compressed(io.BytesIO(data)) as f:
                member = f.read(max(self.budget, 0) + 1)
        except (EOFError, OSError, lzma.LZMAError, ValueError) as exc:
            return [Leak(label, "not scanned", f"a compressed file that cannot be read ({exc})")]
        inner = re.sub(r"\.(?:gz|bz2|xz)$", "", label.rsplit("/", 1)[-1]) or "data"
        return self.scan_bytes(f"{label}!/{inner}", member, depth=depth + 1)


def _candidates(line: str) -> Iterator[str]:
    """The line, and what it may quote: behind a comment or markdown mark, in backticks, after ;."""
    yield line
    stripped = _PREFIX.sub("", line, count=1)
    if stripped != line:
        yield stripped
    if "`" in line:
        for match in _CODE_SPAN.finditer(line):
            yield match[2]
    if ";" in stripped:
        yield from stripped.split(";")


def _compression(data: bytes):
    """The ``open`` of gzip, bz2 or lzma if ``data`` starts like a file it compressed, else None."""
    if data[:3] == b"BZh" and not (data[3:4].isdigit() and data[4:10] in _BZ2_BLOCKS):
        return None  # text that happens to start with "BZh"
    return next((c for magic, c in _COMPRESSED.items() if data.startswith(magic)), None)


def _decodings(data: bytes) -> list[str]:
    """The text of ``data`` as UTF-8 (BOM dropped), and as UTF-16 when it looks like it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-32" if data.startswith(b"\xff\xfe\x00\x00") else "utf-16"
        return [data.decode(encoding, errors="replace")]
    if data.startswith(b"\x00\x00\xfe\xff"):
        return [data.decode("utf-32", errors="replace")]
    texts = [data.decode("utf-8-sig", errors="replace")]
    if len(data) >= 4 and data.count(0) * 4 > len(data):  # UTF-16 without a BOM (or binary)
        texts += [data.decode(e, errors="replace") for e in ("utf-16-le", "utf-16-be")]
    return texts


def _half_unit(number: str) -> float:
    """Half a unit of the last digit ``number`` is written with (``"1.25e-3"`` -> 0.5e-5)."""
    mantissa, _, exponent = number.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 0.5 * 10.0 ** (int(exponent or 0) - decimals)


def _is_zip(data: bytes) -> bool:
    if b"PK\x05\x06" not in data[-(1 << 16) - 22 :]:
        return False
    return zipfile.is_zipfile(io.BytesIO(data))


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
