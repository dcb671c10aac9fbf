"""Grade a whole class: find the students' submissions, grade them in parallel, keep the gradebook.

    >>> run = grade_class(Path("examples/class"), out_dir=Path("results"), jobs=2)
    >>> run.exit_status
    0

SUBMISSIONS holds one folder per student (its name is the student id) or one zip file per student,
with any of the assignment files (``lec01_vectors.py`` or ``.ipynb``; also nbgrader's
``<student>/<assignment>/<assignment>.ipynb``). The coordinating process (this one) reads the files,
skips students whose files and graders are unchanged since they were last graded, and sends each
remaining student to a pool process (``-j``) or a Dask worker as a JSON text holding the file
contents. There :func:`grade_payload` writes them into a fresh folder and runs the graders (the
submission itself runs only in sandboxed workers) and answers with JSON text: plain records, never
pickled objects. Only the coordinator writes the gradebook, one transaction per student.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import itertools
import json
import os
import signal
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .course import ASSIGNMENTS, SUBMISSION_SUFFIXES
from .gradebook import (
    PRIVATE_FILE_MODE,
    Gradebook,
    SubmissionRecord,
    grader_version,
    make_private_dir,
    write_grades_csv,
)
from .i18n import Note, decode_note, encode_note
from .intake import (  # noqa: F401 - re-exported: intake moved out of this module
    MAX_FILE_BYTES,
    MAX_ZIP_MEMBERS,
    MAX_ZIP_TOTAL_BYTES,
    StudentEntry,
    SubmissionRejected,
    SubmittedFile,
    find_assignment_file,
    find_students,
    read_submission,
    read_zip,
)
from .results import TestResult, from_dict

SCHEDULER_TIMEOUT_S = 15
MAX_TASK_ATTEMPTS = 2  # a student whose grading process died is tried once more
THREAD_LIMITS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")

Executor = Literal["local", "dask"]


class UsageError(ValueError):
    """The instructor's request cannot be carried out (no such folder, a busy output folder...)."""


# -- the task: one student, graded in a pool process or on a Dask worker ------------------------
def make_payload(
    student: str,
    files: dict[str, SubmittedFile],
    *,
    timeout_s: float | None = None,
    test_budget_s: float | None = None,
    submission_budget_s: float | None = None,
) -> str:
    """The JSON text sent to a grading process: the student's id and files, and the options."""
    return json.dumps(
        {
            "student": student,
            "files": {
                a: {"filename": f.filename, "data": base64.b64encode(f.data).decode("ascii")}
                for a, f in files.items()
            },
            "timeout_s": timeout_s,
            "test_budget_s": test_budget_s,
            "submission_budget_s": submission_budget_s,
        }
    )


def grade_payload(payload: str) -> str:
    """Grade one student (in a grading process): JSON text in, JSON text of plain records out.

    The answer has ``student``, ``versions`` (the grader version of every assignment, as seen
    here), and either ``results`` (one dict per test, see ``results.as_dict``) and ``duration_s``,
    or ``error``: the graders could not run at all.
    """
    from .plugin import run_graders
    from .results import as_dict

    task = json.loads(payload)
    student = task["student"]
    limits = {
        "timeout_s": task.get("timeout_s"),
        "test_budget_s": task.get("test_budget_s"),
        "submission_budget_s": task.get("submission_budget_s"),
    }
    assignments = [a for a in ASSIGNMENTS if a in task["files"]]
    answer: dict = {
        "student": student,
        "versions": {a: grader_version(a, **limits) for a in assignments},
    }
    start = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="aimath-grade-") as tmp:
            folder = Path(tmp) / "submission"
            folder.mkdir()
            for assignment in assignments:
                entry = task["files"][assignment]
                filename = entry["filename"]
                if filename not in {f"{assignment}{s}" for s in SUBMISSION_SUFFIXES}:
                    raise ValueError(f"unexpected file name {filename!r} for {assignment}")
                (folder / filename).write_bytes(base64.b64decode(entry["data"]))
            notes: dict[str, list[str]] = {}
            results = run_graders(
                folder, assignments, hidden=True, student=student, notes=notes, **limits
            )
            answer["notes"] = {a: [encode_note(n) for n in ns] for a, ns in notes.items()}
            # The scratch folder's name is random: keep it out of feedback (warnings name files).
            prefixes = {f"{folder}{os.sep}", f"{folder.resolve()}{os.sep}"}
            answer["results"] = [as_dict(_strip(r, prefixes)) for r in results]
    except Exception as exc:  # the grader's fault: reported, never raised across processes
        answer["error"] = f"{type(exc).__name__}: {exc}"
    answer["duration_s"] = time.monotonic() - start
    return json.dumps(answer)


