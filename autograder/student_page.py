"""One student's feedback, in English or Korean: a self-contained page and Gradescope's results.json.

    >>> fb = StudentFeedback.load(book, "alice")
    >>> page = render_html(fb, lang="ko")
    >>> write_feedback(book, Path("results/feedback"), ["alice", "bob"], lang="ko")

``feedback/<student>.html`` is rendered from ``templates/student.html.j2`` (Jinja2, autoescape on):
inline CSS, plots as inline SVG, no scripts, nothing fetched, readable on a phone. Per assignment:
the score, the graded file and the notes on it; what several tests share (a file that could not
be loaded, a stub) said once before the table of tests, as in the terminal report; then, for each
other test that did not pass, what was called, what came back, what was expected, the hint, what
the code printed and the grader's figures. Failures are rendered from their data
(``TestResult.failure``) in the page's language; records without it show their English ``output``.

Both files are meant for the student: a hidden test shows its name, points, status and the kind of
its failure, never its inputs, expected values, output or figures, unless the instructor asks for
``reveal_hidden``. Every piece of text that came from a submission is escaped and its control
characters dropped.
"""

from __future__ import annotations

import functools
import html
import io
import json
import math
import re
import sys
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .course import ASSIGNMENTS
from .failures import (
    EXPECTED,
    RETURNED,
    Failure,
    failure_kind,
    failure_of,
    group_failures,
    kind_label,
    printed_blocks,
    result_text,
)
from .figures import MAX_POINTS
from .gradebook import Gradebook, StoredSubmission, make_private_dir, max_points, write_atomic
from .i18n import DEFAULT_LANG, LANGS, Msg, encode_note, render_note, text
from .results import TestResult, to_gradescope
from .terminal import test_numbers

__all__ = [
    "StudentFeedback",
    "HIDDEN_NOTE",
    "GRADER_BROKE",
    "CSS",
    "hidden_summary",
    "overview",
    "feedback_json",
    "render_html",
    "write_feedback",
    "draw_figure",
]

HIDDEN_NOTE = text("page.hidden_note")
GRADER_BROKE = text("page.grader_broke")
STATUS_KEYS = {
    "passed": "page.status_passed",
    "failed": "page.status_failed",
    "not_attempted": "page.status_not_attempted",
    "error": "page.status_error",
}
CALL_CHARS = 400
"""A call is shown up to this many characters."""
MAX_PAGE_FIGURES = 24
KEEP_WHOLE_CHARS = 24
"""A word of a test's name up to this long is never broken in the table (longer ones may be)."""
MAX_SERIES = 6
MAX_ABS = 1e15
"""Numbers beyond this (a run that diverged) are not drawn: they would squash the others."""
KOREAN_FONTS = '"Noto Sans KR","Apple SD Gothic Neo","Malgun Gothic","NanumGothic",sans-serif'
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _t(key: str, lang: str, **params: Any) -> str:
    return text(f"page.{key}", lang, **params)


def _clean(value: Any) -> str:
    """Untrusted text without its control characters (newlines and tabs kept)."""
    return _CONTROL.sub("", str(value))


