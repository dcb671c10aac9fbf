"""Known mistakes of lec05_neural_networks and the hint each gets (see autograder/hints.py)."""

import numpy as np

from autograder.hints import Hint


def _columns_softmax(O):  # noqa: E741 - the contract names it O
    O = np.asarray(O, dtype=float)  # noqa: E741
    if O.ndim != 2:
        raise ValueError("only a batch has columns")
    E = np.exp(O - O.max(axis=0))
    return E / E.sum(axis=0)


def _summed_cross_entropy(P, Y):
    P, Y = np.asarray(P, dtype=float), np.asarray(Y, dtype=float)
    return float(-np.sum(np.where(Y > 0, Y * np.log(np.where(Y > 0, P, 1.0)), 0.0)))


HINTS = [
    Hint("softmax", "each column sums to 1 here: softmax normalises each row (over the last axis)",
         _columns_softmax, "lec05_softmax_wrong_axis"),
    Hint("cross_entropy", "this is the sum over the batch; cross_entropy is the mean over its N "
         "samples", _summed_cross_entropy, "lec05_cross_entropy_sum"),
]  # fmt: skip
