"""The student's feedback page and the class report, rendered in a real browser.

Headless Chromium (Debian's ``chromium`` package, which .ci/run installs with a Korean font)
driven by Playwright, never a browser that Playwright downloads. A small class is graded once, in
English and in Korean; each page is opened from disk at a phone's width (390 px) and a desktop's
(1200 px) and must:

- render with no console error and no script error, and request nothing but itself (every other
  request is blocked and counted: the page is self-contained);
- break no word inside a table cell (each word of each td/th lies on one line);
- not overflow horizontally (only a wrapper that scrolls on its own, overflow-x: auto, may be
  wider than the screen);
- show the gradebook's numbers in its ``data-key`` elements;
- in Korean, draw Hangul with a Korean font.

A full-page screenshot of each is saved as test-artifacts/screenshots/<page>-<lang>-<width>.png
(``AIMATH_ARTIFACTS`` moves test-artifacts/). Without chromium these tests fail and say how to
install it; ``AIMATH_NO_BROWSER=1`` skips them instead.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import statistics
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.gradebook import Gradebook, max_points

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(os.environ.get("AIMATH_ARTIFACTS") or REPO / "test-artifacts") / "screenshots"

if os.environ.get("AIMATH_NO_BROWSER") == "1":
    pytest.skip(
        "AIMATH_NO_BROWSER=1: the pages are not rendered in a browser (CI does)",
        allow_module_level=True,
    )

INSTALL = (
    "the browser tests need Debian's Chromium and a Korean font: "
    "apt-get install chromium fonts-nanum (as .ci/run does), and the playwright package: "
    'pip install -e ".[dev]"; or set AIMATH_NO_BROWSER=1 to skip them'
)
# As root, in a container: no sandbox, no GPU, nothing fetched in the background. Playwright
# gives every launch a fresh, empty user data dir of its own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# A small class: full marks, failures with a hint, a file that could not be loaded (a syntax
# error), and one who handed in one of the two assignments.
STUDENTS = {
    "ada": "full marks",
    "dami": "failures, one with a hint (the L1 norm without abs)",
    "gyu": "lec01_vectors could not be loaded (a syntax error)",
    "hana": "lec02_matrices not submitted",
}
PAGE_STUDENTS = ("ada", "dami", "gyu")
ASSIGNED = ("lec01_vectors", "lec02_matrices")
LANGS = ("en", "ko")
WIDTHS = (390, 1200)

VIEWS = [
    *((f"student-{s}", lang, w) for s in PAGE_STUDENTS for lang in LANGS for w in WIDTHS),
    *(("report", lang, w) for lang in LANGS for w in WIDTHS),
]
KOREAN_VIEWS = [v for v in VIEWS if v[1] == "ko"]


def _view_id(view: tuple[str, str, int]) -> str:
    return "-".join(map(str, view))


# -- what runs in the page ----------------------------------------------------------------------
BROKEN_WORDS_JS = """() => {
  const broken = [];
  const cells = document.querySelectorAll('td, th');
  for (const cell of cells) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = [...range.getClientRects()]
          .filter(r => r.width > 0 && r.height > 0).map(r => r.top);
        if (tops.length && Math.max(...tops) - Math.min(...tops) > 1) {
          broken.push({word: m[0], cell: cell.innerText.trim().slice(0, 200),
                       lines: new Set(tops.map(t => Math.round(t))).size});
        }
      }
    }
  }
  return {cells: cells.length, broken};
}"""

OVERFLOW_JS = """() => {
  const scrolls = el => { const o = getComputedStyle(el).overflowX;
                          return o === 'auto' || o === 'scroll'; };
  const inScroller = el => { for (let a = el.parentElement; a && a !== document.body;
                                  a = a.parentElement) if (scrolls(a)) return true;
                             return false; };
  const describe = el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
                         + ': ' + (el.innerText || '').trim().slice(0, 80);
  const offenders = [], scrollers = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > innerWidth + 1 && !inScroller(el)) offenders.push(describe(el));
    if (scrolls(el) && el.scrollWidth > el.clientWidth + 1) scrollers.push(describe(el));
  }
  return {scrollWidth: document.scrollingElement.scrollWidth, innerWidth, offenders: offenders.slice(0, 10), scrollers};
}"""

KEYS_JS = """() => [...document.querySelectorAll('[data-key]')].map(
  el => [el.dataset.key, el.textContent.trim(), el.dataset.value ?? null])"""

# Marks the innermost element holding Hangul and measures one Hangul syllable of it.
KOREAN_JS = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const i = node.data.search(/[\\uac00-\\ud7a3]/);
    if (i < 0 || !node.parentElement.getClientRects().length) continue;
    node.parentElement.setAttribute('data-hangul-probe', '');
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    return {text: node.data.trim().slice(0, 80), glyph: node.data[i],
            width: range.getBoundingClientRect().width,
            family: getComputedStyle(document.body).fontFamily,
            lang: document.documentElement.lang};
  }
  return null;
}"""