# -- one student's feedback ---------------------------------------------------------------------
@dataclass(frozen=True)
class StudentFeedback:
    """Everything the feedback files of one student show."""

    student: str
    results: list[TestResult]
    submissions: list[StoredSubmission]
    problem: str | None = None
    possible: dict[str, float] | None = None  # each assignment's maximum, as in grades.csv
    assignments: tuple[str, ...] | None = None  # the assignments shown (None: the course's)

    @classmethod
    def load(
        cls, book: Gradebook, student: str, possible: dict[str, float] | None = None
    ) -> StudentFeedback:
        if possible is None:
            possible = max_points(book.submissions())
        return cls(student, book.results(student), book.submissions(student), book.problem(student),
                   possible)  # fmt: skip

    @classmethod
    def from_check(
        cls,
        results: list[TestResult],
        notes: Mapping[str, Iterable[str]],
        submission: Path,
        *,
        student: str | None = None,
    ) -> StudentFeedback:
        """The feedback of one ``aimath check`` (no gradebook): its assignments, in its order; an
        assignment whose file is not in ``submission`` is shown as not submitted."""
        from .intake import find_assignment_file

        folder = Path(submission)
        student = student or folder.resolve().name
        names = tuple(dict.fromkeys(r.assignment for r in results))
        kept, subs = [], []
        for name in names:
            mine = [r for r in results if r.assignment == name]
            path, _ = find_assignment_file(folder, name)
            if path is None:
                continue
            kept += mine
            subs.append(
                StoredSubmission(
                    student=student, assignment=name, filename=path.name, sha256="",
                    grader_version="", status="graded",
                    message="\n".join(map(encode_note, notes.get(name, ()))),
                    score=sum(r.score for r in mine), max_score=sum(r.max_score for r in mine),
                    n_tests=len(mine), n_errors=sum(r.status == "error" for r in mine), run_id=0,
                    graded_at="",
                )
            )  # fmt: skip
        possible = {n: sum(r.max_score for r in results if r.assignment == n) for n in names}
        return cls(student, kept, subs, possible=possible, assignments=names)

    @property
    def shown_assignments(self) -> tuple[str, ...]:
        return self.assignments if self.assignments is not None else tuple(ASSIGNMENTS)

    @property
    def course_max_score(self) -> float:
        """The points of every assignment graded in the class (handed in by this student or
        not): what the total is out of."""
        possible = dict(self.possible or {})
        for s in self.submissions:
            possible.setdefault(s.assignment, s.max_score)
        return sum(possible.values()) if possible else self.max_score

    def total_line(self, lang: str = DEFAULT_LANG) -> str:
        """'Total: 38/418 points (1 of 10 assignments handed in, 38/38 on it)'."""
        course = self.course_max_score
        handed = len({s.assignment for s in self.submissions})
        graded = len(set(self.possible or {}) | {s.assignment for s in self.submissions})
        line = _t("total", lang, score=self.score, max=course)
        if handed < graded:
            key = "total_handed_in_one" if handed == 1 else "total_handed_in_many"
            line += _t(key, lang, handed=handed, graded=graded, score=self.score,
                       max=self.max_score)  # fmt: skip
        return line

    @property
    def score(self) -> float:
        return sum(r.score for r in self.results)

    @property
    def max_score(self) -> float:
        return sum(r.max_score for r in self.results)


def hidden_summary(result: TestResult, lang: str = DEFAULT_LANG) -> str:
    """What a student may read of a hidden test that did not pass: the kind of failure only
    ('wrong answer', 'wrong shape', 'time limit', 'raised an exception'...), never its inputs,
    expected values or output."""
    note = _t("hidden_note", lang)
    if result.status in ("passed", "not_attempted") or not (result.output or result.failure):
        return note
    return note + "\n" + _t("what_went_wrong", lang, kind=kind_label(failure_kind(result), lang))


def _printed(calls: Iterable[tuple[str, str]], lang: str) -> tuple[list[tuple[str, str]], int]:
    """What the code printed as (call, text) blocks and how many earlier calls were left out
    (failures.printed_blocks), the calls cut to CALL_CHARS."""
    blocks, left_out = printed_blocks(list(calls))
    out = []
    for call, printed, cut in blocks:
        if cut:
            printed += "\n" + _t("printed_cut", lang, n=cut)
        out.append((call[:CALL_CHARS], printed))
    return out, left_out


def _redact(result: TestResult, reveal_hidden: bool, lang: str = DEFAULT_LANG) -> str:
    shown = reveal_hidden or not result.hidden or not result.output
    return result_text(result, lang) if shown else hidden_summary(result, lang)


def _notes(sub: StoredSubmission, lang: str) -> list[str]:
    """The notes on a submission's file (stored one a line, messages as JSON), in ``lang``."""
    return [render_note(line, lang) for line in sub.message.splitlines() if line.strip()]


def overview(fb: StudentFeedback, lang: str = DEFAULT_LANG) -> str:
    """One line per assignment: its score, 'not submitted' or why it was not graded."""
    lines = [_t("not_graded", lang, problem=fb.problem)] if fb.problem else []
    lines.append(fb.total_line(lang))
    by_name = {s.assignment: s for s in fb.submissions}
    for name in fb.shown_assignments:
        sub = by_name.get(name)
        if sub is None:
            lines.append(_t("line_not_submitted", lang, name=name))
        elif sub.status == "error":
            lines.append(_t("line_grader_broke", lang, name=name, file=sub.filename,
                            problem=_t("grader_broke", lang)))  # fmt: skip
        else:
            lines.append(_t("line_points", lang, name=name, score=sub.score, max=sub.max_score))
            lines += [_t("line_note", lang, note=n) for n in _notes(sub, lang)]
    return "\n".join(lines)


