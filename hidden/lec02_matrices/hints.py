"""Known mistakes of lec02_matrices and the hint each gets (see autograder/hints.py).

matmul as X * Y is not here: it raises (the shapes do not broadcast), which its message says."""

import numpy as np

from autograder.hints import Hint


def _f(v):
    return np.asarray(v, dtype=float)


def _ones_first(X):
    return np.hstack([np.ones((_f(X).shape[0], 1)), _f(X)])


HINTS = [
    Hint("inner", "this is X @ Y, not X @ Y.T: entry (i, j) pairs row i of X with row j of Y",
         lambda X, Y: np.matmul(_f(X), _f(Y)), "lec02_inner_no_transpose"),
    Hint("linear_regression", "the intercept comes first here; the lecture appends the column "
         "of ones last, so the intercept is beta's last entry",
         lambda X, y: np.linalg.lstsq(_ones_first(X), _f(y), rcond=None)[0],
         "lec02_regression_intercept_first"),
    Hint("linear_regression", "this fits no intercept: append a column of ones to X first",
         lambda X, y: np.linalg.lstsq(_f(X), _f(y), rcond=None)[0],
         "lec02_regression_no_intercept"),
    Hint("predict", "the intercept (beta's last entry) is left out of the prediction",
         lambda X, beta: np.matmul(_f(X), _f(beta)[:-1]), "lec02_predict_no_intercept"),
]  # fmt: skip
