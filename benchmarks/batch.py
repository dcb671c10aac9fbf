"""Batch grading throughput: a synthetic class graded with -j1, -j2 and on a Dask LocalCluster.

    python benchmarks/batch.py [--students 200] [--runs local1 local2 dask2]

The class is built from the golden submissions (the reference, the stubs and each common mistake,
combined per student for lec01 and lec02). Each configuration grades the whole class from scratch
into a fresh output folder, in its own process, through the same ``grade_class`` as
``aimath grade``; we report the wall time, the throughput (students per second), the -j2/-j1
ratio of throughputs, and peak memory: the largest single process (getrusage of self and children)
and, where psutil is installed, the peak sum of resident memory over the whole process tree.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "submissions"
RUNS = {  # name -> (executor, jobs)
    "local1": ("local", 1),
    "local2": ("local", 2),
    "dask2": ("dask", 2),
}


def make_class(root: Path, n_students: int) -> Path:
    """``n_students`` folders, each with a lec01 and a lec02 file drawn from the golden set."""
    pools = {}
    for assignment in ("lec01_vectors", "lec02_matrices"):
        sources = [(REPO / "solutions" / f"{assignment}.py").read_text()]
        sources.append((REPO / "assignments" / f"{assignment}.py").read_text())
        prefix = assignment.split("_")[0]
        sources += [
            (case / f"{assignment}.py").read_text()
            for case in sorted(GOLDEN.glob(f"{prefix}_*"))
            if (case / f"{assignment}.py").is_file()
        ]
        pools[assignment] = itertools.cycle(sources)
    for i in range(n_students):
        folder = root / f"s{i:04d}"
        folder.mkdir(parents=True)
        for assignment, sources in pools.items():
            (folder / f"{assignment}.py").write_text(next(sources))
    return root


def run_one(folder: Path, out: Path, executor: str, jobs: int) -> dict:
    """Grade the class once in this process; time it and watch the memory of the process tree."""
    from autograder.batch import grade_class

    peak = {"tree_mb": None}
    stop = threading.Event()
    try:
        import psutil
    except ImportError:
        psutil = None
    if psutil is not None:
        peak["tree_mb"] = 0.0

        def sample() -> None:
            me = psutil.Process()
            while not stop.is_set():
                total = 0
                for p in [me, *me.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                peak["tree_mb"] = max(peak["tree_mb"], total / 2**20)
                stop.wait(0.1)

        threading.Thread(target=sample, daemon=True).start()
    start = time.perf_counter()
    run = grade_class(folder, out_dir=out, jobs=jobs, executor=executor)
    seconds = time.perf_counter() - start
    stop.set()
    problems = {**run.grader_errors, **run.rejected}
    assert run.exit_status == 0 and not problems, (len(problems), next(iter(problems.items())))
    assert len(run.graded) == len(run.students), "every student must be graded"
    kb = 1024  # ru_maxrss is in KiB on Linux
    return {
        "executor": executor,
        "jobs": jobs,
        "students": len(run.students),
        "seconds": seconds,
        "throughput": len(run.students) / seconds,
        "max_process_mb": max(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        )
        / kb,
        "coordinator_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / kb,
        "tree_peak_mb": peak["tree_mb"],
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--runs", nargs="+", choices=sorted(RUNS), default=list(RUNS))
    parser.add_argument("--one", nargs=4, metavar=("CLASS", "OUT", "EXECUTOR", "JOBS"),
                        help=argparse.SUPPRESS)  # fmt: skip
    args = parser.parse_args(argv)
    if args.one:  # a child process: one configuration
        folder, out, executor, jobs = args.one
        print(json.dumps(run_one(Path(folder), Path(out), executor, int(jobs))))
        return {}
    rows = []
    with tempfile.TemporaryDirectory(prefix="aimath-bench-") as tmp:
        folder = make_class(Path(tmp) / "class", args.students)
        for name in args.runs:
            executor, jobs = RUNS[name]
            out = Path(tmp) / f"out-{name}"
            proc = subprocess.run(
                [sys.executable, __file__, "--one", str(folder), str(out), executor, str(jobs)],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            if proc.returncode != 0:
                raise SystemExit(f"{name} failed:\n{proc.stdout}\n{proc.stderr}")
            row = json.loads(proc.stdout.strip().splitlines()[-1])
            row["name"] = name
            rows.append(row)
            tree = f"{row['tree_peak_mb']:.0f} MB" if row["tree_peak_mb"] else "n/a"
            print(
                f"{name}: {row['students']} students in {row['seconds']:.1f} s, "
                f"{row['throughput']:.2f} students/s, largest process "
                f"{row['max_process_mb']:.0f} MB, process tree peak {tree}",
                flush=True,
            )
    by_name = {r["name"]: r for r in rows}
    summary = {"students": args.students, "rows": rows}
    if "local1" in by_name and "local2" in by_name:
        summary["ratio_j2_j1"] = by_name["local2"]["throughput"] / by_name["local1"]["throughput"]
        print(f"-j2/-j1 throughput ratio: {summary['ratio_j2_j1']:.2f}")
    return summary


if __name__ == "__main__":
    main()
