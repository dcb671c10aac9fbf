"""Why a test did not pass, as data: the kind, what was called, what came back, what was expected.

    >>> f = Failure(kind="wrong answer", call="l2_norm(array([3, 4]))",
    ...             problem=msg("checks.wrong_value"), details=[RETURNED, EXPECTED],
    ...             returned="25.0", expected="5.0")
    >>> print(f.render("en"))
    l2_norm(array([3, 4])) returned a wrong value.
      returned: 25.0
      expected: 5.0
    >>> print(f.render("ko", show_expected=False))
    l2_norm(array([3, 4])): 잘못된 값을 반환했습니다.
      반환값: 25.0

Checks (``CheckError``) and the engine's errors (``StudentError``) carry a Failure; the plugin
stores it, as JSON, on the test's record (``TestResult.failure``) with the hint and what the code
printed, and the terminal report, the student page and the class report render it in the
reader's language. ``expected`` is kept apart from the other details so that a hidden test's
expected value is never shown (``show_expected=False``), and ``numbers`` holds what a page or a
hint may use: shapes, the worst index, the errors and the tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .i18n import DEFAULT_LANG, Msg, msg, raw, text

__all__ = [
    "Failure",
    "KINDS",
    "RETURNED",
    "EXPECTED",
    "MAX_PRINTED_CHARS",
    "Cause",
    "kind_label",
    "failure_kind",
    "failure_of",
    "printed_blocks",
    "printed_report",
    "render_output",
    "result_text",
    "group_failures",
]

# The kinds of failure, in the words the class summary and hidden tests' feedback use.
KINDS = (
    "wrong answer",
    "wrong shape",
    "wrong type",
    "not attempted",
    "not submitted",
    "file could not be loaded",
    "missing function",
    "raised an exception",
    "time limit",
    "time budget",
    "crashed or exited",
    "unsupported return value",
    "grader error",
)

RETURNED = "\x00returned"
"""In ``details``: the line 'returned: <value>' goes here."""
EXPECTED = "\x00expected"
"""In ``details``: the line 'expected: <value>' goes here (left out when it must not be shown)."""


def kind_label(kind: str, lang: str = DEFAULT_LANG) -> str:
    """A kind in ``lang`` ('wrong answer' -> '틀린 답')."""
    if kind not in KINDS:
        return kind
    return msg("kinds." + kind.replace(" ", "_")).render(lang)


@dataclass
class Failure:
    """One test's failure. ``problem`` is the headline after the call ('returned a wrong value.');
    with ``call`` empty, ``problem`` is the whole headline. ``details`` are the indented lines
    under it, where RETURNED and EXPECTED stand for the returned and expected values."""

    kind: str
    problem: Msg
    call: str | Msg = ""
    details: list[Msg | str] = field(default_factory=list)
    returned: str | Msg | None = None
    expected: str | Msg | None = None
    numbers: dict[str, Any] = field(default_factory=dict)
    hint: Msg | None = None
    printed: list[tuple[str, str]] = field(default_factory=list)  # (call, what it printed)

    def headline(self, lang: str = DEFAULT_LANG) -> str:
        problem = self.problem.render(lang)
        if not self.call:
            return problem
        call = self.call.render(lang) if isinstance(self.call, Msg) else self.call
        return msg("checks.subject", call=call, problem=problem).render(lang)

    def detail_lines(self, lang: str = DEFAULT_LANG, *, show_expected: bool = True) -> list[str]:
        lines = []
        for d in self.details:
            if d == RETURNED:
                if self.returned is not None:
                    lines.append(msg("checks.returned", value=self.returned).render(lang))
            elif d == EXPECTED:
                if self.expected is not None and show_expected:
                    lines.append(msg("checks.expected", value=self.expected).render(lang))
            else:
                lines.append(d.render(lang) if isinstance(d, Msg) else str(d))
        return lines

    def render(self, lang: str = DEFAULT_LANG, *, show_expected: bool = True) -> str:
        """The check's message: the headline, then each detail indented by two spaces."""
        lines = [self.headline(lang)]
        for d in self.detail_lines(lang, show_expected=show_expected):
            lines += ["  " + part for part in d.split("\n")]
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "call": {"msg": self.call.to_json()} if isinstance(self.call, Msg) else self.call,
            "problem": self.problem.to_json(),
            "details": [d if isinstance(d, str) else {"msg": d.to_json()} for d in self.details],
            "returned": _text_json(self.returned),
            "expected": _text_json(self.expected),
            "numbers": _plain(self.numbers),
            "hint": self.hint.to_json() if self.hint else None,
            "printed": [list(p) for p in self.printed],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Failure:
        details: list[Msg | str] = []
        for d in data.get("details") or ():
            details.append(Msg.from_json(d["msg"]) if isinstance(d, dict) else str(d))
        hint = data.get("hint")
        call = data.get("call") or ""
        return cls(
            kind=str(data.get("kind", "wrong answer")),
            problem=Msg.from_json(data.get("problem") or raw("")),
            call=Msg.from_json(call["msg"]) if isinstance(call, dict) else str(call),
            details=details,
            returned=_text_from_json(data.get("returned")),
            expected=_text_from_json(data.get("expected")),
            numbers=dict(data.get("numbers") or {}),
            hint=Msg.from_json(hint) if hint else None,
            printed=[(str(c), str(t)) for c, t in data.get("printed") or ()],
        )


