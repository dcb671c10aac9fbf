"""Mistake-aware hints: when a wrong answer is exactly what a known mistake returns, say which.

    >>> find_hint("lec01_vectors", "l2_norm", (np.array([3.0, 4.0]),), {}, 25.0).render("en")
    'this is the sum of the squares: the square root is missing'

Each assignment may keep, next to its hidden graders, ``hidden/<assignment>/hints.py`` with a list
``HINTS`` of :class:`Hint`: the function, the hint's text (a catalog message in
``autograder/graders/<assignment>/messages.toml``, which names the mistake without giving the
solution), the golden submission that makes the mistake (``tests/submissions/<case>``,
which a test grades to prove the hint fires), and ``mistake``, the value the mistaken function
returns for the same arguments, computed here in the trusted process from the grader's own
arguments. When a test fails on a value the submission returned, the engine compares that value
with each known mistake's for the same call; a match (same shape, within ``HINT_RTOL``) adds
"Hint: ..." to the feedback. Nothing here runs the submission's code, and a hint never changes a
score: a value that cannot be compared, or a mistake function that raises, gives no hint.

Hints live with the hidden graders because a mistake's function is the reference with one thing
changed: shipped to students, it would be a solution. They fire wherever the instructor's course
folder is (``aimath grade``, ``aimath check --hidden``, the Gradescope bundle), in the feedback of
public and hidden tests alike; a student's own self-check has the graders' messages but no hints.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .course import default_hidden_dir
from .i18n import Msg, raw

__all__ = ["HINT_ATOL", "HINT_RTOL", "Hint", "find_hint", "load_hints", "where_it_differs"]

HINT_RTOL = 1e-6
"""How close a returned value must be to a mistake's to be taken for it (as check_close)."""
HINT_ATOL = 1e-9


@dataclass(frozen=True)
class Hint:
    """A known mistake of one function: what it returns, and what to tell a student who made it."""

    function: str
    text: Msg | str  # a catalog message (graders/<assignment>/messages.toml), or English only
    mistake: Callable[..., Any]
    case: str  # the golden submission (tests/submissions/<case>) that makes this mistake


def hint_files(assignment: str, hidden_root: Path | None = None) -> list[Path]:
    """Where an assignment's hints are: ``hidden/<assignment>/hints.py``, on the instructor's side
    (a mistake's function is the reference with one thing changed: it must not reach students)."""
    root = Path(hidden_root) if hidden_root is not None else default_hidden_dir()
    return [p for p in (root / assignment / "hints.py",) if p.is_file()]


@functools.cache
def load_hints(assignment: str, hidden_root: Path | None = None) -> tuple[Hint, ...]:
    """The hints of an assignment (none when it has no hints.py, as in a student's bundle)."""
    hints: list[Hint] = []
    for path in hint_files(assignment, hidden_root):
        spec = importlib.util.spec_from_file_location(f"aimath_hints_{assignment}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found = list(getattr(module, "HINTS", ()))
        if not all(isinstance(h, Hint) for h in found):
            raise TypeError(f"{path}: HINTS must be a list of autograder.hints.Hint")
        hints += found
    return tuple(hints)


_PLAIN = (int, float, complex, np.ndarray, np.number, bool, np.bool_)


def _plain(value: Any) -> bool:
    """Plain data: numbers, arrays, and lists, tuples and dicts of them (what hints compare)."""
    if isinstance(value, _PLAIN):
        return True
    if type(value) in (list, tuple):
        return all(_plain(v) for v in value)
    if type(value) is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    return False


def same_value(actual: Any, expected: Any) -> bool:
    """Whether ``actual`` (anything a submission returned) is ``expected`` within HINT_RTOL."""
    if type(expected) is dict:
        return (type(actual) is dict and actual.keys() == expected.keys()
                and all(same_value(actual[k], expected[k]) for k in expected))  # fmt: skip
    if type(expected) is tuple:
        return (type(actual) in (tuple, list) and len(actual) == len(expected)
                and all(map(same_value, actual, expected)))  # fmt: skip
    if not _plain(actual):
        return False
    try:
        a = np.asarray(actual, dtype=np.float64)
        e = np.asarray(expected, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return False
    if a.shape != e.shape:
        return False
    with np.errstate(invalid="ignore", over="ignore"):
        return bool(np.allclose(a, e, rtol=HINT_RTOL, atol=HINT_ATOL, equal_nan=True))


def where_it_differs(mistake: Callable[..., Any], right: Callable[..., Any]) -> Callable[..., Any]:
    """``mistake``, but raising (so no hint) for the arguments where it returns what ``right``
    does: there the mistake changes nothing, and a check that fails on such a value (a list for
    an ndarray, say) fails for another reason than this mistake."""

    def wrong(*args: Any, **kwargs: Any) -> Any:
        value = mistake(*args, **kwargs)
        if same_value(value, right(*args, **kwargs)):
            raise ValueError("the mistake makes no difference for these arguments")
        return value

    return wrong


def find_hint(
    assignment: str,
    function: str,
    args: tuple,
    kwargs: dict,
    actual: Any,
    *,
    hidden_root: Path | None = None,
) -> Msg | None:
    """The hint of the first known mistake of ``function`` that returns ``actual`` for these
    arguments, or None. Only calls with plain-data arguments are compared."""
    if not (_plain(list(args)) and _plain(dict(kwargs))):
        return None
    for hint in load_hints(assignment, hidden_root):
        if hint.function != function:
            continue
        try:
            with np.errstate(all="ignore"):
                wrong = hint.mistake(*args, **kwargs)
        except Exception:  # noqa: BLE001 - the mistake does not apply to these arguments
            continue
        if same_value(actual, wrong):
            return hint.text if isinstance(hint.text, Msg) else raw(hint.text)
    return None
