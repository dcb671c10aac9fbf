"""Known mistakes of lec01_vectors and the hint each gets (see autograder/hints.py)."""

import math

import numpy as np

from autograder.hints import Hint
from autograder.i18n import msg


def _f(v):
    return np.asarray(v, dtype=float)


def _cosine(x, y):
    return float(np.dot(_f(x), _f(y)) / (np.linalg.norm(_f(x)) * np.linalg.norm(_f(y))))


HINTS = [
    Hint("hadamard", msg("lec01_vectors.hint_hadamard_dot"),
         lambda x, y: np.dot(_f(x), _f(y)), "lec01_hadamard_dot"),
    Hint("l1_norm", msg("lec01_vectors.hint_l1_norm_no_abs"),
         lambda x: _f(x).sum(), "lec01_l1_no_abs"),
    Hint("l1_distance", msg("lec01_vectors.hint_l1_distance_no_abs"),
         lambda x, y: (_f(x) - _f(y)).sum(), "lec01_l1_no_abs"),
    Hint("l2_norm", msg("lec01_vectors.hint_l2_norm_no_sqrt"),
         lambda x: float(np.dot(_f(x), _f(x))), "lec01_no_sqrt"),
    Hint("l2_distance", msg("lec01_vectors.hint_l2_distance_no_sqrt"),
         lambda x, y: float(np.dot(_f(x) - _f(y), _f(x) - _f(y))), "lec01_no_sqrt"),
    Hint("angle", msg("lec01_vectors.hint_angle_degrees"),
         lambda x, y: math.degrees(math.acos(min(1.0, max(-1.0, _cosine(x, y))))),
         "lec01_angle_degrees"),
    Hint("projection", msg("lec01_vectors.hint_projection_wrong_vector"),
         lambda x, y: np.dot(_f(x), _f(y)) / np.dot(_f(x), _f(x)) * _f(y),
         "lec01_projection_wrong_vector"),
]  # fmt: skip
