"""Known mistakes of lec04_sgd and the hint each gets (see autograder/hints.py)."""

import numpy as np

from autograder.hints import Hint, where_it_differs
from autograder.i18n import msg


def _gd(X, y, beta_init, lr=0.01, n_iter=5000, *, sign=-1.0, fixed_lr=None):
    """linear_regression_gd's loop on [X, 1]; sign=+1 drops the gradient's minus, fixed_lr
    steps with that rate whatever lr is."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    beta = np.array(beta_init, dtype=float)
    if X.ndim != 2 or y.shape != (len(X),) or beta.shape != (X.shape[1] + 1,):
        raise ValueError("the shapes do not fit")
    X_ = np.hstack([X, np.ones((len(X), 1))])
    for _ in range(n_iter):
        beta = beta - (lr if fixed_lr is None else fixed_lr) * (sign * X_.T @ (y - X_ @ beta))
    return beta


HINTS = [
    Hint("add_intercept", msg("lec04_sgd.hint_intercept_first"),
         lambda X: np.hstack([np.ones((np.shape(X)[0], 1)), np.asarray(X, dtype=float)]),
         "lec04_intercept_first"),
    Hint("linear_regression_gd", msg("lec04_sgd.hint_gd_lr_ignored"),
         where_it_differs(lambda X, y, beta_init, lr=0.01, n_iter=5000:
                              _gd(X, y, beta_init, lr, n_iter, fixed_lr=0.01), _gd),
         "lec04_gd_lr_ignored"),
    Hint("linear_regression_gd", msg("lec04_sgd.hint_gd_no_minus_sign"),
         where_it_differs(lambda X, y, beta_init, lr=0.01, n_iter=5000:
                              _gd(X, y, beta_init, lr, n_iter, sign=1.0), _gd),
         "lec04_gd_no_minus_sign"),
]  # fmt: skip
