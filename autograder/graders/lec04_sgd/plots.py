"""Figures for the student's page: the loss of a returned beta against the reference's loss curve.

    >>> with gd_loss_figure(beta, X, y, beta_init, lr=0.01, n_iter=5000):
    ...     check_close(beta, expected, name=sub.last_call)

linear_regression_gd and sgd_linear_regression return only their final beta, so no loss curve of
the student's own run exists. What can be drawn honestly: the mean squared error along the
reference's run (the grader computes it from the same data and start), the lowest MSE (least
squares), and the MSE of the beta that came back, at the last step. SGD with shuffled batches is
drawn only with one batch of all the samples, where every batch order gives the same run.
A figure is recorded only when the check fails, and never changes a result: its own errors are
swallowed.
"""

import contextlib

import numpy as np

from autograder.figures import figure
from autograder.graders.lec04_sgd.support import gd_closed_form_path, least_squares, with_ones
from autograder.i18n import msg

MAX_STEPS = 20_000
LOWEST_SHOWN = 1e-20
"""A least-squares MSE at or below this is rounding (exact data): its line is not drawn."""


def mse(X, y, beta):
    """The mean squared error of y ~ [X, 1] beta."""
    residual = with_ones(X) @ beta - y
    return float(np.mean(residual**2))


def reference_losses(X, y, beta_init, step, n_steps):
    """The MSE after each of n_steps gradient steps of ``step`` (n_steps + 1 values, from
    beta_init's), along the oracle's closed form (support.gd_closed_form_path)."""
    path = gd_closed_form_path(X, y, beta_init, step, min(int(n_steps), MAX_STEPS))
    with np.errstate(all="ignore"):
        return [mse(X, y, beta) for beta in path]


def _record(beta, X, y, beta_init, step, n_steps, title, xlabel):
    losses = reference_losses(X, y, beta_init, step, n_steps)
    steps = list(range(len(losses)))
    lowest = mse(X, y, least_squares(X, y))
    series = [
        {"label": msg("lec04_sgd.figure_reference", loss=losses[-1]), "role": "reference",
         "x": steps, "y": losses},
    ]  # fmt: skip
    if lowest > LOWEST_SHOWN:  # on exact data the lowest MSE is 0, which a log axis cannot show
        series.insert(0, {"label": msg("lec04_sgd.figure_least_squares", loss=lowest),
                          "role": "curve", "x": [0, steps[-1]], "y": [lowest, lowest]})  # fmt: skip
    mine = None
    with contextlib.suppress(TypeError, ValueError), np.errstate(all="ignore"):
        mine = np.asarray(beta, dtype=float)
    if mine is not None and mine.shape == np.shape(beta_init) and np.all(np.isfinite(mine)):
        loss = mse(X, y, mine)
        label = msg("lec04_sgd.figure_student", loss=loss)
    else:  # a beta of another shape, or not finite: said in the legend, not drawn
        loss, label = None, msg("lec04_sgd.figure_student_not_drawn")
    series.append({"label": label, "role": "student", "x": [steps[-1]], "y": [loss]})
    figure("line", title=title, series=series, xlabel=xlabel,
           ylabel=msg("lec04_sgd.figure_mse"), log_y=True)  # fmt: skip


def record_loss(beta, X, y, beta_init, step, n_steps, title, xlabel):
    """Record the figure (its errors swallowed: a figure never changes a result)."""
    try:
        _record(beta, X, y, beta_init, step, n_steps, title, xlabel)
    except Exception:  # noqa: BLE001
        pass


@contextlib.contextmanager
def gd_loss_figure(beta, X, y, beta_init, *, lr, n_iter):
    """Around the check of a linear_regression_gd result: if the check fails, record the MSE of
    the reference's run and of the returned beta, then let the failure go on."""
    try:
        yield
    except AssertionError:
        title = msg("lec04_sgd.figure_gd_title", lr=float(lr), n=int(n_iter))
        record_loss(beta, X, y, beta_init, lr, n_iter, title, msg("lec04_sgd.figure_step"))
        raise


@contextlib.contextmanager
def full_batch_loss_figure(beta, X, y, beta_init, *, lr, n_epochs):
    """As gd_loss_figure, for sgd_linear_regression with batch_size = N: each epoch is one
    gradient step on the MSE, of lr * 2 / N in gd_closed_form's terms."""
    try:
        yield
    except AssertionError:
        n = len(y)
        title = msg("lec04_sgd.figure_full_batch_title", lr=float(lr), n=int(n_epochs), N=n)
        record_loss(beta, X, y, beta_init, lr * 2.0 / n, n_epochs, title,
                    msg("lec04_sgd.figure_epoch"))  # fmt: skip
        raise
