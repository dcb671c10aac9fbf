"""Public tests for lec02_matrices: students run these with `aimath check`."""

import numpy as np
import pytest

from autograder.checks import check_close, check_raises
from autograder.graders.lec02_matrices.support import full_rank

# The lecture's matrices (AI Math 2강).
X_LECTURE = np.array([[1, -2, 3], [7, 5, 0], [-2, -1, 2]])
Y_LECTURE = np.array([[0, 1], [1, -1], [-2, 1]])
# The lecture's regression data: y = X @ [1, 2] + 3, so beta = [1, 2, 3] (intercept last).
X_REGRESSION = np.array([[1, 1], [1, 2], [2, 2], [2, 3]])
Y_REGRESSION = np.array([6, 8, 9, 11])

# Singular (rank 2, rows in arithmetic progression), but rounding hides it from LU:
# np.linalg.inv returns entries near 1e16 instead of raising.
SINGULAR_ROUNDED = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]])


def low_rank(rng, n, rank, m=None):
    """A random (n, m) matrix (m = n by default) of the given rank < min(n, m): singular or
    rank-deficient, though rounding hides it from LU."""
    return rng.normal(size=(n, rank)) @ rng.normal(size=(rank, n if m is None else m))


def other_size(rng, n, low=1, high=8):
    """A random size in [low, high) other than n."""
    return int(rng.choice([k for k in range(low, high) if k != n]))


