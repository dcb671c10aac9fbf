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

from .i18n import DEFAULT_LANG, Msg, msg, raw

__all__ = ["Failure", "KINDS", "RETURNED", "EXPECTED", "kind_label"]

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
