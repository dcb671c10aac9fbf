"""The student's feedback page and results.json: from real grading, in English and Korean, escaped,
self-contained, hidden tests kept hidden, figures as inline SVG, and aimath check --html."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.failures import EXPECTED, RETURNED, Failure, group_failures
from autograder.i18n import catalog, msg, raw, text
from autograder.plugin import run_graders
from autograder.student_page import (
    CSS,
    HIDDEN_NOTE,
    StudentFeedback,
    draw_figure,
    feedback_json,
    hidden_summary,
    render_html,
    write_feedback,
)

from .records import result, store

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "submissions"
SECRET = "expected: 0.5772156649 (the reference's value)"
ATTACK = '<script>alert("x")</script><img src="http://evil.example/x.png">'
LANGS = ("en", "ko")


def checked(folder: Path, assignment: str, *, hidden: bool = False) -> StudentFeedback:
    notes: dict[str, list[str]] = {}
    results = run_graders(folder, [assignment], hidden=hidden, student="page", notes=notes)
    return StudentFeedback.from_check(results, notes, folder, student=folder.name)


@pytest.fixture(scope="module")
def no_sqrt() -> StudentFeedback:
    """lec01 without the square root, public and hidden tests: wrong answers with hints."""
    return checked(GOLDEN / "lec01_no_sqrt", "lec01_vectors", hidden=True)


@pytest.fixture(scope="module")
def descent() -> StudentFeedback:
    """lec03 whose gradient descent stops on the step size: figures of the runs."""
    return checked(GOLDEN / "lec03_stop_on_step_size", "lec03_gradient_descent")


def assert_self_contained(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "<?xml" not in page and "<!DOCTYPE svg" not in page
    assert not re.search(r"<[^>]*\bsrc\s*=", page, re.I), "no external assets"
    links = re.findall(r"<[^>]*\bhref\s*=\s*\"([^\"]*)\"", page, re.I)
    assert all(link.startswith("#") for link in links), f"links out of the page: {links}"
    assert "url(" not in page.replace("url(#", "")


def test_the_page_of_real_grading_in_both_languages(no_sqrt):
    failed = [r for r in no_sqrt.results if r.status == "failed" and not r.hidden]
    first = next(r for r in failed if r.failure and r.failure["hint"])
    failure = Failure.from_json(first.failure)
    for lang in LANGS:
        page = render_html(no_sqrt, lang=lang)
        assert_self_contained(page)
        assert f'<html lang="{lang}">' in page
        for label in ("col_test", "col_points", "col_status", "called", "returned", "hint"):
            assert text(f"page.{label}", lang) in page
        assert text("page.status_failed", lang) in page
        assert f'data-key="total">{no_sqrt.total_line(lang)}<' in page
        assert 'data-key="score:lec01_vectors"' in page
        # what was called, what came back, what was expected, and the hint, in the page's words
        assert failure.call.replace("'", "&#39;") in page
        assert f"<code>{failure.returned}</code>" in page
        assert f"<code>{failure.expected}</code>" in page
        assert failure.problem.render(lang) in page
        assert failure.hint.render(lang) in page
    ko = render_html(no_sqrt, lang="ko")
    assert "잘못된 값을 반환했습니다" in ko and "returned a wrong value" not in ko
    assert "Noto Sans KR" in CSS and "Apple SD Gothic Neo" in CSS and "Malgun Gothic" in CSS


def test_hidden_failures_show_only_their_kind_never_inputs_or_expected_values(no_sqrt):
    hidden = [r for r in no_sqrt.results if r.hidden and r.status == "failed" and r.failure]
    assert hidden, "the golden case fails hidden tests"
    secrets = set()
    for r in hidden:
        failure = Failure.from_json(r.failure)
        secrets |= {s for s in (failure.expected, failure.returned, failure.call) if s}
    secrets = {s for s in secrets if len(s) >= 8}
    public = " ".join(r.output for r in no_sqrt.results if not r.hidden)
    secrets = {s for s in secrets if s not in public}
    assert secrets
    for lang in LANGS:
        page = render_html(no_sqrt, lang=lang)
        data = json.dumps(feedback_json(no_sqrt, lang=lang), ensure_ascii=False)
        for secret in secrets:
            assert secret not in page and secret.replace("'", "&#39;") not in page
            assert json.dumps(secret)[1:-1] not in data
        kind = text("kinds.wrong_answer", lang)
        assert text("page.what_went_wrong", lang, kind=kind) in page
        assert text("page.hidden_note", lang) in page
    # the instructor may ask for them
    assert any(s in render_html(no_sqrt, reveal_hidden=True) for s in secrets)


def test_figures_are_inline_svg_sized_to_scale_in_the_pages_language(descent):
    drawn = [r for r in descent.results if r.figures]
    assert drawn and all(r.status == "failed" for r in drawn)
    assert all(not r.hidden for r in drawn)
    for lang in LANGS:
        page = render_html(descent, lang=lang)
        assert_self_contained(page)
        svgs = re.findall(r"<svg\b[^>]*>", page)
        assert len(svgs) == sum(len(r.figures) for r in drawn)
        assert all('style="width:100%;height:auto"' in s and "viewBox=" in s for s in svgs)
        assert page.count("</svg>") == len(svgs) and "http://" not in page
        title = msg("lec03_gradient_descent.figure_title", x0=3.0, lr=0.01, epsilon=1e-5)
        assert f"<figcaption>{title.render(lang)}</figcaption>".replace("'", "&#39;") in page
    ko = render_html(descent, lang="ko")
    assert "참고 답안" in ko and "Noto Sans KR" in ko.split("<svg", 1)[1]
    # ids are unique in the page, and every reference is to one of them
    ids = re.findall(r'\bid="([^"]+)"', ko)
    assert len(ids) == len(set(ids))
    assert set(re.findall(r'href="#([^"]+)"', ko)) <= set(ids)
    assert set(re.findall(r"url\(#([^)]+)\)", ko)) <= set(ids)


def test_figures_never_change_a_score(descent):
    expected = json.loads((GOLDEN / "lec03_stop_on_step_size" / "expected.json").read_text())
    public = [r for r in descent.results if not r.hidden]
    statuses = expected["assignments"]["lec03_gradient_descent"]["statuses"]
    for r in public:
        name = r.nodeid.split("::")[-1]
        assert r.status == statuses.get(name, "passed"), name


def test_a_figure_of_hostile_numbers_is_drawn_or_left_out_never_evaluated():
    figure = {
        "kind": "line",
        "title": raw("<script>t</script>").to_json(),
        "series": [
            {"label": raw("$\\frac{a}{b}$ <b>").to_json(), "role": "student",
             "x": None, "y": ["__import__('os').system('x')", 1e308, None, True, 2.0, 3.0]},
            {"label": {"key": "no.such.key", "params": {}}, "role": "evil", "x": [1, "2"],
             "y": [1.0, 2.0]},
            {"role": "reference", "y": {"not": "a list"}},
        ],
        "xlabel": 7,
        "log_y": True,
    }  # fmt: skip
    svg = draw_figure(figure, "en")
    assert svg is not None and svg.startswith("<svg ") and "<script" not in svg
    assert "&lt;b&gt;" in svg and "system" not in svg
    assert draw_figure({"kind": "line", "series": [{"y": []}]}) is None
    assert draw_figure({"series": "nope"}) is None and draw_figure({}) is None


def test_what_several_tests_share_is_said_once_before_the_table(tmp_path):
    stubs = checked(REPO / "assignments", "lec01_vectors")
    page = render_html(stubs, lang="ko")
    assert page.count('class="cause ') == 1 and "<article" not in page
    assert "NotImplementedError" in page and "l2_norm" in page
    shared, singles = group_failures(stubs.results, "en", reveal_hidden=False)
    assert len(shared) == 1 and not singles and len(shared[0].members) == len(stubs.results)
    # a file that could not be loaded: one cause, in the page's language
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "lec01_vectors.py").write_text("def l2_norm(x:\n    return 1\n")
    broken = checked(folder, "lec01_vectors", hidden=True)
    for lang in LANGS:
        page = render_html(broken, lang=lang)
        assert page.count('class="cause ') == 1 and "<article" not in page
        assert "SyntaxError" in page
    assert "불러올 수 없습니다" in render_html(broken, lang="ko")


def test_a_page_of_full_marks():
    perfect = checked(REPO / "solutions", "lec01_vectors")
    page = render_html(perfect, lang="ko")
    assert text("page.all_passed", "ko") in page and "<article" not in page
    assert text("page.status_failed", "ko") not in page.split("<table>")[1]


def hostile_feedback(book) -> StudentFeedback:
    call = "l2_norm(\x1b[31m'<b>x</b>')"
    failure = Failure(
        kind="wrong answer", problem=msg("checks.wrong_value"), call=call,
        details=[RETURNED, EXPECTED, "</pre><script>alert(1)</script>"],
        returned="</code><script>alert(2)</script>", expected="0.5", hint=raw("<i>hint</i>"),
        printed=[(call, f"{ATTACK}\x07\x00")],
    )  # fmt: skip
    store(
        book, "mallory<b>",
        [
            result("1.1", "failed", output=f"l2_norm(x) printed\n\nYour code printed:\n{ATTACK}"),
            result("1.2", "failed", hidden=True, output=f"l2_norm(array([0.3])) wrong\n{SECRET}"),
            result("1.3", hidden=True),
            dataclasses.replace(result("1.4", "failed", output="x"), failure=failure.to_json(),
                                name="<script>name</script>\x1b[0m"),
        ],
    )  # fmt: skip
    return StudentFeedback.load(book, "mallory<b>")


def test_html_escapes_student_text_drops_control_characters_and_is_self_contained(book):
    fb = hostile_feedback(book)
    for lang in LANGS:
        page = render_html(fb, lang=lang)
        assert_self_contained(page)
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
        assert "&lt;/code&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in page
        assert "&lt;script&gt;name&lt;/script&gt;" in page and "&lt;i&gt;hint&lt;/i&gt;" in page
        assert "mallory&lt;b&gt;" in page and "mallory<b>" not in page
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", page)
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
        assert "max-width" in page and "<style>" in page


def test_hidden_tests_show_name_and_score_but_not_their_output(book):
    fb = hostile_feedback(book)
    page = render_html(fb)
    assert "test 1.2" in page and "0/1" in page and "(hidden)" in page
    assert "0.5772156649" not in page and "array([0.3])" not in page
    assert HIDDEN_NOTE in page
    data = feedback_json(fb)
    assert "0.5772156649" not in json.dumps(data)
    hidden = [t for t in data["tests"] if t["extra_data"]["hidden"]]
    assert hidden and all(
        t["output"] == f"{HIDDEN_NOTE}\nWhat went wrong: wrong answer."
        for t in hidden
        if t["status"] == "failed"
    )
    assert data["score"] == 1.0
    assert [t["number"] for t in data["tests"]] == ["1.1", "1.2", "1.3", "1.4"]
    # ... unless the instructor asks
    assert "0.5772156649" in render_html(fb, reveal_hidden=True)
    assert "0.5772156649" in json.dumps(feedback_json(fb, reveal_hidden=True))


def test_results_json_in_korean(no_sqrt):
    data = feedback_json(no_sqrt, lang="ko")
    assert data["output"].splitlines()[0] == no_sqrt.total_line("ko").strip()
    assert data["output"].startswith("총점: ")
    visible = [
        t for t in data["tests"] if t["status"] == "failed" and not t["extra_data"]["hidden"]
    ]
    assert visible and all("잘못된 값을 반환했습니다" in t["output"] for t in visible)
    hidden = [t for t in data["tests"] if t["status"] == "failed" and t["extra_data"]["hidden"]]
    assert hidden and all(t["output"].startswith(text("page.hidden_note", "ko")) for t in hidden)
    assert all("failure" not in t["extra_data"] for t in hidden)
    english = feedback_json(no_sqrt)
    by_number = {r.number: r for r in no_sqrt.results}
    for t in english["tests"]:
        if not t["extra_data"]["hidden"]:
            assert t["output"] == by_number[t["number"]].output  # en: the record's own text


def test_not_submitted_rejected_and_grader_error_are_told_apart(book, tmp_path):
    store(book, "eve", [], status="error", message="GraderError: graders failed: def test_secret")
    run = book.start_run(source="c", executor="local", jobs=1)
    book.record_student(
        "zed", source="zed.zip", run_id=run, problem="zed.zip holds a symbolic link"
    )
    write_feedback(book, tmp_path / "fb", ["eve", "zed"])
    eve = (tmp_path / "fb" / "eve.html").read_text()
    assert "the grader itself broke" in eve and "test_secret" not in eve  # no grader internals
    assert "lec02_matrices" in eve and "Not submitted." in eve
    zed = json.loads((tmp_path / "fb" / "zed.json").read_text())
    assert zed["score"] == 0 and zed["tests"] == []
    assert zed["output"].startswith("Your submission was not graded: zed.zip holds a symbolic link")
    assert "symbolic link" in (tmp_path / "fb" / "zed.html").read_text()
    write_feedback(book, tmp_path / "ko", ["eve"], lang="ko")
    eve = (tmp_path / "ko" / "eve.html").read_text()
    assert '<html lang="ko">' in eve and "채점기 자체에 문제가 생겼습니다" in eve
    assert "제출하지 않았습니다." in eve


def test_the_total_is_out_of_every_graded_assignment_and_says_how_many_were_handed_in(book):
    store(book, "ada", [result("1.1"), result("1.2")])
    store(book, "ada", [result("2.1", assignment="lec02_matrices")], assignment="lec02_matrices")
    store(book, "hana", [result("1.1"), result("1.2", "failed")])
    hana = StudentFeedback.load(book, "hana")
    assert hana.total_line() == "Total: 1/3 points (1 of 2 assignments handed in, 1/2 on it)"
    assert hana.total_line() in render_html(hana)
    assert hana.total_line("ko") == "총점: 1/3점 (과제 2개 중 1개 제출, 제출한 과제에서 1/2점)"
    assert feedback_json(hana)["output"].splitlines()[0] == hana.total_line()
    assert StudentFeedback.load(book, "ada").total_line() == "Total: 3/3 points"


def test_table_cells_do_not_break_words_the_page_does_not_either():
    """At any width, a status ("passed") or a header ("points") stays whole: only the long test
    names in their own column may wrap anywhere."""
    assert "overflow-wrap:anywhere}" not in CSS.split("td.name")[0]
    assert "th,td.pts,td.status{white-space:nowrap}" in CSS


@pytest.mark.parametrize(
    "output, tags, kind",
    [
        ("f(x) returned a wrong value.\n  returned: 1.0\n  expected: 2.5", ("kind:CheckError",),
         "wrong answer"),
        ("f(x) returned an array of shape (3,); expected shape (2,)\n  returned: array([1, 2, 3])",
         ("kind:CheckError",), "wrong shape"),
        ("f(x) did not finish within its time limit of 10 s and was stopped", ("kind:CallTimeout",),
         "time limit"),
        ("f(x) raised ValueError: secret input 0.5772156649", ("kind:StudentRaised",),
         "raised an exception"),
    ],
)  # fmt: skip
def test_a_hidden_failure_tells_its_kind_and_nothing_else(output, tags, kind):
    r = dataclasses.replace(result("9.1", "failed", hidden=True, output=output), tags=tags)
    assert hidden_summary(r) == f"{HIDDEN_NOTE}\nWhat went wrong: {kind}."
    data = feedback_json(StudentFeedback("s", [r], []))
    assert data["tests"][0]["output"] == hidden_summary(r)
    assert "0.5772156649" not in json.dumps(data) and "2.5" not in json.dumps(data)
    assert hidden_summary(dataclasses.replace(r, status="passed")) == HIDDEN_NOTE


def test_every_page_label_is_in_both_languages():
    page = {k: v for k, v in catalog().items() if k.startswith("page.")}
    assert page and all(set(v) == {"en", "ko"} and v["en"] and v["ko"] for v in page.values())
    template = (REPO / "autograder" / "templates" / "student.html.j2").read_text()
    for key in re.findall(r"""\bt\("(\w+)\"""", template):
        assert f"page.{key}" in page, key


