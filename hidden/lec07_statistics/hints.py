"""Known mistakes of lec07_statistics and the hint each gets (see autograder/hints.py).

mle_normal's mistakes (N - 1, the variance for sigma) are named by its graders' own messages."""

import numpy as np

from autograder.hints import Hint
from autograder.i18n import msg


def _f(v):
    return np.asarray(v, dtype=float)


def _kl(a, b):
    a, b = _f(a), _f(b)
    keep = a > 0
    return float(np.dot(a[keep], np.log(a[keep]) - np.log(b[keep])))


def _bincount_frequencies(labels, num_classes):
    """np.bincount(labels) / N: as many entries as the largest label + 1, not num_classes."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.size == 0 or labels.min() < 0 or labels.max() >= num_classes:
        raise ValueError("the reference raises: no mistake to name")
    if labels.max() == num_classes - 1:
        raise ValueError("then np.bincount has num_classes entries: the mistake changes nothing")
    return np.bincount(labels) / labels.size


HINTS = [
    Hint("sample_variance", msg("lec07_statistics.hint_variance_biased"),
         lambda x: float(np.var(_f(x))), "lec07_variance_biased"),
    Hint("kl_divergence", msg("lec07_statistics.hint_kl_swapped"),
         lambda p, q: _kl(q, p), "lec07_kl_swapped"),
    Hint("entropy", msg("lec07_statistics.hint_entropy_log2"),
         lambda p: float(-np.dot(_f(p)[_f(p) > 0], np.log2(_f(p)[_f(p) > 0]))),
         "lec07_entropy_log2"),
    Hint("mle_categorical", msg("lec07_statistics.hint_categorical_bincount"),
         _bincount_frequencies, "lec07_categorical_bincount"),
]  # fmt: skip
