"""AI Math 2강: 행렬이 뭐에요?

Reference solutions for matrices: products, inverse, pseudo-inverse, least squares, regression.
"""

import numpy as np


def matmul(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """AI Math 2강: 행렬이 뭐에요?: 행렬 곱셈.

    The matrix product of X and Y; entry (i, j) is the inner product of row i of X and
    column j of Y: (XY)_ij = sum_k X_ik Y_kj.

    Args:
        X: array of shape (N, D).
        Y: array of shape (D, M).
    Returns:
        ndarray of shape (N, M), the product XY.
    Raises:
        ValueError: if X or Y is not 1-D or 2-D, or the inner dimensions do not agree.
    """
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    if X.ndim != 2 or Y.ndim != 2:
        raise ValueError(f"matmul: X and Y must be 2-D, got shapes {X.shape} and {Y.shape}")
    if X.shape[1] != Y.shape[0]:
        raise ValueError(
            f"matmul: inner dimensions do not agree, got shapes {X.shape} and {Y.shape}"
        )
    return X @ Y


def inner(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """AI Math 2강: 행렬이 뭐에요?: 행렬의 내적.

    The inner product of matrices taken row by row; entry (i, j) is the inner product of row i
    of X and row j of Y: inner(X, Y)_ij = <X_i, Y_j> = sum_k X_ik Y_jk, i.e. X Y^T.

    Args:
        X: array of shape (N, D).
        Y: array of shape (M, D).
    Returns:
        ndarray of shape (N, M).
    Raises:
        ValueError: if X or Y is not 1-D or 2-D, or X and Y do not have the same number of columns.
    """
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    if X.ndim not in (1, 2) or Y.ndim not in (1, 2):
        raise ValueError(f"inner: X and Y must be 1-D or 2-D, got shapes {X.shape} and {Y.shape}")
    if X.shape[-1] != Y.shape[-1]:
        raise ValueError(
            f"inner: X and Y must have the same number of columns, got {X.shape} and {Y.shape}"
        )
    return X @ Y.T


def inverse(X: np.ndarray) -> np.ndarray:
    """AI Math 2강: 행렬이 뭐에요?: 역행렬.

    The inverse of a square matrix of full rank, the matrix with X X^{-1} = X^{-1} X = I.

    Args:
        X: array of shape (D, D), invertible.
    Returns:
        ndarray of shape (D, D), the inverse of X.
    Raises:
        ValueError: if X is not a square 2-D array, or X is singular.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[0] != X.shape[1]:
        raise ValueError(f"inverse: X must be a square matrix, got shape {X.shape}")
    try:
        rank = np.linalg.matrix_rank(X)
        X_inv = np.linalg.inv(X)
    except np.linalg.LinAlgError as err:
        raise ValueError(f"inverse: X of shape {X.shape} is singular") from err
    if rank < X.shape[0]:
        raise ValueError(f"inverse: X of shape {X.shape} is singular (rank {rank})")
    return X_inv


def pinv(A: np.ndarray) -> np.ndarray:
    """AI Math 2강: 행렬이 뭐에요?: 무어-펜로즈 유사역행렬.

    The Moore-Penrose pseudo-inverse of a full-rank matrix with n rows and m columns:
    A^+ = (A^T A)^{-1} A^T if n >= m, and A^+ = A^T (A A^T)^{-1} if n < m.

    Args:
        A: array of shape (N, D), of full rank.
    Returns:
        ndarray of shape (D, N), the pseudo-inverse of A.
    Raises:
        ValueError: if A is not 2-D, or A is rank-deficient (A^T A or A A^T is singular).
    """
    A = np.asarray(A, dtype=float)
    if A.ndim != 2:
        raise ValueError(f"pinv: A must be a 2-D matrix, got shape {A.shape}")
    n, m = A.shape
    try:
        if n >= m:
            return inverse(A.T @ A) @ A.T
        return A.T @ inverse(A @ A.T)
    except ValueError as err:
        raise ValueError(f"pinv: A of shape {A.shape} is rank-deficient") from err


def solve_least_squares(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """AI Math 2강: 행렬이 뭐에요?: 연립방정식 풀기.

    The solution of Ax = b with the pseudo-inverse, x = A^+ b: the exact solution of minimum
    norm when N < D, and the least-squares solution minimising ||Ax - b||_2 when N >= D.

    Args:
        A: array of shape (N, D), of full rank.
        b: array of shape (N,).
    Returns:
        ndarray of shape (D,), the solution x.
    Raises:
        ValueError: if A is not 2-D, the length of b is not N, or A is rank-deficient.
    """
    A = np.asarray(A, dtype=float)
    b = np.asarray(b, dtype=float)
    if A.ndim != 2:
        raise ValueError(f"solve_least_squares: A must be a 2-D matrix, got shape {A.shape}")
    if b.ndim not in (1, 2) or b.shape[0] != A.shape[0]:
        raise ValueError(
            f"solve_least_squares: b must have {A.shape[0]} rows like A {A.shape}, got {b.shape}"
        )
    return pinv(A) @ b


def linear_regression(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """AI Math 2강: 행렬이 뭐에요?: 선형회귀분석.

    The least-squares coefficients of a linear model with an intercept: append a column of ones to X
    (intercept last) to get X_, then beta = X_^+ y.

    Args:
        X: array of shape (N, D), the data.
        y: array of shape (N,), the targets.
    Returns:
        ndarray of shape (D+1,), the coefficients; the last entry is the intercept.
    Raises:
        ValueError: if X is not 2-D, y is not of shape (N,), or X_ is rank-deficient.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"linear_regression: X must be a 2-D matrix (N, D), got shape {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(
            f"linear_regression: y must have shape ({X.shape[0]},) for X {X.shape}, got {y.shape}"
        )
    X_ = np.append(X, np.ones((X.shape[0], 1)), axis=1)
    return pinv(X_) @ y


def predict(X: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """AI Math 2강: 행렬이 뭐에요?: 선형모델 예측.

    The predictions of a linear model with the intercept last: y_hat = X_ beta, where X_ is X with a
    column of ones appended.

    Args:
        X: array of shape (N, D), the data.
        beta: array of shape (D+1,), the coefficients; the last entry is the intercept.
    Returns:
        ndarray of shape (N,), the predictions.
    Raises:
        ValueError: if X is not 2-D, or beta is not of shape (D+1,).
    """
    X = np.asarray(X, dtype=float)
    beta = np.asarray(beta, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"predict: X must be a 2-D matrix (N, D), got shape {X.shape}")
    if beta.shape != (X.shape[1] + 1,):
        raise ValueError(
            f"predict: beta must have shape ({X.shape[1] + 1},) for X {X.shape}, got {beta.shape}"
        )
    X_ = np.append(X, np.ones((X.shape[0], 1)), axis=1)
    return X_ @ beta