# -- matmul ---------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_matmul_lecture_example(sub, rng):
    """matmul: the lecture's X @ Y and random matrices of several shapes"""
    expected = np.array([[-8, 6], [5, 2], [-5, 1]])
    check_close(sub.matmul(X_LECTURE, Y_LECTURE), expected, name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    for n, d, m in ((1, 1, 1), (2, 5, 3), (4, 1, 4), (3, 3, 3), (1, 6, 2)):
        X, Y = rng.normal(size=(n, d)), rng.normal(size=(d, m))
        check_close(sub.matmul(X, Y), np.einsum("ik,kj->ij", X, Y), name=sub.last_call,
                    require_ndarray=True)  # fmt: skip
    X, Y = rng.integers(-5, 6, size=(3, 4)), rng.integers(-5, 6, size=(4, 2))
    check_close(sub.matmul(X, Y), np.einsum("ik,kj->ij", X, Y), name=sub.last_call,
                require_ndarray=True)  # fmt: skip


@pytest.mark.points(1)
def test_matmul_vectors(sub, rng):
    """matmul: a 1-D vector on either side, as X @ Y: (D,) @ (D, M), (N, D) @ (D,), (D,) @ (D,)"""
    for _ in range(2):
        n, d = int(rng.integers(1, 6)), int(rng.integers(2, 6))
        m = other_size(rng, d)  # so that Y.shape[0] and Y.shape[-1] differ
        x, Y = rng.normal(size=d), rng.normal(size=(d, m))
        check_close(sub.matmul(x, Y), np.einsum("k,kj->j", x, Y), name=sub.last_call,
                    require_ndarray=True)  # fmt: skip
        X, y = rng.normal(size=(n, d)), rng.normal(size=d)
        check_close(sub.matmul(X, y), np.einsum("ik,k->i", X, y), name=sub.last_call,
                    require_ndarray=True)  # fmt: skip
        x, y = rng.normal(size=d), rng.normal(size=d)
        check_close(sub.matmul(x, y), np.einsum("k,k->", x, y), name=sub.last_call)


@pytest.mark.points(1)
def test_matmul_inner_dimension_mismatch(sub, rng):
    """matmul: inner dimensions that do not agree, or a 3-D input, raise ValueError"""
    X, Y = rng.normal(size=(2, 3)), rng.normal(size=(3, 4))
    check_close(sub.matmul(X, Y), np.einsum("ik,kj->ij", X, Y), name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    check_raises(ValueError, sub.matmul, rng.normal(size=(2, 3)), rng.normal(size=(2, 3)))
    check_raises(ValueError, sub.matmul, X_LECTURE, Y_LECTURE.T)
    n, d, m = (int(k) for k in rng.integers(1, 6, size=3))
    e = other_size(rng, d)
    check_raises(ValueError, sub.matmul, rng.normal(size=(n, d)), rng.normal(size=(e, m)))
    check_raises(ValueError, sub.matmul, rng.normal(size=d), rng.normal(size=(e, m)))
    check_raises(ValueError, sub.matmul, rng.normal(size=(n, d)), rng.normal(size=e))
    # X @ Y multiplies stacks of matrices, but matmul is for vectors and matrices only.
    check_raises(ValueError, sub.matmul, rng.normal(size=(2, n, d)), rng.normal(size=(d, m)))
    check_raises(ValueError, sub.matmul, rng.normal(size=(n, d)), rng.normal(size=(2, d, m)))


# -- inner ----------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_inner_lecture_example(sub, rng):
    """inner: the lecture's np.inner(X, X) and random square matrices"""
    expected = np.array([[14, -3, 6], [-3, 74, -19], [6, -19, 9]])
    check_close(sub.inner(X_LECTURE, X_LECTURE), expected, name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    for n in (1, 2, 4):
        X, Y = rng.normal(size=(n, n)), rng.normal(size=(n, n))
        check_close(sub.inner(X, Y), np.inner(X, Y), name=sub.last_call, require_ndarray=True)


@pytest.mark.points(2)
def test_inner_different_row_counts(sub, rng):
    """inner: X (N, D) and Y (M, D) give an (N, M) matrix of row inner products"""
    for n, m, d in ((2, 3, 4), (5, 1, 2), (1, 4, 3), (3, 2, 1)):
        X, Y = rng.normal(size=(n, d)), rng.normal(size=(m, d))
        check_close(sub.inner(X, Y), np.einsum("ik,jk->ij", X, Y), name=sub.last_call,
                    require_ndarray=True)  # fmt: skip


@pytest.mark.points(1)
def test_inner_vectors(sub, rng):
    """inner: a 1-D vector as X or Y (one row), as np.inner does: shapes (D,), (M, D) and (N, D)"""
    for _ in range(2):
        d = int(rng.integers(2, 6))
        n, m = other_size(rng, d), other_size(rng, d)  # so that shape[0] and shape[-1] differ
        x, Y = rng.normal(size=d), rng.normal(size=(m, d))
        check_close(sub.inner(x, Y), np.einsum("k,jk->j", x, Y), name=sub.last_call,
                    require_ndarray=True)  # fmt: skip
        X, y = rng.normal(size=(n, d)), rng.normal(size=d)
        check_close(sub.inner(X, y), np.einsum("ik,k->i", X, y), name=sub.last_call,
                    require_ndarray=True)  # fmt: skip
        x, y = rng.normal(size=d), rng.normal(size=d)
        check_close(sub.inner(x, y), np.einsum("k,k->", x, y), name=sub.last_call)


@pytest.mark.points(1)
def test_inner_column_mismatch(sub, rng):
    """inner: X and Y with different numbers of columns, or a 3-D input, raise ValueError"""
    X, Y = rng.normal(size=(2, 3)), rng.normal(size=(4, 3))
    check_close(sub.inner(X, Y), np.inner(X, Y), name=sub.last_call, require_ndarray=True)
    check_raises(ValueError, sub.inner, rng.normal(size=(2, 3)), rng.normal(size=(3, 2)))
    check_raises(ValueError, sub.inner, X_LECTURE, Y_LECTURE)
    n, d, m = (int(k) for k in rng.integers(1, 6, size=3))
    e = other_size(rng, d)
    check_raises(ValueError, sub.inner, rng.normal(size=(n, d)), rng.normal(size=(m, e)))
    check_raises(ValueError, sub.inner, rng.normal(size=d), rng.normal(size=(m, e)))
    check_raises(ValueError, sub.inner, rng.normal(size=(n, d)), rng.normal(size=e))
    # np.inner also takes 3-D arrays, but inner is for vectors and matrices only.
    check_raises(ValueError, sub.inner, rng.normal(size=(2, n, d)), rng.normal(size=(m, d)))


# -- inverse --------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_inverse_lecture_example(sub, rng):
    """inverse: the lecture's X and random invertible matrices"""
    expected = np.array([[10, 1, -15], [-14, 8, 21], [3, 5, 19]]) / 47
    check_close(sub.inverse(X_LECTURE), expected, name=sub.last_call, require_ndarray=True)
    for n in (1, 2, 5):
        X = full_rank(rng, n, n)
        check_close(sub.inverse(X), np.linalg.inv(X), name=sub.last_call, require_ndarray=True)


@pytest.mark.points(1)
def test_inverse_not_square(sub, rng):
    """inverse: a matrix that is not square raises ValueError"""
    X = full_rank(rng, 3, 3)
    check_close(sub.inverse(X), np.linalg.inv(X), name=sub.last_call, require_ndarray=True)
    check_raises(ValueError, sub.inverse, rng.normal(size=(2, 3)))
    check_raises(ValueError, sub.inverse, Y_LECTURE)
    n = int(rng.integers(1, 6))
    check_raises(ValueError, sub.inverse, rng.normal(size=(n, other_size(rng, n))))
    check_raises(ValueError, sub.inverse, rng.normal(size=(other_size(rng, n), n)))
    # not 2-D: a vector (no shape[1]) and a stack of one square matrix (np.linalg.inv takes it)
    check_raises(ValueError, sub.inverse, rng.normal(size=n + 1))
    check_raises(ValueError, sub.inverse, full_rank(rng, n, n)[np.newaxis])


@pytest.mark.points(2)
def test_inverse_singular(sub, rng):
    """inverse: singular matrices raise ValueError (also when rounding hides the singularity)"""
    X = full_rank(rng, 4, 4)
    check_close(sub.inverse(X), np.linalg.inv(X), name=sub.last_call, require_ndarray=True)
    # np.linalg.LinAlgError subclasses ValueError, so letting it escape for an exactly singular
    # matrix is accepted (CURRICULUM asks for "ValueError"); returning inv's garbage is not.
    check_raises(ValueError, sub.inverse, np.array([[1.0, 2.0], [2.0, 4.0]]))
    check_raises(ValueError, sub.inverse, SINGULAR_ROUNDED)
    check_raises(ValueError, sub.inverse, low_rank(rng, 3, 2))
    n = int(rng.integers(2, 7))
    check_raises(ValueError, sub.inverse, low_rank(rng, n, int(rng.integers(1, n))))


# -- pinv -----------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_pinv_lecture_example(sub, rng):
    """pinv: the lecture's 3x2 matrix Y, its 2x3 transpose, and random tall and wide matrices"""
    expected = np.array([[3, 0, -3], [5, -2, -1]]) / 6
    check_close(sub.pinv(Y_LECTURE), expected, name=sub.last_call, require_ndarray=True)
    check_close(sub.pinv(Y_LECTURE.T), expected.T, name=sub.last_call, require_ndarray=True)
    for n, m in ((4, 2), (2, 4)):
        A = full_rank(rng, n, m)
        check_close(sub.pinv(A), np.linalg.pinv(A), name=sub.last_call, require_ndarray=True)


@pytest.mark.points(2)
def test_pinv_tall_square_and_wide(sub, rng):
    """pinv: random tall (N > D), square and wide (N < D) matrices of full rank"""
    for n, m in ((6, 3), (5, 1), (3, 3), (1, 4), (3, 7)):
        A = full_rank(rng, n, m)
        check_close(sub.pinv(A), np.linalg.pinv(A), name=sub.last_call, require_ndarray=True)


@pytest.mark.points(1)
def test_pinv_rank_deficient(sub, rng):
    """pinv: a rank-deficient matrix (tall, square or wide) raises ValueError"""
    A = full_rank(rng, 4, 2)
    check_close(sub.pinv(A), np.linalg.pinv(A), name=sub.last_call, require_ndarray=True)
    check_raises(ValueError, sub.pinv, np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]]))
    check_raises(ValueError, sub.pinv, np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0]]))
    # Random ones, of rank below both sizes: A^T A and A A^T are singular, though rounding hides
    # it from LU (as in test_inverse_singular).
    for _ in range(3):
        n, m = (int(k) for k in rng.integers(2, 7, size=2))
        check_raises(ValueError, sub.pinv, low_rank(rng, n, int(rng.integers(1, min(n, m))), m))


