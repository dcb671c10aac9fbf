"""Hidden tests for lec07_statistics: unseen samples, labels and distributions (larger, integer,
with zeros in new places, of other scales), compared with the reference; unseen invalid inputs."""

import numpy as np
import pytest

from autograder.checks import check_close, check_probabilities, check_raises
from autograder.graders.lec07_statistics.support import (
    check_maximum,
    check_pair,
    distribution,
    neighbours,
    normal_log_likelihood,
    pair_with_zeros,
    samples,
)

pytestmark = pytest.mark.hidden


def wrong_ndim(rng, x):
    """x (of an even length) as 2-D arrays of unseen shapes, and a 0-d array."""
    n = x.size
    return [x.reshape(2, n // 2), x.reshape(n, 1), x.reshape(1, n), np.array(rng.normal())]


def not_distributions(rng, n):
    """Unseen vectors of length n that are not distributions."""
    p = distribution(rng, n)
    negative = p.copy()
    negative[-1] = -rng.uniform(0.1, 1.0)
    negative[0] = 1.0 - negative[1:].sum()
    scale = rng.uniform(0.5, 0.95) if rng.random() < 0.5 else rng.uniform(1.05, 3.0)
    return [scale * p, np.zeros(n), negative, np.stack([p, p]) / 2, p[None, :]]


@pytest.mark.points(1)
def test_hidden_sample_mean(sub, ref, rng):
    """sample_mean: unseen samples (large, shifted, integer); unseen invalid shapes raise"""
    for x in (samples(rng, 1), samples(rng, 333), samples(rng, 40, loc=1e4),
              rng.integers(-1000, 1000, size=17)):  # fmt: skip
        check_close(sub.sample_mean(x), ref.sample_mean(x), name=sub.last_call)
    for bad in wrong_ndim(rng, samples(rng, 2 * int(rng.integers(1, 6)))):
        check_raises(ValueError, sub.sample_mean, bad)


@pytest.mark.points(1)
def test_hidden_sample_variance(sub, ref, rng):
    """sample_variance: unseen samples (2 of them, large, shifted, integer); unseen invalid input"""
    for x in (samples(rng, 2), samples(rng, 3), samples(rng, 500), samples(rng, 30, loc=1e3),
              rng.integers(-50, 50, size=11)):  # fmt: skip
        check_close(sub.sample_variance(x), ref.sample_variance(x), name=sub.last_call)
    check_raises(ValueError, sub.sample_variance, np.array([rng.normal()]))
    for bad in wrong_ndim(rng, samples(rng, 2 * int(rng.integers(1, 6)))):
        check_raises(ValueError, sub.sample_variance, bad)


@pytest.mark.points(2)
def test_hidden_mle_normal(sub, ref, rng):
    """mle_normal: unseen samples (one, two, large, integer, equal) against the reference"""
    cases = [samples(rng, 1), samples(rng, 2), samples(rng, 3), samples(rng, 400),
             rng.integers(-30, 30, size=13), np.full(5, rng.normal())]  # fmt: skip
    for x in cases:
        mu, sigma = check_pair(sub.mle_normal(x), name=sub.last_call)
        mu_ref, sigma_ref = ref.mle_normal(x)
        check_close(mu, mu_ref, name=f"{sub.last_call}[0] (mu)")
        check_close(sigma, sigma_ref, name=f"{sub.last_call}[1] (sigma)")
    x = samples(rng, 40)
    mu, sigma = check_pair(sub.mle_normal(x), name=sub.last_call)
    check_close(sigma, ref.mle_normal(x)[1], name=f"{sub.last_call}[1] (sigma)")
    at = ((mu, sigma), normal_log_likelihood(x, mu, sigma))
    around = [(point, normal_log_likelihood(x, *point)) for point in neighbours(mu, sigma)]
    check_maximum(at, around, name=sub.last_call, returned="estimates")
    for bad in [np.zeros(0), *wrong_ndim(rng, x)]:
        check_raises(ValueError, sub.mle_normal, bad)


@pytest.mark.points(2)
def test_hidden_log_likelihood_normal(sub, ref, rng):
    """log_likelihood_normal: unseen samples, means and small and large sigmas; sigma <= 0 raises"""
    for n, sigma in ((3, 0.05), (20, rng.uniform(0.5, 2.0)), (200, 50.0), (7, 1.0)):
        x = samples(rng, n)
        mu = float(x.mean() + rng.normal())
        check_close(sub.log_likelihood_normal(x, mu, sigma), ref.log_likelihood_normal(x, mu, sigma),
                    name=sub.last_call)  # fmt: skip
    x = rng.integers(-5, 6, size=9)
    check_close(sub.log_likelihood_normal(x, 1, 2), ref.log_likelihood_normal(x, 1, 2),
                name=sub.last_call)  # fmt: skip
    x = samples(rng, 6)
    check_raises(ValueError, sub.log_likelihood_normal, x, 0.0, -rng.uniform(0.1, 5.0))
    check_raises(ValueError, sub.log_likelihood_normal, x, rng.normal(), 0)
    for bad in wrong_ndim(rng, x):
        check_raises(ValueError, sub.log_likelihood_normal, bad, 0.0, 1.0)


@pytest.mark.points(2)
def test_hidden_mle_categorical(sub, ref, rng):
    """mle_categorical: unseen labels (one class, unseen classes, int32) and unseen invalid ones"""
    c = int(rng.integers(3, 9))
    cases = [(rng.integers(0, c, size=200), c), (rng.integers(0, c, size=5), c + 4),
             (np.zeros(int(rng.integers(1, 9)), dtype=int), 1),
             (np.array([c - 1]), c), (rng.integers(0, c, size=30).astype(np.int32), c)]  # fmt: skip
    for labels, num_classes in cases:
        probs = sub.mle_categorical(labels, num_classes)
        check_probabilities(probs, name=sub.last_call, shape=(num_classes,))
        check_close(probs, ref.mle_categorical(labels, num_classes), name=sub.last_call,
                    require_ndarray=True)  # fmt: skip
    labels = rng.integers(0, c, size=8)
    for bad in (np.append(labels, c + int(rng.integers(0, 5))), np.append(labels, -c)):
        check_raises(ValueError, sub.mle_categorical, bad, c)
    check_raises(ValueError, sub.mle_categorical, labels.reshape(2, 4), c)
    check_raises(
        ValueError, sub.mle_categorical, rng.integers(0, c, size=(int(rng.integers(1, 5)), c)), c
    )
    check_raises(ValueError, sub.mle_categorical, np.array(c - 1), c)
    check_raises(ValueError, sub.mle_categorical, labels, 0)
    check_raises(ValueError, sub.mle_categorical, np.zeros(0, dtype=int), c)


@pytest.mark.points(1)
def test_hidden_entropy(sub, ref, rng):
    """entropy: unseen distributions (large, with zeros, nearly certain); unseen invalid ones"""
    n = int(rng.integers(10, 60))
    nearly = np.full(4, 1e-6)
    nearly[int(rng.integers(0, 4))] = 1 - 3e-6
    for p in (distribution(rng, n), distribution(rng, n, n_zeros=n // 2), nearly,
              distribution(rng, 3, n_zeros=2)):  # fmt: skip
        check_close(sub.entropy(p), ref.entropy(p), name=sub.last_call)
    for bad in not_distributions(rng, int(rng.integers(2, 9))):
        check_raises(ValueError, sub.entropy, bad)


@pytest.mark.points(1)
def test_hidden_cross_entropy(sub, ref, rng):
    """cross_entropy: unseen pairs (with zeros in either, infinite ones); unseen invalid ones"""
    n = int(rng.integers(5, 40))
    cases = [(distribution(rng, n), distribution(rng, n)), pair_with_zeros(rng, n),
             pair_with_zeros(rng, n)[::-1], (distribution(rng, n, n_zeros=2),) * 2]  # fmt: skip
    for p, q in cases:
        check_close(sub.cross_entropy(p, q), ref.cross_entropy(p, q), name=sub.last_call)
    p, q = distribution(rng, n), distribution(rng, n)
    for bad in not_distributions(rng, n):
        check_raises(ValueError, sub.cross_entropy, bad, q)
        check_raises(ValueError, sub.cross_entropy, p, bad)
    check_raises(ValueError, sub.cross_entropy, p, distribution(rng, n - 1))


@pytest.mark.points(2)
def test_hidden_kl_divergence(sub, ref, rng):
    """kl_divergence: unseen pairs (with zeros in either, infinite ones, close ones, both ways)"""
    n = int(rng.integers(5, 40))
    p = distribution(rng, n)
    close = p + 1e-3 * (distribution(rng, n) - p)
    cases = [(p, distribution(rng, n)), pair_with_zeros(rng, n), pair_with_zeros(rng, n)[::-1],
             (p, close), (close, p), (p, p)]  # fmt: skip
    for p, q in cases:
        check_close(sub.kl_divergence(p, q), ref.kl_divergence(p, q), name=sub.last_call)
        check_close(sub.kl_divergence(q, p), ref.kl_divergence(q, p), name=sub.last_call)
    p, q = distribution(rng, n), distribution(rng, n)
    for bad in not_distributions(rng, n):
        check_raises(ValueError, sub.kl_divergence, bad, q)
        check_raises(ValueError, sub.kl_divergence, p, bad)
    check_raises(ValueError, sub.kl_divergence, distribution(rng, n + 2), q)