def _strip(result: TestResult, prefixes: set[str]) -> TestResult:
    output = result.output
    for prefix in prefixes:
        output = output.replace(prefix, "")
    return result if output == result.output else dataclasses.replace(result, output=output)


# -- executors ----------------------------------------------------------------------------------
@dataclass
class Task:
    """A student to grade, as the coordinator sees it."""

    student: str
    source: str
    files: dict[str, SubmittedFile]
    remove: list[str]
    payload: str
    attempts: int = 0


Outcome = tuple[Task, "str | BaseException"]


def run_local(
    tasks: Iterator[Task], *, jobs: int, fn: Callable[[str], str] = grade_payload
) -> Iterator[Outcome]:
    """Grade tasks in ``jobs`` pool processes (spawned: no state inherited from this process).

    ``fn`` (importable by name) runs each task's payload there. A task whose pool process died is
    tried once more in a new pool (so are the others that were running, which the death broke),
    alone, so that a task that kills its process again cannot take an innocent one with it.
    """
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    for name in THREAD_LIMITS:  # one BLAS thread per pool process: -j is the parallelism
        os.environ.setdefault(name, "1")
    context = multiprocessing.get_context("spawn")
    retry: list[Task] = []

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=jobs, mp_context=context, initializer=_init_pool_process,
            initargs=(os.getpid(),),
        )  # fmt: skip

    pool = new_pool()
    pending: dict = {}
    finished = False
    try:
        while True:
            while len(pending) < 2 * jobs:
                if retry and pending:  # a task tried again runs alone: a crash is then its own
                    break
                task = retry.pop() if retry else next(tasks, None)
                if task is None:
                    break
                task.attempts += 1
                pending[pool.submit(fn, task.payload)] = task
                if task.attempts > 1:
                    break
            if not pending:
                finished = True
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                task = pending.pop(future)
                try:
                    yield task, future.result()
                except BrokenProcessPool as exc:
                    broken = True
                    if task.attempts < MAX_TASK_ATTEMPTS:
                        retry.append(task)
                    else:
                        yield task, exc
                except Exception as exc:
                    yield task, exc
            if broken:  # every pending future of a broken pool fails: grade them again
                for future, task in pending.items():
                    future.cancel()
                    retry.append(task)
                pending.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = new_pool()
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:
            _stop_pool(pool)


def _stop_pool(pool) -> None:
    """Shut a pool down now: running students are abandoned (nothing of theirs was written)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)


def _init_pool_process(coordinator_pid: int) -> None:
    """In a pool process: leave Ctrl-C to the coordinator, and die with it, taking its workers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: _exit_with_children())

    def watch() -> None:
        while os.getppid() == coordinator_pid:
            time.sleep(0.2)
        _exit_with_children()

    threading.Thread(target=watch, name="aimath-watch-coordinator", daemon=True).start()


def _exit_with_children() -> None:
    """Kill this process's sandboxed workers (each leads its own process group), then exit."""
    for pid in _child_pids(os.getpid()):
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)
    os._exit(1)


def _child_pids(parent: int) -> list[int]:
    """Children of ``parent``, from /proc (Linux); empty where /proc is not available."""
    pids = []
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                pids.append(int(entry.name))
    return pids


