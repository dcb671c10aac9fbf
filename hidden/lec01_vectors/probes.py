"""Probe inputs of lec01_vectors for `aimath mutants`: inputs only, never expected values.

A mutant that survives the graders and its reference are both called on every input below, each
in a sandboxed worker, and what they return (or raise) is compared. The inputs are numpy arrays
of floats and of small integers (not lists, other dtypes, NaN or infinity), on which the
reference's behaviour is the specification: vectors of several lengths and scales, negative
entries, zero vectors, (anti)parallel vectors whose cosine rounds past +-1, and shapes that must
raise ValueError.
"""

import numpy as np

FUNCTIONS_OF_ONE = ("l1_norm", "l2_norm")
FUNCTIONS_OF_TWO = ("hadamard", "l1_distance", "l2_distance", "angle", "projection")


def _vectors(rng):
    """Nonzero vectors: normal floats of several lengths and scales, and small integers."""
    out = [rng.normal(size=n) for n in (1, 2, 3, 8, 40)]
    out += [rng.normal(size=5) * scale for scale in (1e-4, 1e4)]
    out += [
        np.array([1, 7, 2]),
        np.array([5, 2, 1]),
        np.array([3, -4]),
        -np.abs(rng.normal(size=4)),
    ]
    return out


def probes(rng):
    """(function name, args, kwargs) for every function of lec01_vectors."""
    out = []
    vectors = _vectors(rng)
    for x in [*vectors, np.zeros(3), np.zeros(1)]:
        out += [(name, (x,), {}) for name in FUNCTIONS_OF_ONE]
    pairs = [(x, rng.normal(size=x.shape) if x.dtype.kind == "f" else x[::-1].copy())
             for x in vectors]  # fmt: skip
    pairs += [(np.array([1, 7, 2]), np.array([5, 2, 1])), (np.array([2, 3]), np.array([1, 0]))]
    # Parallel and opposite vectors: the cosine rounds to 1.0000000000000002 or below -1.
    pairs += [(np.array([1.0, -1.0, 1.0]), np.array([2.0, -2.0, 2.0])),
              (np.array([1.0, -1.0, 1.0]), np.array([-1.0, 1.0, -1.0])),
              (np.array([1.0, 1.0, 1.0]), np.array([1.0, 1.0, 1.0])),
              (np.array([2.0, 3.0]), np.array([4.0, 6.0]))]  # fmt: skip
    x = rng.normal(size=6)
    pairs += [(x, 2.5 * x), (x, -0.5 * x), (x, x.copy())]
    # Zero vectors: projection onto one, angle with one (both ValueError), distances from one.
    pairs += [(np.zeros(3), np.array([1.0, 7.0, 2.0])), (np.array([1.0, 7.0, 2.0]), np.zeros(3)),
              (np.zeros(2), np.zeros(2))]  # fmt: skip
    # Shapes that differ, broadcastable ones too: ValueError.
    pairs += [(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0])),
              (np.array([1.0, 2.0, 3.0]), np.array([2.0])), (np.array([2.0]), np.ones(3)),
              (np.ones(4), np.ones((1, 4))), (np.ones((2, 3)), np.ones(3))]  # fmt: skip
    for x, y in pairs:
        out += [(name, (x, y), {}) for name in FUNCTIONS_OF_TWO]
    return out
