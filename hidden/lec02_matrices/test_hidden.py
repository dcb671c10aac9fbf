"""Hidden tests for lec02_matrices: unseen random inputs, expected values from the reference."""

import numpy as np
import pytest

from autograder.checks import check_close, check_raises
from autograder.graders.lec02_matrices.support import full_rank

pytestmark = pytest.mark.hidden


@pytest.mark.points(2)
def test_hidden_matmul(sub, ref, rng):
    """matmul: unseen random matrices, float and integer"""
    for n, d, m in ((7, 2, 5), (1, 3, 1), (4, 4, 4), (2, 8, 3)):
        X, Y = rng.normal(size=(n, d)), rng.normal(size=(d, m))
        check_close(sub.matmul(X, Y), ref.matmul(X, Y), name=sub.last_call, require_ndarray=True)
    X, Y = rng.integers(-9, 10, size=(5, 3)), rng.integers(-9, 10, size=(3, 5))
    check_close(sub.matmul(X, Y), ref.matmul(X, Y), name=sub.last_call, require_ndarray=True)


@pytest.mark.points(2)
def test_hidden_inner(sub, ref, rng):
    """inner: unseen random matrices with different row counts"""
    for n, m, d in ((6, 2, 3), (1, 1, 5), (3, 7, 2), (4, 4, 4)):
        X, Y = rng.normal(size=(n, d)), rng.normal(size=(m, d))
        check_close(sub.inner(X, Y), ref.inner(X, Y), name=sub.last_call, require_ndarray=True)


@pytest.mark.points(2)
def test_hidden_inverse(sub, ref, rng):
    """inverse: unseen random invertible matrices of several sizes"""
    for n in (1, 3, 6, 8):
        X = full_rank(rng, n, n)
        check_close(sub.inverse(X), ref.inverse(X), name=sub.last_call, require_ndarray=True)


@pytest.mark.points(1)
def test_hidden_inverse_rank_deficient(sub, ref, rng):
    """inverse: unseen random singular matrices (rank < size) raise ValueError"""
    X = full_rank(rng, 5, 5)
    check_close(sub.inverse(X), ref.inverse(X), name=sub.last_call, require_ndarray=True)
    for n, rank in ((4, 3), (5, 2), (6, 1), (3, 2), (7, 4)):
        X = rng.normal(size=(n, rank)) @ rng.normal(size=(rank, n))
        check_raises(ValueError, sub.inverse, X)


@pytest.mark.points(2)
def test_hidden_pinv(sub, ref, rng):
    """pinv: unseen random tall, square and wide matrices"""
    for n, m in ((10, 4), (7, 2), (4, 4), (2, 6), (3, 9)):
        A = full_rank(rng, n, m)
        check_close(sub.pinv(A), ref.pinv(A), name=sub.last_call, require_ndarray=True)


@pytest.mark.points(2)
def test_hidden_solve_least_squares(sub, ref, rng):
    """solve_least_squares: unseen overdetermined, square and underdetermined systems"""
    for n, d in ((12, 3), (5, 5), (3, 6)):
        A, b = full_rank(rng, n, d), rng.normal(size=n)
        check_close(sub.solve_least_squares(A, b), ref.solve_least_squares(A, b),
                    name=sub.last_call, require_ndarray=True)  # fmt: skip


@pytest.mark.points(2)
def test_hidden_linear_regression(sub, ref, rng):
    """linear_regression: unseen noisy data sets of several shapes"""
    for n, d in ((15, 1), (40, 4), (8, 6)):
        X = full_rank(rng, n, d)
        y = X @ rng.normal(size=d) + rng.normal() + 0.5 * rng.normal(size=n)
        check_close(
            sub.linear_regression(X, y),
            ref.linear_regression(X, y),
            name=sub.last_call,
            require_ndarray=True,
        )


@pytest.mark.points(1)
def test_hidden_predict(sub, ref, rng):
    """predict: unseen random data and coefficients"""
    for n, d in ((6, 2), (1, 5), (9, 1)):
        X, beta = rng.normal(size=(n, d)), rng.normal(size=d + 1)
        check_close(
            sub.predict(X, beta), ref.predict(X, beta), name=sub.last_call, require_ndarray=True
        )


@pytest.mark.points(2)
def test_hidden_regression_recovers_model(sub, ref, rng):
    """linear_regression + predict: noise-free data gives back the model and its predictions"""
    for n, d in ((10, 2), (25, 3)):
        X = full_rank(rng, n, d)
        beta_true = np.append(rng.normal(size=d), rng.normal())
        y = ref.predict(X, beta_true)
        check_close(
            sub.linear_regression(X, y), beta_true, name=sub.last_call, require_ndarray=True
        )
        check_close(sub.predict(X, beta_true), y, name=sub.last_call, require_ndarray=True)
