"""The ``aimath`` command: parses arguments and calls one function per verb.

aimath build [--check]
aimath release --out DIR [--force] | --scan PATH
aimath check [ASSIGNMENT ...] [--submission PATH] [--hidden] [--json PATH] [--html PATH]
             [--lang en|ko]
             [--test-budget S] [--submission-budget S]
aimath grade SUBMISSIONS [--out DIR] [-j N] [--assignment A ...] [--force]
             [--executor local|dask] [--scheduler ADDRESS] [--reveal-hidden] [--call-timeout S]
             [--test-budget S] [--submission-budget S] [--lang en|ko]
aimath report [RESULTS_DIR] [--lang en|ko]
aimath mutants [ASSIGNMENT ...] [-j N] [--sample K [--seed S]] [--id ID ...] [--report PATH]
               [--force] [--call-timeout S] [--list] [--course DIR]
aimath gradescope bundle ASSIGNMENT ... [--out autograder.zip] [--hidden-visibility V]
                  [--reveal-hidden] [--course DIR] | run [--root /autograder]
aimath export [--format canvas|moodle|csv] [--out DIR] [--to PATH] [--deadline [A=]TIME]
              [--late-penalty PCT]
aimath override STUDENT ASSIGNMENT SCORE --reason TEXT | --remove | --list [--out DIR]
aimath nbgrader export COURSE_DIR [ASSIGNMENT ...] [--course-id ID] [--course DIR]
                | import --db URL [--out DIR] [--course-id ID]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def cmd_build(args: argparse.Namespace) -> int:
    from .course import STUB_MANIFEST
    from .release import ReleaseError, build_assignments

    try:
        report = build_assignments(
            args.solutions, args.assignments, check=args.check, manifest=STUB_MANIFEST
        )
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
        notebooks = sum(path.suffix == ".ipynb" for path in report.unchanged)
        stubs = sum(path.suffix == ".py" for path in report.unchanged)
        print(f"{args.assignments}: {stubs} stubs and {notebooks} notebooks up to date, "
              "with their manifest")  # fmt: skip
        return EXIT_OK
    for path in report.written:
        print(f"wrote {path}")
    print(f"{len(report.written)} written, {len(report.unchanged)} unchanged")
    return EXIT_OK


def _say_protections_off(console: Console) -> None:
    """The top of a grading run says which sandbox protections are off here, if any."""
    from .sandbox.process import protections_off

    off = protections_off()
    if off:
        console.print(
            f"Sandbox: these protections are off here: {'; '.join(off)} "
            "(see the README's threat model; grade a class as root)",
            style="yellow", soft_wrap=True, highlight=False,
        )  # fmt: skip


def cmd_release(args: argparse.Namespace) -> int:
    from .bundle import release_course, scan_release
    from .release import ReleaseError

    _use_course(args.course)
    if args.scan is not None:
        if not args.scan.exists():
            print(f"aimath release: nothing at {args.scan}", file=sys.stderr)
            return EXIT_USAGE
        leaks = scan_release(args.scan, solutions_dir=args.solutions, hidden_dir=args.hidden_tests)
        for leak in leaks:
            print(f"LEAK {leak}")
        print(f"{args.scan}: {len(leaks)} leaks" if leaks else f"{args.scan}: no leaks found")
        return EXIT_FAILED if leaks else EXIT_OK
    if args.out is None:
        print("aimath release: give --out DIR (or --scan PATH)", file=sys.stderr)
        return EXIT_USAGE
    try:
        report = release_course(
            args.out, solutions_dir=args.solutions, hidden_dir=args.hidden_tests, force=args.force
        )
    except ReleaseError as exc:
        print(f"aimath release: {exc}", file=sys.stderr)
        return EXIT_FAILED
    secrets = report.secrets
    print(f"wrote {report.out}: {len(report.files)} files, {report.size_bytes / 1024:.0f} KiB")
    if secrets is not None:
        print(
            f"leak scan: no leaks ({len(secrets.solution_lines)} solution lines, "
            f"{len(secrets.hidden_lines)} hidden-test lines, {len(secrets.hidden_values)} hidden "
            "values looked for in every file)"
        )
    print(f"students install it with: pip install {report.out}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    import os

    from .cireport import attempted_only_note, exit_status, write_junit, write_step_summary
    from .course import ASSIGNMENTS
    from .plugin import GraderError, run_graders
    from .terminal import print_check_report

    _use_course(args.course)
    submission = Path(args.submission)
    assignments = list(args.assignment)
    if submission.is_symlink():  # it could point at any file this process may read
        print(f"aimath check: {submission} is a symbolic link, which is never followed; give "
              "the file or folder itself", file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    if submission.is_file():  # a single file: grade it as its assignment
        assignments = assignments or [submission.stem]
        if submission.suffix not in (".py", ".ipynb") or submission.stem not in ASSIGNMENTS:
            import difflib

            from .intake import assignment_file_names

            close = difflib.get_close_matches(submission.name.lower(), assignment_file_names(),
                                              n=1, cutoff=0.75)  # fmt: skip
            hint = (
                f" (did you mean {close[0]}? files are graded by their exact names)"
                if close
                else ""
            )
            print(f"aimath check: {submission} is not an assignment file{hint}", file=sys.stderr)
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
    from .i18n import choose_lang

    try:
        lang = choose_lang(getattr(args, "lang", None))
    except ValueError as exc:
        print(f"aimath check: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.hidden:  # an instructor's check; a student's own self-check needs no warning
        _say_protections_off(Console(highlight=False))
    notes: dict[str, list[str]] = {}
    try:
        results = run_graders(
            submission, assignments or None, hidden=args.hidden, student=args.student,
            solutions=args.solutions, json_path=args.json, notes=notes,
            test_budget_s=args.test_budget, submission_budget_s=args.submission_budget,
            lang=lang,
        )  # fmt: skip
    except GraderError as exc:
        print(f"aimath check: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print_check_report(results, Console(), source=str(args.submission), notes=notes, lang=lang)
    if args.html:
        from .student_page import StudentFeedback, render_html

        feedback = StudentFeedback.from_check(results, notes, submission, student=args.student)
        try:
            args.html.write_text(render_html(feedback, lang=lang), encoding="utf-8")
        except OSError as exc:
            print(f"aimath check: cannot write {args.html}: {exc.strerror}", file=sys.stderr)
            return EXIT_USAGE
        print(f"wrote {args.html}")
    if args.attempted_only and (note := attempted_only_note(results)):
        print(f"--attempted-only: {note}")
    summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
    try:
        if args.junit:
            write_junit(results, args.junit)
        if summary_path:
            write_step_summary(results, Path(summary_path))
    except OSError as exc:
        print(f"aimath check: cannot write {exc.filename}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    return exit_status(results, attempted_only=args.attempted_only)


def cmd_grade(args: argparse.Namespace) -> int:
    from .batch import UsageError, grade_class
    from .class_report import class_summary
    from .gradebook import Gradebook
    from .i18n import choose_lang
    from .integrations.lms import late_lines, parse_deadlines
    from .terminal import ClassProgress, print_class_summary

    console = Console(highlight=False)
    _use_course(args.course)
    try:
        deadlines = parse_deadlines(args.deadline or ())
        lang = choose_lang(args.lang)
    except ValueError as exc:
        print(f"aimath grade: {exc}", file=sys.stderr)
        return EXIT_USAGE
    _say_protections_off(console)
    try:
        with ClassProgress(console) as progress:
            run = grade_class(
                args.submissions, out_dir=args.out, jobs=args.jobs, assignments=args.assignment,
                force=args.force, executor=args.executor, scheduler=args.scheduler,
                reveal_hidden=args.reveal_hidden, timeout_s=args.call_timeout,
                test_budget_s=args.test_budget, submission_budget_s=args.submission_budget,
                deadlines=deadlines, progress=progress.start, lang=lang,
            )  # fmt: skip
    except UsageError as exc:
        print(f"aimath grade: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("aimath grade: interrupted; run it again to finish the class", file=sys.stderr)
        return EXIT_INTERRUPTED
    with Gradebook(args.out / "gradebook.sqlite") as book:
        print_class_summary(run, class_summary(book, run.recorded), console, lang=lang)
        late = late_lines(book, run.recorded)
    if late:
        console.print(f"Late ({len(late)}; no penalty applied, see aimath export --late-penalty):",
                      markup=False, soft_wrap=True)  # fmt: skip
        for line in late:
            console.print(f"  {line}", markup=False, soft_wrap=True)
    if args.nbgrader_db:
        _import_to_nbgrader(args.out, args.nbgrader_db, args.nbgrader_course_id)
    return run.exit_status


def cmd_report(args: argparse.Namespace) -> int:
    from .class_report import ReportError, write_report
    from .i18n import choose_lang

    try:
        lang = choose_lang(args.lang)
    except ValueError as exc:  # AIMATH_LANG set to another language
        print(f"aimath report: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        path = write_report(args.results, lang)
    except ReportError as exc:
        print(f"aimath report: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(path)
    return EXIT_OK


def cmd_mutants(args: argparse.Namespace) -> int:
    import os

    from .mutants import (
        MutantsError,
        MutantsProgress,
        list_mutants,
        print_mutants_summary,
        run_mutants,
    )

    console = Console(highlight=False)
    _use_course(args.course)
    if args.list:
        try:
            for mutant in list_mutants(args.assignment):
                console.print(f"{mutant.id} {mutant.description}", soft_wrap=True, markup=False)
        except MutantsError as exc:
            print(f"aimath mutants: {exc}", file=sys.stderr)
            return EXIT_USAGE
        return EXIT_OK
    if args.jobs is not None and args.jobs < 1:
        print(f"aimath mutants: -j must be at least 1, not {args.jobs}", file=sys.stderr)
        return EXIT_USAGE
    _say_protections_off(console)
    try:
        with MutantsProgress(console) as progress:
            run = run_mutants(
                args.assignment, jobs=args.jobs or os.cpu_count() or 1, sample=args.sample,
                seed=args.seed, report=args.report, only=args.id or (), force=args.force,
                call_timeout_s=args.call_timeout, progress=progress.start,
            )  # fmt: skip
    except MutantsError as exc:
        print(f"aimath mutants: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("aimath mutants: interrupted; run it again to finish (graded mutants are kept)",
              file=sys.stderr)  # fmt: skip
        return EXIT_INTERRUPTED
    print_mutants_summary(run, console)
    return run.exit_status


def cmd_gradescope(args: argparse.Namespace) -> int:
    from .integrations import gradescope

    if args.action == "run":
        return gradescope.run_autograder(args.root)
    _use_course(args.course)
    try:
        report = gradescope.build_bundle(
            args.assignment, args.out, hidden_visibility=args.hidden_visibility,
            reveal_hidden=args.reveal_hidden,
        )  # fmt: skip
    except gradescope.BundleError as exc:
        print(f"aimath gradescope bundle: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {report.out}: {len(report.members)} files, {report.size_bytes / 1024:.0f} KiB "
          "(instructor-side: it holds the solutions and hidden graders; upload it to Gradescope "
          "as the assignment's autograder)")  # fmt: skip
    return EXIT_OK


def cmd_nbgrader(args: argparse.Namespace) -> int:
    from .integrations import nbgrader

    if args.action == "import":
        return _import_to_nbgrader(args.out, args.db, args.course_id)
    _use_course(args.course)
    try:
        report = nbgrader.export_course(args.course_dir, args.assignment,
                                        course_id=args.course_id)  # fmt: skip
    except nbgrader.ExportError as exc:
        print(f"aimath nbgrader export: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for export in report.assignments:
        print(f"{export.summary()}: {export.notebook}")
        for test in export.left_out:
            print(f"  left out {test.name} ({test.points:g} points): {test.reason}")
    print(f"wrote the nbgrader course {report.course_dir} (instructor-side: source/ holds the "
          "solutions and hidden tests); release with `nbgrader generate_assignment ASSIGNMENT` "
          "there")  # fmt: skip
    return EXIT_OK


def _import_to_nbgrader(out: Path, db_url: str, course_id: str) -> int:
    from .gradebook import Gradebook
    from .integrations.nbgrader import import_scores

    book_path = out / "gradebook.sqlite"
    if not book_path.is_file():
        print(f"aimath nbgrader import: no gradebook at {book_path} (run aimath grade)",
              file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    with Gradebook(book_path) as book:
        report = import_scores(book, db_url, course_id=course_id)
    print(f"nbgrader gradebook {db_url}: {report.submissions} submissions, {report.grades} grades "
          f"(course {course_id})")  # fmt: skip
    for line in report.skipped:
        print(f"  skipped {line}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from .gradebook import Gradebook
    from .integrations.lms import export_grades, parse_deadlines

    book_path = args.out / "gradebook.sqlite"
    if not book_path.is_file():
        print(f"aimath export: no gradebook at {book_path} (run aimath grade)", file=sys.stderr)
        return EXIT_USAGE
    try:
        deadlines = parse_deadlines(args.deadline or ())
    except ValueError as exc:
        print(f"aimath export: {exc}", file=sys.stderr)
        return EXIT_USAGE
    target = args.to or args.out / f"grades-{args.format}.csv"
    with Gradebook(book_path) as book:
        rows = export_grades(book, target, args.format, deadlines=deadlines,
                             late_penalty_pct=args.late_penalty)  # fmt: skip
    late = sum(r.late_by_s > 0 for r in rows)
    overridden = sum(r.override is not None for r in rows)
    print(f"wrote {target}: {len({r.student for r in rows})} students, "
          f"{len({r.assignment for r in rows})} assignments, {late} late, {overridden} set by hand")  # fmt: skip
    return EXIT_OK


def cmd_override(args: argparse.Namespace) -> int:
    from .gradebook import Gradebook, write_grades_csv

    book_path = args.out / "gradebook.sqlite"
    if not book_path.is_file():
        print(f"aimath override: no gradebook at {book_path}", file=sys.stderr)
        return EXIT_USAGE
    with Gradebook(book_path) as book:
        if args.list or not args.student:
            for o in book.overrides().values():
                print(f"{o.student} {o.assignment} {o.score:g} ({o.set_at}): {o.reason}")
            return EXIT_OK
        if args.assignment is None:
            print("aimath override: give STUDENT ASSIGNMENT [SCORE]", file=sys.stderr)
            return EXIT_USAGE
        if args.remove:
            if not book.remove_override(args.student, args.assignment):
                print(f"aimath override: no override for {args.student} {args.assignment}",
                      file=sys.stderr)  # fmt: skip
                return EXIT_USAGE
        else:
            if args.score is None or not args.reason:
                print("aimath override: give the SCORE and --reason", file=sys.stderr)
                return EXIT_USAGE
            book.set_override(args.student, args.assignment, args.score, reason=args.reason)
        write_grades_csv(book, args.out / "grades.csv", book.students())
    print(f"{'removed' if args.remove else 'set'}: {args.student} {args.assignment}; "
          f"{args.out / 'grades.csv'} rewritten (regrades keep it)")  # fmt: skip
    return EXIT_OK


def _use_course(course: Path | None) -> None:
    """Point this process (and the grading processes it starts) at an instructor's course folder."""
    if course is not None:
        import os

        os.environ["AIMATH_COURSE"] = str(Path(course).resolve())


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    for name in ("aimath-autograder", "aimath-course"):
        try:
            return f"aimath {version(name)} ({name})"
        except PackageNotFoundError:
            continue
    return "aimath (not installed)"


