"""A full mutation-testing run, timed: every mutant of each assignment, graded from scratch.

    python benchmarks/mutants.py [ASSIGNMENT ...] [-j 2] [--keep DIR]

Runs ``aimath mutants`` (through the same ``run_mutants``) once per assignment (default: lec01 and
lec02) into a fresh report folder, so that nothing comes from the store of an earlier run, and
prints per assignment the wall time, the number of mutants, the kill rate (killed / (graded -
marked equivalent)) and the survivors left to look at, then a markdown table to record in
benchmarks/RESULTS.md. ``--keep DIR`` keeps the reports there (default: a temporary folder).
Every assignment's time includes grading its reference once.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DEFAULT_ASSIGNMENTS = ("lec01_vectors", "lec02_matrices")


def run_one(assignment: str, report: Path, jobs: int) -> dict:
    """Grade every mutant of one assignment into ``report``; return the timings and counts."""
    from autograder.mutants import run_mutants

    started = time.monotonic()
    run = run_mutants([assignment], jobs=jobs, report=report)
    wall_s = time.monotonic() - started
    (result,) = run.results
    counts = result.counts()
    return {
        "assignment": assignment,
        "wall_s": wall_s,
        "mutants": counts["graded"],
        "killed": counts["killed"],
        "marked": counts["marked"],
        "to_check": len(result.unmarked_survivors()) + len(result.errors()),
        "kill_rate": result.kill_rate,
        "per_mutant_s": wall_s / max(counts["graded"], 1),
        "survivors": [
            f"{m.id} {result.outcomes[m.id].verdict}: {m.description}"
            for m in result.unmarked_survivors()
        ],  # fmt: skip
    }


def table(rows: list[dict], jobs: int) -> list[str]:
    """The markdown table of a run, as recorded in benchmarks/RESULTS.md."""
    lines = [
        f"| assignment | mutants | wall time (-j {jobs}) | per mutant | kill rate | "
        "marked equivalent | to check |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        rate = "n/a" if row["kill_rate"] is None else f"{100 * row['kill_rate']:.1f}%"
        lines.append(f"| {row['assignment']} | {row['mutants']} | {row['wall_s']:.1f} s | "
                     f"{row['per_mutant_s']:.2f} s | {rate} | {row['marked']} | {row['to_check']} |")  # fmt: skip
    return lines


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", default=list(DEFAULT_ASSIGNMENTS))
    parser.add_argument("-j", "--jobs", type=int, default=2, help="mutants graded at once")
    parser.add_argument("--keep", type=Path, help="keep the reports in this folder")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="aimath-mutants-bench-") as tmp:
        root = args.keep or Path(tmp)
        rows = []
        for assignment in args.assignments:
            row = run_one(assignment, root / assignment, args.jobs)
            rows.append(row)
            rate = "n/a" if row["kill_rate"] is None else f"{100 * row['kill_rate']:.1f}%"
            print(f"{assignment}: {row['mutants']} mutants in {row['wall_s']:.1f} s "
                  f"({row['per_mutant_s']:.2f} s each, -j {args.jobs}); kill rate {rate}, "
                  f"{row['marked']} marked equivalent, {row['to_check']} to check")  # fmt: skip
            for line in row["survivors"]:
                print(f"    {line}")
    print("\n" + "\n".join(table(rows, args.jobs)))
    return rows


if __name__ == "__main__":
    sys.exit(0 if all(r["to_check"] == 0 for r in main()) else 1)
