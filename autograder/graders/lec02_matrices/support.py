"""Helpers shared by the public and hidden tests of lec02_matrices."""

import numpy as np

# Random matrices for inverse / pinv / least squares are drawn with condition number below this,
# so the lecture's normal-equation formula (whose error grows like cond(A)**2 * eps) still agrees
# with numpy's SVD-based oracles within DEFAULT_RTOL / DEFAULT_ATOL.
MAX_COND = 100.0


def full_rank(rng, n, m):
    """A random (n, m) matrix of full rank with a moderate condition number."""
    for _ in range(1000):
        A = rng.normal(size=(n, m))
        if np.linalg.cond(A) < MAX_COND:
            return A
    raise RuntimeError(f"could not draw a well-conditioned {n}x{m} matrix")
