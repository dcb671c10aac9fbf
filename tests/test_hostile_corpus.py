"""The hostile corpus, graded as a class next to honest students: every trick earns exactly its
honest twin's score, honest students keep full marks, and nothing outlives grading or is written
outside the scratch folders. Run as the suite's user and, when that is root, again as an ordinary
user (nobody). The tricks and their twins are in tests/hostile_corpus.py; benchmarks/
hostile_corpus.py grades each trick alone too and prints the table of what stopped it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.batch import grade_class
from autograder.plugin import run_graders
from autograder.seeds import config_dir
from tests import hostile_corpus as corpus
from tests.processes import live_processes_marked

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
NOBODY = 65534
CALL_TIMEOUT_S = 1.0  # the reference answers in milliseconds; loops cost a second a call


def test_the_corpus_has_at_least_thirty_distinct_tricks():
    names = [t.name for t in corpus.TRICKS]
    assert len(set(names)) == len(names) >= 30
    assert len({t.code for t in corpus.TRICKS}) == len(names)
    assert all(t.what and t.stopped_by for t in corpus.TRICKS)


def test_the_twin_scores_what_the_corpus_says_and_its_oracles_are_right(tmp_path):
    """The twin's score is measured, not assumed; a breach would really earn the points."""
    fill = placeholders(tmp_path, port=1)
    twin = corpus.write_submission(tmp_path / "twin", None, fill)
    results = run_graders(twin, [corpus.ASSIGNMENT], hidden=True, student="twin")
    assert sum(r.score for r in results) == corpus.TWIN_SCORE
    breached = corpus.twin_source().replace("def _breach():\n    return False",
                                            "def _breach():\n    return True")  # fmt: skip
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / f"{corpus.ASSIGNMENT}.py").write_text(breached)
    results = run_graders(tmp_path / "open", [corpus.ASSIGNMENT], hidden=True, student="twin")
    assert sum(r.score for r in results) == corpus.FULL_SCORE


def placeholders(tmp_path: Path, port: int) -> corpus.Placeholders:
    return corpus.Placeholders(
        repo=corpus.REPO, klass=tmp_path / "class", marker=f"aimath-corpus-{time.time_ns()}",
        port=port, book=tmp_path / "earlier", config=config_dir(),
    )  # fmt: skip


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def scores_in(book: Path) -> dict[str, int]:
    with sqlite3.connect(book) as db:
        return dict(db.execute("SELECT student, score FROM submissions"))


def grader_errors_in(book: Path) -> dict[str, str]:
    """What went wrong with each submission the grader could not grade, and with broken tests."""
    with sqlite3.connect(book) as db:
        found = dict(
            db.execute("SELECT student, message FROM submissions WHERE status != 'graded'")
        )
        rows = db.execute(
            "SELECT s.student, r.name, r.output FROM results r JOIN submissions s "
            "ON s.id = r.submission_id WHERE r.status = 'error'"
        ).fetchall()
    for student, name, output in rows:
        found.setdefault(student, f"{name}: {output}"[:500])
    return found


def grade_as(user: int | None, klass: Path, out: Path, tmp_path: Path) -> int:
    """Grade ``klass`` into ``out`` in this process (user None) or as ``user`` with the CLI."""
    if user is None:
        run = grade_class(
            klass, out_dir=out, jobs=2, assignments=[corpus.ASSIGNMENT], timeout_s=CALL_TIMEOUT_S
        )
        return run.exit_status
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "AIMATH_SECRET")}
    env.update(HOME=str(home), AIMATH_CONFIG_DIR=str(home / "config"))
    for path in [tmp_path, *tmp_path.rglob("*")]:
        os.lchown(path, user, user)
    probe = "from autograder.sandbox.process import probe_isolation as p; print(*p())"
    isolation = as_user(user, [sys.executable, "-c", probe], env, tmp_path).stdout.split()
    if "pid-namespace" not in isolation:
        pytest.skip(f"as uid {user} the worker gets no namespaces ({isolation}): this kernel "
                    "does not allow unprivileged user namespaces")  # fmt: skip
    command = [sys.executable, "-m", "autograder.cli", "grade", str(klass), "--out", str(out),
               "-j", "2", "--assignment", corpus.ASSIGNMENT, "--call-timeout", str(CALL_TIMEOUT_S)]  # fmt: skip
    proc = as_user(user, command, env, tmp_path)
    print(proc.stdout[-3000:], proc.stderr[-3000:])
    off = [line for line in proc.stdout.splitlines() if "protections are off here" in line]
    assert len(off) == 1 and "the cgroup" in off[0] and "namespace" not in off[0], proc.stdout
    return proc.returncode


