"""The class report: statistics of a class from its gradebook, and ``results/report.html``.

    >>> summary = class_summary(book, book.students())
    >>> path = write_report(Path("results"), lang="ko")  # aimath report results --lang ko

``class_summary`` gives the numbers ``aimath grade`` prints. ``write_report`` writes
``RESULTS_DIR/report.html`` for the instructor, from ``RESULTS_DIR/gradebook.sqlite``: the score
distribution of each assignment and of the total, the pass rate of each test, the most frequent
failures (by kind, by cause, and the known mistakes whose hints fired), the submissions that hit
limits or look hostile, and the grading time. The page is self-contained (inline CSS, plots as
inline SVG drawn with matplotlib's Agg backend, no scripts, no external assets), labelled from
the catalog ``autograder/locales/report.toml`` in English or Korean. Every string from the
gradebook is untrusted: the template escapes it (Jinja2's autoescape) and control characters
are dropped.

The key numbers are in elements with a ``data-key`` attribute (the text shown, and for means and
medians the unrounded value in ``data-value``), so that a test can read them back. ``A`` is an
assignment (``lec01_vectors``), ``N`` a test number (``1.3``), ``KIND`` a failure kind with ``_``
for spaces (``wrong_answer``), ``SIGNAL`` one of ``SIGNALS``:

- ``students``: students in the gradebook; ``graded``: graded submissions (a student's
  assignment); ``runs``: grading runs;
- ``submitted:A``, ``mean:A``, ``median:A``, ``max:A`` (the assignment's points),
  ``full-marks:A``; ``total-students``, ``total-mean``, ``total-median``, ``total-max`` (over
  all students, 0 for what was not handed in);
- ``pass-rate:A:N``: ``passed/attempted`` of a test (not attempted and grader errors are not
  attempts);
- ``kind:A:KIND``: tests of A that did not pass, of that kind (``failures.failure_kind``);
- ``cause:A:KEY``: failed tests of A whose failure's problem is the catalog message KEY
  (``checks.wrong_value``; ``raw:<text>`` for text not in the catalog, cut to 120 characters;
  ``-`` for records without failure data), the TOP_CAUSES most frequent only;
- ``hint:A:I``: how often the I-th known mistake of A fired (from 1, the most frequent first,
  ties in the order of their text);
- ``signal:SIGNAL``: the rows (a student's assignment, or whole submission) with that sign;
- ``gradings``, ``grading-median-s``, ``grading-max-s``: the grading times (seconds; one per
  student and run, those recorded as 0 s left out); ``slowest:I:student`` and
  ``slowest:I:seconds``, I from 1, the slowest first (ties by student), at most SLOWEST.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .course import ASSIGNMENTS, PACKAGE_DIR
from .failures import Failure, failure_kind, kind_label
from .gradebook import Gradebook, write_atomic
from .i18n import DEFAULT_LANG, CatalogError, Msg, fields, text
from .results import TestResult

__all__ = [
    "AssignmentStats",
    "ClassSummary",
    "class_summary",
    "ReportError",
    "REPORT_FILE",
    "SIGNALS",
    "render_report",
    "write_report",
]

REPORT_FILE = "report.html"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
TEMPLATE = "report.html.j2"
TOP_CAUSES = 10  # causes shown per assignment (the others are added up)
SLOWEST = 10


# -- the class summary --------------------------------------------------------------------------
@dataclass(frozen=True)
class AssignmentStats:
    """Scores of one assignment over the students who submitted it."""

    assignment: str
    submitted: int
    max_score: float
    mean: float
    median: float
    full_marks: int


@dataclass
class ClassSummary:
    """Per assignment: who submitted, mean and median; the total; failures by kind."""

    students: int
    assignments: list[AssignmentStats] = field(default_factory=list)
    total_max: float = 0.0
    total_mean: float = 0.0
    total_median: float = 0.0
    kinds: dict[str, tuple[int, int]] = field(default_factory=dict)  # kind -> (tests, students)
    not_graded: dict[str, str] = field(default_factory=dict)  # student -> why


def class_summary(book: Gradebook, students: list[str]) -> ClassSummary:
    """Statistics of a class from its gradebook (students not in ``students`` are left out)."""
    wanted = set(students)
    subs = [s for s in book.submissions() if s.student in wanted]
    summary = ClassSummary(students=len(students))
    totals = dict.fromkeys(students, 0.0)
    for name in ASSIGNMENTS:
        graded = [s for s in subs if s.assignment == name and s.status == "graded"]
        if not graded:
            continue
        scores = [s.score for s in graded]
        max_score = max(s.max_score for s in graded)
        summary.assignments.append(
            AssignmentStats(
                assignment=name, submitted=len(graded), max_score=max_score,
                mean=statistics.fmean(scores), median=statistics.median(scores),
                full_marks=sum(s.score == s.max_score for s in graded),
            )
        )  # fmt: skip
        summary.total_max += max_score
        for s in graded:
            totals[s.student] += s.score
    if totals:
        summary.total_mean = statistics.fmean(totals.values())
        summary.total_median = statistics.median(totals.values())
    tests: dict[str, int] = {}
    who: dict[str, set[str]] = {}
    for student in students:
        for r in book.results(student):
            if r.status != "passed":
                kind = failure_kind(r)
                tests[kind] = tests.get(kind, 0) + 1
                who.setdefault(kind, set()).add(student)
        problem = book.problem(student)
        if problem:
            summary.not_graded[student] = problem
    for s in subs:
        if s.status == "error":
            summary.not_graded.setdefault(s.student, f"{s.assignment}: grader error: {s.message}")
    summary.kinds = {k: (tests[k], len(who[k])) for k in sorted(tests, key=lambda k: -tests[k])}
    return summary


# -- the report's data --------------------------------------------------------------------------
class ReportError(ValueError):
    """There is no gradebook to report on (a usage error)."""


# Signs that a submission hit a limit or may be hostile, strongest first. Each has a label and
# a meaning in the catalog (report.signal_<name>, report.signal_<name>_means).
SIGNALS = (
    "protocol",  # the tag kind:ProtocolError: the worker's replies broke the protocol
    "rejected",  # students.problem: rejected at intake (zip, paths, links, size, no file)
    "unsupported",  # kind 'unsupported return value'
    "crashed",  # kind 'crashed or exited'
    "time_limit",  # kind 'time limit'
    "time_budget",  # kind 'time budget'
    "not_graded",  # submissions.status 'error': the grading process failed for the assignment
    "grader_error",  # results.status 'error': the grader broke on a test
)
_SIGNAL_OF_KIND = {
    "unsupported return value": "unsupported",
    "crashed or exited": "crashed",
    "time limit": "time_limit",
    "time budget": "time_budget",
    "grader error": "grader_error",
}

# Control characters (C0 but tab and newline, DEL, C1) and the bidirectional overrides, which
# could make a student id read as another: dropped from everything the page shows.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MAX_MESSAGE = 300  # characters of a message shown in the table of signals


def clean(value: str) -> str:
    """Untrusted text without control characters (escaping is the template's)."""
    return _UNSAFE.sub("", value)


def _short(value: str, limit: int = MAX_MESSAGE) -> str:
    value = clean(value).strip()
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _number_key(number: str) -> tuple:
    """'1.10' after '1.9'."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in number.split("."))


def _render(message: Msg, lang: str) -> str:
    try:
        return message.render(lang)
    except CatalogError:  # a key this version's catalog lacks (a newer gradebook)
        return message.key


def _template_text(key: str, lang: str) -> str:
    """A catalog message with its fields shown as '…' ('returned an array of shape …')."""
    from .i18n import catalog

    entry = catalog().get(key)
    if entry is None:
        return key
    template = entry.get(lang) or entry[DEFAULT_LANG]
    return Msg(key, dict.fromkeys(fields(template), "…")).render(lang)


def _headline(r: TestResult, lang: str) -> str:
    """The first line of why a test did not pass (the failure's headline, else the output's)."""
    if r.failure:
        try:
            return Failure.from_json(r.failure).headline(lang)
        except (CatalogError, KeyError, TypeError, ValueError, AttributeError):
            pass
    return r.output.strip().split("\n", 1)[0]


@dataclass
class Count:
    """How often something happened: in how many tests, to which students."""

    label: str
    tests: int = 0
    students: set[str] = field(default_factory=set)
    key: str = ""

    def add(self, student: str) -> None:
        self.tests += 1
        self.students.add(student)


@dataclass
class TestRate:
    number: str
    name: str
    hidden: bool
    passed: int = 0
    attempted: int = 0  # passed or failed: not attempted and grader errors are no attempt

    @property
    def percent(self) -> float:
        return 100.0 * self.passed / self.attempted if self.attempted else 0.0


@dataclass
class AssignmentSection:
    name: str
    title: str
    stats: AssignmentStats
    scores: list[float]
    tests: list[TestRate]
    kinds: list[Count]
    causes: list[Count]
    other_causes: Count | None
    hints: list[Count]
    histogram: str = ""


@dataclass
class Signal:
    student: str
    where: str  # an assignment, or '' for the whole submission
    signal: str
    tests: int
    message: str


@dataclass
class Grading:
    student: str
    run_id: int
    seconds: float
    assignments: list[str]


def _sections(book: Gradebook, students: list[str], summary: ClassSummary, lang: str):
    """The per-assignment sections and the signals, from every student's results."""
    results: dict[str, list[TestResult]] = {s: book.results(s) for s in students}
    subs = [s for s in book.submissions() if s.student in set(students)]
    graded = {(s.student, s.assignment) for s in subs if s.status == "graded"}
    signals: dict[tuple[str, str, str], Signal] = {}

    def signal(student: str, where: str, name: str, message: str) -> None:
        found = signals.get((student, where, name))
        if found is None:
            signals[student, where, name] = Signal(student, where, name, 1, _short(message))
        else:
            found.tests += 1

    sections = []
    for stats in summary.assignments:
        name = stats.assignment
        tests: dict[str, TestRate] = {}
        kinds: dict[str, Count] = {}
        causes: dict[str, Count] = {}
        hints: dict[str, Count] = {}
        for student in students:
            if (student, name) not in graded:
                continue
            for r in results[student]:
                if r.assignment != name:
                    continue
                rate = tests.setdefault(r.number, TestRate(r.number, r.name, r.hidden))
                if r.status == "passed":
                    rate.passed += 1
                    rate.attempted += 1
                    continue
                if r.status == "failed":
                    rate.attempted += 1
                kind = failure_kind(r)
                kinds.setdefault(kind, Count(kind_label(kind, lang), key=kind)).add(student)
                if "kind:ProtocolError" in r.tags:
                    signal(student, name, "protocol", _headline(r, lang))
                elif kind in _SIGNAL_OF_KIND:
                    signal(student, name, _SIGNAL_OF_KIND[kind], _headline(r, lang))
                if r.status != "failed":
                    continue
                problem = (r.failure or {}).get("problem")
                if isinstance(problem, dict) and problem.get("key"):
                    key = str(problem["key"])
                    label = _template_text(key, lang)
                elif isinstance(problem, dict):  # text that is not in the catalog
                    label = _short(str((problem.get("params") or {}).get("text", "")), 120)
                    key = "raw:" + label
                else:
                    key, label = "-", text("report.cause_unknown", lang)
                causes.setdefault(key, Count(label, key=key)).add(student)
                hint = (r.failure or {}).get("hint")
                if hint:
                    said = clean(_render(Msg.from_json(hint), lang))
                    key = str(hint.get("key", "")) if isinstance(hint, dict) else ""
                    hints.setdefault(said, Count(said, key=key)).add(student)
        by_count = sorted(causes.values(), key=lambda c: (-c.tests, c.label))
        other = None
        if len(by_count) > TOP_CAUSES:
            rest = by_count[TOP_CAUSES:]
            other = Count(text("report.other_causes", lang, n=len(rest)), key="other")
            other.tests = sum(c.tests for c in rest)
            other.students = set().union(*(c.students for c in rest))
        sections.append(
            AssignmentSection(
                name=name, title=ASSIGNMENTS[name].title if name in ASSIGNMENTS else "",
                stats=stats,
                scores=[s.score for s in subs if s.assignment == name and s.status == "graded"],
                tests=sorted(tests.values(), key=lambda t: _number_key(t.number)),
                kinds=sorted(kinds.values(), key=lambda c: (-c.tests, c.key)),
                causes=by_count[:TOP_CAUSES], other_causes=other,
                hints=sorted(hints.values(), key=lambda c: (-c.tests, c.label)),
            )
        )  # fmt: skip
    for student in students:
        problem = book.problem(student)
        if problem:
            signals[student, "", "rejected"] = Signal(student, "", "rejected", 0, _short(problem))
    for s in subs:
        if s.status == "error":
            signals[s.student, s.assignment, "not_graded"] = Signal(
                s.student, s.assignment, "not_graded", s.n_tests, _short(s.message)
            )
    order = {name: i for i, name in enumerate(SIGNALS)}
    listed = sorted(signals.values(), key=lambda g: (order[g.signal], g.student, g.where))
    return sections, listed


def _gradings(book: Gradebook, students: Iterable[str]) -> tuple[list[Grading], int]:
    """One grading per student and run (its assignments were graded together, in one worker),
    and how many were recorded without a time (0 s: the grading process failed)."""
    wanted = set(students)
    rows = book.db.execute("SELECT student, run_id, duration_s, assignment FROM submissions")
    found: dict[tuple[str, int], Grading] = {}
    for student, run_id, seconds, assignment in rows:
        if student not in wanted:
            continue
        g = found.setdefault((student, run_id), Grading(student, run_id, 0.0, []))
        g.seconds = max(g.seconds, float(seconds or 0.0))
        g.assignments.append(assignment)
    for g in found.values():
        g.assignments.sort(key=lambda a: list(ASSIGNMENTS).index(a) if a in ASSIGNMENTS else 99)
    timed = [g for g in found.values() if g.seconds > 0]
    return sorted(timed, key=lambda g: (-g.seconds, g.student)), len(found) - len(timed)


# -- plots --------------------------------------------------------------------------------------
FONTS = ["Noto Sans KR", "Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic",
         "NanumGothic", "DejaVu Sans", "Arial"]  # fmt: skip
COLOR = "#3b6ea8"


def _svg(fig: Any, prefix: str, label: str) -> str:
    """A figure as inline SVG: no XML prologue, no fixed size, ids unique in the page."""
    import warnings

    buffer = io.StringIO()
    with warnings.catch_warnings():  # text stays text: the page's fonts draw it, CJK included
        warnings.filterwarnings(
            "ignore", message="Glyph .* missing from font", category=UserWarning
        )
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'\s(width|height)="[^"]*pt"', "", svg, count=2)
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', svg)
    from markupsafe import escape

    # the label is ours (catalog text and an assignment name), escaped all the same
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


