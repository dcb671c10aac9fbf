"""AI Math 6강: 확률론 맛보기

Discrete random variables and their moments (expectation, variance, skewness, covariance), and
Monte Carlo integration.
"""

from collections.abc import Callable

import numpy as np

PROBS_ATOL = 1e-8
"""How far from 1 the probabilities may sum. Probabilities computed in floats (1/3, a softmax, a
normalised histogram) sum to 1 within ~1e-16 per entry, far below this; a list that is not a
distribution is off by far more."""


def expectation(values: np.ndarray, probs: np.ndarray) -> float:
    """AI Math 6강: 확률론 맛보기: 기대값 (expectation).

    The expectation (mean) of a discrete random variable X that takes the value x_i with the
    probability p_i:
        E[X] = sum_i x_i p_i

    Args:
        values: array of shape (N,), the values x_i.
        probs: array of shape (N,), their probabilities p_i: non-negative, summing to 1 (within
            PROBS_ATOL).
    Returns:
        float, E[X].
    Raises:
        ValueError: if values or probs is not 1-D or they differ in length, or probs has a
            negative entry or does not sum to 1 (empty arrays sum to 0).
    """
    ### BEGIN SOLUTION
    values, probs = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)
    if values.ndim != 1 or probs.shape != values.shape:
        raise ValueError(
            f"expectation: values and probs must be 1-D arrays of the same length, got shapes "
            f"{values.shape} and {probs.shape}"
        )
    if not (np.all(probs >= 0) and abs(probs.sum() - 1) <= PROBS_ATOL):
        raise ValueError(f"expectation: probs must be non-negative and sum to 1, got {probs}")
    return float(np.sum(values * probs))
    ### END SOLUTION


def variance(values: np.ndarray, probs: np.ndarray) -> float:
    """AI Math 6강: 확률론 맛보기: 분산 (variance).

    The variance of a discrete random variable X (the population variance: weighted by the
    probabilities, no N-1):
        V[X] = E[(X - E[X])^2] = sum_i (x_i - E[X])^2 p_i

    Args:
        values: array of shape (N,), the values x_i.
        probs: array of shape (N,), their probabilities p_i: non-negative, summing to 1 (within
            PROBS_ATOL).
    Returns:
        float, V[X] (>= 0).
    Raises:
        ValueError: if values or probs is not 1-D or they differ in length, or probs has a
            negative entry or does not sum to 1.
    """
    ### BEGIN SOLUTION
    values, probs = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)
    if values.ndim != 1 or probs.shape != values.shape:
        raise ValueError(
            f"variance: values and probs must be 1-D arrays of the same length, got shapes "
            f"{values.shape} and {probs.shape}"
        )
    if not (np.all(probs >= 0) and abs(probs.sum() - 1) <= PROBS_ATOL):
        raise ValueError(f"variance: probs must be non-negative and sum to 1, got {probs}")
    mu = np.sum(values * probs)
    return float(np.sum((values - mu) ** 2 * probs))
    ### END SOLUTION


def skewness(values: np.ndarray, probs: np.ndarray) -> float:
    """AI Math 6강: 확률론 맛보기: 왜도 (skewness).

    The skewness of a discrete random variable X, the third moment of X standardised by its
    mean mu = E[X] and its standard deviation sigma = sqrt(V[X]):
        Skewness(X) = E[((X - mu) / sigma)^3] = sum_i ((x_i - mu) / sigma)^3 p_i
    It is 0 for a symmetric distribution, positive when the long tail is on the right.

    Args:
        values: array of shape (N,), the values x_i.
        probs: array of shape (N,), their probabilities p_i: non-negative, summing to 1 (within
            PROBS_ATOL).
    Returns:
        float, the skewness of X.
    Raises:
        ValueError: if values or probs is not 1-D or they differ in length, probs has a negative
            entry or does not sum to 1, or X is a point mass (all its probability on one value,
            so sigma = 0).
    """
    ### BEGIN SOLUTION
    values, probs = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)
    if values.ndim != 1 or probs.shape != values.shape:
        raise ValueError(
            f"skewness: values and probs must be 1-D arrays of the same length, got shapes "
            f"{values.shape} and {probs.shape}"
        )
    if not (np.all(probs >= 0) and abs(probs.sum() - 1) <= PROBS_ATOL):
        raise ValueError(f"skewness: probs must be non-negative and sum to 1, got {probs}")
    support = values[probs > 0]
    if support.min() == support.max():
        raise ValueError(f"skewness: X is a point mass at {support[0]} (sigma = 0)")
    mu = np.sum(values * probs)
    sigma = np.sqrt(np.sum((values - mu) ** 2 * probs))
    return float(np.sum(((values - mu) / sigma) ** 3 * probs))
    ### END SOLUTION