def _seconds(text: str) -> float:
    """An argparse type: a positive, finite number of seconds."""
    from .plugin import positive_seconds

    try:
        return positive_seconds(text, "it")
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a positive number of seconds, not {text!r}"
        ) from None


def _add_budgets(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--test-budget", type=_seconds, metavar="S",
                        help="time budget in seconds of all the calls of one test "
                             "(default: each assignment's; budget markers still win)")  # fmt: skip
    parser.add_argument("--submission-budget", type=_seconds, metavar="S",
                        help="time budget in seconds of all the tests of one assignment for one "
                             "student (default: each assignment's)")  # fmt: skip


def _add_lang(parser: argparse.ArgumentParser, what: str) -> None:
    from .i18n import LANGS

    parser.add_argument("--lang", choices=LANGS,
                        help=f"language {what} (default: $AIMATH_LANG, else the locale's, else en)")  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aimath", description="AI Math autograder")
    parser.add_argument("--version", action="version", version=_version())
    verbs = parser.add_subparsers(dest="verb", required=True)

    build = verbs.add_parser("build", help="generate assignments/ stubs from solutions/")
    build.add_argument("--check", action="store_true", help="exit 1 if assignments/ has drifted")
    build.add_argument("--solutions", type=Path, default=Path("solutions"))
    build.add_argument("--assignments", type=Path, default=Path("assignments"))
    build.set_defaults(run=cmd_build)

    release = verbs.add_parser(
        "release", help="write the student bundle (stubs, notebooks, public graders), leak-scanned"
    )
    release.add_argument("--out", type=Path, metavar="DIR", help="folder to write the bundle to")
    release.add_argument("--scan", type=Path, metavar="PATH",
                         help="only scan PATH (a folder, zip or file) for leaks")  # fmt: skip
    release.add_argument("--force", action="store_true", help="replace a non-empty --out folder")
    release.add_argument("--course", type=Path, metavar="DIR",
                         help="the course repository (default: this checkout or the current folder)")  # fmt: skip
    release.add_argument("--solutions", type=Path, help="reference solutions (default: solutions/)")
    release.add_argument("--hidden-tests", type=Path, metavar="DIR",
                         help="hidden graders (default: hidden/)")  # fmt: skip
    release.set_defaults(run=cmd_release)

    check = verbs.add_parser("check", help="run the graders on one submission")
    check.add_argument("assignment", nargs="*", help="assignments to check (default: all)")
    check.add_argument("--submission", default="assignments",
                       help="submission folder or file (default: ./assignments)")  # fmt: skip
    check.add_argument("--hidden", action="store_true", help="also run hidden tests (instructors)")
    check.add_argument("--json", type=Path, help="write Gradescope results.json to this path")
    check.add_argument("--html", type=Path, metavar="PATH",
                       help="write the feedback page (self-contained HTML) to this path")  # fmt: skip
    _add_lang(check, "of the report and the feedback page")
    check.add_argument("--student", help="student id (seeds random inputs)")
    check.add_argument("--solutions", type=Path, help="reference solutions (for hidden tests)")
    check.add_argument("--course", type=Path, metavar="DIR",
                       help="the course repository with solutions/ and hidden/ (instructors)")  # fmt: skip
    check.add_argument("--junit", type=Path, metavar="PATH", help="write JUnit XML to this path")
    check.add_argument("--attempted-only", action="store_true",
                       help="exit 0 when every started assignment passed (not started ones do not count)")  # fmt: skip
    _add_budgets(check)
    check.set_defaults(run=cmd_check)

    grade = verbs.add_parser("grade", help="grade a whole class: gradebook, grades.csv, feedback")
    grade.add_argument("submissions", type=Path,
                       help="folder with one folder or zip file per student (named by student id)")  # fmt: skip
    grade.add_argument("--out", type=Path, default=Path("results"),
                       help="output folder (default: ./results)")  # fmt: skip
    grade.add_argument("-j", "--jobs", type=int, default=None,
                       help="students graded at once (default: the number of cores)")  # fmt: skip
    grade.add_argument("--assignment", action="extend", nargs="+", metavar="A",
                       help="grade only these assignments (default: all)")  # fmt: skip
    grade.add_argument("--force", action="store_true",
                       help="regrade students whose files and graders are unchanged")  # fmt: skip
    grade.add_argument("--executor", choices=("local", "dask"), default="local",
                       help="local process pool (default) or a Dask cluster")  # fmt: skip
    grade.add_argument("--scheduler", metavar="ADDRESS",
                       help="Dask scheduler, e.g. tcp://host:8786 (default: a LocalCluster)")  # fmt: skip
    grade.add_argument("--reveal-hidden", action="store_true",
                       help="show hidden tests' output in the feedback files")  # fmt: skip
    grade.add_argument("--call-timeout", type=_seconds, metavar="S",
                       help="time limit per call in seconds (default: each assignment's)")  # fmt: skip
    _add_budgets(grade)
    grade.add_argument("--deadline", action="append", metavar="[ASSIGNMENT=]TIME",
                       help="record a deadline (ISO 8601, e.g. 2026-03-01T23:59+09:00; for one "
                            "assignment or all); late submissions are shown, never penalised")  # fmt: skip
    grade.add_argument("--course", type=Path, metavar="DIR",
                       help="the course repository with solutions/ and hidden/ "
                            "(default: $AIMATH_COURSE, this checkout, or the current folder)")  # fmt: skip
    grade.add_argument("--nbgrader-db", metavar="URL",
                       help="also write the scores into this nbgrader gradebook (e.g. "
                            "sqlite:///course/gradebook.db), as aimath nbgrader import does")  # fmt: skip
    grade.add_argument("--nbgrader-course-id", default="aimath",
                       help="nbgrader's course id for --nbgrader-db (default: aimath)")  # fmt: skip
    _add_lang(grade, "of the feedback files and the class summary")
    grade.set_defaults(run=cmd_grade)

    report = verbs.add_parser("report", help="the class report for the instructor: report.html")
    report.add_argument("results", type=Path, nargs="?", default=Path("results"),
                        help="the folder aimath grade wrote (default: ./results)")  # fmt: skip
    _add_lang(report, "of the report")
    report.set_defaults(run=cmd_report)

    mutants = verbs.add_parser(
        "mutants", help="mutation testing of the graders: grade mutants of the reference solutions"
    )
    mutants.add_argument("assignment", nargs="*", help="assignments to mutate (default: all)")
    mutants.add_argument("-j", "--jobs", type=int, default=None,
                         help="mutants graded at once (default: the number of cores; 1 grades "
                              "in this process)")  # fmt: skip
    mutants.add_argument("--sample", type=int, metavar="K",
                         help="grade a random sample of K mutants per assignment "
                              "(default: all)")  # fmt: skip
    mutants.add_argument("--seed", type=int, default=0, metavar="S",
                         help="seed of the sample (default: 0)")  # fmt: skip
    mutants.add_argument("--id", action="extend", nargs="+", metavar="ID",
                         help="grade only the mutants with these ids")  # fmt: skip
    mutants.add_argument("--report", type=Path, default=Path("mutants"), metavar="PATH",
                         help="report folder (one .md and .json per assignment, the store of "
                              "outcomes), or a .md file (default: ./mutants)")  # fmt: skip
    mutants.add_argument("--force", action="store_true",
                         help="grade again mutants whose stored outcome is current")  # fmt: skip
    mutants.add_argument("--call-timeout", type=_seconds, metavar="S",
                         help="time limit per call in seconds, so also what a looping mutant "
                              "costs (default: each assignment's)")  # fmt: skip
    mutants.add_argument("--list", action="store_true",
                         help="only list the mutants (id and change), grade nothing")  # fmt: skip
    mutants.add_argument("--course", type=Path, metavar="DIR",
                         help="the course repository with solutions/ and hidden/ "
                              "(default: $AIMATH_COURSE, this checkout, or the current folder)")  # fmt: skip
    mutants.set_defaults(run=cmd_mutants)
    _add_integrations(verbs)
    return parser