def feedback_json(
    fb: StudentFeedback, *, reveal_hidden: bool = False, lang: str = DEFAULT_LANG
) -> dict:
    """Gradescope's results.json for one student, in ``lang`` (hidden tests' output withheld)."""
    results = [replace(r, output=_redact(r, reveal_hidden, lang)) for r in fb.results]
    if not reveal_hidden:  # a hidden test's failure data holds its inputs and expected values
        results = [replace(r, failure=None, figures=()) if r.hidden else r for r in results]
    elapsed = sum(r.execution_time for r in fb.results)
    return to_gradescope(results, execution_time=elapsed, output=overview(fb, lang))


def write_feedback(
    book: Gradebook,
    folder: Path,
    students: Iterable[str],
    *,
    reveal_hidden: bool = False,
    lang: str = DEFAULT_LANG,
) -> None:
    """feedback/<student>.json and feedback/<student>.html for every student, in ``lang``."""
    folder = Path(folder)
    make_private_dir(folder)  # 0700; files are written 0600
    possible = max_points(book.submissions())
    for student in students:
        fb = StudentFeedback.load(book, student, possible)
        data = feedback_json(fb, reveal_hidden=reveal_hidden, lang=lang)
        write_atomic(folder / f"{student}.json", json.dumps(data, indent=2, ensure_ascii=False))
        write_atomic(folder / f"{student}.html", render_html(fb, reveal_hidden=reveal_hidden,
                                                             lang=lang))  # fmt: skip


# -- figures ------------------------------------------------------------------------------------
ROLE_STYLES = {
    "curve": {"color": "#8c8c8c", "linewidth": 1.4, "zorder": 1},
    "reference": {"color": "#0072b2", "linewidth": 1.6, "zorder": 2},
    "student": {"color": "#d55e00", "linewidth": 2.0, "zorder": 3},
}
_SVG_METADATA = {"Format": None, "Type": None, "Creator": None, "Date": None}


def _floats(values: Any) -> list[float]:
    """Plain floats (nan for anything that is not a finite number within MAX_ABS)."""
    if not isinstance(values, list | tuple):
        return []
    out = []
    for v in values[:MAX_POINTS]:
        f = float(v) if type(v) in (int, float) else math.nan
        out.append(f if math.isfinite(f) and abs(f) <= MAX_ABS else math.nan)
    return out


def _label(data: Any, lang: str) -> str | None:
    if data is None:
        return None
    try:
        return _clean(Msg.from_json(data).render(lang))[:200]
    except Exception:  # noqa: BLE001 - an unknown key: no label
        return None


def _plain_text(label: str) -> str:
    """A label matplotlib shows as it is: no mathtext ('$' escaped), no leading '_' (which
    would hide it from the legend)."""
    return label.replace("$", r"\$").lstrip("_") or " "


