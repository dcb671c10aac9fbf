"""AI Math 4강: 경사하강법 - 매운맛

Reference solutions for linear regression by gradient descent and mini-batch stochastic gradient
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
    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"add_intercept: X must be a 2-D matrix (N, D), got shape {X.shape}")
    return np.append(X, np.ones((X.shape[0], 1)), axis=1)


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
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    beta = np.array(beta_init, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"linear_regression_gd: X must be a 2-D matrix, got shape {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(
            f"linear_regression_gd: y must have shape ({X.shape[0]},) for X {X.shape}, "
            f"got {y.shape}"
        )
    if beta.shape != (X.shape[1] + 1,):
        raise ValueError(
            f"linear_regression_gd: beta_init must have shape ({X.shape[1] + 1},) for X "
            f"{X.shape}, got {beta.shape}"
        )
    X_ = add_intercept(X)
    for _ in range(n_iter):
        error = y - X_ @ beta
        grad = -X_.T @ error
        beta = beta - lr * grad
    return beta


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
    if batch_size < 1:
        raise ValueError(f"minibatches: batch_size must be >= 1, got {batch_size}")
    if rng is None:
        rng = np.random.default_rng(0)
    order = np.arange(int(n))
    rng.shuffle(order)
    return [order[start : start + batch_size] for start in range(0, int(n), int(batch_size))]


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
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    beta = np.array(beta_init, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"sgd_linear_regression: X must be a 2-D matrix, got shape {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(
            f"sgd_linear_regression: y must have shape ({X.shape[0]},) for X {X.shape}, "
            f"got {y.shape}"
        )
    if beta.shape != (X.shape[1] + 1,):
        raise ValueError(
            f"sgd_linear_regression: beta_init must have shape ({X.shape[1] + 1},) for X "
            f"{X.shape}, got {beta.shape}"
        )
    if batch_size < 1:
        raise ValueError(f"sgd_linear_regression: batch_size must be >= 1, got {batch_size}")
    if rng is None:
        rng = np.random.default_rng(0)
    X_ = add_intercept(X)
    for _ in range(n_epochs):
        for batch in minibatches(X_.shape[0], batch_size, rng):
            X_b, y_b = X_[batch], y[batch]
            grad = (2.0 / len(batch)) * X_b.T @ (X_b @ beta - y_b)
            beta = beta - lr * grad
    return beta
