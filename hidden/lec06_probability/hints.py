"""Known mistakes of lec06_probability and the hint each gets (see autograder/hints.py)."""

import numpy as np

from autograder.hints import Hint
from autograder.i18n import msg


def _f(v):
    return np.asarray(v, dtype=float)


def _third_central_moment(values, probs):
    centred = _f(values) - np.dot(_f(values), _f(probs))
    return float(np.dot(centred**3, _f(probs)))


HINTS = [
    Hint("variance", msg("lec06_probability.hint_variance_no_centring"),
         lambda values, probs: float(np.dot(_f(values) ** 2, _f(probs))),
         "lec06_variance_no_centring"),
    Hint("skewness", msg("lec06_probability.hint_skewness_not_standardised"),
         _third_central_moment, "lec06_skewness_not_standardised"),
    Hint("covariance", msg("lec06_probability.hint_covariance_no_centring"),
         lambda x1, x2, probs: float(np.dot(_f(x1) * _f(x2), _f(probs))),
         "lec06_covariance_no_centring"),
]  # fmt: skip
