# Generated from solutions/lec02_matrices.py by `aimath build`: fill in each TODO, keep names and signatures.
"""AI Math 2강: 행렬이 뭐에요?

Matrices: products, inverse, pseudo-inverse, least squares, regression.
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
    # TODO: implement matmul.
    raise NotImplementedError


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
    # TODO: implement inner.
    raise NotImplementedError


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
    # TODO: implement inverse.
    raise NotImplementedError


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
    # TODO: implement pinv.
    raise NotImplementedError


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
    # TODO: implement solve_least_squares.
    raise NotImplementedError


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
    # TODO: implement linear_regression.
    raise NotImplementedError


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
    # TODO: implement predict.
    raise NotImplementedError
