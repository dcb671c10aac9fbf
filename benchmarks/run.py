"""Run every benchmark and record the results in benchmarks/RESULTS.md.

    python benchmarks/run.py

Each benchmark measures its own baseline in the same run and reports a ratio against it, so the
figures compare across machines.
"""

from __future__ import annotations

import datetime
import os
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import sandbox_overhead  # noqa: E402


def main() -> None:
    sys.argv = [sys.argv[0], "--repeat", os.environ.get("AIMATH_BENCH_REPEAT", "5")]
    row = sandbox_overhead.main()
    lines = [
        "# Benchmark results",
        "",
        f"Recorded {datetime.date.today()} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, by `python benchmarks/run.py`.",
        "",
        "## Sandbox overhead (benchmarks/sandbox_overhead.py)",
        "",
        "Grading the reference solutions, public and hidden tests, in one process: the baseline",
        "imports the submission into the grading process (as nbgrader and otter do); the measured",
        "run calls it through sandboxed workers (one per assignment) and the wire format.",
        "",
        "| assignments | in-process (s) | sandboxed (s) | ratio sandboxed / in-process |",
        "| --- | --- | --- | --- |",
        f"| {row['assignments']} | {row['in_process_s']:.3f} | {row['sandboxed_s']:.3f} "
        f"| {row['ratio']:.2f} |",
        "",
    ]
    (HERE / "RESULTS.md").write_text("\n".join(lines))
    print(f"wrote {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
