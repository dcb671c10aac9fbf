"""Known mistakes of lec02_matrices and the hint each gets (see autograder/hints.py).

matmul as X * Y is not here: it raises (the shapes do not broadcast), which its message says."""

import numpy as np

from autograder.hints import Hint
from autograder.i18n import msg


def _f(v):
    return np.asarray(v, dtype=float)


def _ones_first(X):
    return np.hstack([np.ones((_f(X).shape[0], 1)), _f(X)])


HINTS = [
    Hint("inner", msg("lec02_matrices.hint_inner_no_transpose"),
         lambda X, Y: np.matmul(_f(X), _f(Y)), "lec02_inner_no_transpose"),
    Hint("linear_regression", msg("lec02_matrices.hint_regression_intercept_first"),
         lambda X, y: np.linalg.lstsq(_ones_first(X), _f(y), rcond=None)[0],
         "lec02_regression_intercept_first"),
    Hint("linear_regression", msg("lec02_matrices.hint_regression_no_intercept"),
         lambda X, y: np.linalg.lstsq(_f(X), _f(y), rcond=None)[0],
         "lec02_regression_no_intercept"),
    Hint("predict", msg("lec02_matrices.hint_predict_no_intercept"),
         lambda X, beta: np.matmul(_f(X), _f(beta)[:-1]), "lec02_predict_no_intercept"),
]  # fmt: skip