def _sans_fonts() -> list[str]:
    """Fonts matplotlib measures text with: DejaVu Sans, then a Korean one if installed."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    wanted = ["DejaVu Sans", "Noto Sans KR", "Noto Sans CJK KR", "NanumGothic", "Malgun Gothic",
              "Apple SD Gothic Neo"]  # fmt: skip
    return [name for name in wanted if name in installed] or ["DejaVu Sans"]


def draw_figure(
    data: Mapping[str, Any], lang: str = DEFAULT_LANG, *, salt: str = "0"
) -> str | None:
    """A figure a grader recorded (``autograder.figures``) as inline SVG, or None if it cannot be
    drawn. Only numbers are read from it (never evaluated); ``salt`` keeps the ids of several
    SVGs on one page apart."""
    try:
        return _draw(data, lang, salt)
    except Exception:  # noqa: BLE001 - a figure never breaks the page
        return None


def _draw(data: Mapping[str, Any], lang: str, salt: str) -> str | None:
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:  # never switch a session's own pyplot
        matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    kind = data.get("kind")
    rc = {
        "svg.fonttype": "none", "svg.hashsalt": "aimath", "text.usetex": False,
        "font.family": "sans-serif", "font.sans-serif": _sans_fonts(), "font.size": 10,
        "axes.spines.top": False, "axes.spines.right": False,
    }  # fmt: skip
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig = Figure(figsize=(5.6, 4.0), layout="constrained")
        ax = fig.add_subplot()
        drawn, all_x, all_y = 0, [], []
        series = [s for s in data.get("series") or () if isinstance(s, Mapping)][:MAX_SERIES]
        for s in series:
            y = _floats(s.get("y"))
            x = _floats(s.get("x")) if s.get("x") is not None else [float(i) for i in range(len(y))]
            n = min(len(x), len(y))
            x, y = x[:n], y[:n]
            finite = [(a, b) for a, b in zip(x, y, strict=True) if a == a and b == b]
            role = s.get("role") if s.get("role") in ROLE_STYLES else "student"
            style = dict(ROLE_STYLES[role])
            label = _label(s.get("label"), lang)
            if not finite:  # nothing to draw: its label still says why (a value not finite)
                if label is not None:
                    ax.plot([], [], label=_plain_text(label), **style, marker="D", linestyle="none")
                continue
            if role != "curve" and (kind == "path" or len(finite) <= 40):
                style.update(marker="o", markersize=7 if len(finite) <= 2 else 3.5,
                             markevery=max(1, len(finite) // 60))  # fmt: skip
            if role == "student" and len(finite) == 1:
                style.update(marker="D", markersize=8, linestyle="none")
            ax.plot(x, y, label=_plain_text(label) if label is not None else None, **style)
            all_y += [b for _, b in finite]
            all_x += [a for a, _ in finite]
            drawn += 1
        if not drawn:
            return None
        if data.get("log_y") and any(v > 0 for v in all_y):
            ax.set_yscale("log")
        if all(float(v).is_integer() for v in all_x):  # steps, epochs, time steps
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if (xlabel := _label(data.get("xlabel"), lang)) is not None:
            ax.set_xlabel(_plain_text(xlabel))
        if (ylabel := _label(data.get("ylabel"), lang)) is not None:
            ax.set_ylabel(_plain_text(ylabel))
        ax.grid(True, alpha=0.3)
        if any(line.get_label() and not line.get_label().startswith("_") for line in ax.lines):
            fig.legend(loc="outside lower center", frameon=False, fontsize=9)
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata=_SVG_METADATA)
    return _inline_svg(out.getvalue(), _label(data.get("title"), lang) or "", lang, salt)


def _inline_svg(svg: str, title: str, lang: str, salt: str = "0") -> str | None:
    """matplotlib's SVG made fit for inlining: no XML prolog, no namespaces, sized by CSS, the
    page's fonts, its ids prefixed (unique in the page); None if anything in it would refer
    outside it."""
    start = svg.find("<svg")
    root = re.match(r"<svg\b[^>]*>", svg[start:]) if start >= 0 else None
    if root is None:
        return None
    box = re.search(r'viewBox="([0-9. ]+)"', root.group(0))
    if box is None:
        return None
    body = svg[start + root.end() :]
    body = re.sub(r"<metadata>.*?</metadata>", "", body, flags=re.S)
    body = body.replace("xlink:href=", "href=")
    prefix = f"fig{salt}-"
    body = re.sub(r'\bid="', f'id="{prefix}', body)
    body = body.replace('href="#', f'href="#{prefix}').replace("url(#", f"url(#{prefix}")
    fonts = KOREAN_FONTS if lang == "ko" else f"'DejaVu Sans',{KOREAN_FONTS}"
    body = re.sub(r"font-family: [^;\"]*", "font-family: " + fonts.replace('"', "'"), body)
    if re.search(r"""\b(?:href|src)\s*=\s*["'](?!#)|url\((?!#)|<image\b|<script\b|<foreignObject""",
                 body, re.I):  # fmt: skip
        return None
    label = html.escape(title, quote=True)
    return (f'<svg viewBox="{box.group(1)}" role="img" aria-label="{label}" '
            f'style="width:100%;height:auto" class="plot">{body}')  # fmt: skip


