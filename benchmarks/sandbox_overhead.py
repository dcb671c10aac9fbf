"""Sandbox overhead: grading the reference solutions through workers vs. the same checks in-process.

    python benchmarks/sandbox_overhead.py [--repeat 5]

The baseline imports the submission into the grading process and calls it directly (what nbgrader
and otter do, and what this project never does outside this benchmark); the measured run is the
real path, one sandboxed worker per assignment. Both run the same graders, public and hidden, in
the same process, alternately, and the medians are compared as a ratio.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import time
from pathlib import Path

import numpy as np

from autograder import plugin
from autograder.arguments import LectureFunction, NumericFunction, SeededRNG
from autograder.course import ASSIGNMENTS
from autograder.errors import RemoteException, StudentRaised

REPO = Path(__file__).resolve().parents[1]


class InProcess:
    """Duck-types Sandbox: imports the file here and calls it directly (baseline only)."""

    load_notes: tuple[str, ...] = ()
    deadline: float | None = None
    starts = 1

    def __init__(self, path: Path, module: str) -> None:
        spec = importlib.util.spec_from_file_location(f"bench_{module}", path)
        self.module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(self.module)
        self.filename = path.name

    def call(self, fn, args, kwargs, *, timeout_s, call, batch=None, batch_call=None):
        calls = batch if batch is not None else [(args, kwargs)]
        values = []
        for index, (call_args, call_kwargs) in enumerate(calls):
            call_args = tuple(self.materialise(a) for a in call_args)
            call_kwargs = {k: self.materialise(v) for k, v in call_kwargs.items()}
            try:
                values.append(getattr(self.module, fn)(*call_args, **call_kwargs))
            except Exception as exc:  # reported as the sandbox does, so the same checks apply
                mro = tuple(c.__name__ for c in type(exc).__mro__)
                remote = RemoteException(type(exc).__name__, str(exc), mro)
                label = batch_call(index) if batch_call else call
                raise StudentRaised(label, self.filename, remote) from None
        return (values if batch is not None else values[0]), ""

    def materialise(self, arg):
        """What the worker would make of a grader's argument, made here directly."""
        if isinstance(arg, plugin.FunctionRef):
            return getattr(self.module, arg.name)
        if isinstance(arg, LectureFunction | NumericFunction):
            return arg.trusted()
        if isinstance(arg, SeededRNG):
            return np.random.default_rng(arg.seed)
        return arg

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass


def grade(assignments: list[str], *, in_process: bool) -> tuple[float, float]:
    original = plugin.GradingSession.sandbox_for
    if in_process:

        def sandbox_for(self, assignment):
            if assignment not in self.sandboxes:
                original(self, assignment)  # the session's bookkeeping (budgets, notes)
                path = self.submission / f"{assignment}.py"
                self.sandboxes[assignment] = InProcess(path, assignment)
            return self.sandboxes[assignment]

        plugin.GradingSession.sandbox_for = sandbox_for
    try:
        start = time.perf_counter()
        results = plugin.run_graders(REPO / "solutions", assignments, hidden=True)
        elapsed = time.perf_counter() - start
    finally:
        plugin.GradingSession.sandbox_for = original
    score = sum(r.score for r in results)
    assert score == sum(r.max_score for r in results), "the reference must get full marks"
    return elapsed, score


def measure(assignments: list[str], repeat: int) -> dict:
    """Median wall time of both ways of grading ``assignments``, alternating, after a warm-up."""
    grade(assignments, in_process=True)  # warm up imports and caches
    grade(assignments, in_process=False)
    base, boxed = [], []
    for _ in range(repeat):
        base.append(grade(assignments, in_process=True)[0])
        boxed.append(grade(assignments, in_process=False)[0])
    row = {
        "assignments": " ".join(assignments),
        "in_process_s": statistics.median(base),
        "sandboxed_s": statistics.median(boxed),
    }
    row["ratio"] = row["sandboxed_s"] / row["in_process_s"]
    return row


def main() -> dict:
    """The whole course's row, with one row per assignment under "per_assignment"."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows = [measure([name], args.repeat) for name in ASSIGNMENTS]
    total = measure(list(ASSIGNMENTS), args.repeat)
    total["per_assignment"] = rows
    for row in [*rows, total]:
        print(
            f"grading the reference ({row['assignments']}), median of {args.repeat}: "
            f"in-process {row['in_process_s']:.3f} s, sandboxed {row['sandboxed_s']:.3f} s, "
            f"ratio {row['ratio']:.2f}"
        )
    return total


if __name__ == "__main__":
    main()
