"""Intake: finding and reading submissions (student folders, zips, nbgrader's layout, notebooks).

    >>> entries, warnings = find_students(Path("examples/class"))
    >>> files = read_submission(entries[0], ["lec01_vectors"])
    >>> files["lec01_vectors"].filename
    'lec01_vectors.py'

A class folder holds one folder or zip file per student, named by the student id. A submission
holds any of the assignment files, ``<assignment>.py`` or ``<assignment>.ipynb``, at its top or in
nbgrader's ``<assignment>/`` subfolder (``submitted/<student>/<assignment>/<assignment>.ipynb``).
When both a .py and a .ipynb of an assignment are handed in, the .py is graded and the notes of
the file say so. Everything is read by this (trusted) process as bytes, within size limits; zip
files are read, never extracted as they are; notebooks are opened only by the sandboxed worker.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import hashlib
import json
import stat
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from .course import ASSIGNMENTS, STUB_MANIFEST, SUBMISSION_SUFFIXES
from .i18n import Note, msg

# Limits on what one student's submission may hold (zip files are checked before reading).
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_ZIP_MEMBERS = 1000
MAX_ZIP_TOTAL_BYTES = 64 * 1024 * 1024
TIMESTAMP_FILE = "timestamp.txt"  # nbgrader's submission time, in submitted/<student>/<assignment>/


class SubmissionRejected(ValueError):
    """A student's submission cannot be graded as handed in (a bad zip, a file far too large...)."""


@dataclass(frozen=True)
class StudentEntry:
    """One student's submission: a folder or a zip file in the class folder."""

    student: str
    path: Path
    kind: Literal["folder", "zip"]


@dataclass(frozen=True)
class SubmittedFile:
    """One assignment file of a submission, read into memory, with notes for the student."""

    assignment: str
    filename: str
    data: bytes
    notes: tuple[str, ...] = ()
    submitted_at: str | None = None  # ISO 8601 in UTC (see submission_time)
    submitted_from: str = ""  # "timestamp.txt", "file modification time" or "zip entry time"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


NAME_CUTOFF = 0.75
"""How alike (difflib's ratio) a file's name must be to an assignment's file name to be suggested
as a misnamed copy of it: 'lec1_vectors.py' is 0.97 like 'lec01_vectors.py', 'lec01_vector.ipynb'
0.97 like 'lec01_vectors.ipynb', while other lectures' names differ in more than a digit."""


def assignment_file_names() -> list[str]:
    """Every file name an assignment can be handed in as (``lec01_vectors.py``, ``.ipynb``...)."""
    return [f"{a}{suffix}" for a in ASSIGNMENTS for suffix in SUBMISSION_SUFFIXES]


def misnamed_file(names: list[str], assignment: str) -> str | None:
    """Of ``names`` (files a student handed in), the one that looks like ``assignment``'s file
    under a wrong name, or None: the closest of those that are no assignment's file name.

        >>> misnamed_file(["lec1_vectors.py", "notes.txt"], "lec01_vectors")
        'lec1_vectors.py'
    """
    valid = set(assignment_file_names())
    candidates = [n for n in names if Path(n).suffix.lower() in SUBMISSION_SUFFIXES
                  and n not in valid]  # fmt: skip
    best, best_ratio = None, NAME_CUTOFF
    for name in candidates:
        for suffix in SUBMISSION_SUFFIXES:
            ratio = difflib.SequenceMatcher(None, name.lower(), f"{assignment}{suffix}").ratio()
            if ratio > best_ratio or (ratio == best_ratio and best is None):
                best, best_ratio = name, ratio
    # The name must be closer to this assignment than to any other (lec01 vs lec10).
    if best is not None:
        closest = difflib.get_close_matches(best.lower(), sorted(valid), n=1, cutoff=0)
        if closest and not closest[0].startswith(f"{assignment}."):
            return None
    return best


