"""AI Math 7강: 통계학 맛보기

Statistics: the sample mean and variance, maximum-likelihood estimation (normal and categorical
distributions), and the distances between distributions (entropy, cross-entropy, KL divergence).
"""

import numpy as np

PROBABILITY_ATOL = 1e-8
"""How far from 1 a distribution's sum may be: rounding in a sum of N probabilities is ~N * 1e-16,
while a vector that is not a distribution misses 1 by far more."""


def sample_mean(x: np.ndarray) -> float:
    """AI Math 7강: 통계학 맛보기: 표본평균.

    The sample mean of N samples: X̄ = (1/N) sum_i x_i.

    Args:
        x: array of shape (N,), the samples (N >= 1).
    Returns:
        float, the sample mean.
    Raises:
        ValueError: if x is not 1-D or is empty.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"sample_mean: x must be a non-empty 1-D array, got shape {x.shape}")
    return float(np.sum(x) / x.size)


def sample_variance(x: np.ndarray) -> float:
    """AI Math 7강: 통계학 맛보기: 표본분산.

    The unbiased sample variance of N samples, divided by N - 1 (so that its expectation is the
    population variance): S² = (1/(N-1)) sum_i (x_i - X̄)².

    Args:
        x: array of shape (N,), the samples (N >= 2).
    Returns:
        float, the sample variance.
    Raises:
        ValueError: if x is not 1-D or has fewer than 2 samples.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size < 2:
        raise ValueError(f"sample_variance: x must be a 1-D array of N >= 2, got shape {x.shape}")
    return float(np.sum((x - x.mean()) ** 2) / (x.size - 1))


def mle_normal(x: np.ndarray) -> tuple[float, float]:
    """AI Math 7강: 통계학 맛보기: 정규분포의 최대가능도 추정법.

    The maximum-likelihood estimates of a normal distribution N(mu, sigma²) from N samples:
        mu_MLE = (1/N) sum_i x_i
        sigma_MLE = sqrt((1/N) sum_i (x_i - mu_MLE)²)
    (divided by N, not N - 1: the MLE of the variance is biased).

    Args:
        x: array of shape (N,), the samples (N >= 1).
    Returns:
        tuple (mu, sigma) of floats: the mean and the standard deviation (not the variance).
    Raises:
        ValueError: if x is not 1-D or is empty.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"mle_normal: x must be a non-empty 1-D array, got shape {x.shape}")
    mu = x.mean()
    sigma = np.sqrt(np.mean((x - mu) ** 2))
    return float(mu), float(sigma)


def log_likelihood_normal(x: np.ndarray, mu: float, sigma: float) -> float:
    """AI Math 7강: 통계학 맛보기: 정규분포의 로그가능도.

    The log-likelihood of N samples under N(mu, sigma²), natural logs:
        log L(mu, sigma; x) = sum_i log N(x_i; mu, sigma²)
                            = sum_i [-log(sqrt(2 pi) sigma) - (x_i - mu)² / (2 sigma²)]

    Args:
        x: array of shape (N,), the samples.
        mu: float, the mean.
        sigma: float, the standard deviation (> 0).
    Returns:
        float, the log-likelihood.
    Raises:
        ValueError: if x is not 1-D or sigma <= 0.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"log_likelihood_normal: x must be a 1-D array, got shape {x.shape}")
    if not sigma > 0:
        raise ValueError(f"log_likelihood_normal: sigma must be > 0, got {sigma}")
    log_pdf = -np.log(np.sqrt(2 * np.pi) * sigma) - (x - mu) ** 2 / (2 * sigma**2)
    return float(np.sum(log_pdf))