def _add_integrations(verbs) -> None:
    """The verbs of autograder/integrations: gradescope, export (LMS), override; nbgrader."""
    from .integrations.lms import FORMATS

    export = verbs.add_parser("export", help="the gradebook as a Canvas, Moodle or CSV import")
    export.add_argument("--format", choices=FORMATS, default="csv",
                        help="canvas, moodle, or csv: one row per student and assignment (default)")  # fmt: skip
    export.add_argument("--out", type=Path, default=Path("results"),
                        help="the folder aimath grade wrote (default: ./results)")  # fmt: skip
    export.add_argument("--to", type=Path, metavar="PATH",
                        help="the file to write (default: OUT/grades-FORMAT.csv)")  # fmt: skip
    export.add_argument("--deadline", action="append", metavar="[ASSIGNMENT=]TIME",
                        help="deadlines (ISO 8601) besides those recorded by aimath grade")  # fmt: skip
    export.add_argument("--late-penalty", type=float, metavar="PCT",
                        help="take PCT percent of the score per started day late (default: none)")  # fmt: skip
    export.set_defaults(run=cmd_export)

    override = verbs.add_parser("override", help="set a grade by hand (kept across regrades)")
    override.add_argument("student", nargs="?", help="the student id")
    override.add_argument("assignment", nargs="?", help="the assignment")
    override.add_argument("score", nargs="?", type=float, help="the grade to set")
    override.add_argument("--reason", help="why (shown in exports)")
    override.add_argument("--remove", action="store_true", help="drop the override")
    override.add_argument("--list", action="store_true", help="list the overrides")
    override.add_argument("--out", type=Path, default=Path("results"),
                          help="the folder aimath grade wrote (default: ./results)")  # fmt: skip
    override.set_defaults(run=cmd_override)

    gradescope = verbs.add_parser("gradescope", help="Gradescope: the autograder zip, and its run")
    actions = gradescope.add_subparsers(dest="action", required=True)
    bundle = actions.add_parser(
        "bundle", help="write the autograder zip to upload to Gradescope (instructor-side)"
    )
    bundle.add_argument("assignment", nargs="+", help="assignments the zip grades")
    bundle.add_argument("--out", type=Path, default=Path("autograder.zip"),
                        help="the zip to write (default: ./autograder.zip)")  # fmt: skip
    bundle.add_argument("--hidden-visibility", default="after_published",
                        choices=("after_published", "after_due_date", "hidden"),
                        help="Gradescope visibility of hidden tests (default: after_published)")  # fmt: skip
    bundle.add_argument("--reveal-hidden", action="store_true",
                        help="keep hidden tests' output (their inputs and expected values) in "
                             "results.json, shown with their visibility")  # fmt: skip
    bundle.add_argument("--course", type=Path, metavar="DIR",
                        help="the course repository with solutions/ and hidden/ "
                             "(default: $AIMATH_COURSE, this checkout, or the current folder)")  # fmt: skip
    run = actions.add_parser(
        "run", help="what run_autograder calls: grade the submission, write results.json"
    )
    run.add_argument("--root", type=Path, default=Path("/autograder"),
                     help="Gradescope's /autograder folder (default: /autograder)")  # fmt: skip
    gradescope.set_defaults(run=cmd_gradescope)

    nbgrader = verbs.add_parser("nbgrader", help="nbgrader: export a course, import scores")
    actions = nbgrader.add_subparsers(dest="action", required=True)
    export = actions.add_parser(
        "export", help="write an nbgrader course of the assignments (instructor-side)"
    )
    export.add_argument("course_dir", type=Path, help="the nbgrader course folder to write")
    export.add_argument("assignment", nargs="*", help="assignments to export (default: all)")
    export.add_argument("--course-id", default="aimath",
                        help="nbgrader's course id (default: aimath)")  # fmt: skip
    export.add_argument("--course", type=Path, metavar="DIR",
                        help="the course repository with solutions/ and hidden/ "
                             "(default: $AIMATH_COURSE, this checkout, or the current folder)")  # fmt: skip
    into = actions.add_parser(
        "import", help="write aimath's scores into nbgrader's gradebook (formgrader shows them)"
    )
    into.add_argument("--db", required=True, metavar="URL",
                      help="nbgrader's gradebook, e.g. sqlite:///course/gradebook.db")  # fmt: skip
    into.add_argument("--out", type=Path, default=Path("results"),
                      help="the folder aimath grade wrote (default: ./results)")  # fmt: skip
    into.add_argument("--course-id", default="aimath",
                      help="nbgrader's course id (default: aimath)")  # fmt: skip
    nbgrader.set_defaults(run=cmd_nbgrader)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 for --help
        return int(exc.code or 0)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