def _text_json(value: str | Msg | None) -> Any:
    return {"msg": value.to_json()} if isinstance(value, Msg) else value


def _text_from_json(value: Any) -> str | Msg | None:
    if isinstance(value, dict) and "msg" in value:
        return Msg.from_json(value["msg"])
    return None if value is None else str(value)


def _plain(value: Any) -> Any:
    """JSON-ready numbers: numpy scalars and tuples become floats, ints and lists."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or type(value) in (str, int, float, bool):
        return value
    try:
        import numpy as np

        if isinstance(value, np.integer):
            return int(value)
        if isinstance(value, np.floating):
            return float(value)
        if isinstance(value, np.ndarray):
            return _plain(value.tolist())
    except ImportError:  # pragma: no cover
        pass
    return str(value)


# -- the kind of a stored result ----------------------------------------------------------------
# Records written before failures were kept as data (no ``failure``) are read the old way: the
# exception class in the engine's ``kind:<class>`` tag, else fragments of the English message.
_LEGACY_KINDS_BY_EXCEPTION = {
    "LoadFailed": "file could not be loaded",
    "CallTimeout": "time limit",
    "BudgetExceeded": "time budget",
    "TooManyCrashes": "crashed or exited",
    "WorkerCrashed": "crashed or exited",
    "ProtocolError": "crashed or exited",
    "UnsupportedReturn": "unsupported return value",
    "MissingFunction": "missing function",
    "StudentRaised": "raised an exception",
    "CheckError": "wrong answer",
    "AssertionError": "wrong answer",
}
_LEGACY_FRAGMENTS = (
    ("file could not be loaded", ("could not be loaded", "could not be read", "is too large",
                                  "is not UTF-8 text")),
    ("time budget", (" s in all, over ",)),
    ("time limit", ("did not finish within its time limit",)),
    ("crashed or exited", ("the process running", "times; the remaining tests were not run")),
    ("unsupported return value", ("cannot be graded",)),
    ("missing function", ("has no function",)),
    ("raised an exception", (" raised ",)),
)  # fmt: skip


def failure_kind(result: Any) -> str:
    """Why a test (a ``TestResult``) did not pass, in a few words: 'wrong answer', 'wrong shape',
    'time limit', 'not attempted'... (one of KINDS).

    Read from the failure's data; for records without it (older gradebooks), from the engine's
    ``kind:<exception class>`` tag, else from its English message.
    """
    if result.status == "not_attempted":
        return "not attempted"
    if result.status == "error":
        return "grader error"
    if result.failure and result.failure.get("kind") in KINDS:
        return str(result.failure["kind"])
    message = (result.output or "").split("\n\nYour code printed:")[0]
    first = message.split("\n", 1)[0]
    shape = "; expected shape " in first or "expected an array of shape" in first
    for tag in result.tags:
        if tag.startswith("kind:") and tag[5:] in _LEGACY_KINDS_BY_EXCEPTION:
            kind = _LEGACY_KINDS_BY_EXCEPTION[tag[5:]]
            return "wrong shape" if kind == "wrong answer" and shape else kind
    for kind, fragments in _LEGACY_FRAGMENTS:
        if any(f in message for f in fragments):
            return kind
    return "wrong shape" if shape else "wrong answer"


# -- a test's whole message ---------------------------------------------------------------------
MAX_PRINTED_CHARS = 2000
"""How much of what the code printed a test's message keeps (the last calls first)."""