# -- solve_least_squares --------------------------------------------------------------------
@pytest.mark.points(2)
def test_solve_least_squares(sub, rng):
    """solve_least_squares: least squares (N > D), exact (N = D) and minimum norm (N < D)"""
    b = np.array([1.0, 0.0, 2.0])
    expected = np.array([[3, 0, -3], [5, -2, -1]]) / 6 @ b
    check_close(sub.solve_least_squares(Y_LECTURE, b), expected, name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    for n, d in ((8, 3), (4, 4), (2, 5)):
        A, b = full_rank(rng, n, d), rng.normal(size=n)
        x_expected = np.linalg.lstsq(A, b, rcond=None)[0]
        check_close(sub.solve_least_squares(A, b), x_expected, name=sub.last_call,
                    require_ndarray=True)  # fmt: skip


@pytest.mark.points(1)
def test_solve_least_squares_wrong_b(sub, rng):
    """solve_least_squares: A not 2-D, or b whose length is not A's number of rows, raises ValueError"""
    A, b = full_rank(rng, 5, 2), rng.normal(size=5)
    x_expected = np.linalg.lstsq(A, b, rcond=None)[0]
    check_close(sub.solve_least_squares(A, b), x_expected, name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    check_raises(ValueError, sub.solve_least_squares, A, rng.normal(size=4))
    n = int(rng.integers(3, 9))
    A = full_rank(rng, n, int(rng.integers(1, n)))
    check_raises(ValueError, sub.solve_least_squares, A, rng.normal(size=other_size(rng, n, 1, 10)))
    # A not 2-D: a number (no shape[0]) and a stack of one matrix
    check_raises(ValueError, sub.solve_least_squares, np.array(rng.normal()), rng.normal(size=1))
    check_raises(ValueError, sub.solve_least_squares, A[np.newaxis], rng.normal(size=1))


# -- linear_regression ----------------------------------------------------------------------
def regression_oracle(X, y):
    """Least-squares coefficients of y ~ X with the intercept last, by numpy's lstsq."""
    X_ = np.hstack([X, np.ones((X.shape[0], 1))])
    return np.linalg.lstsq(X_, y, rcond=None)[0]


@pytest.mark.points(2)
def test_linear_regression_lecture_example(sub, rng):
    """linear_regression: the lecture's data (beta = [1, 2, 3], intercept last) and noisy data"""
    check_close(
        sub.linear_regression(X_REGRESSION, Y_REGRESSION), np.array([1.0, 2.0, 3.0]),
        name=sub.last_call, require_ndarray=True,
    )  # fmt: skip
    for n, d in ((20, 1), (30, 3), (9, 5)):
        X = full_rank(rng, n, d)
        y = X @ rng.normal(size=d) + rng.normal() + 0.1 * rng.normal(size=n)
        check_close(sub.linear_regression(X, y), regression_oracle(X, y), name=sub.last_call,
                    require_ndarray=True)  # fmt: skip


@pytest.mark.points(1)
def test_linear_regression_wrong_y(sub, rng):
    """linear_regression: y not of shape (N,) (a column (N, 1) too) or X not 2-D raise ValueError"""
    X, y = full_rank(rng, 10, 2), rng.normal(size=10)
    check_close(sub.linear_regression(X, y), regression_oracle(X, y), name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    check_raises(ValueError, sub.linear_regression, X, rng.normal(size=9))
    n = int(rng.integers(6, 15))
    X, y = full_rank(rng, n, int(rng.integers(1, 4))), rng.normal(size=n)
    check_raises(ValueError, sub.linear_regression, X, rng.normal(size=other_size(rng, n, 2, 20)))
    # A column y gives a column beta (D+1, 1) without the shape check.
    check_raises(ValueError, sub.linear_regression, X, y.reshape(n, 1))
    check_raises(ValueError, sub.linear_regression, X[:, 0], y)
    check_raises(ValueError, sub.linear_regression, np.array(rng.normal()), rng.normal(size=1))


# -- predict --------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_predict_lecture_example(sub, rng):
    """predict: the lecture's data with beta = [1, 2, 3] (intercept last) and random models"""
    check_close(
        sub.predict(X_REGRESSION, np.array([1.0, 2.0, 3.0])), Y_REGRESSION.astype(float),
        name=sub.last_call, require_ndarray=True,
    )  # fmt: skip
    for n, d in ((5, 1), (3, 4), (1, 2)):
        X, beta = rng.normal(size=(n, d)), rng.normal(size=d + 1)
        check_close(sub.predict(X, beta), X @ beta[:-1] + beta[-1], name=sub.last_call,
                    require_ndarray=True)  # fmt: skip


@pytest.mark.points(1)
def test_predict_wrong_beta(sub, rng):
    """predict: beta not of shape (D + 1,) (other length, a column) or X not 2-D raise ValueError"""
    X, beta = rng.normal(size=(4, 3)), rng.normal(size=4)
    check_close(sub.predict(X, beta), X @ beta[:-1] + beta[-1], name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    check_raises(ValueError, sub.predict, X, rng.normal(size=3))
    check_raises(ValueError, sub.predict, X, rng.normal(size=5))
    n, d = int(rng.integers(2, 8)), int(rng.integers(1, 5))
    X = rng.normal(size=(n, d))
    check_raises(ValueError, sub.predict, X, rng.normal(size=other_size(rng, d + 1, 1, 8)))
    check_raises(ValueError, sub.predict, X, rng.normal(size=(d + 1, 1)))
    check_raises(ValueError, sub.predict, rng.normal(size=n), rng.normal(size=2))