def run_dask(tasks: Iterator[Task], *, jobs: int, scheduler: str | None) -> Iterator[Outcome]:
    """Grade tasks on a Dask cluster: the one at ``scheduler``, or a LocalCluster of ``jobs``."""
    from distributed import Client, LocalCluster, as_completed

    first = next(tasks, None)
    if first is None:  # everyone unchanged: no cluster needed
        return
    tasks = itertools.chain([first], tasks)
    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT_S)
        except OSError as exc:
            raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    else:
        cluster = LocalCluster(
            n_workers=jobs, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address=None,
        )  # fmt: skip
        client = Client(cluster)
    try:
        window = 2 * max(jobs, sum(client.nthreads().values()))
        running = as_completed()
        pending = {}

        def submit() -> bool:
            task = next(tasks, None)
            if task is None:
                return False
            task.attempts += 1
            future = client.submit(grade_payload, task.payload, pure=False)
            pending[future.key] = task
            running.add(future)
            return True

        while len(pending) < window and submit():
            pass
        for future in running:
            task = pending.pop(future.key)
            try:
                yield task, future.result()
            except Exception as exc:
                yield task, exc
            finally:
                future.release()
            submit()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# -- the coordinator ----------------------------------------------------------------------------
@dataclass
class ClassRun:
    """What ``aimath grade`` did: who was graded now, who was unchanged, and what went wrong."""

    source: Path
    out_dir: Path
    students: list[str] = field(default_factory=list)
    recorded: list[str] = field(default_factory=list)  # the students now in the gradebook
    graded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)
    grader_errors: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    duration_s: float = 0.0
    interrupted: bool = False

    @property
    def exit_status(self) -> int:
        """0: the class was graded (whatever the scores); 1: the grader broke; 130: interrupted."""
        if self.interrupted:
            return 130
        return 1 if self.grader_errors else 0


ProgressCallback = Callable[[str, str, float], None]


