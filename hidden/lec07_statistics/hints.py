"""Known mistakes of lec07_statistics and the hint each gets (see autograder/hints.py).

mle_normal's mistakes (N - 1, the variance for sigma) are named by its graders' own messages."""

import numpy as np

from autograder.hints import Hint


def _f(v):
    return np.asarray(v, dtype=float)


def _kl(a, b):
    a, b = _f(a), _f(b)
    keep = a > 0
    return float(np.dot(a[keep], np.log(a[keep]) - np.log(b[keep])))


HINTS = [
    Hint("sample_variance", "this divides by N; the unbiased sample variance divides by N - 1",
         lambda x: float(np.var(_f(x))), "lec07_variance_biased"),
    Hint("kl_divergence", "this is KL(q || p): p and q are swapped (KL is not symmetric)",
         lambda p, q: _kl(q, p), "lec07_kl_swapped"),
    Hint("entropy", "this is in bits (log base 2); entropy here uses the natural log",
         lambda p: float(-np.dot(_f(p)[_f(p) > 0], np.log2(_f(p)[_f(p) > 0]))),
         "lec07_entropy_log2"),
]  # fmt: skip