def histogram(
    values: list[float], *, top: float, xlabel: str, ylabel: str, prefix: str, label: str,
    bins: int = 10, size: tuple[float, float] = (3.2, 2.0),
) -> str:  # fmt: skip
    """A histogram of ``values`` over [0, top] as inline SVG (drawn by matplotlib's Agg)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    top = top if top > 0 else 1.0
    style = {
        "svg.fonttype": "none", "svg.hashsalt": prefix, "font.family": "sans-serif",
        "font.sans-serif": FONTS, "font.size": 9, "axes.spines.top": False,
        "axes.spines.right": False,
    }  # fmt: skip
    with matplotlib.rc_context(style):
        fig = Figure(figsize=size, layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.hist([min(max(v, 0.0), top) for v in values], bins=bins, range=(0, top), color=COLOR,
                edgecolor="white", linewidth=0.6)  # fmt: skip
        ax.set_xlim(0, top)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        return _svg(fig, prefix, label)


def _score_bins(top: float) -> int:
    """Bins of whole points for a short scale, ten bins for a long one."""
    return max(1, min(10, math.ceil(top)))


# -- the page -----------------------------------------------------------------------------------
def _fmt(x: float, digits: int = 1) -> str:
    """A number as shown: whole numbers plainly, others with ``digits`` decimals."""
    if float(x).is_integer():
        return f"{x:.0f}"
    return f"{x:.{digits}f}"


def report_context(book: Gradebook, lang: str = DEFAULT_LANG, *, source: str = "") -> dict:
    """Everything the template shows."""
    students = book.students()
    summary = class_summary(book, students)
    sections, signals = _sections(book, students, summary, lang)

    def t(key: str, **params: Any) -> str:
        return text("report." + key, lang, **params)

    for i, section in enumerate(sections):
        stats = section.stats
        section.histogram = histogram(
            section.scores, top=stats.max_score, bins=_score_bins(stats.max_score),
            xlabel=t("axis_score_of", max=_fmt(stats.max_score)), ylabel=t("axis_students"),
            prefix=f"h{i}", label=f"{section.name}: {t('hist_scores')}",
        )  # fmt: skip
    totals = dict.fromkeys(students, 0.0)
    for s in book.submissions():
        if s.status == "graded" and s.student in totals:
            totals[s.student] += s.score
    total_histogram = ""
    if sections:
        total_histogram = histogram(
            list(totals.values()), top=summary.total_max, xlabel=t("axis_score_of",
            max=_fmt(summary.total_max)), ylabel=t("axis_students"), prefix="ht",
            label=t("hist_total"), size=(4.0, 2.4),
        )  # fmt: skip
    gradings, untimed = _gradings(book, students)
    seconds = [g.seconds for g in gradings]
    time_histogram = ""
    if seconds:
        time_histogram = histogram(
            seconds, top=max(seconds) * 1.05, bins=max(5, min(20, len(seconds) // 2)),
            xlabel=t("axis_seconds"), ylabel=t("axis_gradings"), prefix="hd",
            label=t("times"), size=(4.0, 2.4),
        )  # fmt: skip
    runs = book.db.execute("SELECT COUNT(*), MAX(started_at) FROM runs").fetchone()
    overrides = len(book.overrides())
    counts = Counter(g.signal for g in signals)
    return {
        **_markup_helpers(lang),
        "lang": lang,
        "t": t,
        "fmt": _fmt,
        "source": clean(source),
        "generated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "students": len(students),
        "graded": sum(s.submitted for s in summary.assignments),
        "runs": runs[0] or 0,
        "last_run": runs[1] or "",
        "overrides": overrides,
        "summary": summary,
        "sections": sections,
        "total_histogram": total_histogram,
        "signals": signals,
        "signal_names": SIGNALS,
        "signal_counts": {name: counts.get(name, 0) for name in SIGNALS},
        "gradings": gradings,
        "slowest": gradings[:SLOWEST],
        "untimed": untimed,
        "grading_median": statistics.median(seconds) if seconds else 0.0,
        "grading_max": max(seconds, default=0.0),
        "time_histogram": time_histogram,
    }


def _markup_helpers(lang: str) -> dict:
    """``tm``: a catalog message whose parameters may be markup (the others are escaped);
    ``dk``: a number in a ``<span data-key=...>``."""
    from markupsafe import Markup, escape

    from .i18n import catalog

    def tm(key: str, **params: Any) -> Markup:
        entry = catalog()["report." + key]
        template = entry.get(lang) or entry[DEFAULT_LANG]
        return escape(template).format(
            **{k: v if isinstance(v, Markup) else clean(str(v)) for k, v in params.items()}
        )

    def dk(key: str, value: Any) -> Markup:
        return Markup('<span data-key="{}">{}</span>').format(key, clean(str(value)))

    return {"tm": tm, "dk": dk}


def _breakable(value: str) -> Any:
    """A name, escaped, that may break after '_', '.', '-' or '@' (``lec05_neural_networks``,
    ``jane.doe@example.org``): nowhere inside a word otherwise."""
    from markupsafe import Markup, escape

    escaped = str(escape(clean(str(value))))  # no entity (&lt; &#39;...) holds _ . @ -
    return Markup(re.sub(r"([_.@-])(?=[^\s])", r"\1<wbr>", escaped))


def _words(value: str) -> Any:
    """Text, escaped, that breaks between words, or inside code-like words after ``_ ( / = ,``
    or a letter's ``.`` (``sgd_<wbr>linear_<wbr>regression(``), never at a hyphen or an
    ellipsis (``rank-deficient``, ``…개가``, ``1.85``): those pieces are kept on one line."""
    from markupsafe import Markup, escape

    out = []
    for token in re.split(r"(\s+)", clean(str(value))):
        if not token or token.isspace() or not re.search(r"[^\w]", token):
            out.append(str(escape(token)))
            continue
        pieces = re.split(r"(?<=[_(/=,]|(?<=[^\W\d])\.)(?=.)", token)
        out.append("<wbr>".join(f'<span class="nw">{escape(p)}</span>' for p in pieces))
    return Markup("".join(out))


def _environment():
    import jinja2
    from markupsafe import Markup

    def finalize(value: Any) -> Any:  # every {{ value }}: control characters dropped
        if isinstance(value, str) and not isinstance(value, Markup):
            return clean(value)
        return value

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["svg"] = Markup  # our own plots (see histogram): trusted markup
    env.filters["key"] = lambda kind: kind.replace(" ", "_")
    env.filters["breakable"] = _breakable
    env.filters["words"] = _words
    return env


def render_report(book: Gradebook, lang: str = DEFAULT_LANG, *, source: str = "") -> str:
    """The report page of a gradebook, in ``lang``."""
    context = report_context(book, lang, source=source)
    return _environment().get_template(TEMPLATE).render(context)


def write_report(results_dir: Path, lang: str = DEFAULT_LANG) -> Path:
    """Write ``results_dir/report.html`` (private: mode 0600) from its gradebook; its path.

    ReportError when the folder or its gradebook is missing or cannot be read.
    """
    import sqlite3

    results_dir = Path(results_dir)
    book_path = results_dir / "gradebook.sqlite"
    if not results_dir.is_dir():
        raise ReportError(f"no folder {results_dir} (give the folder aimath grade wrote)")
    if not book_path.is_file():
        raise ReportError(f"no gradebook at {book_path} (run aimath grade first)")
    try:
        book = Gradebook(book_path)
    except (ValueError, sqlite3.DatabaseError) as exc:
        raise ReportError(f"{book_path} cannot be read: {exc}") from None
    with book:
        page = render_report(book, lang, source=str(book_path))
    out = results_dir / REPORT_FILE
    write_atomic(out, page)
    return out