# -- the page -----------------------------------------------------------------------------------
CSS = """
:root{color-scheme:light}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans KR","Apple SD Gothic Neo",
"Malgun Gothic","NanumGothic",sans-serif;max-width:46rem;margin:0 auto;padding:1rem;
line-height:1.5;color:#1b1b1b;background:#fff;overflow-wrap:break-word}
html:lang(ko) body{font-family:"Noto Sans KR","Apple SD Gothic Neo","Malgun Gothic","NanumGothic",
sans-serif;word-break:keep-all}
h1{font-size:1.35rem;margin:.2rem 0}
h2{font-size:1.1rem;margin:1.8rem 0 .4rem;padding-bottom:.2rem;border-bottom:1px solid #ddd}
h3{font-size:1rem;margin:1.2rem 0 .3rem}
h4{font-size:.92rem;margin:.7rem 0 .2rem}
.score{font-weight:600;white-space:nowrap}
.notice{border-left:4px solid #b00020;background:#fdf0f2;padding:.5rem .8rem;margin:.8rem 0}
.note{border-left:4px solid #8a5a00;background:#fdf7ec;padding:.3rem .8rem;margin:.6rem 0}
.note ul{margin:.2rem 0;padding-left:1.2rem}
.cause{border-left:4px solid #8a5a00;background:#fdf7ec;padding:.3rem .8rem;margin:.6rem 0}
.cause-failed,.cause-error{border-color:#b00020;background:#fdf0f2}
.cause p{margin:.2rem 0}
.tests{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;padding:.3rem .35rem;border-bottom:1px solid #eee;vertical-align:top;
overflow-wrap:normal;word-break:normal}
th,td.pts,td.status{white-space:nowrap}td.pts{text-align:right}
td.name{overflow-wrap:anywhere}
td.name .w{white-space:nowrap}
html:lang(ko) td.name{word-break:keep-all}
[lang=ko]{word-break:keep-all}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f5f5f5;padding:.6rem;
border-radius:4px;font-size:.82rem;margin:.3rem 0 .8rem}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace}
code{font-size:.85rem;overflow-wrap:anywhere;word-break:normal}
dl.failure{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.25rem .7rem;
margin:.4rem 0 .6rem}
dl.failure dt{font-weight:600;white-space:nowrap}
dl.failure dd{margin:0;min-width:0}
.secret p{margin:.15rem 0}
.problem{margin:.3rem 0}
.hint{border-left:4px solid #17692b;background:#eef7f0;padding:.4rem .8rem;margin:.6rem 0}
figure{margin:.6rem 0 1rem}
figure svg{display:block;width:100%;height:auto}
figcaption{font-size:.88rem;color:#444;margin-bottom:.2rem}
.passed{color:#17692b}.failed{color:#b00020}.not_attempted{color:#8a5a00}.error{color:#7b1fa2}
.muted{color:#666}
@media (max-width:30rem){body{padding:.6rem}table{font-size:.86rem}th,td{padding:.25rem .2rem}}
"""


@functools.cache
def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("autograder", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
        keep_trailing_newline=True,
    )
    return env


def _finalize(value: Any) -> Any:
    """Every value the template shows: None shows nothing, text loses its control characters
    (markup, the CSS and the SVGs, is the page's own)."""
    import markupsafe

    if value is None:
        return ""
    if isinstance(value, markupsafe.Markup):
        return value
    return _clean(value)


def _call_text(call: str | Msg, lang: str) -> str:
    out = call.render(lang) if isinstance(call, Msg) else str(call)
    return out if len(out) <= CALL_CHARS else out[:CALL_CHARS] + " ..."


def _value_text(value: str | Msg | None, lang: str) -> str | None:
    if value is None:
        return None
    return value.render(lang) if isinstance(value, Msg) else str(value)


def _failure_view(failure: Failure, lang: str, *, show_expected: bool) -> dict[str, Any]:
    """A failure for the template: headline, call, returned, expected, other details, hint,
    what the code printed."""
    details = [d for d in failure.details if d not in (RETURNED, EXPECTED)]
    blocks, left_out = _printed(failure.printed, lang)
    return {
        # with the call shown on its own line, the headline is the problem alone
        "headline": failure.problem.render(lang) if failure.call else failure.headline(lang),
        "call": _call_text(failure.call, lang) if failure.call else None,
        "returned": _value_text(failure.returned, lang),
        "expected": _value_text(failure.expected, lang) if show_expected else None,
        "details": "\n".join(d.render(lang) if isinstance(d, Msg) else str(d) for d in details),
        "hint": failure.hint.render(lang) if failure.hint is not None else None,
        "printed": blocks,
        "printed_left_out": left_out,
    }