def covariance(x1: np.ndarray, x2: np.ndarray, probs: np.ndarray) -> float:
    """AI Math 6강: 확률론 맛보기: 공분산 (covariance).

    The covariance of two discrete random variables X1, X2 whose joint distribution puts the
    probability p_i on the pair (x1_i, x2_i):
        Cov(X1, X2) = E[(X1 - E[X1])(X2 - E[X2])] = sum_i (x1_i - E[X1])(x2_i - E[X2]) p_i

    Args:
        x1: array of shape (N,), the values of X1.
        x2: array of shape (N,), the values of X2 paired with them.
        probs: array of shape (N,), the probabilities p_i of the pairs: non-negative, summing
            to 1 (within PROBS_ATOL).
    Returns:
        float, Cov(X1, X2).
    Raises:
        ValueError: if x1, x2 or probs is not 1-D or they differ in length, or probs has a
            negative entry or does not sum to 1.
    """
    ### BEGIN SOLUTION
    x1, x2, probs = (np.asarray(a, dtype=float) for a in (x1, x2, probs))
    if x1.ndim != 1 or x2.shape != x1.shape or probs.shape != x1.shape:
        raise ValueError(
            f"covariance: x1, x2 and probs must be 1-D arrays of the same length, got shapes "
            f"{x1.shape}, {x2.shape} and {probs.shape}"
        )
    if not (np.all(probs >= 0) and abs(probs.sum() - 1) <= PROBS_ATOL):
        raise ValueError(f"covariance: probs must be non-negative and sum to 1, got {probs}")
    mu1, mu2 = np.sum(x1 * probs), np.sum(x2 * probs)
    return float(np.sum((x1 - mu1) * (x2 - mu2) * probs))
    ### END SOLUTION


def monte_carlo_integral(
    fun: Callable[[np.ndarray], np.ndarray],
    low: float,
    high: float,
    sample_size: int = 100,
    repeat: int = 10,
    rng: np.random.Generator | None = None,
) -> tuple[float, float]:
    """AI Math 6강: 확률론 맛보기: 몬테카를로 적분 (Monte Carlo integration).

    The integral of fun over [low, high] is (high - low) E[fun(U)] for U uniform on [low, high],
    so the mean of fun at sample_size uniform points, times the interval's length, estimates it:
        int_low^high f(x) dx ~ (high - low) * (1/n) sum_j f(x_j),   x_j ~ U(low, high)
    As in the lecture, the estimate is made `repeat` times, each time from new points
    x = rng.uniform(low=low, high=high, size=sample_size), and the function returns the mean and
    the standard deviation (np.std, ddof 0) of the `repeat` estimates. For exp(-x^2) on [-1, 1]
    the integral is about 1.49364.

    Args:
        fun: function of an array x of shape (sample_size,) returning f(x) of shape
            (sample_size,), element-wise.
        low: float, the lower end of the interval.
        high: float, the upper end of the interval (above low).
        sample_size: int, the number of points n of one estimate (at least 1).
        repeat: int, the number of estimates (at least 1).
        rng: numpy Generator that draws the points; None means np.random.default_rng(0).
    Returns:
        (mean, std): two floats, the mean and the standard deviation of the `repeat` estimates.
    Raises:
        ValueError: if low >= high, sample_size < 1 or repeat < 1.
    """
    ### BEGIN SOLUTION
    if not low < high:
        raise ValueError(f"monte_carlo_integral: low must be below high, got {low} and {high}")
    if sample_size < 1 or repeat < 1:
        raise ValueError(
            f"monte_carlo_integral: sample_size and repeat must be >= 1, got {sample_size} and "
            f"{repeat}"
        )
    if rng is None:
        rng = np.random.default_rng(0)
    int_len = high - low
    stat = []
    for _ in range(repeat):
        x = rng.uniform(low=low, high=high, size=sample_size)
        stat.append(int_len * np.mean(fun(x)))
    return float(np.mean(stat)), float(np.std(stat))
    ### END SOLUTION
