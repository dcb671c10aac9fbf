# Generated from solutions/lec04_sgd.py by `aimath build`: fill in each TODO, keep names and signatures.
"""AI Math 4강: 경사하강법 - 매운맛

Linear regression by gradient descent and mini-batch stochastic gradient
descent (SGD).
"""

import numpy as np


def add_intercept(X: np.ndarray) -> np.ndarray:
    """AI Math 4강: 경사하강법 - 매운맛: 절편 항 추가.

    X with a column of ones appended as its last column, so that X_ @ beta = X @ beta[:-1] + beta[-1]
    (the intercept is the last coefficient, as in the lecture).

    Args:
        X: array of shape (N, D), the data.
    Returns:
        ndarray of shape (N, D+1), X followed by a column of ones.
    Raises:
        ValueError: if X is not 2-D.
    """
    # TODO: implement add_intercept.
    raise NotImplementedError


def linear_regression_gd(
    X: np.ndarray, y: np.ndarray, beta_init: np.ndarray, lr: float = 0.01, n_iter: int = 5000
) -> np.ndarray:
    """AI Math 4강: 경사하강법 - 매운맛: 경사하강법으로 선형회귀 계수 구하기.

    Linear regression by gradient descent on ||y - X_ beta||^2 / 2, exactly the lecture's loop,
    where X_ is X with a column of ones appended (intercept last). Repeat n_iter times:
        error = y - X_ @ beta
        grad = -X_^T @ error
        beta = beta - lr * grad

    Args:
        X: array of shape (N, D), the data.
        y: array of shape (N,), the targets.
        beta_init: array of shape (D+1,), the starting coefficients (intercept last).
        lr: float, the learning rate.
        n_iter: int, the number of updates.
    Returns:
        ndarray of shape (D+1,), the coefficients after n_iter updates; the last is the intercept.
    Raises:
        ValueError: if X is not 2-D, y is not of shape (N,) or beta_init is not of shape (D+1,).
    """
    # TODO: implement linear_regression_gd.
    raise NotImplementedError


def minibatches(n: int, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """AI Math 4강: 경사하강법 - 매운맛: 미니배치 나누기.

    Shuffle the indices 0, ..., n-1 with rng and cut the permutation into consecutive batches of
    batch_size indices; the last batch is smaller when batch_size does not divide n. Every index is
    in exactly one batch.

    Args:
        n: int, the number of samples N.
        batch_size: int, the number of indices per batch (at least 1).
        rng: numpy Generator used to shuffle; None means np.random.default_rng(0).
    Returns:
        list of ceil(n / batch_size) integer ndarrays of shape (batch_size,) (the last may be
        shorter), together a permutation of range(n).
    Raises:
        ValueError: if n is negative or batch_size is smaller than 1.
    """
    # TODO: implement minibatches.
    raise NotImplementedError


def sgd_linear_regression(
    X: np.ndarray,
    y: np.ndarray,
    beta_init: np.ndarray,
    lr: float = 0.01,
    n_epochs: int = 100,
    batch_size: int = 2,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """AI Math 4강: 경사하강법 - 매운맛: 확률적 경사하강법 (SGD).

    Linear regression by mini-batch SGD on the mean squared error, with the intercept appended as
    in add_intercept (X_ = [X, 1]). Each epoch draws new batches with minibatches(N, batch_size, rng),
    and each batch B updates
        beta = beta - lr * (2 / |B|) * X_B^T (X_B beta - y_B)
    the gradient of the batch's mean squared error (1/|B|) ||y_B - X_B beta||^2.

    Args:
        X: array of shape (N, D), the data.
        y: array of shape (N,), the targets.
        beta_init: array of shape (D+1,), the starting coefficients (intercept last).
        lr: float, the learning rate.
        n_epochs: int, the number of passes over the data.
        batch_size: int, the number of samples per batch (the last batch may be smaller).
        rng: numpy Generator for the batch order; None means np.random.default_rng(0).
    Returns:
        ndarray of shape (D+1,), the coefficients after n_epochs epochs; the last is the intercept.
    Raises:
        ValueError: if X is not 2-D, y is not of shape (N,), beta_init is not of shape (D+1,) or
            batch_size is smaller than 1.
    """
    # TODO: implement sgd_linear_regression.
    raise NotImplementedError