def grade_class(
    submissions_dir: Path,
    *,
    out_dir: Path = Path("results"),
    jobs: int | None = None,
    assignments: list[str] | None = None,
    force: bool = False,
    executor: Executor = "local",
    scheduler: str | None = None,
    reveal_hidden: bool = False,
    timeout_s: float | None = None,
    test_budget_s: float | None = None,
    submission_budget_s: float | None = None,
    deadlines: dict[str, str] | None = None,
    progress: Callable[[int], ProgressCallback] | None = None,
    lang: str = "en",
) -> ClassRun:
    """Grade every student in ``submissions_dir`` and write the gradebook, grades.csv and feedback.

    ``timeout_s``, ``test_budget_s`` and ``submission_budget_s`` replace the catalog's time limit
    per call and time budgets per test and per submission (seconds; None: the catalog's).
    ``deadlines`` (ISO 8601 times by assignment, ``*`` for all) are recorded in the gradebook, to
    which every submission's time (timestamp.txt or the file's modification time) is compared.
    ``progress(total)`` is called once with the number of students and returns a callable that is
    called as ``update(student, what, duration_s)`` after each student (graded, unchanged...).
    The output folder and its files are private to their owner (0700 and 0600); the feedback
    files are in ``lang`` ('en' or 'ko').
    """
    from .plugin import positive_seconds
    from .student_page import write_feedback

    submissions_dir = Path(submissions_dir)
    out_dir = Path(out_dir)
    if not submissions_dir.is_dir():
        raise UsageError(f"no class folder at {submissions_dir}")
    names = list(assignments or ASSIGNMENTS)
    unknown = [a for a in names if a not in ASSIGNMENTS]
    if unknown:
        raise UsageError(
            f"unknown assignment {', '.join(unknown)} (known: {', '.join(ASSIGNMENTS)})"
        )
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise UsageError("-j must be at least 1")
    if scheduler and executor != "dask":
        raise UsageError("--scheduler needs --executor dask")
    try:
        test_budget_s = positive_seconds(test_budget_s, "--test-budget")
        submission_budget_s = positive_seconds(submission_budget_s, "--submission-budget")
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    limits = {
        "timeout_s": timeout_s,
        "test_budget_s": test_budget_s,
        "submission_budget_s": submission_budget_s,
    }
    if executor == "dask":
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise UsageError(
                "--executor dask needs the distributed package: "
                "pip install 'aimath-autograder[distributed]'"
            ) from None

    started = time.monotonic()
    try:
        entries, warnings = find_students(submissions_dir)
    except SubmissionRejected as exc:
        raise UsageError(str(exc)) from None
    if not entries:
        raise UsageError(
            f"no students in {submissions_dir}: a class folder holds one folder or .zip file per "
            "student, named by the student's id"
        )
    run = ClassRun(source=submissions_dir, out_dir=out_dir, warnings=warnings)
    run.students = [e.student for e in entries]
    if (warning := make_private_dir(out_dir)) is not None:
        run.warnings.append(warning)
    lock = _lock_output(out_dir)
    try:
        book = Gradebook(out_dir / "gradebook.sqlite")
    except (ValueError, sqlite3.DatabaseError) as exc:
        lock.close()
        raise UsageError(f"{out_dir / 'gradebook.sqlite'} cannot be used: {exc}") from None
    try:
        if deadlines:
            book.set_deadlines(deadlines)

        def current_version(assignment: str) -> str:
            return grader_version(assignment, **limits)

        versions = {a: current_version(a) for a in names}
        stored = {(s.student, s.assignment): s for s in book.submissions()}
        run_id = book.start_run(source=str(submissions_dir), executor=executor, jobs=jobs)
        update = progress(len(entries)) if progress else None

        def report(student: str, what: str, duration_s: float = 0.0) -> None:
            if update is not None:
                update(student, what, duration_s)

        def plan() -> Iterator[Task]:
            for entry in entries:
                student, source = entry.student, str(entry.path)
                try:
                    files = read_submission(entry, names)
                    misnamed = [] if entry.kind == "zip" else [
                        note for a in names if a not in files
                        for note in find_assignment_file(entry.path, a)[1]
                    ]  # fmt: skip
                    run.warnings += [f"{student}: {note}" for note in misnamed]
                    if not files:
                        expected = ", ".join(f"{a}.py" for a in names)
                        raise SubmissionRejected(
                            f"no assignment file was found (expected any of {expected}, "
                            "or .ipynb notebooks)" + "".join(f"; {n}" for n in misnamed)
                        )
                except SubmissionRejected as exc:
                    book.record_student(
                        student, source=source, run_id=run_id, remove=names, problem=str(exc)
                    )
                    run.rejected[student] = str(exc)
                    report(student, f"rejected: {exc}")
                    continue
                remove = [a for a in names if a not in files and (student, a) in stored]
                todo = {
                    a: f
                    for a, f in files.items()
                    if force
                    or (student, a) not in stored
                    or not stored[student, a].is_current(f.sha256, versions[a])
                }
                if not todo:
                    if remove or book.problem(student) is not None:
                        book.record_student(student, source=source, run_id=run_id, remove=remove)
                    run.skipped.append(student)
                    report(student, "unchanged")
                    continue
                payload = make_payload(student, todo, **limits)
                yield Task(student, source, todo, remove, payload)

        if executor == "dask":
            outcomes = run_dask(plan(), jobs=jobs, scheduler=scheduler)
        else:
            outcomes = run_local(plan(), jobs=jobs)
        try:
            for task, outcome in outcomes:
                records, errors, duration_s = _records(task, outcome, versions, current_version)
                book.record_student(
                    task.student, source=task.source, run_id=run_id, submissions=records,
                    remove=task.remove,
                )  # fmt: skip
                run.graded.append(task.student)
                if errors:
                    run.grader_errors[task.student] = "; ".join(
                        f"{a}: {e}" for a, e in errors.items()
                    )
                report(task.student, _scores(records), duration_s)
        except KeyboardInterrupt:
            run.interrupted = True
            with contextlib.suppress(Exception):
                outcomes.close()
        book.finish_run(
            run_id, graded=len(run.graded), skipped=len(run.skipped),
            errors=len(run.grader_errors),
        )  # fmt: skip
        known = set(book.students())  # all of them, unless the run was interrupted
        run.recorded = [s for s in run.students if s in known]
        write_grades_csv(book, out_dir / "grades.csv", run.recorded)
        if (warning := make_private_dir(out_dir / "feedback")) is not None:
            run.warnings.append(warning)
        write_feedback(book, out_dir / "feedback", run.recorded, reveal_hidden=reveal_hidden,
                       lang=lang)  # fmt: skip
    finally:
        book.close()
        lock.close()
    run.duration_s = time.monotonic() - started
    return run


