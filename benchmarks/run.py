"""Run the benchmarks and record the results in benchmarks/RESULTS.md.

    python benchmarks/run.py                      # all of them
    python benchmarks/run.py batch                # only some; the others' sections are kept

Each benchmark measures its own baseline in the same run and reports a ratio against it, so the
figures compare across machines. AIMATH_BENCH_REPEAT (default 5) sets the sandbox overhead's
repetitions, AIMATH_BENCH_STUDENTS (default 200) the size of the class.
"""

from __future__ import annotations

import datetime
import os
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
sys.path.insert(0, str(HERE))

import batch  # noqa: E402
import sandbox_overhead  # noqa: E402


def stamp(script: str) -> str:
    load = ""
    if hasattr(os, "getloadavg"):
        load = f", load average {os.getloadavg()[0]:.1f} at the start"
    return (
        f"Recorded {datetime.date.today()} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}{load}, by `python benchmarks/run.py {script}`."
    )


def section_sandbox_overhead() -> list[str]:
    head = stamp("sandbox_overhead")
    sys.argv = [sys.argv[0], "--repeat", os.environ.get("AIMATH_BENCH_REPEAT", "5")]
    row = sandbox_overhead.main()
    return [
        "## Sandbox overhead (benchmarks/sandbox_overhead.py)",
        "",
        head,
        "",
        "Grading the reference solutions, public and hidden tests, in one process: the baseline",
        "imports the submission into the grading process (as nbgrader and otter do); the measured",
        "run calls it through sandboxed workers (one per assignment) and the wire format.",
        "",
        "| assignments | in-process (s) | sandboxed (s) | ratio sandboxed / in-process |",
        "| --- | --- | --- | --- |",
        *(
            f"| {r['assignments']} | {r['in_process_s']:.3f} | {r['sandboxed_s']:.3f} "
            f"| {r['ratio']:.2f} |"
            for r in [*row.get("per_assignment", []), row]
        ),
        "",
    ]


def section_batch() -> list[str]:
    head = stamp("batch")
    grading = batch.main(["--students", os.environ.get("AIMATH_BENCH_STUDENTS", "200")])
    return [
        "## Grading a class (benchmarks/batch.py)",
        "",
        head,
        "",
        f"A synthetic class of {grading['students']} students (each with lec01 and lec02 files",
        "drawn in turn from the reference, the stubs and the golden mistakes) graded from scratch,",
        "public and hidden tests, by `grade_class` as `aimath grade` does: with a local pool of 1",
        "and 2 processes, and on a Dask LocalCluster of 2 single-threaded worker processes.",
        "Throughput is students per second, wall time including start-up. Memory: the largest",
        "single process (getrusage), and the peak sum of resident memory over the process tree",
        "(psutil, sampled every 0.1 s; shared pages count in every process).",
        "",
        "| run | students | seconds | students/s | largest process (MB) | process tree peak (MB) |",
        "| --- | --- | --- | --- | --- | --- |",
        *(
            f"| {r['name']} | {r['students']} | {r['seconds']:.1f} | {r['throughput']:.2f} "
            f"| {r['max_process_mb']:.0f} | "
            + (f"{r['tree_peak_mb']:.0f} |" if r["tree_peak_mb"] else "n/a |")
            for r in grading["rows"]
        ),
        "",
        f"-j2/-j1 throughput ratio: {grading.get('ratio_j2_j1', float('nan')):.2f}",
        "",
    ]


def section_nbgrader_agreement() -> list[str]:
    import tempfile

    import nbgrader_agreement as na

    head = stamp("nbgrader_agreement")
    students = na.all_students()
    with tempfile.TemporaryDirectory(prefix="bench-nbgrader-") as tmp:
        nb = na.grade_with_nbgrader(students, Path(tmp))
        runs = {j: na.grade_with_aimath(na.CLASS_DIR / "submitted", Path(tmp) / f"j{j}", jobs=j)
                for j in (1, 2)}  # fmt: skip
    agree = sum(nb.totals[s] == runs[1].totals.get(s) for s in students)
    n = len(students)
    return [
        "## aimath against the real nbgrader (benchmarks/nbgrader_agreement.py)",
        "",
        head,
        "",
        f"The {n} nbgrader-format lec01 notebooks of tests/nbgrader_class/ graded by the real",
        f"`nbgrader autograde` ({na.nbgrader_version()}, one kernel per notebook, one at a time: the",
        "baseline) and by `aimath grade` (the CLI, hidden tests included) with 1 and 2 processes.",
        f"Totals agree for {agree} of {n} students.",
        "",
        "| run | seconds | s/notebook | ratio nbgrader / run |",
        "| --- | --- | --- | --- |",
        f"| nbgrader autograde | {nb.seconds:.1f} | {nb.seconds / n:.2f} | 1.00 |",
        *(
            f"| aimath grade -j {j} | {r.seconds:.1f} | {r.seconds / n:.2f} "
            f"| {nb.seconds / r.seconds:.1f} |"
            for j, r in runs.items()
        ),
        "",
    ]


