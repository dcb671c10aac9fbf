"""The class gradebook: SQLite in WAL mode, one transaction per student, written by one process.

    >>> book = Gradebook(Path("results/gradebook.sqlite"))
    >>> book.record_student("alice", source="class/alice", run_id=1, submissions=[...])
    >>> book.results("alice", "lec01_vectors")[0].status
    'passed'

Tables: ``students`` (id, where the submission came from, and why it was rejected, if it was),
``submissions`` (one row per student and assignment: the sha256 of the file, the grader version it
was graded with, the score, and ``status`` 'graded' or 'error' when the grader broke), ``results``
(one row per test) and ``runs``. A student's rows are replaced in a single transaction, so a killed
run leaves every student either fully recorded or untouched, never half or twice. ``submissions``
also records when each file was handed in (nbgrader's timestamp.txt, else the file's modification
time); ``deadlines`` holds the deadlines given to ``aimath grade --deadline``, and ``overrides``
the grades an instructor set by hand (``aimath override``), which regrading never touches.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import hashlib
import io
import json
import os
import sqlite3
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .course import ASSIGNMENTS, PACKAGE_DIR, default_hidden_dir, default_solutions_dir
from .results import TestResult

SCHEMA_VERSION = 1
SubmissionStatus = Literal["graded", "error"]
# Grades and feedback are for the instructor and each student alone: files are written 0600 in
# folders made 0700 (the gradebook's -wal and -shm files take the database file's mode).
PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700

# What decides a grade besides the submission: engine modules, the sandbox, the graders, the
# reference solution, and the assignment's catalog entry (its time limit and budgets).
ENGINE_FILES = (
    "arguments.py", "bounded.py", "checks.py", "course.py", "errors.py", "failures.py", "figures.py",
    "formatting.py", "hints.py", "i18n.py", "numerics.py",
    "plugin.py",
    "results.py", "seeds.py", "wire.py", "sandbox/__init__.py", "sandbox/cells.py", "sandbox/cgroup.py", "sandbox/process.py",
    "sandbox/protocols.py",
    "sandbox/worker.py", "graders/pytest.ini",
)  # fmt: skip
# Modules that do not take part in grading one submission (changing them regrades nothing).
NON_GRADING_FILES = (
    "__init__.py", "batch.py", "bundle.py", "cireport.py", "cli.py", "gradebook.py",
    "class_report.py", "student_page.py",
    "intake.py", "leakscan.py", "mutants.py", "notebooks.py", "release.py", "terminal.py",
    "selfcheck.py",
    "integrations/__init__.py", "integrations/gradescope.py", "integrations/lms.py",
    "integrations/nbgrader.py",
)  # fmt: skip

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    source TEXT NOT NULL,
    executor TEXT NOT NULL,
    jobs INTEGER NOT NULL,
    graded INTEGER,
    skipped INTEGER,
    errors INTEGER
);
CREATE TABLE IF NOT EXISTS students (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    problem TEXT,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    student TEXT NOT NULL REFERENCES students(id),
    assignment TEXT NOT NULL,
    filename TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    grader_version TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('graded', 'error')),
    message TEXT NOT NULL DEFAULT '',
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    n_tests INTEGER NOT NULL,
    n_errors INTEGER NOT NULL,
    duration_s REAL NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    graded_at TEXT NOT NULL,
    submitted_at TEXT,
    submitted_from TEXT NOT NULL DEFAULT '',
    UNIQUE (student, assignment)
);
CREATE TABLE IF NOT EXISTS results (
    submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    number TEXT NOT NULL,
    name TEXT NOT NULL,
    nodeid TEXT NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('passed', 'failed', 'not_attempted', 'error')),
    output TEXT NOT NULL,
    visibility TEXT NOT NULL,
    hidden INTEGER NOT NULL,
    tags TEXT NOT NULL,
    execution_time REAL NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (submission_id, position),
    UNIQUE (submission_id, number)
);
CREATE TABLE IF NOT EXISTS deadlines (assignment TEXT PRIMARY KEY, due_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS overrides (
    student TEXT NOT NULL,
    assignment TEXT NOT NULL,
    score REAL NOT NULL,
    reason TEXT NOT NULL,
    set_at TEXT NOT NULL,
    PRIMARY KEY (student, assignment)
);
"""
# Columns added to ``submissions`` after its first version: a gradebook without them gets them.
ADDED_COLUMNS = (("submitted_at", "TEXT"), ("submitted_from", "TEXT NOT NULL DEFAULT ''"))
# ... and to ``results``: ``detail`` is the failure as data and the figures (JSON, see failures.py).
ADDED_RESULT_COLUMNS = (("detail", "TEXT NOT NULL DEFAULT '{}'"),)
ALL_ASSIGNMENTS = "*"  # a deadline for every assignment without one of its own
POINTS_POSSIBLE = "Points Possible"  # grades.csv's row of maximum points (as Canvas names it)


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class SubmissionRecord:
    """One assignment of one student, graded (or not: ``status='error'``), ready to be stored."""

    assignment: str
    filename: str
    sha256: str
    grader_version: str
    results: list[TestResult] = field(default_factory=list)
    status: SubmissionStatus = "graded"
    message: str = ""
    duration_s: float = 0.0
    submitted_at: str | None = None  # ISO 8601, UTC
    submitted_from: str = ""  # where submitted_at comes from