def misnamed_note(found: str, assignment: str) -> str:
    """The note on a file handed in under a wrong name (a message, encoded as a line)."""
    return Note(
        msg("notes.misnamed", assignment=assignment, found=found,
            suffix=Path(found).suffix.lower())
    )  # fmt: skip


def _listing(folder: Path) -> list[str]:
    try:
        return sorted(p.name for p in folder.iterdir() if p.is_file() and not p.is_symlink())
    except OSError:
        return []


def find_students(folder: Path) -> tuple[list[StudentEntry], list[str]]:
    """The students in a class folder, sorted by id, and warnings about entries that were skipped.

    Folders and ``*.zip`` files are students; names starting with ``.`` or ``_`` (``__MACOSX``) are
    ignored, other files are skipped with a warning. When both ``alice/`` and ``alice.zip`` exist
    the folder is graded. A folder that holds assignment files itself is one student's submission,
    not a class: SubmissionRejected says so.
    """
    folder = Path(folder)
    entries: dict[str, StudentEntry] = {}
    warnings = []
    valid = set(assignment_file_names())
    own = [n for n in _listing(folder) if n in valid]
    if own:
        raise SubmissionRejected(
            f"{folder} holds {', '.join(own[:3])}{' ...' if len(own) > 3 else ''} itself: it "
            "looks like one student's submission, not a class folder (one folder or zip file per "
            f"student). Grade it with: aimath check --submission {folder} --hidden"
        )
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "_")):
            continue
        if path.is_file() and path.suffix.lower() != ".zip":
            warnings.append(
                f"{path.name} skipped: a class folder holds one folder or .zip file per student"
            )
            continue
        if path.is_dir():
            entries[path.name] = StudentEntry(path.name, path, "folder")
        elif path.is_file() and path.suffix.lower() == ".zip":
            student = path.name[: -len(".zip")]
            if (folder / student).is_dir():
                warnings.append(f"{path.name} ignored: the folder {student}/ is graded instead")
                continue
            entries[student] = StudentEntry(student, path, "zip")
    return [entries[s] for s in sorted(entries)], warnings


def read_submission(entry: StudentEntry, assignments: list[str]) -> dict[str, SubmittedFile]:
    """The assignment files a student handed in (only those of ``assignments``)."""
    if entry.kind == "zip":
        return read_zip(entry.path, assignments)
    files = {}
    for assignment in assignments:
        path, notes = find_assignment_file(entry.path, assignment)
        if path is not None:
            when, source = submission_time(entry.path, assignment, path)
            files[assignment] = SubmittedFile(
                assignment, path.name, _read_capped(path), tuple(notes), when, source
            )
    return files


def submission_time(folder: Path, assignment: str, path: Path) -> tuple[str | None, str]:
    """When a file was handed in, and how that is known: nbgrader's ``timestamp.txt`` (in the
    assignment's folder or the student's), else the file's modification time."""
    for candidate in (Path(folder) / assignment / TIMESTAMP_FILE, Path(folder) / TIMESTAMP_FILE):
        if candidate.is_file() and not candidate.is_symlink():
            with open(candidate, "rb") as f:
                when = parse_time(f.read(200).decode("utf-8", "replace"))
            if when is not None:
                return when, TIMESTAMP_FILE
    try:
        return _iso(path.stat().st_mtime), "file modification time"
    except OSError:
        return None, ""


def parse_time(text: str) -> str | None:
    """An ISO 8601 time in UTC from nbgrader's ``2026-03-01 12:00:00.000000 UTC``, an ISO time
    with an offset, or a local time without one; None if it is none of these."""
    text = text.strip()
    for suffix in (" UTC", "Z", " GMT"):
        if text.endswith(suffix):
            text = text[: -len(suffix)] + "+00:00"
    try:
        when = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.astimezone()  # a time without an offset is this computer's local time
    return when.astimezone(datetime.timezone.utc).isoformat(timespec="seconds")


