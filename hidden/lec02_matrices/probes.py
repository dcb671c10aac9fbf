"""Probe inputs of lec02_matrices for `aimath mutants`: inputs only, never expected values.

A mutant that survives the graders and its reference are both called on every input below, each
in a sandboxed worker, and what they return (or raise) is compared. The inputs are numpy arrays
of floats and of small integers (not lists, other dtypes, NaN or infinity), on which the reference's
behaviour is the specification: matrices of several shapes (square, tall, wide, a single row or
column), 1-D operands where they are allowed, singular, rank-deficient and non-square matrices,
and operands of shapes the reference rejects (ValueError), 0-d and 3-D ones included.
"""

import numpy as np


def _full_rank(rng, n, m):
    """A random n x m matrix of full rank, well conditioned."""
    while True:
        A = rng.normal(size=(n, m))
        if np.linalg.cond(A) < 100:
            return A


def probes(rng):
    """(function name, args, kwargs) for every function of lec02_matrices."""
    out = []
    # matmul: 2-D @ 2-D of several shapes, integers, 1-D operands, misfits and 3-D operands.
    for n, d, m in ((2, 3, 4), (3, 3, 3), (1, 4, 1), (4, 1, 2), (5, 2, 5)):
        out.append(("matmul", (rng.normal(size=(n, d)), rng.normal(size=(d, m))), {}))
    out.append(
        ("matmul", (rng.integers(-9, 10, size=(3, 2)), rng.integers(-9, 10, size=(2, 3))), {})
    )
    out += [("matmul", (rng.normal(size=(3, 4)), rng.normal(size=4)), {}),
            ("matmul", (rng.normal(size=4), rng.normal(size=(4, 2))), {}),
            ("matmul", (rng.normal(size=5), rng.normal(size=5)), {}),
            ("matmul", (rng.normal(size=(2, 3)), rng.normal(size=(2, 3))), {}),
            ("matmul", (rng.normal(size=(3, 2)), rng.normal(size=(3, 2))), {}),
            ("matmul", (rng.normal(size=(2, 3)), rng.normal(size=(4, 2))), {}),
            ("matmul", (rng.normal(size=4), rng.normal(size=(3, 4))), {}),
            ("matmul", (rng.normal(size=(2, 2, 2)), rng.normal(size=(2, 2))), {}),
            ("matmul", (rng.normal(size=(2, 2)), rng.normal(size=(2, 2, 2))), {})]  # fmt: skip
    # inner: rows against rows, different row counts, 1-D, misfits (columns differ).
    for n, m, d in ((3, 2, 4), (2, 5, 3), (1, 1, 6), (4, 4, 4), (3, 3, 2)):
        out.append(("inner", (rng.normal(size=(n, d)), rng.normal(size=(m, d))), {}))
    out += [("inner", (rng.normal(size=4), rng.normal(size=4)), {}),
            ("inner", (rng.normal(size=(3, 4)), rng.normal(size=4)), {}),
            ("inner", (rng.integers(-5, 6, size=(2, 3)), rng.integers(-5, 6, size=(4, 3))), {}),
            ("inner", (rng.normal(size=(3, 2)), rng.normal(size=(3, 4))), {}),
            ("inner", (rng.normal(size=(2, 3)), rng.normal(size=(3, 2))), {}),
            ("inner", (rng.normal(size=(2, 2, 2)), rng.normal(size=(2, 2))), {})]  # fmt: skip
    # inverse: invertible matrices, 1 x 1, integers; singular (exactly and by rounding), zero,
    # non-square and not 2-D.
    out += [("inverse", (_full_rank(rng, n, n),), {}) for n in (1, 2, 3, 5)]
    out += [("inverse", (np.array([[2, 1], [1, 1]]),), {}),
            ("inverse", (np.array([[1.0, 2.0], [2.0, 4.0]]),), {}),
            ("inverse", (np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]),), {}),
            ("inverse", (np.zeros((3, 3)),), {}),
            ("inverse", (rng.normal(size=(4, 2)) @ rng.normal(size=(2, 4)),), {}),
            ("inverse", (rng.normal(size=(2, 3)),), {}),
            ("inverse", (rng.normal(size=(3, 2)),), {}),
            ("inverse", (rng.normal(size=3),), {}),
            ("inverse", (rng.normal(size=(2, 2, 2)),), {}),
            ("inverse", (rng.normal(size=(1, 2, 2)),), {}),
            ("inverse", (np.array(2.0),), {})]  # fmt: skip
    # pinv: tall, square, wide (both formulas, and the boundary n == m), a row and a column,
    # rank-deficient tall and wide, 1-D and 3-D.
    out += [("pinv", (_full_rank(rng, n, m),), {})
            for n, m in ((5, 2), (4, 3), (3, 3), (2, 4), (2, 5), (1, 3), (3, 1))]  # fmt: skip
    out += [("pinv", (rng.normal(size=(5, 1)) @ rng.normal(size=(1, 3)),), {}),
            ("pinv", (rng.normal(size=(3, 1)) @ rng.normal(size=(1, 5)),), {}),
            ("pinv", (np.zeros((2, 3)),), {}),
            ("pinv", (rng.normal(size=4),), {}),
            ("pinv", (rng.normal(size=(2, 2, 2)),), {})]  # fmt: skip
    # solve_least_squares: overdetermined, square and underdetermined, b of shape (N,) and (N, K),
    # b of the wrong length, A not 2-D, A rank-deficient.
    for n, d in ((6, 2), (4, 4), (2, 5), (3, 1)):
        A = _full_rank(rng, n, d)
        out += [("solve_least_squares", (A, rng.normal(size=n)), {}),
                ("solve_least_squares", (A, rng.normal(size=(n, 2))), {})]  # fmt: skip
    out += [("solve_least_squares", (_full_rank(rng, 4, 2), rng.normal(size=3)), {}),
            ("solve_least_squares", (_full_rank(rng, 2, 4), rng.normal(size=4)), {}),
            ("solve_least_squares", (_full_rank(rng, 3, 3), rng.normal(size=(3, 2, 1))), {}),
            ("solve_least_squares", (_full_rank(rng, 3, 3), rng.normal(size=(3, 3, 1))), {}),
            ("solve_least_squares", (_full_rank(rng, 3, 3), np.array(1.0)), {}),
            ("solve_least_squares", (rng.normal(size=3), rng.normal(size=3)), {}),
            ("solve_least_squares", (np.array(2.0), rng.normal(size=1)), {}),
            ("solve_least_squares", (np.ones((3, 2)), rng.normal(size=3)), {})]  # fmt: skip
    # linear_regression: more rows than coefficients, exactly as many, fewer; integer data; y of
    # the wrong shape; X not 2-D; a constant or repeated column (rank-deficient with the ones).
    for n, d in ((10, 2), (6, 1), (4, 3), (2, 3)):
        out.append(("linear_regression", (rng.normal(size=(n, d)), rng.normal(size=n)), {}))
    X = rng.integers(-5, 6, size=(6, 2))
    out += [("linear_regression", (X, X @ np.array([1, 2]) + 3), {}),
            ("linear_regression", (rng.normal(size=(5, 2)), rng.normal(size=(5, 1))), {}),
            ("linear_regression", (rng.normal(size=(5, 2)), rng.normal(size=4)), {}),
            ("linear_regression", (rng.normal(size=5), rng.normal(size=5)), {}),
            ("linear_regression", (rng.normal(size=(5, 2, 1)), rng.normal(size=5)), {}),
            ("linear_regression", (np.array(1.0), rng.normal(size=1)), {}),
            ("linear_regression", (np.ones((5, 2)), rng.normal(size=5)), {})]  # fmt: skip
    # predict: several shapes and a single row; beta of the wrong length; X not 2-D.
    for n, d in ((5, 2), (1, 3), (4, 1), (3, 3)):
        out.append(("predict", (rng.normal(size=(n, d)), rng.normal(size=d + 1)), {}))
    out += [("predict", (rng.integers(-5, 6, size=(3, 2)), np.array([1, 2, 3])), {}),
            ("predict", (rng.normal(size=(4, 2)), rng.normal(size=2)), {}),
            ("predict", (rng.normal(size=(4, 2)), rng.normal(size=4)), {}),
            ("predict", (rng.normal(size=(2, 3)), rng.normal(size=3)), {}),
            ("predict", (rng.normal(size=(4, 2)), rng.normal(size=(3, 1))), {}),
            ("predict", (rng.normal(size=3), rng.normal(size=4)), {}),
            ("predict", (np.array(1.0), rng.normal(size=2)), {}),
            ("predict", (rng.normal(size=(3, 2, 1)), rng.normal(size=3)), {})]  # fmt: skip
    return out