def _records(
    task: Task,
    outcome: str | BaseException,
    versions: dict[str, str],
    current_version: Callable[[str], str],
) -> tuple[list[SubmissionRecord], dict[str, str], float]:
    """The gradebook rows of a finished task, the grader errors by assignment, the grading time.

    ``versions`` holds the grader version of each assignment as the coordinator last computed
    it; when a worker reports another one, ``current_version`` computes it again: graders edited
    during the run are taken up (and ``versions`` updated), a worker with other graders is not.
    """
    failure, results, duration_s, theirs, notes = "", [], 0.0, {}, {}
    if isinstance(outcome, BaseException):
        failure = f"the grading process failed: {type(outcome).__name__}: {outcome}"
    else:
        try:
            answer = json.loads(outcome)
            duration_s = float(answer.get("duration_s", 0.0))
            failure = str(answer.get("error", ""))
            theirs = dict(answer.get("versions", {}))
            notes = {
                a: [Note(decode_note(n)) for n in ns if type(n) is str]
                for a, ns in dict(answer.get("notes") or {}).items()
            }
            if not failure:
                results = [from_dict(d) for d in answer["results"]]
        except (ValueError, KeyError, TypeError) as exc:
            failure = f"the grading process sent a malformed answer: {exc}"
    records, errors = [], {}
    for assignment, f in task.files.items():
        mine = [r for r in results if r.assignment == assignment]
        error = failure
        if not error and theirs.get(assignment) != versions[assignment]:
            versions[assignment] = current_version(assignment)
            if theirs.get(assignment) != versions[assignment]:
                error = (
                    f"the grading worker has other graders for {assignment} than this "
                    "computer (install the same version of the course everywhere)"
                )
        if not error and not mine:
            error = f"no test of {assignment} ran (are its graders installed?)"
        if error:
            errors[assignment] = error
        elif any(r.status == "error" for r in mine):
            broke = [r for r in mine if r.status == "error"]
            errors[assignment] = (
                f"{len(broke)} tests broke, first {broke[0].name}: {broke[0].output}"
            )
        records.append(
            SubmissionRecord(
                assignment=assignment, filename=f.filename, sha256=f.sha256,
                grader_version=versions[assignment], results=[] if error else mine,
                status="error" if error else "graded",
                message=error or "\n".join(map(encode_note, [*f.notes, *notes.get(assignment, ())])),
                duration_s=duration_s, submitted_at=f.submitted_at,
                submitted_from=f.submitted_from,
            )
        )  # fmt: skip
    return records, errors, duration_s


def _scores(records: list[SubmissionRecord]) -> str:
    """'lec01_vectors 21/26, lec02_matrices GRADER ERROR' for a progress line."""
    parts = []
    for r in records:
        if r.status == "error":
            parts.append(f"{r.assignment} GRADER ERROR")
            continue
        part = f"{r.assignment} {sum(t.score for t in r.results):g}/"
        part += f"{sum(t.max_score for t in r.results):g}"
        broke = sum(t.status == "error" for t in r.results)
        parts.append(part + (f" ({broke} GRADER ERRORS)" if broke else ""))
    return ", ".join(parts)


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class _Lock:
    def __init__(self, f) -> None:
        self.f = f

    def close(self) -> None:
        self.f.close()


def _lock_output(out_dir: Path) -> _Lock:
    """One ``aimath grade`` at a time per output folder (the lock dies with the process)."""
    fd = os.open(out_dir / ".lock", os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE)
    f = open(fd, "a+")  # noqa: SIM115 - held for the whole run
    try:
        import fcntl

        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:  # no fcntl (Windows): no lock
        pass
    except OSError:
        f.close()
        raise UsageError(f"another `aimath grade` is writing to {out_dir}") from None
    return _Lock(f)


if __name__ == "__main__":  # pragma: no cover - for debugging one payload by hand
    sys.stdout.write(grade_payload(sys.stdin.read()))