def _zip_time(info: zipfile.ZipInfo) -> str | None:
    """A zip member's time stamp (zips store local time, without a time zone), in UTC."""
    try:
        return _iso(time.mktime((*info.date_time, 0, 0, -1)))
    except (OverflowError, ValueError):
        return None


def _iso(timestamp: float) -> str:
    when = datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc)
    return when.isoformat(timespec="seconds")


def find_assignment_file(folder: Path, assignment: str) -> tuple[Path | None, list[str]]:
    """The file of ``assignment`` in a submission folder, and notes about the choice.

    ``<a>.py`` before ``<a>.ipynb``; then nbgrader's ``<a>/<a>.py`` or ``<a>/<a>.ipynb``. A
    symbolic link is never taken (it could point at any file the grader may read).

        >>> find_assignment_file(Path("alice"), "lec01_vectors")
        (PosixPath('alice/lec01_vectors.py'), ['lec01_vectors.py was graded; ...'])
    """
    folder = Path(folder)
    root = folder.resolve()
    names = []
    for base in (folder, folder / assignment):
        found = []
        for suffix in SUBMISSION_SUFFIXES:
            path = base / f"{assignment}{suffix}"
            if path.is_symlink():
                continue
            if path.is_file() and path.resolve().is_relative_to(root):
                found.append(path)
        if len(found) == 2:
            py, nb = found
            if prefers_notebook(assignment, _head(py), _head(nb)):
                return nb, [_stub_note(py.name, nb.name)]
            return py, [_both_note(py.name, nb.name)]
        if found:
            return found[0], []
        names += _listing(base)
    found = misnamed_file(names, assignment)
    return None, ([misnamed_note(found, assignment)] if found else [])


def _head(path: Path) -> bytes:
    with open(path, "rb") as f:
        return f.read(MAX_FILE_BYTES + 1)


def prefers_notebook(assignment: str, py: bytes, notebook: bytes) -> bool:
    """True when the .py is still the untouched stub and the notebook is not: grade the notebook.

    The course's bundle ships both files; a student who works in the notebook leaves the .py as
    it was generated (``autograder/graders/stubs.json`` has the sha256 of both stubs).
    """
    stubs = _stub_hashes().get(assignment, {})

    def digest(data: bytes) -> str:
        return hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest()

    return bool(stubs) and digest(py) == stubs.get("py") and digest(notebook) != stubs.get("ipynb")


