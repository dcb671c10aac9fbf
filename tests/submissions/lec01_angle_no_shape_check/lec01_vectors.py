"""AI Math 1강: 벡터가 뭐에요?

Reference solutions for vectors: element-wise product, norms, distances, angle and projection.
"""

import numpy as np


def hadamard(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """AI Math 1강: 벡터가 뭐에요?: 성분곱.

    The Hadamard (element-wise) product of two vectors of the same shape: (x ⊙ y)_i = x_i y_i.

    Args:
        x: array of shape (D,).
        y: array of shape (D,), the same shape as x.
    Returns:
        ndarray of shape (D,), the element-wise product.
    Raises:
        ValueError: if x and y do not have the same shape.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape != y.shape:
        raise ValueError(f"hadamard: x and y must have the same shape, got {x.shape} and {y.shape}")
    return x * y


def l1_norm(x: np.ndarray) -> float:
    """AI Math 1강: 벡터가 뭐에요?: L1 노름.

    The L1 norm is the sum of absolute values of the entries: ||x||_1 = sum_i |x_i|.

    Args:
        x: array of shape (D,).
    Returns:
        float, the L1 norm of x.
    """
    x = np.asarray(x, dtype=float)
    return float(np.sum(np.abs(x)))


def l2_norm(x: np.ndarray) -> float:
    """AI Math 1강: 벡터가 뭐에요?: L2 노름.

    The L2 (Euclidean) norm is the length of the vector: ||x||_2 = sqrt(sum_i x_i^2).

    Args:
        x: array of shape (D,).
    Returns:
        float, the L2 norm of x.
    """
    x = np.asarray(x, dtype=float)
    return float(np.sqrt(np.sum(x * x)))


def l1_distance(x: np.ndarray, y: np.ndarray) -> float:
    """AI Math 1강: 벡터가 뭐에요?: L1 거리.

    The L1 distance between two vectors is the L1 norm of their difference: d_1(x, y) = ||x - y||_1.

    Args:
        x: array of shape (D,).
        y: array of shape (D,), the same shape as x.
    Returns:
        float, the L1 distance between x and y.
    Raises:
        ValueError: if x and y do not have the same shape.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape != y.shape:
        raise ValueError(
            f"l1_distance: x and y must have the same shape, got {x.shape} and {y.shape}"
        )
    return l1_norm(x - y)


def l2_distance(x: np.ndarray, y: np.ndarray) -> float:
    """AI Math 1강: 벡터가 뭐에요?: L2 거리.

    The L2 distance between two vectors is the L2 norm of their difference: d_2(x, y) = ||x - y||_2.

    Args:
        x: array of shape (D,).
        y: array of shape (D,), the same shape as x.
    Returns:
        float, the L2 distance between x and y.
    Raises:
        ValueError: if x and y do not have the same shape.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape != y.shape:
        raise ValueError(
            f"l2_distance: x and y must have the same shape, got {x.shape} and {y.shape}"
        )
    return l2_norm(x - y)


def angle(x: np.ndarray, y: np.ndarray) -> float:
    """AI Math 1강: 벡터가 뭐에요?: 두 벡터 사이의 각도.

    The angle between two vectors from the inner product and the L2 norms, with the cosine clipped
    to [-1, 1] against rounding: theta = arccos(<x, y> / (||x||_2 ||y||_2)).

    Args:
        x: array of shape (D,), not the zero vector.
        y: array of shape (D,), the same shape as x, not the zero vector.
    Returns:
        float, the angle in radians, in [0, pi].
    Raises:
        ValueError: if x and y do not have the same shape, or either is the zero vector.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    norms = l2_norm(x) * l2_norm(y)
    if norms == 0:
        raise ValueError("angle: the angle with a zero vector is undefined")
    cos = np.sum(x * y) / norms
    return float(np.arccos(np.clip(cos, -1.0, 1.0)))


def projection(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """AI Math 1강: 벡터가 뭐에요?: 정사영.

    The orthogonal projection of x onto the direction of y: proj_y(x) = (<x, y> / <y, y>) y.

    Args:
        x: array of shape (D,), the vector to project.
        y: array of shape (D,), the same shape as x, the direction (not the zero vector).
    Returns:
        ndarray of shape (D,), the projection of x onto y.
    Raises:
        ValueError: if x and y do not have the same shape, or y is the zero vector.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape != y.shape:
        raise ValueError(
            f"projection: x and y must have the same shape, got {x.shape} and {y.shape}"
        )
    yy = np.sum(y * y)
    if yy == 0:
        raise ValueError("projection: cannot project onto the zero vector")
    return (np.sum(x * y) / yy) * y
