"""Known mistakes of lec04_sgd and the hint each gets (see autograder/hints.py)."""

import numpy as np

from autograder.hints import Hint

HINTS = [
    Hint("add_intercept", "the column of ones is first; it goes last (the intercept is the last "
         "coefficient, as in the lecture)",
         lambda X: np.hstack([np.ones((np.shape(X)[0], 1)), np.asarray(X, dtype=float)]),
         "lec04_intercept_first"),
]  # fmt: skip