def failure_of(result: Any) -> Failure | None:
    """A test's (``TestResult``'s) failure as data, or None: a record without one, or one that
    does not parse (the reports then fall back to the stored output)."""
    if not result.failure:
        return None
    try:
        return Failure.from_json(result.failure)
    except Exception:  # noqa: BLE001 - an unreadable failure falls back to the output text
        return None


def printed_blocks(
    calls: list[tuple[str, str]], limit: int = MAX_PRINTED_CHARS
) -> tuple[list[tuple[str, str, int]], int]:
    """What the code printed as (call, text, characters cut) blocks, the last calls first kept
    within ``limit`` characters, and how many earlier calls were left out: nothing is cut
    without being counted."""
    blocks, used, left_out = [], 0, 0
    for call, out in reversed(list(calls)):
        out = str(out).strip()
        room = limit - used
        if room <= 0:
            left_out += 1
            continue
        cut = max(0, len(out) - room)
        used += len(out) - cut
        blocks.append((str(call), out[: len(out) - cut], cut))
    blocks.reverse()
    return blocks, left_out


def printed_report(
    calls: list[tuple[str, str]], limit: int = MAX_PRINTED_CHARS, *, lang: str = DEFAULT_LANG
) -> str:
    """What the submission printed, call by call (see :func:`printed_blocks`), as text."""
    blocks, left_out = printed_blocks(calls, limit)
    lines = []
    if left_out:
        key = "engine.printed_left_out_one" if left_out == 1 else "engine.printed_left_out"
        lines.append(msg(key, n=left_out).render(lang))
    for call, out, cut in blocks:
        if cut:
            out += "\n" + msg("engine.printed_cut", n=cut).render(lang)
        lines.append(msg("engine.printed_in", call=call).render(lang) + "\n" + out)
    return msg("engine.printed").render(lang) + "\n" + "\n".join(lines)


def render_output(failure: Failure, lang: str = DEFAULT_LANG, *, show_expected: bool = True) -> str:
    """A test's whole message as text: the failure, its hint, then what the code printed."""
    out = failure.render(lang, show_expected=show_expected)
    if failure.hint is not None:
        out += "\n" + msg("engine.hint", hint=failure.hint).render(lang)
    if failure.printed:
        out += "\n\n" + printed_report(failure.printed, lang=lang)
    return out


def result_text(result: Any, lang: str = DEFAULT_LANG, *, show_expected: bool = True) -> str:
    """A test's whole message in ``lang``: from its failure's data, else its stored output."""
    failure = failure_of(result)
    if failure is None:
        return result.output or ""
    return render_output(failure, lang, show_expected=show_expected)


# -- causes several tests share -----------------------------------------------------------------
@dataclass
class Cause:
    """One cause several tests share, said once: its text, and the tests it made fail."""

    text: str
    members: list[Any]
    sentence: bool = False  # one sentence of its own (a stub, a file not submitted)
    kind: str = ""


