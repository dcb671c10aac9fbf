"""Plots for the student's page, recorded by graders as data while a test runs.

    >>> figure("path", title=msg("lec03_gradient_descent.figure_path"), ...)

A grader calls :func:`figure` with plain numbers (lists of floats, bounded in length); the plugin
takes what the test recorded (:func:`take`) into the test's record (``TestResult.figures``), and
the student page draws it with matplotlib in the trusted process. Nothing here draws, and no
value is evaluated: a figure is a dict of a kind, a title (a message) and series of numbers.
"""

from __future__ import annotations

import math
from typing import Any

from .i18n import Msg

__all__ = ["figure", "take", "start", "MAX_POINTS", "MAX_FIGURES"]

MAX_POINTS = 2000
"""Points kept per series (evenly thinned beyond this)."""
MAX_FIGURES = 4
"""Figures kept per test."""

_current: list[dict[str, Any]] | None = None


def start() -> None:
    """A test begins: forget what an earlier test recorded (the plugin calls this)."""
    global _current
    _current = []


def take() -> tuple[dict[str, Any], ...]:
    """What the test that just ran recorded (the plugin calls this), and forget it."""
    global _current
    out, _current = tuple(_current or ()), None
    return out


def _numbers(values: Any) -> list[float | None]:
    """Plain floats (None for what is not a finite number), thinned to MAX_POINTS."""
    try:
        items = list(values)
    except TypeError:
        return []
    if len(items) > MAX_POINTS:
        step = len(items) / MAX_POINTS
        items = [items[int(i * step)] for i in range(MAX_POINTS)]
    out: list[float | None] = []
    for v in items:
        try:
            f = float(v)
        except (TypeError, ValueError, OverflowError):
            f = math.nan
        out.append(f if math.isfinite(f) else None)
    return out


def figure(kind: str, *, title: Msg, series: list[dict[str, Any]], **axes: Any) -> None:
    """Record a figure for this test's entry on the student page.

    ``kind`` is 'line' (each series has ``y`` and optionally ``x``) or 'path' (``x`` and ``y`` of
    the points visited, drawn over ``curve``: a series with ``x`` and ``y`` of the function).
    Each series has a ``label`` (a message) and a ``role``: 'student', 'reference' or 'curve'.
    ``axes`` may give ``xlabel``, ``ylabel`` (messages) and ``log_y`` (bool).
    Outside a grading session (no test running) this does nothing.
    """
    if _current is None or len(_current) >= MAX_FIGURES:
        return
    kept = []
    for s in series:
        kept.append(
            {
                "label": s["label"].to_json() if isinstance(s.get("label"), Msg) else None,
                "role": str(s.get("role", "student")),
                "x": _numbers(s["x"]) if s.get("x") is not None else None,
                "y": _numbers(s.get("y", ())),
            }
        )
    _current.append(
        {
            "kind": kind,
            "title": title.to_json(),
            "series": kept,
            "xlabel": axes["xlabel"].to_json() if isinstance(axes.get("xlabel"), Msg) else None,
            "ylabel": axes["ylabel"].to_json() if isinstance(axes.get("ylabel"), Msg) else None,
            "log_y": bool(axes.get("log_y", False)),
        }
    )