def as_user(
    user: int, command: list[str], env: dict, tmp_path: Path
) -> subprocess.CompletedProcess:
    launcher = Path(__file__).with_name("ordinary_user.py")
    return subprocess.run(
        [sys.executable, str(launcher), str(user), str(user), str(corpus.REPO), str(tmp_path),
         "--", *command], env=env, capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )  # fmt: skip


def run_corpus(tmp_path: Path, user: int | None) -> None:
    with corpus.BreachServer() as server:
        fill = placeholders(tmp_path, server.port)
        # an earlier run's gradebook and feedback, which one trick goes looking for
        earlier = tmp_path / "earlier-class"
        corpus.write_submission(earlier / "someone", None, fill, honest="")
        expected = corpus.build_class(fill.klass, fill)
        before = digests(fill.klass)
        checks = (corpus.REPO / "autograder" / "checks.py").read_bytes()
        assert grade_as(None, earlier, fill.book, tmp_path) == 0
        started = time.monotonic()
        status = grade_as(user, fill.klass, tmp_path / "out", tmp_path)
        elapsed = time.monotonic() - started
        time.sleep(2.5)  # longer than detached_writer waits before it writes
        assert server.connections == 0  # no worker reached the loopback server
    scores = scores_in(tmp_path / "out" / "gradebook.sqlite")
    errors = grader_errors_in(tmp_path / "out" / "gradebook.sqlite")
    wrong = {s: (scores.get(s), want) for s, want in expected.items() if scores.get(s) != want}
    assert not wrong, f"(score, expected) not the twin's: {wrong}; grader errors: {errors}"
    assert status == 0 and not errors, (status, errors)  # though tricks killed their own workers
    assert live_processes_marked(fill.marker) == []  # no daemon, child or hog outlived grading
    assert corpus.leftovers(fill) == []  # nothing written to /tmp, /var/tmp, /dev/shm, the class
    assert digests(fill.klass) == before  # no submission (a classmate's) was changed
    assert (corpus.REPO / "autograder" / "checks.py").read_bytes() == checks
    print(f"{len(corpus.TRICKS)} tricks and {len(expected) - len(corpus.TRICKS)} honest students "
          f"graded in {elapsed:.1f} s")  # fmt: skip


def test_every_trick_scores_its_twins_score_in_a_batch_with_honest_students(tmp_path):
    run_corpus(tmp_path, None)


@pytest.mark.skipif(not ROOT, reason="the suite runs as an ordinary user: the batch test above is "
                    "that run (as root, this test repeats it as nobody)")  # fmt: skip
def test_every_trick_scores_its_twins_score_as_an_ordinary_user(tmp_path):
    run_corpus(tmp_path, NOBODY)


@pytest.mark.parametrize(
    "trick", [t for t in corpus.TRICKS if t.files or t.notebook], ids=lambda t: t.name
)
def test_tricks_in_the_folder_itself_earn_nothing_when_graded_in_place(trick, tmp_path):
    """``aimath check`` grades the folder in place, so extra files there are beside the worker."""
    fill = placeholders(tmp_path, port=1)
    folder = corpus.write_submission(tmp_path / trick.name, trick, fill)
    results = run_graders(folder, [corpus.ASSIGNMENT], hidden=True, student=trick.name)
    assert sum(r.score for r in results) == corpus.TWIN_SCORE, [
        (r.name, r.status, r.output[:200]) for r in results if r.status != "passed"
    ]