SHARED_KINDS = ("not attempted", "not submitted", "file could not be loaded")
"""Kinds a hidden test may share with others: their cause holds nothing of the test's inputs."""


def _message(result: Any) -> str:
    return (result.output or "").split("\n\nYour code printed:")[0].strip()


def _function_of(result: Any, failure: Failure | None) -> str:
    call = failure.call if failure is not None else _message(result)
    call = call.render(DEFAULT_LANG) if isinstance(call, Msg) else str(call)
    return call.split("(", 1)[0].strip()


def _cause_key(result: Any, lang: str, reveal_hidden: bool) -> tuple[str, str] | None:
    """What a test's failure may share with others: ('stub', ''), ('missing', assignment),
    ('unloaded', assignment) or ('message', its text); None for a hidden test whose message is
    its own."""
    failure = failure_of(result)
    if failure is not None:
        kind = failure.kind
        message = failure.render(lang)
        if failure.hint is not None:
            message += "\n" + msg("engine.hint", hint=failure.hint).render(lang)
    else:
        kind = failure_kind(result)
        message = _message(result)
    first = _message(result).split("\n", 1)[0]
    if result.status == "not_attempted" and (
        (failure is not None and kind == "not attempted")
        or (failure is None and " raised NotImplementedError" in first)
    ):
        return ("stub", "")
    if (failure is not None and kind == "not submitted") or " was not submitted, so " in first:
        return ("missing", result.assignment)
    if kind == "file could not be loaded":  # one file, one cause, however each test worded it
        return ("unloaded", result.assignment)
    if result.hidden and not reveal_hidden and kind not in SHARED_KINDS:
        return None
    return ("message", message)


def _load_failure_text(members: list[Any], lang: str) -> str:
    """Why a file could not be loaded, from the first test that says it in the catalog's words."""
    failures = [f for f in map(failure_of, members) if f is not None]
    for failure in failures:
        if failure.problem.key:
            return failure.render(lang)
    return failures[0].render(lang) if failures else _message(members[0])


def group_failures(
    results: list[Any], lang: str = DEFAULT_LANG, *, reveal_hidden: bool = True
) -> tuple[list[Cause], list[Any]]:
    """The causes several tests share, said once, and the tests whose failure is their own.

    A stub raises NotImplementedError in every test (one cause: which functions are not done
    yet); a file not submitted, or that could not be loaded, fails every test with one message;
    any other message that is the same in two tests or more is one cause too. Causes are told
    apart by the failures' data (their kind), older records by their text. Without
    ``reveal_hidden`` (a student's page), a hidden test joins a cause only when its kind is one of
    SHARED_KINDS.
    """
    failing = [r for r in results if r.status != "passed"]
    groups: dict[tuple[str, str], list[Any]] = {}
    singles: list[Any] = []
    for r in failing:
        key = _cause_key(r, lang, reveal_hidden)
        if key is None:
            singles.append(r)
        else:
            groups.setdefault(key, []).append(r)
    shared = []
    for (what, key), members in groups.items():
        if what == "stub":
            functions = sorted({_function_of(r, failure_of(r)) for r in members} - {""})
            stub = text("kinds.cause_stub", lang, functions=", ".join(functions))
            shared.append(Cause(stub, members, sentence=True, kind="not attempted"))
        elif what == "missing":
            missing = text("kinds.cause_not_submitted", lang, file=f"{key}.py")
            shared.append(Cause(missing, members, sentence=True, kind="not submitted"))
        elif what == "unloaded":
            shared.append(Cause(_load_failure_text(members, lang), members,
                                kind="file could not be loaded"))  # fmt: skip
        elif len(members) > 1 and key:
            shared.append(Cause(key, members))
        else:
            singles.extend(members)
    singles.sort(key=failing.index)
    return shared, singles