def section_notebook_kernel() -> list[str]:
    import notebook_kernel

    head = stamp("notebook_kernel")
    row = notebook_kernel.main(["--repeat", "3"])
    return [
        "## An assignment notebook in a Jupyter kernel (benchmarks/notebook_kernel.py)",
        "",
        head,
        "",
        f"assignments/{row['assignment']}.ipynb filled with the reference, executed top to bottom",
        "by nbclient in a python3 kernel, its self-check cell grading the session out of process;",
        "the baseline is the same kernel running one empty cell. Median of 3.",
        "",
        "| notebook | empty notebook (s) | assignment notebook (s) | ratio | self-check said |",
        "| --- | --- | --- | --- | --- |",
        f"| {row['assignment']} | {row['empty_s']:.2f} | {row['notebook_s']:.2f} "
        f"| {row['ratio']:.2f} | {row['self_check']} |",
        "",
    ]


def section_hostile_corpus() -> list[str]:
    import hostile_corpus

    head = stamp("hostile_corpus")
    result = hostile_corpus.main([])
    return [
        "## The hostile corpus (benchmarks/hostile_corpus.py)",
        "",
        head,
        "",
        "Each trick of tests/hostile_corpus.py is a lec01 submission built on an honest twin (the",
        "reference with l2_distance, angle and projection left as stubs); a breach would earn the",
        "stubs' points. Graded alone (`run_graders`, as `aimath check --hidden`) and as one class",
        "with the twin and three honest students (`aimath grade -j 2`), as root and as nobody; the",
        "baseline column grades the harmless tricks alone with no sandbox protection at all",
        "(`Limits(namespaces=False)`, as nobody). Call time limit 1 s.",
        "",
        *result["lines"],
        "",
    ]


def section_mutants() -> list[str]:
    import mutants

    head = stamp("mutants")
    from autograder.course import ASSIGNMENTS

    assignments = list(ASSIGNMENTS)
    rows = mutants.main([*assignments, "-j", "2"])
    return [
        "## Mutation testing the graders (benchmarks/mutants.py)",
        "",
        head,
        "",
        "Every mutant of each reference's solution blocks (`aimath mutants`, from scratch, with",
        "public and hidden tests), by `python benchmarks/mutants.py " + " ".join(assignments),
        "-j 2`. Kill rate: killed / (graded - marked equivalent); to check: survivors neither",
        "killed nor marked (0 is the acceptance bar). The marks and their reasons are in",
        "autograder/graders/<assignment>/equivalent_mutants.toml.",
        "",
        *mutants.table(rows, 2),
        "",
    ]


def section_conv2d() -> list[str]:
    import conv2d

    head = stamp("conv2d")
    result = conv2d.main([])
    return [
        "## The reference conv2d against a library's (benchmarks/conv2d.py)",
        "",
        head,
        "",
        "lec09's reference conv2d is vectorised (sliding_window_view and einsum, no loop over",
        "output pixels); the baseline is scipy.signal.correlate2d(x, k, mode='valid') where scipy",
        "is installed (`pip install scipy`; it is not a dependency of the project), else a numpy",
        "one-liner. Both are checked to agree first.",
        "",
        *result["lines"],
        "",
    ]


SECTIONS = {
    "sandbox_overhead": section_sandbox_overhead,
    "batch": section_batch,
    "nbgrader_agreement": section_nbgrader_agreement,
    "notebook_kernel": section_notebook_kernel,
    "hostile_corpus": section_hostile_corpus,
    "mutants": section_mutants,
    "conv2d": section_conv2d,
}


def kept_sections() -> dict[str, list[str]]:
    """The sections of the current RESULTS.md, by benchmark script name."""
    sections: dict[str, list[str]] = {}
    current, recorded = None, None
    if RESULTS.is_file():
        for line in RESULTS.read_text().splitlines():
            if line.startswith("## "):
                current = next((n for n in SECTIONS if f"benchmarks/{n}.py" in line), None)
            elif current is None and line.startswith("Recorded "):
                recorded = line  # an older file: one date for every section
            if current:
                sections.setdefault(current, []).append(line)
    for lines in sections.values():
        if recorded and not any(line.startswith("Recorded ") for line in lines):
            lines[1:1] = ["", recorded]
    return sections


def main(argv: list[str] | None = None) -> None:
    names = (sys.argv[1:] if argv is None else argv) or list(SECTIONS)
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        raise SystemExit(f"unknown benchmark {', '.join(unknown)} (known: {', '.join(SECTIONS)})")
    sections = kept_sections()
    for name in names:
        sections[name] = SECTIONS[name]()
    lines = ["# Benchmark results", ""]
    for name in SECTIONS:
        if name in sections:
            lines += [*sections[name]]
            if lines[-1] != "":
                lines.append("")
    RESULTS.write_text("\n".join(lines))
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