class _Figures:
    """Figures drawn for one page: numbered (for their SVG ids) and at most MAX_PAGE_FIGURES."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.count = 0

    def draw(self, result: TestResult) -> list[dict[str, Any]]:
        out = []
        for data in result.figures:
            if self.count >= MAX_PAGE_FIGURES or not isinstance(data, Mapping):
                break
            self.count += 1
            svg = draw_figure(data, self.lang, salt=str(self.count))
            title = _label(data.get("title"), self.lang) or ""
            out.append({"title": title, "svg": _markup(svg) if svg else None})
        return out


def _markup(svg: str):
    import markupsafe

    return markupsafe.Markup(svg)


def _test_view(r: TestResult, lang: str, reveal_hidden: bool, figures: _Figures) -> dict[str, Any]:
    view: dict[str, Any] = {
        "number": r.number, "name": r.name, "status": r.status, "hidden": r.hidden,
        "label": text(STATUS_KEYS[r.status], lang), "secret": None, "failure": None,
        "output": None, "figures": [],
    }  # fmt: skip
    if r.hidden and not reveal_hidden:
        view["secret"] = hidden_summary(r, lang).split("\n")
        return view
    failure = failure_of(r)
    if failure is not None:
        view["failure"] = _failure_view(failure, lang, show_expected=True)
    else:
        view["output"] = r.output or _t("no_message", lang)
    view["figures"] = figures.draw(r)
    return view


def _words(name: str) -> list[tuple[str, bool]]:
    """A test's name as (word, kept whole): a name wraps between its words, never inside one
    (not at a hyphen either), but a word too long for a phone's column may break anywhere."""
    return [(w, len(w) <= KEEP_WHOLE_CHARS) for w in _clean(name).split(" ") if w]


def _assignment_view(
    name: str,
    sub: StoredSubmission | None,
    results: list[TestResult],
    lang: str,
    reveal_hidden: bool,
    figures: _Figures,
) -> dict[str, Any]:
    assignment = ASSIGNMENTS.get(name)
    view: dict[str, Any] = {"name": name, "title": assignment.title if assignment else "",
                            "state": "missing", "sub": sub}  # fmt: skip
    if sub is None:
        return view
    if sub.status == "error":
        view["state"] = "error"
        view["problem"] = _t("file_problem", lang, file=sub.filename,
                             problem=_t("grader_broke", lang))  # fmt: skip
        return view
    shared, singles = group_failures(results, lang, reveal_hidden=reveal_hidden)
    causes = []
    for cause in shared:
        status = text(STATUS_KEYS[cause.members[0].status], lang)
        key = "cause_every_test" if len(cause.members) == len(results) else "cause_tests"
        causes.append({
            "status": cause.members[0].status,
            "title": _t(key, lang, n=len(cause.members), status=status,
                        numbers=test_numbers(cause.members, lang)),
            "text": cause.text,
            "sentence": cause.sentence,
        })  # fmt: skip
    view.update(
        state="graded",
        points=_t("points", lang, score=sub.score, max=sub.max_score),
        notes=_notes(sub, lang),
        causes=causes,
        rows=[
            {"number": r.number, "words": _words(r.name), "hidden": r.hidden, "status": r.status,
             "points": f"{r.score:g}/{r.max_score:g}", "label": text(STATUS_KEYS[r.status], lang)}
            for r in results
        ],
        tests=[_test_view(r, lang, reveal_hidden, figures) for r in singles],
        all_passed=bool(results) and all(r.status == "passed" for r in results),
    )  # fmt: skip
    return view


def render_html(
    fb: StudentFeedback, *, reveal_hidden: bool = False, lang: str = DEFAULT_LANG
) -> str:
    """A self-contained feedback page in ``lang``: inline CSS and SVG, no scripts, no external
    assets."""
    import markupsafe

    lang = lang if lang in LANGS else DEFAULT_LANG
    figures = _Figures(lang)
    by_name = {s.assignment: s for s in fb.submissions}
    assignments = [
        _assignment_view(
            name,
            by_name.get(name),
            [r for r in fb.results if r.assignment == name],
            lang,
            reveal_hidden,
            figures,
        )  # fmt: skip
        for name in fb.shown_assignments
    ]
    template = _environment().get_template("student.html.j2")
    return template.render(
        lang=lang,
        t=functools.partial(_t, lang=lang),
        css=markupsafe.Markup(CSS),
        student=fb.student,
        total=fb.total_line(lang),
        problem=fb.problem,
        assignments=assignments,
    )