def test_aimath_check_html_writes_the_page(tmp_path):
    folder = tmp_path / "hana"
    shutil.copytree(GOLDEN / "lec01_no_sqrt", folder)
    out = tmp_path / "page.html"
    args = ["check", "lec01_vectors", "lec02_matrices", "--submission", str(folder)]
    assert main([*args, "--html", str(out), "--lang", "ko"]) == 1
    page = out.read_text(encoding="utf-8")
    assert '<html lang="ko">' in page and "hana 님의 피드백" in page
    assert "lec01_vectors" in page and "제출하지 않았습니다." in page  # lec02 not handed in
    assert "lec03_gradient_descent" not in page  # only what was checked
    assert main([*args, "--html", str(tmp_path / "no" / "such" / "dir.html")]) == 2


def test_a_bad_language_is_a_usage_error(tmp_path, monkeypatch, capsys):
    assert main(["check", "lec01_vectors", "--lang", "fr"]) == 2
    assert main(["grade", str(tmp_path), "--lang", "de"]) == 2
    monkeypatch.setenv("AIMATH_LANG", "fr")
    assert main(["grade", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert "AIMATH_LANG" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_aimath_grade_writes_the_feedback_in_its_language(tmp_path):
    klass = tmp_path / "class"
    shutil.copytree(GOLDEN / "lec01_no_sqrt", klass / "dami")
    (klass / "dami" / "expected.json").unlink()
    out = tmp_path / "results"
    args = ["grade", str(klass), "--out", str(out), "--assignment", "lec01_vectors", "-j", "1"]
    assert main([*args, "--lang", "ko"]) == 0
    page = (out / "feedback" / "dami.html").read_text(encoding="utf-8")
    assert '<html lang="ko">' in page and "힌트" in page
    data = json.loads((out / "feedback" / "dami.json").read_text(encoding="utf-8"))
    assert data["output"].startswith("총점: ")


def test_grader_figures_swallow_their_own_errors_and_keep_the_checks_failure():
    import sympy as sym

    from autograder import figures
    from autograder.graders.lec03_gradient_descent.plots import descent_figure
    from autograder.graders.lec04_sgd.plots import gd_loss_figure
    from autograder.graders.lec10_rnn.plots import norms_figure

    x = sym.Symbol("x")
    X, y = [[1.0], [2.0], [3.0]], [1.0, 2.0, 3.0]
    hostile = [("x", None), object(), [[1, 2]], float("nan"), "1e308"]
    figures.start()
    try:
        for value in hostile:
            for context in (
                descent_figure(value, x**2, 3.0, 0.1),
                descent_figure(value, "not an expression", 3.0),
                gd_loss_figure(value, X, y, [0.0, 0.0], lr=0.01, n_iter=50),
                norms_figure(value, [1.0, 0.5]),
            ):
                with pytest.raises(AssertionError, match="the check"), context:
                    raise AssertionError("the check")
        with descent_figure((0.5, 3), x**2, 3.0, 0.1):
            pass  # a check that passes: nothing is drawn
    finally:
        recorded = figures.take()
    assert recorded and all(f["kind"] in ("path", "line") for f in recorded)
    assert all(draw_figure(f) for f in recorded)


def test_a_failed_run_of_bptt_gradient_norms_is_drawn():
    fb = checked(GOLDEN / "lec10_norms_reversed", "lec10_rnn")
    page = render_html(fb, lang="ko")
    assert "<svg " in page and "여러분의 노름" in page
    assert_self_contained(page)


def test_notes_on_the_file_are_in_the_pages_language(tmp_path):
    folder = tmp_path / "both"
    folder.mkdir()
    shutil.copy(GOLDEN / "lec01_no_sqrt" / "lec01_vectors.py", folder)
    shutil.copy(REPO / "assignments" / "lec01_vectors.ipynb", folder)
    fb = checked(folder, "lec01_vectors")
    en, ko = render_html(fb), render_html(fb, lang="ko")
    assert "lec01_vectors.ipynb was ignored" in en and "무시했습니다" in ko
    assert "was ignored" not in ko and '"key"' not in ko
    assert "  안내: " in feedback_json(fb, lang="ko")["output"]
