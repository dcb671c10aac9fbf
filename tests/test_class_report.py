"""The class report (aimath report): its numbers are the gradebook's, its plots inline SVG, its
untrusted text escaped, its labels in English or Korean."""

from __future__ import annotations

import re
import sqlite3
import stat
import statistics
from html.parser import HTMLParser
from pathlib import Path

import pytest

from autograder.batch import grade_class
from autograder.class_report import (
    REPORT_FILE,
    SIGNALS,
    class_summary,
    render_report,
    write_report,
)
from autograder.cli import main
from autograder.failures import Failure, failure_kind
from autograder.gradebook import Gradebook, SubmissionRecord
from autograder.i18n import msg, raw, text
from autograder.results import TestResult
from tests.test_batch import golden, make_class, reference, stub

L1, L2 = "lec01_vectors", "lec02_matrices"
HOSTILE = "<img src=x onerror=alert(1)>\"&amp;'\x1b[31m\u202e"  # no '/': it is a folder name
HOSTILE_SHOWN = "<img src=x onerror=alert(1)>\"&amp;'[31m"  # what the page shows: no controls


class Page(HTMLParser):
    """The data-key elements of a page (key -> text, data-value), its tags and its text."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.keys: dict[str, str] = {}
        self.values: dict[str, float] = {}
        self.tags: list[str] = []
        self.texts: list[str] = []
        self._open: list[tuple[str, str, list[str]]] = []  # (tag, key, text)
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        key = attrs.get("data-key")
        if key is not None:
            assert key not in self.keys, f"data-key {key!r} given twice"
            self.keys[key] = ""
            if attrs.get("data-value") is not None:
                self.values[key] = float(attrs["data-value"])
        if tag not in ("wbr", "br", "meta", "img", "input"):
            self._open.append((tag, key, []))

    def handle_endtag(self, tag):
        while self._open:
            opened, key, parts = self._open.pop()
            if key is not None:
                self.keys[key] = "".join(parts).strip()
            if self._open:
                self._open[-1][2].extend(parts)
            if opened == tag:
                break

    def handle_data(self, data):
        self.texts.append(data)
        if self._open:
            self._open[-1][2].append(data)

    @property
    def text(self) -> str:
        """What the page says, without its tags (entities decoded)."""
        return "".join(self.texts)

    def number(self, key: str) -> float:
        return float(self.keys[key])

    def fraction(self, key: str) -> tuple[int, int]:
        passed, attempted = self.keys[key].split("/")
        return int(passed), int(attempted)


# -- a class graded once ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Path:
    """A small class: full marks, mistakes with hints, stubs, a loop (time limit and budget),
    an exit (crash), a lying __eq__ (unsupported value), a hostile id and an unreadable zip."""
    root = tmp_path_factory.mktemp("class_report")
    folder = make_class(
        root / "class",
        {
            "ada": {L1: reference(L1), L2: reference(L2)},
            "dami": {L1: golden("lec01_l1_no_abs", L1), L2: golden("lec02_regression_no_intercept", L2)},
            "kim": {L1: stub(L1)},
            "loop": {L1: golden("hostile_infinite_loop", L1)},
            "exit": {L1: golden("hostile_os_exit", L1)},
            "eq": {L1: golden("hostile_lying_eq", L1)},
            HOSTILE: {L1: golden("lec01_angle_degrees", L1)},
        },
    )  # fmt: skip
    (folder / "zed.zip").write_bytes(b"not a zip file at all")
    out = root / "results"
    grade_class(folder, out_dir=out, jobs=2, assignments=[L1, L2], timeout_s=0.2,
                submission_budget_s=5.0)  # fmt: skip
    assert main(["report", str(out), "--lang", "en"]) == 0
    return out


@pytest.fixture(scope="module")
def page(graded) -> str:
    return (graded / REPORT_FILE).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def keys(page) -> Page:
    return Page(page)


@pytest.fixture(scope="module")
def book(graded):
    with Gradebook(graded / "gradebook.sqlite") as b:
        yield b


def test_the_scores_are_the_gradebooks(keys, book):
    db = book.db
    students = [row[0] for row in db.execute("SELECT id FROM students")]
    assert keys.number("students") == len(students) == 8
    totals = dict.fromkeys(students, 0.0)
    for assignment in (L1, L2):
        rows = db.execute(
            "SELECT student, score, max_score FROM submissions WHERE assignment = ? AND "
            "status = 'graded'", (assignment,),
        ).fetchall()  # fmt: skip
        scores = [score for _, score, _ in rows]
        top = max(m for _, _, m in rows)
        assert keys.number(f"submitted:{assignment}") == len(rows)
        assert keys.values[f"mean:{assignment}"] == pytest.approx(statistics.fmean(scores))
        assert keys.number(f"mean:{assignment}") == pytest.approx(
            statistics.fmean(scores), abs=0.05
        )
        assert keys.values[f"median:{assignment}"] == statistics.median(scores)
        assert keys.number(f"max:{assignment}") == top
        assert keys.number(f"full-marks:{assignment}") == sum(s == m for _, s, m in rows)
        for student, score, _ in rows:
            totals[student] += score
    assert (
        keys.number("submitted:lec01_vectors") == 7 and keys.number("submitted:lec02_matrices") == 2
    )
    assert keys.values["total-mean"] == pytest.approx(statistics.fmean(totals.values()))
    assert keys.values["total-median"] == pytest.approx(statistics.median(totals.values()))
    assert keys.number("total-max") == sum(keys.number(f"max:{a}") for a in (L1, L2))
    assert keys.number("full-marks:lec01_vectors") == 1  # ada


def test_each_tests_pass_rate_is_passed_of_attempted(keys, book):
    rows = book.db.execute(
        "SELECT r.number, r.status FROM results r JOIN submissions s ON r.submission_id = s.id "
        "WHERE s.assignment = ? AND s.status = 'graded'", (L1,),
    ).fetchall()  # fmt: skip
    numbers = {number for number, _ in rows}
    assert len(numbers) > 20
    for number in numbers:
        statuses = [status for n, status in rows if n == number]
        expected = (statuses.count("passed"), statuses.count("passed") + statuses.count("failed"))
        assert keys.fraction(f"pass-rate:{L1}:{number}") == expected, number
    # kim's stubs are not attempted: no test was attempted by all seven
    assert all(keys.fraction(f"pass-rate:{L1}:{n}")[1] < 7 for n in numbers)


def test_failures_by_kind_and_cause_and_the_hints_that_fired(keys, book):
    kinds: dict[str, int] = {}
    for student in book.students():
        for r in book.results(student, L1):
            if r.status != "passed":
                kind = failure_kind(r)
                kinds[kind] = kinds.get(kind, 0) + 1
    for kind, n in kinds.items():
        assert keys.number(f"kind:{L1}:{kind.replace(' ', '_')}") == n, kind
    assert {"not attempted", "time limit", "crashed or exited"} <= set(kinds)
    causes = [k for k in keys.keys if k.startswith(f"cause:{L1}:")]
    assert causes and all(keys.number(k) > 0 for k in causes)
    # dami's L1 norm without abs and the hostile student's angle in degrees: their hints fired
    hinted = {}
    for student in book.students():
        for r in book.results(student, L1):
            if r.failure and r.failure.get("hint"):
                hinted.setdefault(r.failure["hint"]["key"], set()).add(student)
    assert {"dami", HOSTILE} <= set().union(*hinted.values())
    assert text("lec01_vectors.hint_l1_norm_no_abs", "en") in keys.text
    hints = sorted((keys.number(k) for k in keys.keys if k.startswith(f"hint:{L1}:")), reverse=True)
    assert hints and hints == sorted(hints, reverse=True)


def test_limits_and_hostile_signs_are_listed_and_explained(keys):
    counts = {name: keys.number(f"signal:{name}") for name in SIGNALS}
    assert counts["rejected"] == 1  # zed.zip
    assert counts["time_limit"] >= 1 and counts["crashed"] >= 1 and counts["unsupported"] >= 1
    assert counts["protocol"] == 0 and counts["grader_error"] == 0
    for name in SIGNALS:  # every sign says what it means
        assert text(f"report.signal_{name}_means", "en") in keys.text
    assert "zed.zip is not a readable zip file" in keys.text


def test_the_grading_times_and_the_slowest(keys, book):
    rows = book.db.execute("SELECT student, run_id, duration_s FROM submissions").fetchall()
    per_grading: dict[tuple[str, int], float] = {}
    for student, run_id, seconds in rows:
        per_grading[student, run_id] = max(per_grading.get((student, run_id), 0.0), seconds)
    timed = sorted(((s, st) for (st, _), s in per_grading.items() if s > 0), reverse=True)
    assert keys.number("gradings") == len(timed)
    assert keys.values["slowest:1:seconds"] == pytest.approx(timed[0][0])
    assert keys.keys["slowest:1:student"] == timed[0][1]
    assert "loop" in [keys.keys[f"slowest:{i}:student"] for i in range(1, len(timed) + 1)]
    assert keys.number("grading-max-s") == pytest.approx(timed[0][0], abs=0.01)


def test_the_page_is_self_contained_with_inline_svg_plots(page, keys):
    assert page.count("<svg") == 2 + 2  # the total, the grading time, one per assignment
    assert "<?xml" not in page and "<!DOCTYPE svg" not in page
    for tag in ("script", "img", "link", "iframe", "object", "embed"):
        assert tag not in keys.tags, tag
    assert not re.search(r'[\s:](src|href)="(?!#)', page), "a link out of the page"
    assert "@import" not in page and "url(http" not in page
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "ids repeat across the plots"


def test_a_hostile_student_id_is_escaped_and_its_control_characters_dropped(page, keys):
    assert "<img" not in page and "onerror=alert(1)>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "\x1b" not in page and "\u202e" not in page
    assert HOSTILE_SHOWN in keys.text


def test_the_report_is_private(graded):
    assert stat.S_IMODE((graded / REPORT_FILE).stat().st_mode) == 0o600


# -- the command --------------------------------------------------------------------------------
def test_aimath_report_prints_the_path_and_says_korean(graded, capsys):
    assert main(["report", str(graded), "--lang", "ko"]) == 0
    assert capsys.readouterr().out.strip() == str(graded / REPORT_FILE)
    korean = (graded / REPORT_FILE).read_text(encoding="utf-8")
    assert '<html lang="ko">' in korean
    said = Page(korean).text
    for key in ("title", "scores", "signals", "times", "signal_time_limit", "col_mean"):
        assert text(f"report.{key}", "ko") in said
    assert text("report.title", "en") not in said and "Pass rate" not in said
    assert "시간 제한 초과" in said and "틀린 답" in said  # kinds, in Korean
    assert main(["report", str(graded), "--lang", "en"]) == 0  # back to English for the others
    assert '<html lang="en">' in (graded / REPORT_FILE).read_text(encoding="utf-8")


def test_aimath_report_follows_aimath_lang(graded, monkeypatch, tmp_path):
    copy = tmp_path / "results"
    copy.mkdir()
    with (
        sqlite3.connect(graded / "gradebook.sqlite") as src,
        sqlite3.connect(copy / "gradebook.sqlite") as dst,
    ):
        src.backup(dst)
    monkeypatch.setenv("AIMATH_LANG", "ko")
    assert main(["report", str(copy)]) == 0
    assert '<html lang="ko">' in (copy / REPORT_FILE).read_text(encoding="utf-8")
    monkeypatch.setenv("AIMATH_LANG", "fr")
    assert main(["report", str(copy)]) == 2


def test_aimath_report_without_a_gradebook_is_a_usage_error(tmp_path, capsys):
    assert main(["report", str(tmp_path / "missing")]) == 2
    assert "no folder" in capsys.readouterr().err
    assert not (tmp_path / "missing").exists()
    (tmp_path / "empty").mkdir()
    assert main(["report", str(tmp_path / "empty")]) == 2
    assert "no gradebook" in capsys.readouterr().err
    assert not (tmp_path / "empty" / "gradebook.sqlite").exists()
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "gradebook.sqlite").write_text("not a database")
    assert main(["report", str(tmp_path / "bad")]) == 2
    assert "cannot be read" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "empty"), "--lang", "fr"]) == 2  # argparse


# -- a gradebook written by hand ----------------------------------------------------------------
def failed(number: str, *, problem=None, hint=None, tags=(), status="failed", kind="wrong answer"):
    failure = None
    if status == "failed" and problem is not None:
        failure = Failure(kind=kind, problem=problem, call="f(1)", hint=hint).to_json()
    return TestResult(
        name=f"test {number}", number=number, score=0.0, max_score=1.0, status=status,
        assignment=L1, output="f(1) went wrong", tags=("public", *tags), failure=failure,
    )  # fmt: skip


def passed(number: str) -> TestResult:
    return TestResult(name=f"test {number}", number=number, score=1.0, max_score=1.0,
                      status="passed", assignment=L1)  # fmt: skip


def store(book, student, results, *, status="graded", message="", problem=None, assignment=L1):
    run = book.start_run(source="c", executor="local", jobs=1)
    subs = []
    if results is not None:
        subs = [SubmissionRecord(assignment, f"{assignment}.py", "0" * 64, "v", results,
                                 status=status, message=message, duration_s=1.5)]  # fmt: skip
    book.record_student(student, source=student, run_id=run, submissions=subs, problem=problem)


@pytest.fixture
def handmade(tmp_path):
    with Gradebook(tmp_path / "results" / "gradebook.sqlite") as book:
        hint = msg("lec01_vectors.hint_l2_norm_no_sqrt")
        store(
            book, "a", [passed("1.1"), failed("1.2", problem=msg("checks.wrong_value"), hint=hint)]
        )
        store(book, "b", [failed("1.1", problem=msg("checks.wrong_value")),
                          failed("1.2", problem=msg("checks.wrong_value"), hint=hint)])  # fmt: skip
        store(book, "c", [failed("1.1", problem=raw("a grader's own words")),
                          failed("1.2", status="not_attempted")])  # fmt: skip
        store(book, "d", [failed("1.1", problem=msg("engine.unsupported"), tags=("kind:ProtocolError",),
                                 kind="crashed or exited"), failed("1.2", status="error")])  # fmt: skip
        store(book, "e", None, problem="e.zip holds a path that leaves its folder: '../x'")
        store(book, "f", [], status="error", message="the grading process failed: <Boom>")
        yield book


def test_causes_hints_and_signs_from_failure_data(handmade):
    keys = Page(render_report(handmade, "en"))
    assert keys.number("cause:lec01_vectors:checks.wrong_value") == 3
    assert keys.number("cause:lec01_vectors:raw:a grader's own words") == 1
    assert "returned a wrong value." in keys.text
    assert keys.number("hint:lec01_vectors:1") == 2
    hint = text("lec01_vectors.hint_l2_norm_no_sqrt", "en")
    assert f"{hint}2a, b" in keys.text.replace("\n", "")  # the hint, how often, to whom
    assert keys.number("kind:lec01_vectors:wrong_answer") == 4
    assert keys.number("kind:lec01_vectors:not_attempted") == 1
    assert keys.number("kind:lec01_vectors:grader_error") == 1
    assert keys.number("signal:protocol") == 1  # the tag, not the kind, decides
    assert keys.number("signal:crashed") == 0
    assert keys.number("signal:rejected") == 1 and keys.number("signal:not_graded") == 1
    assert keys.number("signal:grader_error") == 1
    assert "the grading process failed: <Boom>" in keys.text and "boom" not in keys.tags
    assert keys.fraction("pass-rate:lec01_vectors:1.1") == (1, 4)
    assert keys.fraction("pass-rate:lec01_vectors:1.2") == (0, 2)  # not attempted, grader error
    korean = Page(render_report(handmade, "ko")).text
    assert text("checks.wrong_value", "ko") in korean
    assert text("lec01_vectors.hint_l2_norm_no_sqrt", "ko") in korean


def test_an_empty_gradebook_says_nothing_was_graded(tmp_path, capsys):
    with Gradebook(tmp_path / "gradebook.sqlite"):
        pass
    assert main(["report", str(tmp_path)]) == 0
    page = (tmp_path / REPORT_FILE).read_text(encoding="utf-8")
    assert text("report.nothing_graded", "en") in page and "<svg" not in page
    assert Page(page).keys["students"] == "0"


def test_write_report_returns_the_path(handmade):
    path = write_report(handmade.path.parent, "en")
    assert path == handmade.path.parent / REPORT_FILE and path.is_file()


def test_the_reporting_code_is_split_by_what_it_produces():
    """terminal (printed), student_page (a student's files), class_report (the instructor's page):
    the old feedback.py that mixed them is gone."""
    import importlib.util

    assert importlib.util.find_spec("autograder.feedback") is None
    assert importlib.util.find_spec("autograder.report") is None
    assert callable(class_summary)