def mle_categorical(labels: np.ndarray, num_classes: int) -> np.ndarray:
    """AI Math 7강: 통계학 맛보기: 카테고리 분포의 최대가능도 추정법.

    The maximum-likelihood estimate of a categorical distribution from N integer labels: the
    class frequencies p_k = n_k / N, where n_k counts the labels equal to k.

    Args:
        labels: integer array of shape (N,), each in [0, num_classes) (N >= 1).
        num_classes: int, the number of classes C (>= 1).
    Returns:
        ndarray of shape (C,), the frequencies p_k (they sum to 1; unseen classes get 0).
    Raises:
        ValueError: if labels is not 1-D, is empty or has a label outside [0, num_classes), or
            num_classes < 1.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.size == 0:
        raise ValueError(f"mle_categorical: labels must be non-empty and 1-D, got {labels.shape}")
    if num_classes < 1:
        raise ValueError(f"mle_categorical: num_classes must be >= 1, got {num_classes}")
    if labels.min() < 0 or labels.max() >= num_classes:
        raise ValueError(f"mle_categorical: labels must be in [0, {num_classes}), got {labels}")
    counts = np.sum(labels[:, None] == np.arange(num_classes), axis=0)
    return counts / labels.size


def entropy(p: np.ndarray) -> float:
    """AI Math 7강: 통계학 맛보기: 엔트로피.

    The entropy of a discrete distribution, natural logs, with 0 log 0 = 0:
        H(p) = -sum_i p_i log p_i

    Args:
        p: array of shape (C,), a distribution (non-negative, summing to 1).
    Returns:
        float, the entropy.
    Raises:
        ValueError: if p is not a 1-D distribution (a negative entry, or a sum away from 1 by more
            than PROBABILITY_ATOL).
    """
    p = np.asarray(p, dtype=float)
    if p.ndim != 1 or not np.all(p >= 0) or abs(p.sum() - 1) > PROBABILITY_ATOL:
        raise ValueError(f"entropy: p must be a 1-D distribution (>= 0, sum 1), got {p}")
    nz = p > 0
    return float(-np.sum(p[nz] * np.log2(p[nz])))


def cross_entropy(p: np.ndarray, q: np.ndarray) -> float:
    """AI Math 7강: 통계학 맛보기: 크로스 엔트로피.

    The cross-entropy of q relative to p, natural logs:
        H(p, q) = -sum_i p_i log q_i
    with 0 log q_i = 0 where p_i = 0 (even if q_i = 0), and inf where q_i = 0 < p_i.

    Args:
        p: array of shape (C,), a distribution (non-negative, summing to 1).
        q: array of shape (C,), a distribution of the same length.
    Returns:
        float, the cross-entropy (inf if q gives 0 to an outcome p does not).
    Raises:
        ValueError: if p or q is not a 1-D distribution, or their lengths differ.
    """
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    for name, r in (("p", p), ("q", q)):
        if r.ndim != 1 or not np.all(r >= 0) or abs(r.sum() - 1) > PROBABILITY_ATOL:
            raise ValueError(f"cross_entropy: {name} must be a 1-D distribution, got {r}")
    if p.shape != q.shape:
        raise ValueError(f"cross_entropy: p and q must have one length, got {p.shape}, {q.shape}")
    nz = p > 0
    with np.errstate(divide="ignore"):
        return float(-np.sum(p[nz] * np.log(q[nz])))


def kl_divergence(p: np.ndarray, q: np.ndarray) -> float:
    """AI Math 7강: 통계학 맛보기: 쿨백-라이블러 발산 (KL divergence).

    The Kullback-Leibler divergence of q from p, natural logs:
        KL(p || q) = sum_i p_i log(p_i / q_i) = H(p, q) - H(p)
    with terms where p_i = 0 equal to 0, and inf where q_i = 0 < p_i. KL(p || q) >= 0, with 0
    only for q = p; it is not symmetric.

    Args:
        p: array of shape (C,), a distribution (non-negative, summing to 1).
        q: array of shape (C,), a distribution of the same length.
    Returns:
        float, the KL divergence (inf if q gives 0 to an outcome p does not).
    Raises:
        ValueError: if p or q is not a 1-D distribution, or their lengths differ.
    """
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    for name, r in (("p", p), ("q", q)):
        if r.ndim != 1 or not np.all(r >= 0) or abs(r.sum() - 1) > PROBABILITY_ATOL:
            raise ValueError(f"kl_divergence: {name} must be a 1-D distribution, got {r}")
    if p.shape != q.shape:
        raise ValueError(f"kl_divergence: p and q must have one length, got {p.shape}, {q.shape}")
    nz = p > 0
    with np.errstate(divide="ignore"):
        return float(np.sum(p[nz] * np.log(p[nz] / q[nz])))
