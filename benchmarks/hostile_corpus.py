"""The hostile corpus in full: every trick graded alone and in a class, as root and as an ordinary
user, and (the baseline) the harmless ones with no sandbox protection at all.

    python benchmarks/hostile_corpus.py [--out table.md]      # as root: every column
    python benchmarks/hostile_corpus.py --solo MODE FOLDER    # (internal) one column, as JSON

Columns: the score of each trick graded alone (``run_graders``, what ``aimath check --hidden``
does) and in one class with the twin and honest students (``aimath grade -j 2``), as root and as
nobody (through tests/ordinary_user.py); and graded alone with no namespaces, no cgroup and no
privilege drop (``Limits(namespaces=False)``), as nobody, which shows the protections are what
stops each trick: there, the reading tricks earn the points their breach gives. Tricks that would
harm this machine unprotected (tests/hostile_corpus.HARMFUL) are left out of that column. A
score equal to the twin's is the pass; the table ends with the protections each run had.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from autograder import plugin  # noqa: E402
from autograder.sandbox.process import Limits, Sandbox, probe_isolation  # noqa: E402
from tests import hostile_corpus as corpus  # noqa: E402

NOBODY = 65534
CALL_TIMEOUT_S = 1.0
LAUNCHER = REPO / "tests" / "ordinary_user.py"


def solo(mode: str, folder: Path, port: int) -> dict:
    """Grade each trick alone in this process; ``mode`` "protected" or "unprotected"."""
    fill = corpus.Placeholders(repo=REPO, klass=folder / "class", marker=f"aimath-bench-{time.time_ns()}",
                               port=port, book=folder / "earlier", config=folder / "config")  # fmt: skip
    tricks = [t for t in corpus.TRICKS if mode == "protected" or t.name not in corpus.HARMFUL]
    corpus.build_class(fill.klass, fill, tricks)
    # what the reading tricks look for: an earlier run's output and the instructor's secret
    fill.book.mkdir()
    (fill.book / "gradebook.sqlite").write_bytes(b"SQLite format 3\0")
    fill.config.mkdir()
    (fill.config / "secret").write_text("aimath-benchmark-secret-0123456789\n")
    patch = contextlib.nullcontext()
    if mode == "unprotected":
        unsafe = functools.partial(Sandbox, limits=Limits(namespaces=False, user=None))
        patch = _patched(plugin, "Sandbox", unsafe)
    scores, seconds = {}, {}
    with patch:
        for student in ["twin", *(t.name for t in tricks)]:
            started = time.monotonic()
            results = plugin.run_graders(fill.klass / student, [corpus.ASSIGNMENT], hidden=True,
                                         student=student, timeout_s=CALL_TIMEOUT_S)  # fmt: skip
            seconds[student] = time.monotonic() - started
            scores[student] = sum(r.score for r in results)
    limits = Limits(namespaces=False, user=None) if mode == "unprotected" else Limits()
    return {"scores": scores, "seconds": seconds, "isolation": list(probe_isolation(limits))}


@contextlib.contextmanager
def _patched(module, name, value):
    old = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, old)


def batch(folder: Path, port: int, user: int | None) -> dict:
    """Grade the whole corpus with the twin and honest students as one class, with the CLI."""
    fill = corpus.Placeholders(repo=REPO, klass=folder / "class", marker=f"aimath-bench-{time.time_ns()}",
                               port=port, book=folder / "earlier", config=folder / "config")  # fmt: skip
    expected = corpus.build_class(fill.klass, fill)
    command = [sys.executable, "-m", "autograder.cli", "grade", str(fill.klass), "--out",
               str(folder / "out"), "-j", "2", "--assignment", corpus.ASSIGNMENT,
               "--call-timeout", str(CALL_TIMEOUT_S)]  # fmt: skip
    started = time.monotonic()
    proc = run(command, folder, user)
    seconds = time.monotonic() - started
    import sqlite3

    from tests.test_hostile_corpus import grader_errors_in

    with sqlite3.connect(folder / "out" / "gradebook.sqlite") as db:
        scores = dict(db.execute("SELECT student, score FROM submissions"))
    errors = grader_errors_in(folder / "out" / "gradebook.sqlite")
    off = [line for line in proc.stdout.splitlines() if "protections are off" in line]
    return {"scores": scores, "expected": expected, "seconds": seconds, "exit": proc.returncode,
            "off": off, "leftovers": corpus.leftovers(fill), "errors": errors}  # fmt: skip


def run(command: list[str], folder: Path, user: int | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "AIMATH_SECRET")}
    env.setdefault("AIMATH_SECRET", "aimath-benchmark-secret-0123456789")
    home = folder / "home"
    (home / "config").mkdir(parents=True, exist_ok=True)
    env.update(HOME=str(home), AIMATH_CONFIG_DIR=str(home / "config"), PYTHONPATH=str(REPO))
    if user is not None:
        for path in [folder, *folder.rglob("*")]:
            os.lchown(path, user, user)
        command = [sys.executable, str(LAUNCHER), str(user), str(user), str(REPO), str(folder),
                   "--", *command]  # fmt: skip
    return subprocess.run(command, env=env, capture_output=True, text=True, cwd=folder)


def solo_as(mode: str, folder: Path, port: int, user: int | None) -> dict:
    folder.mkdir(parents=True)
    proc = run([sys.executable, __file__, "--solo", mode, str(folder), "--port", str(port)],
               folder, user)  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(f"the {mode} run failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def table(columns: dict[str, dict]) -> list[str]:
    names = [t.name for t in corpus.TRICKS]
    heads = list(columns)
    lines = [
        "| trick | what it tries | stopped by | " + " | ".join(heads) + " |",
        "| --- | --- | --- | " + " | ".join("---" for _ in heads) + " |",
    ]
    twin = corpus.TWIN_SCORE

    def cell(column: dict, name: str) -> str:
        score = column["scores"].get(name)
        if score is None:
            return "not run"
        return f"{score:g}" if score == twin else f"**{score:g}**"

    by_name = {t.name: t for t in corpus.TRICKS}
    for name in names:
        t = by_name[name]
        cells = " | ".join(cell(columns[h], name) for h in heads)
        lines.append(f"| {name} | {t.what} | {t.stopped_by} | {cells} |")
    twins = " | ".join(cell(columns[h], "twin") for h in heads)
    lines.append(f"| twin | (no trick) | | {twins} |")
    return lines


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--solo", nargs=2, metavar=("MODE", "FOLDER"))
    parser.add_argument("--port", type=int, default=1)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    if args.solo:
        print(json.dumps(solo(args.solo[0], Path(args.solo[1]), args.port)))
        return {}
    root = os.geteuid() == 0
    columns: dict[str, dict] = {}
    with (
        tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp,
        corpus.BreachServer() as server,
    ):
        tmp_path = Path(tmp)
        users = {"root": None, "nobody": NOBODY} if root else {"you": None}
        for label, user in users.items():
            solo_dir, class_dir = tmp_path / f"solo-{label}", tmp_path / f"class-{label}"
            columns[f"alone, {label}"] = solo_as("protected", solo_dir, server.port, user)
            class_dir.mkdir()
            columns[f"class, {label}"] = batch(class_dir, server.port, user)
        protected_connections = server.connections
        unsafe_user = NOBODY if root else None
        columns["alone, no sandbox"] = solo_as(
            "unprotected", tmp_path / "solo-unprotected", server.port, unsafe_user
        )
        unprotected_connections = server.connections - protected_connections
    lines = ["Score of each trick (the twin earns "
             f"{corpus.TWIN_SCORE}/{corpus.FULL_SCORE}; bold: not the twin's score).", ""]  # fmt: skip
    lines += table(columns)
    lines.append("")
    for head, column in columns.items():
        extra = ""
        if "isolation" in column:
            extra = f"worker protections: {', '.join(column['isolation']) or 'none'}"
        if "off" in column:
            extra = "; ".join(column["off"]) or "no protection off"
            extra += f"; exit status {column['exit']}; {len(column['leftovers'])} files left"
            honest = {s: column["scores"].get(s) for s in corpus.HONEST}
            extra += f"; honest students {honest}"
            extra += "".join(
                f"; grader error of {s}: {e[:300]}" for s, e in column["errors"].items()
            )
        seconds = column["seconds"]
        seconds = sum(seconds.values()) if isinstance(seconds, dict) else seconds
        lines.append(f"- {head}: {seconds:.1f} s; {extra}")
    lines.append(
        f"- connections to the loopback server: {protected_connections} from the sandboxed "
        f"runs, {unprotected_connections} from the run with no sandbox"
    )
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    same = all(
        column["scores"].get(t.name, corpus.TWIN_SCORE) == corpus.TWIN_SCORE
        for head, column in columns.items()
        if head != "alone, no sandbox"
        for t in corpus.TRICKS
    )
    return {"lines": lines, "all_twin": same, "columns": columns}


if __name__ == "__main__":
    result = main()
    if result and not result["all_twin"]:
        sys.exit(1)
