"""Figures for the student's page: the gradient norms a bptt_gradient_norms call returned, step by
step, against the reference's, on a log scale (vanishing and exploding gradients are straight
lines there).

    >>> with norms_figure(norms, expected):
    ...     check_close(norms, expected, name=sub.last_call)

A figure is recorded only when the check fails, and never changes a result: its own errors are
swallowed.
"""

import contextlib

import numpy as np

from autograder.figures import figure
from autograder.i18n import msg, raw


def record_norms(norms, expected):
    """Record the figure of one call's norms (its errors swallowed)."""
    try:
        expected = np.asarray(expected, dtype=float)
        steps = list(range(len(expected)))
        series = [{"label": msg("lec10_rnn.figure_reference"), "role": "reference",
                   "x": steps, "y": expected.tolist()}]  # fmt: skip
        mine = None
        with contextlib.suppress(TypeError, ValueError), np.errstate(all="ignore"):
            mine = np.asarray(norms, dtype=float)
        if mine is not None and mine.ndim == 1 and 0 < len(mine) <= 10 * len(expected) + 10:
            series.append({"label": msg("lec10_rnn.figure_student"), "role": "student",
                           "x": list(range(len(mine))), "y": mine.tolist()})  # fmt: skip
        figure("line", title=msg("lec10_rnn.figure_norms_title", last=len(expected) - 1),
               series=series, xlabel=raw("t"), ylabel=raw("||dh_{T-1}/dh_t||_2"),
               log_y=True)  # fmt: skip
    except Exception:  # noqa: BLE001 - a figure never changes a result
        pass


@contextlib.contextmanager
def norms_figure(norms, expected):
    """Around the checks of a bptt_gradient_norms result: if one fails, record the norms'
    figure, then let the failure go on as it is."""
    try:
        yield
    except AssertionError:
        record_norms(norms, expected)
        raise