@functools.cache
def _stub_hashes() -> dict[str, dict[str, str]]:
    try:
        data = json.loads(STUB_MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _stub_note(stub: str, graded: str) -> str:
    return Note(msg("notes.stub_and_notebook", stub=stub, graded=graded))


def _both_note(graded: str, ignored: str) -> str:
    return Note(msg("notes.both", graded=graded, ignored=ignored))


def _read_capped(path: Path) -> bytes:
    with open(path, "rb") as f:
        data = f.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise SubmissionRejected(f"{path.name} is larger than {MAX_FILE_BYTES // 2**20} MiB")
    return data


def read_zip(path: Path, assignments: list[str]) -> dict[str, SubmittedFile]:
    """Read a student's zip file safely: only its assignment files, into memory, within limits.

    The whole zip is rejected (SubmissionRejected with a message for the student) when it is not a
    readable zip, holds an absolute path, a ``..`` component or a symbolic link, has more than
    MAX_ZIP_MEMBERS entries, declares more than MAX_ZIP_TOTAL_BYTES in all or an assignment file
    larger than MAX_FILE_BYTES (checked again while reading, whatever the zip declares).
    Assignment files may sit in subfolders (a zipped folder); the shallowest copy is graded.
    """
    name = Path(path).name
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                raise SubmissionRejected(
                    f"{name} holds {len(infos)} files; at most {MAX_ZIP_MEMBERS} are accepted"
                )
            if sum(i.file_size for i in infos) > MAX_ZIP_TOTAL_BYTES:
                raise SubmissionRejected(
                    f"{name} unpacks to more than {MAX_ZIP_TOTAL_BYTES // 2**20} MiB"
                )
            wanted, alternates = _zip_candidates(name, infos, assignments)
            files = {}
            for assignment, info in wanted.items():
                data = _read_member(zf, info, name)
                filename = PurePosixPath(info.filename.replace("\\", "/")).name
                notes: tuple[str, ...] = ()
                other = alternates.get(assignment)
                if other is not None:
                    other_data = _read_member(zf, other, name)
                    other_name = PurePosixPath(other.filename.replace("\\", "/")).name
                    if prefers_notebook(assignment, data, other_data):
                        notes = (_stub_note(filename, other_name),)
                        data, filename, info = other_data, other_name, other
                    else:
                        notes = (_both_note(filename, other_name),)
                when = _zip_time(info)
                files[assignment] = SubmittedFile(
                    assignment, filename, data, notes, when, "zip entry time"
                )
            return files
    except SubmissionRejected:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise SubmissionRejected(f"{name} is not a readable zip file ({exc})") from None
    except (RuntimeError, NotImplementedError) as exc:  # encrypted, unknown compression
        raise SubmissionRejected(f"{name} could not be unpacked ({exc})") from None
    except OSError as exc:
        raise SubmissionRejected(f"{name} could not be read ({exc.strerror or exc})") from None


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """A member's bytes, checked against MAX_FILE_BYTES before and while reading."""
    too_large = f"{info.filename} in {name} is larger than {MAX_FILE_BYTES // 2**20} MiB"
    if info.file_size > MAX_FILE_BYTES:
        raise SubmissionRejected(too_large)
    with zf.open(info) as member:
        data = member.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise SubmissionRejected(too_large)
    return data


def _zip_candidates(
    name: str, infos: list[zipfile.ZipInfo], assignments: list[str]
) -> tuple[dict[str, zipfile.ZipInfo], dict[str, zipfile.ZipInfo]]:
    """Check every member's path; pick each assignment's file (shallowest, then .py first).

    Also returns, per assignment whose .py was picked, the .ipynb found at the same depth.
    """
    targets = {f"{a}{s}": (a, i) for a in assignments for i, s in enumerate(SUBMISSION_SUFFIXES)}
    best: dict[str, tuple[tuple[int, int], zipfile.ZipInfo]] = {}
    for info in infos:
        member = info.filename.replace("\\", "/")
        parts = PurePosixPath(member).parts
        if member.startswith("/") or (len(member) > 1 and member[1] == ":"):
            raise SubmissionRejected(f"{name} holds a file with an absolute path: {member!r}")
        if ".." in parts:
            raise SubmissionRejected(f"{name} holds a path that leaves its folder: {member!r}")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise SubmissionRejected(f"{name} holds a symbolic link: {member!r}")
        if info.is_dir() or not parts or any(p.startswith("__MACOSX") for p in parts):
            continue
        target = targets.get(parts[-1])
        if target is None:
            continue
        assignment, preference = target
        rank = (len(parts), preference)
        if assignment in best and best[assignment][0] == rank:
            other = best[assignment][1].filename
            raise SubmissionRejected(
                f"{name} holds two copies of {parts[-1]} ({other!r} and {member!r}); "
                "keep only the one to be graded"
            )
        if assignment not in best or rank < best[assignment][0]:
            best[assignment] = (rank, info)
    chosen = {a: best[a][1] for a in assignments if a in best}
    alternates: dict[str, zipfile.ZipInfo] = {}
    for assignment in chosen:
        depth, preference = best[assignment][0]
        for other in infos:
            parts = PurePosixPath(other.filename.replace("\\", "/")).parts
            target = targets.get(parts[-1]) if parts and not other.is_dir() else None
            if (
                preference == 0 and target is not None and target[0] == assignment
                and target[1] == 1 and len(parts) == depth
                and not any(p.startswith("__MACOSX") for p in parts)
            ):  # fmt: skip
                alternates[assignment] = other
    return chosen, alternates