@dataclass(frozen=True)
class StoredSubmission:
    """A row of ``submissions``: what was graded, with which graders, and how it went."""

    student: str
    assignment: str
    filename: str
    sha256: str
    grader_version: str
    status: SubmissionStatus
    message: str
    score: float
    max_score: float
    n_tests: int
    n_errors: int
    run_id: int
    graded_at: str
    submitted_at: str | None = None
    submitted_from: str = ""

    def is_current(self, sha256: str, grader_version: str) -> bool:
        """True when this row grades exactly these files with these graders, without grader errors."""
        return (
            self.sha256 == sha256
            and self.grader_version == grader_version
            and self.status == "graded"
            and self.n_errors == 0
        )


class Gradebook:
    """The SQLite gradebook of a class. Only the coordinating process opens it for writing."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        make_private_dir(self.path.parent)
        if not self.path.exists():  # created 0600: SQLite gives its -wal and -shm files that mode
            os.close(os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA foreign_keys=ON")
        with self.transaction():
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    self.db.execute(statement)
            have = {row[1] for row in self.db.execute("PRAGMA table_info(submissions)")}
            for column, kind in ADDED_COLUMNS:
                if column not in have:
                    self.db.execute(f"ALTER TABLE submissions ADD COLUMN {column} {kind}")
            have = {row[1] for row in self.db.execute("PRAGMA table_info(results)")}
            for column, kind in ADDED_RESULT_COLUMNS:
                if column not in have:
                    self.db.execute(f"ALTER TABLE results ADD COLUMN {column} {kind}")
            row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None:
                self.db.execute(
                    "INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
                )
            elif int(row[0]) != SCHEMA_VERSION:
                raise ValueError(
                    f"{self.path} has gradebook schema {row[0]}; this version reads {SCHEMA_VERSION}"
                )
        for suffix in ("", "-wal", "-shm"):  # a gradebook written by an older version: tighten
            make_private_file(Path(f"{self.path}{suffix}"))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> _Transaction:
        return _Transaction(self.db)

    # -- runs --------------------------------------------------------------------------------
    def start_run(self, *, source: str, executor: str, jobs: int) -> int:
        with self.transaction():
            cursor = self.db.execute(
                "INSERT INTO runs (started_at, source, executor, jobs) VALUES (?, ?, ?, ?)",
                (now(), source, executor, jobs),
            )
        return int(cursor.lastrowid)

    def finish_run(self, run_id: int, *, graded: int, skipped: int, errors: int) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE runs SET finished_at = ?, graded = ?, skipped = ?, errors = ? WHERE id = ?",
                (now(), graded, skipped, errors, run_id),
            )

    # -- writing -----------------------------------------------------------------------------
    def record_student(
        self,
        student: str,
        *,
        source: str,
        run_id: int,
        submissions: Iterable[SubmissionRecord] = (),
        remove: Iterable[str] = (),
        problem: str | None = None,
    ) -> None:
        """Store a student's graded submissions (replacing older rows) in one transaction.

        ``remove`` names assignments whose rows go (the file is no longer submitted); ``problem``
        says why the submission as a whole was rejected (None: it was not).
        """
        stamp = now()
        with self.transaction():
            self.db.execute(
                "INSERT INTO students (id, source, problem, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET source = excluded.source, "
                "problem = excluded.problem, updated_at = excluded.updated_at",
                (student, source, problem, stamp),
            )
            for assignment in remove:
                self._delete(student, assignment)
            for sub in submissions:
                self._delete(student, sub.assignment)
                cursor = self.db.execute(
                    "INSERT INTO submissions (student, assignment, filename, sha256, "
                    "grader_version, status, message, score, max_score, n_tests, n_errors, "
                    "duration_s, run_id, graded_at, submitted_at, submitted_from) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        student, sub.assignment, sub.filename, sub.sha256, sub.grader_version,
                        sub.status, sub.message, sum(r.score for r in sub.results),
                        sum(r.max_score for r in sub.results), len(sub.results),
                        sum(r.status == "error" for r in sub.results), sub.duration_s, run_id,
                        stamp, sub.submitted_at, sub.submitted_from,
                    ),
                )  # fmt: skip
                submission_id = cursor.lastrowid
                self.db.executemany(
                    "INSERT INTO results VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    [
                        (
                            submission_id, position, r.number, r.name, r.nodeid, r.score,
                            r.max_score, r.status, r.output, r.visibility, int(r.hidden),
                            json.dumps(list(r.tags)), r.execution_time, _detail_json(r),
                        )
                        for position, r in enumerate(sub.results)
                    ],
                )  # fmt: skip

    def _delete(self, student: str, assignment: str) -> None:
        self.db.execute(
            "DELETE FROM results WHERE submission_id IN "
            "(SELECT id FROM submissions WHERE student = ? AND assignment = ?)",
            (student, assignment),
        )
        self.db.execute(
            "DELETE FROM submissions WHERE student = ? AND assignment = ?", (student, assignment)
        )

    # -- reading -----------------------------------------------------------------------------
    def submissions(self, student: str | None = None) -> list[StoredSubmission]:
        """Stored submissions (of one student, or of everyone), by student then catalog order."""
        query = (
            "SELECT student, assignment, filename, sha256, grader_version, status, message, "
            "score, max_score, n_tests, n_errors, run_id, graded_at, submitted_at, "
            "submitted_from FROM submissions"
        )
        rows = (
            self.db.execute(query + " WHERE student = ?", (student,))
            if student is not None
            else self.db.execute(query)
        )
        subs = [StoredSubmission(*row) for row in rows]
        return sorted(subs, key=lambda s: (s.student, _catalog_index(s.assignment)))

    # -- deadlines and overrides -----------------------------------------------------------------
    def set_deadlines(self, deadlines: dict[str, str]) -> None:
        """Record deadlines (ISO 8601) by assignment (``ALL_ASSIGNMENTS``: every other one)."""
        with self.transaction():
            self.db.executemany(
                "INSERT INTO deadlines VALUES (?, ?) ON CONFLICT (assignment) "
                "DO UPDATE SET due_at = excluded.due_at",
                sorted(deadlines.items()),
            )

    def deadlines(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT assignment, due_at FROM deadlines ORDER BY assignment"))

    def set_override(self, student: str, assignment: str, score: float, *, reason: str) -> None:
        """Set a student's grade for an assignment by hand; regrading keeps it."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO overrides VALUES (?, ?, ?, ?, ?) ON CONFLICT (student, assignment) "
                "DO UPDATE SET score = excluded.score, reason = excluded.reason, "
                "set_at = excluded.set_at",
                (student, assignment, float(score), reason, now()),
            )

    def remove_override(self, student: str, assignment: str) -> bool:
        """Drop a hand-set grade (the graded score counts again); False if there was none."""
        with self.transaction():
            cursor = self.db.execute(
                "DELETE FROM overrides WHERE student = ? AND assignment = ?", (student, assignment)
            )
        return cursor.rowcount > 0

    def overrides(self) -> dict[tuple[str, str], Override]:
        rows = self.db.execute(
            "SELECT student, assignment, score, reason, set_at FROM overrides "
            "ORDER BY student, assignment"
        )
        return {(r[0], r[1]): Override(*r) for r in rows}

    def problem(self, student: str) -> str | None:
        row = self.db.execute("SELECT problem FROM students WHERE id = ?", (student,)).fetchone()
        return row[0] if row else None

    def students(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT id FROM students ORDER BY id")]

    def results(self, student: str, assignment: str | None = None) -> list[TestResult]:
        """The test results of a student (one assignment, or all in catalog order)."""
        query = (
            "SELECT s.assignment, r.number, r.name, r.nodeid, r.score, r.max_score, r.status, "
            "r.output, r.visibility, r.hidden, r.tags, r.execution_time, r.detail "
            "FROM results r JOIN submissions s ON r.submission_id = s.id WHERE s.student = ?"
        )
        params: tuple = (student,)
        if assignment is not None:
            query += " AND s.assignment = ?"
            params += (assignment,)
        rows = self.db.execute(query + " ORDER BY s.assignment, r.position", params).fetchall()
        results = [
            TestResult(
                name=name, number=number, score=score, max_score=max_score, status=status,
                assignment=a, output=output, visibility=visibility, hidden=bool(hidden),
                tags=tuple(json.loads(tags)), execution_time=execution_time, nodeid=nodeid,
                **_detail_fields(detail),
            )
            for a, number, name, nodeid, score, max_score, status, output, visibility, hidden,
            tags, execution_time, detail in rows
        ]  # fmt: skip
        return sorted(results, key=lambda r: _catalog_index(r.assignment))  # stable: keeps order


def _detail_json(r: TestResult) -> str:
    detail: dict = {}
    if r.failure:
        detail["failure"] = r.failure
    if r.figures:
        detail["figures"] = list(r.figures)
    return json.dumps(detail, ensure_ascii=False)


def _detail_fields(text: str) -> dict:
    try:
        detail = json.loads(text or "{}")
    except ValueError:
        return {}
    if not isinstance(detail, dict):
        return {}
    return {"failure": detail.get("failure") or None, "figures": tuple(detail.get("figures") or ())}


@dataclass(frozen=True)
class Override:
    """A grade an instructor set by hand, with the reason, kept across regrades."""

    student: str
    assignment: str
    score: float
    reason: str
    set_at: str


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (or ``ROLLBACK`` on an exception)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")


def _catalog_index(assignment: str) -> int:
    names = list(ASSIGNMENTS)
    return names.index(assignment) if assignment in names else len(names)


# -- grader version -----------------------------------------------------------------------------
# Files beside the graders that take no part in grading: the mutant probes' inputs.
NOT_GRADING = frozenset({"probes.py"})


def grader_version(
    assignment: str,
    *,
    timeout_s: float | None = None,
    test_budget_s: float | None = None,
    submission_budget_s: float | None = None,
    package_dir: Path = PACKAGE_DIR,
    solutions_dir: Path | None = None,
    hidden_dir: Path | None = None,
    secret: bytes | None = None,
) -> str:
    """sha256 over everything besides the submission that decides an assignment's grade.

    The engine (checks, plugin, wire format, sandbox...), the assignment's public and hidden
    graders, its reference solution, its catalog entry, the per-call time limit, per-test and
    per-submission time budgets in force (None: the catalog's) and the fingerprint of the
    instructor's secret (which seeds the hidden inputs; default: the secret in
    force, created if missing). A submission graded with an equal version and unchanged files need
    not be graded again.

        >>> len(grader_version("lec01_vectors"))
        64
    """
    package_dir = Path(package_dir)
    solutions_dir = Path(solutions_dir) if solutions_dir else default_solutions_dir()
    from .seeds import instructor_secret, secret_fingerprint

    graders = package_dir / "graders" / assignment
    hidden = Path(hidden_dir or default_hidden_dir()) / assignment
    files = [(name, package_dir / name) for name in ENGINE_FILES]
    files += [(f"graders/{assignment}/{p.name}", p) for p in sorted(graders.glob("*.py"))
              if p.name not in NOT_GRADING]  # fmt: skip
    files += [(f"hidden/{assignment}/{p.name}", p) for p in sorted(hidden.glob("*.py"))
              if p.name not in NOT_GRADING]  # fmt: skip
    files.append((f"solutions/{assignment}.py", solutions_dir / f"{assignment}.py"))
    digest = hashlib.sha256()
    for name, path in files:
        try:
            data = path.read_bytes()
        except OSError:
            data = b"\0missing"
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    entry = ASSIGNMENTS.get(assignment)
    digest.update(f"catalog\0{entry!r}\0timeout\0{timeout_s!r}".encode())
    digest.update(f"\0budgets\0{test_budget_s!r}\0{submission_budget_s!r}".encode())
    fingerprint = secret_fingerprint(secret if secret is not None else instructor_secret())
    digest.update(f"\0secret\0{fingerprint}".encode())
    return digest.hexdigest()


# -- grades.csv ---------------------------------------------------------------------------------
def grades_table(
    book: Gradebook, students: Iterable[str], assignments: Iterable[str] | None = None
) -> tuple[list[str], list[list[str]]]:
    """Header and rows of grades.csv: a student's score per assignment (empty: not submitted).

    The first row is ``Points Possible``: each assignment's maximum points (empty while nobody's
    submission of it is graded) and their total. A grade set by hand (an override) replaces the
    graded score. The last column, ``note``, tells an empty cell's two causes apart: a submission
    rejected as a whole says ``rejected: <why>`` (one not handed in says nothing).
    """
    columns = list(assignments or ASSIGNMENTS)
    subs = book.submissions()
    scores: dict[tuple[str, str], float] = {
        (s.student, s.assignment): s.score for s in subs if s.status == "graded"
    }
    scores.update({key: o.score for key, o in book.overrides().items()})
    maxima = max_points(subs)
    cells = [maxima.get(a) for a in columns]
    total = sum(c for c in cells if c is not None)
    rows = [[POINTS_POSSIBLE, *("" if c is None else f"{c:g}" for c in cells), f"{total:g}", ""]]
    for student in students:
        cells = [scores.get((student, a)) for a in columns]
        total = sum(c for c in cells if c is not None)
        problem = book.problem(student)
        note = _safe_cell(f"rejected: {' '.join(problem.split())}") if problem else ""
        rows.append(
            [_safe_cell(student), *("" if c is None else f"{c:g}" for c in cells), f"{total:g}",
             note]
        )  # fmt: skip
    return ["student", *columns, "total", "note"], rows


def max_points(subs: Iterable[StoredSubmission]) -> dict[str, float]:
    """Each assignment's maximum points, from its graded submissions (the latest graded)."""
    latest: dict[str, StoredSubmission] = {}
    for s in subs:
        if (
            s.status == "graded"
            and s.n_tests
            and (s.assignment not in latest or s.graded_at >= latest[s.assignment].graded_at)
        ):
            latest[s.assignment] = s
    return {a: s.max_score for a, s in latest.items()}


def write_grades_csv(
    book: Gradebook, path: Path, students: Iterable[str], assignments: Iterable[str] | None = None
) -> None:
    """grades.csv: the maximum points, then one row per student, in catalog order, then totals."""
    header, rows = grades_table(book, students, assignments)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    write_atomic(Path(path), buffer.getvalue())


def _safe_cell(text: str) -> str:
    """A spreadsheet must not read a student id like ``=HYPERLINK(...)`` as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that readers (and a killed run) see the old or the new text, never half.

    The file is private (mode 0600), whatever the umask and whatever the old file's mode was.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()  # left by a killed run of a process with this pid
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    with open(fd, "w", encoding="utf-8") as f:
        os.fchmod(f.fileno(), PRIVATE_FILE_MODE)
        f.write(text)
    os.replace(tmp, path)


def make_private_file(path: Path) -> None:
    """Make an existing file readable and writable by its owner alone (mode 0600)."""
    with contextlib.suppress(FileNotFoundError, PermissionError):  # not ours: its folder warns
        if stat.S_IMODE(path.stat().st_mode) != PRIVATE_FILE_MODE:
            path.chmod(PRIVATE_FILE_MODE)


def make_private_dir(path: Path) -> str | None:
    """Create ``path`` (and its parents) as a folder for its owner alone (mode 0700).

    An existing folder that others could read or enter is tightened to 0700; the returned
    warning says so (None: nothing to say). A folder that cannot be tightened (not ours) gives a
    warning too.
    """
    path = Path(path)
    if not path.is_dir():
        path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
        path.chmod(PRIVATE_DIR_MODE)  # mkdir's mode is cut by the umask: make it exact
        return None
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077 == 0:
        return None
    try:
        path.chmod(PRIVATE_DIR_MODE)
    except OSError as exc:
        return (
            f"{path} can be read by others (mode {mode:04o}) and could not be made private: "
            f"{exc.strerror}"
        )
    return (
        f"{path} could be read by others (mode {mode:04o}); it is now {PRIVATE_DIR_MODE:04o}: "
        "grades and feedback are private"
    )
