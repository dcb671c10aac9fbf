"""Known mistakes of lec01_vectors and the hint each gets (see autograder/hints.py)."""

import math

import numpy as np

from autograder.hints import Hint


def _f(v):
    return np.asarray(v, dtype=float)


def _cosine(x, y):
    return float(np.dot(_f(x), _f(y)) / (np.linalg.norm(_f(x)) * np.linalg.norm(_f(y))))


HINTS = [
    Hint("hadamard", "this is the inner product np.dot(x, y), a single number; the Hadamard "
         "product multiplies x and y entry by entry", lambda x, y: np.dot(_f(x), _f(y)),
         "lec01_hadamard_dot"),
    Hint("l1_norm", "this is the plain sum of the entries; the L1 norm adds their absolute values",
         lambda x: _f(x).sum(), "lec01_l1_no_abs"),
    Hint("l1_distance", "this is the sum of the differences; the L1 distance adds their absolute "
         "values", lambda x, y: (_f(x) - _f(y)).sum(), "lec01_l1_no_abs"),
    Hint("l2_norm", "this is the sum of the squares: the square root is missing",
         lambda x: float(np.dot(_f(x), _f(x))), "lec01_no_sqrt"),
    Hint("l2_distance", "this is the sum of the squared differences: the square root is missing",
         lambda x, y: float(np.dot(_f(x) - _f(y), _f(x) - _f(y))), "lec01_no_sqrt"),
    Hint("angle", "this looks like degrees; angle returns radians",
         lambda x, y: math.degrees(math.acos(min(1.0, max(-1.0, _cosine(x, y))))),
         "lec01_angle_degrees"),
    Hint("projection", "this divides by <x, x>; the projection onto the direction of y divides "
         "by <y, y>", lambda x, y: np.dot(_f(x), _f(y)) / np.dot(_f(x), _f(x)) * _f(y),
         "lec01_projection_wrong_vector"),
]  # fmt: skip
