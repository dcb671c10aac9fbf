"""The ``aimath`` command: parses arguments and calls one function per verb.

aimath build [--check]
aimath check [ASSIGNMENT ...] [--submission PATH] [--hidden] [--json PATH]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def cmd_build(args: argparse.Namespace) -> int:
    from .release import ReleaseError, build_assignments

    try:
        report = build_assignments(args.solutions, args.assignments, check=args.check)
    except (ReleaseError, FileNotFoundError) as exc:
        print(f"aimath build: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.check:
        for path in report.drifted:
            print(f"drifted: {path} differs from what `aimath build` generates")
        for path in report.missing:
            print(f"missing: {path} (run `aimath build`)")
        if report.drifted or report.missing:
            return EXIT_FAILED
        print(f"{args.assignments}: {len(report.unchanged)} stubs up to date")
        return EXIT_OK
    for path in report.written:
        print(f"wrote {path}")
    print(f"{len(report.written)} written, {len(report.unchanged)} unchanged")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from .course import ASSIGNMENTS
    from .plugin import GraderError, run_graders
    from .report import print_check_report

    submission = Path(args.submission)
    assignments = list(args.assignment)
    if submission.is_file():  # a single file: grade it as its assignment
        assignments = assignments or [submission.stem]
        if submission.suffix not in (".py", ".ipynb") or submission.stem not in ASSIGNMENTS:
            print(f"aimath check: {submission} is not an assignment file", file=sys.stderr)
            return EXIT_USAGE
        submission = submission.parent
    if not submission.is_dir():
        print(f"aimath check: no submission folder at {submission}", file=sys.stderr)
        return EXIT_USAGE
    unknown = [a for a in assignments if a not in ASSIGNMENTS]
    if unknown:
        print(f"aimath check: unknown assignment {', '.join(unknown)} "
              f"(known: {', '.join(ASSIGNMENTS)})", file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    try:
        results = run_graders(
            submission, assignments or None, hidden=args.hidden, student=args.student,
            solutions=args.solutions, json_path=args.json,
        )  # fmt: skip
    except GraderError as exc:
        print(f"aimath check: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print_check_report(results, Console(), source=str(args.submission))
    return EXIT_OK if results and all(r.status == "passed" for r in results) else EXIT_FAILED


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aimath", description="AI Math autograder")
    verbs = parser.add_subparsers(dest="verb", required=True)

    build = verbs.add_parser("build", help="generate assignments/ stubs from solutions/")
    build.add_argument("--check", action="store_true", help="exit 1 if assignments/ has drifted")
    build.add_argument("--solutions", type=Path, default=Path("solutions"))
    build.add_argument("--assignments", type=Path, default=Path("assignments"))
    build.set_defaults(run=cmd_build)

    check = verbs.add_parser("check", help="run the graders on one submission")
    check.add_argument("assignment", nargs="*", help="assignments to check (default: all)")
    check.add_argument("--submission", default="assignments",
                       help="submission folder or file (default: ./assignments)")  # fmt: skip
    check.add_argument("--hidden", action="store_true", help="also run hidden tests (instructors)")
    check.add_argument("--json", type=Path, help="write Gradescope results.json to this path")
    check.add_argument("--student", help="student id (seeds random inputs)")
    check.add_argument("--solutions", type=Path, help="reference solutions (for hidden tests)")
    check.set_defaults(run=cmd_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 for --help
        return int(exc.code or 0)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