# -- grading the class once ---------------------------------------------------------------------
@dataclass
class Graded:
    results: dict[str, Path]  # lang -> the results folder

    def page(self, name: str, lang: str) -> Path:
        if name == "report":
            return self.results[lang] / "report.html"
        return self.results[lang] / "feedback" / f"{name.removeprefix('student-')}.html"


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Graded:
    base = tmp_path_factory.mktemp("browser")
    klass = base / "class"
    for student in STUDENTS:
        shutil.copytree(REPO / "examples" / "class" / student, klass / student)
    results = {}
    for lang in LANGS:
        out = base / f"results-{lang}"
        args = ["grade", str(klass), "--out", str(out), "--assignment", *ASSIGNED, "-j", "2"]
        assert main([*args, "--lang", lang]) == 0, f"aimath grade --lang {lang}: not 0"
        assert main(["report", str(out), "--lang", lang]) == 0, f"aimath report --lang {lang}"
        results[lang] = out
    return Graded(results)


# -- the browser --------------------------------------------------------------------------------
@dataclass
class View:
    """One page open in the browser, with everything it logged and asked for."""

    page: object  # playwright.sync_api.Page
    url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # requests other than file://
    other_files: list[str] = field(default_factory=list)  # file:// requests but the page's own


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail(f"chromium is not installed: {INSTALL}", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(f"the playwright package is not installed: {INSTALL}", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def views(browser, graded):
    """view(page, lang, width): the page opened once at that width, then reused."""
    contexts, opened = {}, {}

    def context(lang: str, width: int):
        if (lang, width) not in contexts:
            contexts[lang, width] = browser.new_context(
                viewport={"width": width, "height": 900},
                device_scale_factor=1,
                locale="ko-KR" if lang == "ko" else "en-US",
            )
        return contexts[lang, width]

    def view(name: str, lang: str, width: int) -> View:
        if (name, lang, width) in opened:
            return opened[name, lang, width]
        path = graded.page(name, lang)
        assert path.is_file(), f"{path} was not written"
        seen = open_page(context(lang, width), path)
        page = seen.page
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{lang}-{width}.png"), full_page=True)
        opened[name, lang, width] = seen
        return seen

    yield view
    for ctx in contexts.values():
        ctx.close()


def open_page(context, path: Path) -> View:
    """Open ``path`` in a new page of ``context``, every request but file:// ones blocked and
    counted, console and script errors kept; once loaded and its fonts ready."""
    page = context.new_page()
    seen = View(page, path.as_uri())

    def route(r):
        url = r.request.url
        if url.startswith("file:"):
            if url.split("#")[0] != seen.url:
                seen.other_files.append(url)
            r.continue_()
        else:
            seen.blocked.append(url)
            r.abort()

    def request(req):  # what the route may not see (a service worker's, a prefetch)
        if not req.url.startswith(("file:", "data:", "about:", "blob:")):
            seen.blocked.append(req.url)

    page.route("**/*", route)
    page.on("request", request)
    page.on("console", lambda m: m.type == "error" and seen.console_errors.append(m.text))
    page.on("pageerror", lambda e: seen.page_errors.append(str(e)))
    page.goto(seen.url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return seen


@pytest.fixture
def view(request, views) -> tuple[str, str, int, View]:
    name, lang, width = request.param
    return name, lang, width, views(name, lang, width)


every_view = pytest.mark.parametrize("view", VIEWS, ids=_view_id, indirect=True)
korean_views = pytest.mark.parametrize("view", KOREAN_VIEWS, ids=_view_id, indirect=True)


# -- the tests ----------------------------------------------------------------------------------
@every_view
def test_the_page_renders_on_its_own_with_no_error(view):
    name, _, _, seen = view
    assert seen.page.evaluate("document.body.innerText.trim().length") > 0, f"{name} is empty"
    assert not seen.console_errors, f"console errors: {seen.console_errors}"
    assert not seen.page_errors, f"script errors: {seen.page_errors}"
    assert not sorted(set(seen.blocked)), (
        f"{name} asked the network for {sorted(set(seen.blocked))}"
    )
    assert not seen.other_files, f"{name} loaded other files: {seen.other_files}"


@every_view
def test_no_word_is_broken_inside_a_table_cell(view):
    name, _, width, seen = view
    found = seen.page.evaluate(BROKEN_WORDS_JS)
    assert found["cells"] > 0, f"{name} has no table"
    assert not found["broken"], f"words broken at {width} px: " + "; ".join(
        f"{b['word']!r} over {b['lines']} lines in cell {b['cell']!r}" for b in found["broken"]
    )


@every_view
def test_nothing_overflows_the_screen_but_a_scrolling_wrapper(view):
    name, _, width, seen = view
    found = seen.page.evaluate(OVERFLOW_JS)
    assert found["scrollWidth"] <= found["innerWidth"] + 1 and not found["offenders"], (
        f"{name} is {found['scrollWidth']} px wide on a {width} px screen; too wide: "
        f"{found['offenders']} (scrolling on their own: {found['scrollers']})"
    )


@every_view
def test_the_key_numbers_are_the_gradebooks(view, graded):
    name, lang, _, seen = view
    shown = seen.page.evaluate(KEYS_JS)
    keys = [k for k, _, _ in shown]
    assert len(keys) == len(set(keys)), f"a data-key given twice: {sorted(keys)}"
    with Gradebook(graded.results[lang] / "gradebook.sqlite") as book:
        if name == "report":
            expected = report_numbers(book, {k: text for k, text, _ in shown})
        else:
            expected = student_numbers(book, name.removeprefix("student-"))
    # the report lists the most frequent causes only
    missing = sorted(k for k in set(expected) - set(keys) if not k.startswith("cause:"))
    assert not missing, f"{name} shows no data-key {missing}"
    unknown = sorted(set(keys) - set(expected))
    assert not unknown, f"{name}: tests/test_browser.py does not know what {unknown} should be"
    wrong = [
        f"{key}: {why}"
        for key, text, value in shown
        if (why := _shows(text, value, expected[key])) is not None
    ]
    assert not wrong, f"{name} ({lang}): " + "; ".join(wrong)


@pytest.mark.parametrize("lang", LANGS)
def test_each_student_page_shows_what_its_student_stands_for(views, lang):
    """ada's every assignment passed, dami's failures with a hint, gyu's file that could not be
    loaded said once for its 26 tests."""
    count = "(selector) => document.querySelectorAll(selector).length"
    ada, dami, gyu = (views(f"student-{s}", lang, 1200).page for s in PAGE_STUDENTS)
    assert ada.evaluate(count, "td.status.failed, td.status.error, .hint") == 0
    assert ada.evaluate(count, "section.assignment p.passed") == len(ASSIGNED)
    assert dami.evaluate(count, "td.status.failed") > 0 and dami.evaluate(count, ".hint") > 0
    assert gyu.evaluate(count, "#lec01_vectors .cause") == 1
    assert gyu.evaluate(count, "#lec01_vectors td.status.failed") == 26


@korean_views
def test_korean_is_drawn_with_a_korean_font(view):
    name, _, _, seen = view
    probe = seen.page.evaluate(KOREAN_JS)
    assert probe is not None, f"{name} in Korean has no Hangul"
    assert probe["lang"] == "ko", f'{name} in Korean says <html lang="{probe["lang"]}">'
    assert re.search(KOREAN_FAMILIES, probe["family"], re.I), (
        f"the body's font-family names no Korean font: {probe['family']}"
    )
    assert probe["width"] > 0, f"{probe['glyph']!r} of {probe['text']!r} is drawn 0 px wide"
    cdp = seen.page.context.new_cdp_session(seen.page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "[data-hangul-probe]"})
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    finally:
        cdp.detach()
    used = [f["familyName"] for f in fonts if f["glyphCount"] > 0]
    korean = korean_fonts()
    assert any(family in korean or re.search(KOREAN_FAMILIES, family, re.I) for family in used), (
        f"{probe['text']!r} is drawn with {used}, none of them a Korean font ({INSTALL})"
    )


# -- what the gradebook says --------------------------------------------------------------------
Shown = (
    tuple  # what a data-key element shows: numbers (a value, or a value out of a maximum), or text
)


def student_numbers(book: Gradebook, student: str) -> dict[str, Shown]:
    """The student's total (out of every assignment graded in the class) and each graded
    assignment's score (out of its points)."""
    subs = [s for s in book.submissions(student) if s.status == "graded"]
    course = sum(max_points(book.submissions()).values())
    numbers: dict[str, Shown] = {"total": (sum(s.score for s in subs), course)}
    numbers.update({f"score:{s.assignment}": (s.score, s.max_score) for s in subs})
    return numbers


def _kind(r) -> str:
    """A failure's kind as the report counts it: the failure data's own, else the record's."""
    from autograder.failures import failure_kind

    if r.status in ("not_attempted", "error") or not (r.failure or {}).get("kind"):
        return failure_kind(r)
    return r.failure["kind"]


SIGNAL_OF_KIND = {
    "unsupported return value": "unsupported",
    "crashed or exited": "crashed",
    "time limit": "time_limit",
    "time budget": "time_budget",
    "grader error": "grader_error",
}


def report_numbers(book: Gradebook, shown: dict[str, str]) -> dict[str, Shown]:
    """Every number of the class report, as class_report.py's docstring defines it, computed
    here from the gradebook's rows."""
    students = book.students()
    subs = book.submissions()
    graded = [s for s in subs if s.status == "graded"]
    results = {s: book.results(s) for s in students}
    assignments = list(dict.fromkeys(s.assignment for s in graded))
    runs = book.db.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    numbers: dict[str, Shown] = {
        "students": (len(students),),
        "total-students": (len(students),),
        "graded": (len(graded),),
        "runs": (runs,),
    }
    totals = {student: 0.0 for student in students}
    for s in graded:
        totals[s.student] += s.score
    maxima = {}
    signals: dict[str, set] = {}
    for a in assignments:
        mine = [s for s in graded if s.assignment == a]
        scores = [s.score for s in mine]
        maxima[a] = max(s.max_score for s in mine)
        numbers[f"submitted:{a}"] = (len(mine),)
        numbers[f"mean:{a}"] = (statistics.fmean(scores),)
        numbers[f"median:{a}"] = (statistics.median(scores),)
        numbers[f"max:{a}"] = (maxima[a],)
        numbers[f"full-marks:{a}"] = (sum(s.score == s.max_score for s in mine),)
        tried = [r for s in mine for r in results[s.student] if r.assignment == a]
        for number in dict.fromkeys(r.number for r in tried):
            these = [r for r in tried if r.number == number]
            passed = sum(r.status == "passed" for r in these)
            attempted = sum(r.status in ("passed", "failed") for r in these)
            numbers[f"pass-rate:{a}:{number}"] = (passed, attempted)
        kinds, causes, hints = Counter(), Counter(), Counter()
        raw: list[str] = []
        for s in mine:
            for r in (r for r in results[s.student] if r.assignment == a and r.status != "passed"):
                kind = _kind(r)
                kinds[kind.replace(" ", "_")] += 1
                if "kind:ProtocolError" in r.tags:
                    signals.setdefault("protocol", set()).add((s.student, a))
                elif kind in SIGNAL_OF_KIND:
                    signals.setdefault(SIGNAL_OF_KIND[kind], set()).add((s.student, a))
                if r.status != "failed":
                    continue
                problem = (r.failure or {}).get("problem")
                if isinstance(problem, dict) and problem.get("key"):
                    causes[str(problem["key"])] += 1
                elif isinstance(problem, dict):
                    raw.append(str((problem.get("params") or {}).get("text", "")).strip())
                else:
                    causes["-"] += 1
                if (r.failure or {}).get("hint"):
                    hints[json.dumps(r.failure["hint"], sort_keys=True)] += 1
        numbers.update({f"kind:{a}:{kind}": (n,) for kind, n in kinds.items()})
        numbers.update({f"cause:{a}:{key}": (n,) for key, n in causes.items()})
        for key in shown:  # text not in the catalog, shown cut to its start
            if key.startswith(f"cause:{a}:raw:"):
                start = key.removeprefix(f"cause:{a}:raw:").rstrip("…").strip()
                numbers[key] = (sum(text.startswith(start) for text in raw),)
        # the I-th hint is the I-th most frequent (ties in the order of their text)
        for i, n in enumerate(sorted(hints.values(), reverse=True), 1):
            numbers[f"hint:{a}:{i}"] = (n,)
    numbers["total-mean"] = (statistics.fmean(totals.values()),)
    numbers["total-median"] = (statistics.median(totals.values()),)
    numbers["total-max"] = (sum(maxima.values()),)
    for student in students:
        if book.problem(student):
            signals.setdefault("rejected", set()).add((student, ""))
    for s in subs:
        if s.status == "error":
            signals.setdefault("not_graded", set()).add((s.student, s.assignment))
    for key in shown:
        if key.startswith("signal:"):
            numbers[key] = (len(signals.get(key.removeprefix("signal:"), ())),)
    timed: dict[tuple[str, int], float] = {}
    for student, run_id, seconds in book.db.execute(
        "SELECT student, run_id, duration_s FROM submissions"
    ):
        timed[student, run_id] = max(timed.get((student, run_id), 0.0), float(seconds or 0.0))
    gradings = sorted(((-t, st) for (st, _), t in timed.items() if t > 0))
    seconds = [-t for t, _ in gradings]
    numbers["gradings"] = (len(gradings),)
    if seconds:
        numbers["grading-median-s"] = (statistics.median(seconds),)
        numbers["grading-max-s"] = (max(seconds),)
    for i, (t, student) in enumerate(gradings[:10], 1):
        numbers[f"slowest:{i}:student"] = (student,)
        numbers[f"slowest:{i}:seconds"] = (-t,)
    return numbers


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _shows(text: str, value: str | None, expected: Shown) -> str | None:
    """Why ``text`` (and the unrounded ``data-value``) does not show ``expected``, or None.

    Numbers are read in order from the text ("38/38 points", "26.5", "3/4"), each to the
    precision it is shown with; a data-value must be the number itself."""
    if expected and isinstance(expected[0], str):
        return None if text == expected[0] else f"shows {text!r}, not {expected[0]!r}"
    found = [float(n) for n in _NUMBER.findall(text.replace(",", ""))]
    for shown, want in zip(_NUMBER.findall(text.replace(",", "")), expected, strict=False):
        decimals = len(shown.partition(".")[2])
        if not math.isclose(float(shown), want, abs_tol=0.5 * 10**-decimals + 1e-9):
            return f"shows {text!r}, the gradebook says {expected}"
    if len(found) < len(expected):
        return f"shows {text!r}, the gradebook says {expected}"
    if value is not None and expected:
        if not math.isclose(float(value), expected[0], rel_tol=1e-9, abs_tol=1e-9):
            return f"data-value={value!r}, the gradebook says {expected[0]}"
    return None


KOREAN_FAMILIES = (
    r"Noto Sans (CJK )?KR|Noto Serif (CJK )?KR|Source Han|Nanum|Apple SD Gothic|Malgun|"
    r"Un ?Dotum|UnBatang|Baekmuk|Pretendard|Spoqa|맑은 고딕|나눔"
)


def korean_fonts() -> set[str]:
    """The families fontconfig says cover Korean (empty without fc-list)."""
    try:
        listed = subprocess.run(
            ["fc-list", ":lang=ko", "family"], capture_output=True, text=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {name.strip() for line in listed.splitlines() for name in line.split(",")}


def test_the_checks_catch_a_broken_word_an_overflow_a_request_and_an_error(browser, tmp_path):
    """The checks themselves, on a page that has it all wrong: a word broken in a narrow cell,
    a block wider than the screen, an image off the network, a stylesheet next to the page and
    a script error are each found."""
    (tmp_path / "style.css").write_text("p{color:red}", encoding="utf-8")
    page_file = tmp_path / "bad.html"
    page_file.write_text(
        '<!DOCTYPE html><html lang="en"><head><link rel="stylesheet" href="style.css"></head>'
        '<body style="margin:0"><table style="width:60px"><tr>'
        '<td style="overflow-wrap:anywhere">supercalifragilistic</td><td>whole</td></tr></table>'
        '<div style="width:900px">wide</div><div style="overflow-x:auto">'
        '<div style="width:900px">scrolls on its own</div></div>'
        '<img src="https://example.invalid/x.png"><script>undefinedFunction()</script>'
        "</body></html>",
        encoding="utf-8",
    )
    context = browser.new_context(viewport={"width": 390, "height": 600})
    try:
        seen = open_page(context, page_file)
        broken = seen.page.evaluate(BROKEN_WORDS_JS)["broken"]
        overflow = seen.page.evaluate(OVERFLOW_JS)
    finally:
        context.close()
    assert [b["word"] for b in broken] == ["supercalifragilistic"]
    assert overflow["scrollWidth"] > 391
    assert overflow["offenders"] == ["div: wide"]
    assert [s.split(":")[0] for s in overflow["scrollers"]] == ["div"]
    assert sorted(set(seen.blocked)) == ["https://example.invalid/x.png"]
    assert seen.other_files == [(tmp_path / "style.css").as_uri()]
    assert seen.page_errors and "undefinedFunction" in seen.page_errors[0]


def test_the_number_check_reads_what_a_page_shows():
    assert _shows("Total: 68/83 points (1 of 2 assignments handed in)", None, (68, 83)) is None
    assert _shows("총점: 68/83점", None, (68, 83)) is None
    assert _shows("26.5", "26.5", (26.5,)) is None
    assert _shows("26.3", "26.333333333333332", (26 + 1 / 3,)) is None
    assert _shows("3/4", None, (3, 4)) is None
    assert _shows("3/4", None, (3, 5)) is not None
    assert _shows("26.5", None, (26.6,)) is not None
    assert _shows("26.5", "26.4", (26.5,)) is not None
    assert _shows("68", None, (68, 83)) is not None
    assert _shows("ada", None, ("ada",)) is None
