"""Public tests for lec07_statistics: students run these with `aimath check`.

Expected values are literals for small hand-worked examples (natural logs throughout) and oracles
that add up the terms one by one (support.py) for random samples and distributions; every test
also calls the function on inputs the student has not seen. The maximum-likelihood estimates are
also checked as what they are: the maximum of the log-likelihood.
"""

import math

import numpy as np
import pytest

from autograder.checks import check_close, check_probabilities, check_raises, check_true
from autograder.graders.lec07_statistics.support import (
    check_maximum,
    check_mle_normal,
    check_number,
    check_pair,
    cross_entropy_of,
    distribution,
    entropy_of,
    frequencies,
    kl_of,
    neighbours,
    normal_log_likelihood,
    pair_with_zeros,
    samples,
)
from autograder.i18n import msg

# Hand-worked samples: mean 5, squared deviations summing to 32, so S² = 32/7 and sigma_MLE = 2;
# and 1, 2, 3, 4: mean 2.5, squared deviations summing to 5.
X_EIGHT = np.array([2, 4, 4, 4, 5, 5, 7, 9])
X_FOUR = np.array([1.0, 2.0, 3.0, 4.0])
LABELS = np.array([0, 1, 1, 2, 2, 2])


def not_distributions(rng, n):
    """Vectors of length n >= 2 that are not distributions: sums of 0.9 and 1.1, a negative entry
    in a vector summing to 1, and 2-D and 0-d arrays."""
    p = distribution(rng, n)
    negative = p.copy()
    negative[1] = -0.5
    negative[0] = 1.0 - negative[1:].sum()  # sums to 1, but one entry is negative
    return [0.9 * p, 1.1 * p, negative, p.reshape(1, n), p.reshape(n, 1), np.array(1.0)]


# -- sample_mean ----------------------------------------------------------------------------
@pytest.mark.points(1)
def test_sample_mean_lecture_example(sub, rng):
    """sample_mean: hand-worked samples and random samples (one sample too)"""
    check_close(sub.sample_mean(X_EIGHT), 5.0, name=sub.last_call)
    check_close(sub.sample_mean(X_FOUR), 2.5, name=sub.last_call)
    for n in (1, 7, 100):
        x = samples(rng, n)
        check_close(sub.sample_mean(x), math.fsum(x) / n, name=sub.last_call)
    x = rng.integers(-20, 21, size=9)
    check_close(sub.sample_mean(x), math.fsum(x) / 9, name=sub.last_call)


@pytest.mark.points(1)
def test_sample_mean_invalid_input(sub, rng):
    """sample_mean: no samples, or x not 1-D, raise ValueError"""
    x = samples(rng, 6)
    check_close(sub.sample_mean(x), math.fsum(x) / 6, name=sub.last_call)
    check_raises(ValueError, sub.sample_mean, np.zeros(0))
    check_raises(ValueError, sub.sample_mean, x.reshape(2, 3))
    check_raises(ValueError, sub.sample_mean, x.reshape(6, 1))
    check_raises(ValueError, sub.sample_mean, np.array(rng.normal()))


# -- sample_variance ------------------------------------------------------------------------
@pytest.mark.points(2)
def test_sample_variance_lecture_example(sub, rng):
    """sample_variance: hand-worked samples and random samples, divided by N - 1"""
    check_close(sub.sample_variance(X_EIGHT), 32 / 7, name=sub.last_call)
    check_close(sub.sample_variance(X_FOUR), 5 / 3, name=sub.last_call)
    check_close(sub.sample_variance(np.array([3.0, 3.0, 3.0])), 0.0, name=sub.last_call)
    a, b = rng.normal(size=2)
    check_close(sub.sample_variance(np.array([a, b])), (a - b) ** 2 / 2, name=sub.last_call)
    for n in (3, 10, 60):
        x = samples(rng, n)
        mean = math.fsum(x) / n
        expected = math.fsum((v - mean) ** 2 for v in x) / (n - 1)
        check_close(sub.sample_variance(x), expected, name=sub.last_call)


@pytest.mark.points(1)
def test_sample_variance_invalid_input(sub, rng):
    """sample_variance: fewer than 2 samples, or x not 1-D, raise ValueError"""
    x = samples(rng, 6)
    check_close(sub.sample_variance(x), float(np.var(x, ddof=1)), name=sub.last_call)
    check_raises(ValueError, sub.sample_variance, x[:1])
    check_raises(ValueError, sub.sample_variance, np.zeros(0))
    check_raises(ValueError, sub.sample_variance, x.reshape(3, 2))
    check_raises(ValueError, sub.sample_variance, x.reshape(1, 6))
    check_raises(ValueError, sub.sample_variance, np.array(rng.normal()))


# -- mle_normal -----------------------------------------------------------------------------
@pytest.mark.points(2)
def test_mle_normal_lecture_example(sub, rng):
    """mle_normal: (mu, sigma) of hand-worked and random samples, sigma divided by N"""
    check_mle_normal(sub.mle_normal(X_EIGHT), X_EIGHT, name=sub.last_call)
    mu, sigma = check_pair(sub.mle_normal(X_FOUR), name=sub.last_call)
    check_close(mu, 2.5, name=f"{sub.last_call}[0] (mu)")
    check_close(sigma, math.sqrt(5 / 4), name=f"{sub.last_call}[1] (sigma)")
    x = np.array([rng.normal()])
    check_mle_normal(sub.mle_normal(x), x, name=sub.last_call)
    for n in (2, 5, 20, 200):
        x = samples(rng, n)
        check_mle_normal(sub.mle_normal(x), x, name=sub.last_call)


@pytest.mark.points(1)
def test_mle_normal_maximises_likelihood(sub, rng):
    """mle_normal: no nearby (mu, sigma) has a higher log-likelihood than the estimates"""
    for n in (5, 12, 25):
        x = samples(rng, n)
        mu, sigma = check_pair(sub.mle_normal(x), name=sub.last_call)
        check_true(
            sigma > 0 and math.isfinite(sigma) and math.isfinite(mu), name=sub.last_call,
            message=msg("lec07_statistics.sigma_not_positive", sigma=repr(sigma)),
        )  # fmt: skip
        at = ((mu, sigma), normal_log_likelihood(x, mu, sigma))
        around = [(point, normal_log_likelihood(x, *point)) for point in neighbours(mu, sigma)]
        check_maximum(at, around, name=sub.last_call, returned="estimates")


@pytest.mark.points(1)
def test_mle_normal_invalid_input(sub, rng):
    """mle_normal: no samples, or x not 1-D, raise ValueError"""
    x = samples(rng, 8)
    check_mle_normal(sub.mle_normal(x), x, name=sub.last_call)
    check_raises(ValueError, sub.mle_normal, np.zeros(0))
    check_raises(ValueError, sub.mle_normal, x.reshape(4, 2))
    check_raises(ValueError, sub.mle_normal, x.reshape(8, 1))
    check_raises(ValueError, sub.mle_normal, np.array(rng.normal()))


# -- log_likelihood_normal ------------------------------------------------------------------
@pytest.mark.points(2)
def test_log_likelihood_normal_lecture_example(sub, rng):
    """log_likelihood_normal: hand-worked values (natural logs) and random samples"""
    check_close(sub.log_likelihood_normal(np.array([0.0]), 0.0, 1.0), -0.5 * math.log(2 * math.pi),
                name=sub.last_call)  # fmt: skip
    # Eight samples at sigma = 2: each -log(2 sqrt(2 pi)), minus 32 / (2 * 4) for the squares.
    check_close(sub.log_likelihood_normal(X_EIGHT, 5.0, 2.0),
                -8 * math.log(2 * math.sqrt(2 * math.pi)) - 4, name=sub.last_call)  # fmt: skip
    for n in (1, 6, 50):
        x = samples(rng, n)
        mu, sigma = rng.uniform(-3.0, 3.0), rng.uniform(0.3, 4.0)
        check_close(sub.log_likelihood_normal(x, mu, sigma), normal_log_likelihood(x, mu, sigma),
                    name=sub.last_call)  # fmt: skip


@pytest.mark.points(1)
def test_log_likelihood_normal_peaks_at_mle(sub, rng):
    """log_likelihood_normal: its value at the MLE is not below its value at nearby points"""
    for n in (6, 15):
        x = samples(rng, n)
        mu = math.fsum(x) / n
        sigma = math.sqrt(math.fsum((v - mu) ** 2 for v in x) / n)
        best = check_number(sub.log_likelihood_normal(x, mu, sigma), name=sub.last_call)
        for m, s in neighbours(mu, sigma):
            value = check_number(sub.log_likelihood_normal(x, m, s), name=sub.last_call)
            check_maximum(((mu, sigma), best), [((m, s), value)], name=sub.last_call,
                          returned="log-likelihoods")  # fmt: skip


@pytest.mark.points(1)
def test_log_likelihood_normal_invalid_input(sub, rng):
    """log_likelihood_normal: sigma <= 0, or x not 1-D, raise ValueError"""
    x = samples(rng, 6)
    mu, sigma = rng.normal(), rng.uniform(0.5, 2.0)
    check_close(sub.log_likelihood_normal(x, mu, sigma), normal_log_likelihood(x, mu, sigma),
                name=sub.last_call)  # fmt: skip
    check_raises(ValueError, sub.log_likelihood_normal, x, mu, 0.0)
    check_raises(ValueError, sub.log_likelihood_normal, x, mu, -sigma)
    check_raises(ValueError, sub.log_likelihood_normal, x, mu, -1.0)
    check_raises(ValueError, sub.log_likelihood_normal, x.reshape(2, 3), mu, sigma)
    check_raises(ValueError, sub.log_likelihood_normal, np.array(rng.normal()), mu, sigma)


# -- mle_categorical ------------------------------------------------------------------------
@pytest.mark.points(2)
def test_mle_categorical_lecture_example(sub, rng):
    """mle_categorical: class frequencies n_k / N, unseen classes 0, and random labels"""
    check_close(sub.mle_categorical(LABELS, 3), np.array([1, 2, 3]) / 6, name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    check_close(sub.mle_categorical(LABELS, 5), np.array([1, 2, 3, 0, 0]) / 6, name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    check_close(sub.mle_categorical(np.array([3, 3]), 4), np.array([0.0, 0.0, 0.0, 1.0]),
                name=sub.last_call, require_ndarray=True)  # fmt: skip
    check_close(sub.mle_categorical(np.array([0, 0, 0]), 1), np.array([1.0]),
                name=sub.last_call, require_ndarray=True)  # fmt: skip
    for n, c in ((1, 2), (10, 3), (50, 7), (8, 12)):
        labels = rng.integers(0, c, size=n)
        probs = sub.mle_categorical(labels, c)
        check_probabilities(probs, name=sub.last_call, shape=(c,))
        check_close(probs, frequencies(labels, c), name=sub.last_call, require_ndarray=True)


@pytest.mark.points(1)
def test_mle_categorical_invalid_input(sub, rng):
    """mle_categorical: no labels, labels outside [0, C) or not 1-D, or C < 1 raise ValueError"""
    c = int(rng.integers(2, 6))
    labels = rng.integers(0, c, size=9)
    check_close(sub.mle_categorical(labels, c), frequencies(labels, c), name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    check_raises(ValueError, sub.mle_categorical, np.zeros(0, dtype=int), c)
    check_raises(ValueError, sub.mle_categorical, np.append(labels, c), c)
    check_raises(ValueError, sub.mle_categorical, np.append(labels, c + 3), c)
    check_raises(ValueError, sub.mle_categorical, np.append(labels, -1), c)
    check_raises(ValueError, sub.mle_categorical, LABELS, 2)
    # Labels of shape (k, C) broadcast against the C classes: only an explicit ndim check helps.
    check_raises(ValueError, sub.mle_categorical, rng.integers(0, c, size=(3, c)), c)
    check_raises(ValueError, sub.mle_categorical, labels.reshape(3, 3), c)
    check_raises(ValueError, sub.mle_categorical, np.array(int(rng.integers(0, c))), c)
    check_raises(ValueError, sub.mle_categorical, np.array([0, 0]), 0)
    check_raises(ValueError, sub.mle_categorical, np.array([0, 0]), -1)


# -- entropy --------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_entropy_lecture_example(sub, rng):
    """entropy: a fair coin (log 2, natural logs), uniform and random distributions"""
    check_close(sub.entropy(np.array([0.5, 0.5])), math.log(2), name=sub.last_call)
    check_close(sub.entropy(np.full(4, 0.25)), math.log(4), name=sub.last_call)
    check_close(sub.entropy(np.array([0.25, 0.75])),
                -(0.25 * math.log(0.25) + 0.75 * math.log(0.75)), name=sub.last_call)  # fmt: skip
    for n in (2, 5, 30):
        p = distribution(rng, n)
        check_close(sub.entropy(p), entropy_of(p), name=sub.last_call)


@pytest.mark.points(1)
def test_entropy_zero_entries(sub, rng):
    """entropy: zero probabilities count 0 log 0 = 0 (a certain outcome has entropy 0, not nan)"""
    check_close(sub.entropy(np.array([0.5, 0.0, 0.5])), math.log(2), name=sub.last_call)
    check_close(sub.entropy(np.array([0.0, 1.0, 0.0])), 0.0, name=sub.last_call)
    for n, n_zeros in ((4, 1), (9, 4), (6, 5)):
        p = distribution(rng, n, n_zeros=n_zeros)
        check_close(sub.entropy(p), entropy_of(p), name=sub.last_call)


@pytest.mark.points(1)
def test_entropy_invalid_input(sub, rng):
    """entropy: p that is not a 1-D distribution (sum not 1, negative, not 1-D) raises ValueError"""
    n = int(rng.integers(3, 8))
    p = distribution(rng, n)
    check_close(sub.entropy(p), entropy_of(p), name=sub.last_call)
    check_raises(ValueError, sub.entropy, np.array([0.5, 0.6]))
    check_raises(ValueError, sub.entropy, np.array([1.5, -0.5]))
    for bad in not_distributions(rng, n):
        check_raises(ValueError, sub.entropy, bad)


# -- cross_entropy --------------------------------------------------------------------------
@pytest.mark.points(2)
def test_cross_entropy_lecture_example(sub, rng):
    """cross_entropy: hand-worked values, H(p, p) = H(p), and random distributions"""
    p, q = np.array([0.5, 0.5]), np.array([0.25, 0.75])
    expected = -(0.5 * math.log(0.25) + 0.5 * math.log(0.75))
    check_close(sub.cross_entropy(p, q), expected, name=sub.last_call)
    check_close(sub.cross_entropy(p, p), math.log(2), name=sub.last_call)
    for n in (2, 6, 25):
        p, q = distribution(rng, n), distribution(rng, n)
        check_close(sub.cross_entropy(p, q), cross_entropy_of(p, q), name=sub.last_call)
        check_close(sub.cross_entropy(q, p), cross_entropy_of(q, p), name=sub.last_call)
        check_close(sub.cross_entropy(p, p), entropy_of(p), name=sub.last_call)


@pytest.mark.points(2)
def test_cross_entropy_zero_entries(sub, rng):
    """cross_entropy: 0 log q = 0 where p = 0 (also where q = 0), inf where q = 0 < p"""
    p, q = np.array([0.5, 0.0, 0.5]), np.array([0.25, 0.0, 0.75])
    check_close(sub.cross_entropy(p, q), -(0.5 * math.log(0.25) + 0.5 * math.log(0.75)),
                name=sub.last_call)  # fmt: skip
    check_close(sub.cross_entropy(np.array([1.0, 0.0]), np.array([0.5, 0.5])), math.log(2),
                name=sub.last_call)  # fmt: skip
    check_close(sub.cross_entropy(np.array([0.5, 0.5]), np.array([1.0, 0.0])), math.inf,
                name=sub.last_call)  # fmt: skip
    for n in (4, 7, 12):
        p, q = pair_with_zeros(rng, n)
        check_close(sub.cross_entropy(p, q), cross_entropy_of(p, q), name=sub.last_call)
        # q = 0 < p somewhere: the cross-entropy is infinite.
        check_close(sub.cross_entropy(q, p), math.inf, name=sub.last_call)


@pytest.mark.points(1)
def test_cross_entropy_invalid_input(sub, rng):
    """cross_entropy: p or q not a 1-D distribution, or of different lengths, raise ValueError"""
    n = int(rng.integers(3, 8))
    p, q = distribution(rng, n), distribution(rng, n)
    check_close(sub.cross_entropy(p, q), cross_entropy_of(p, q), name=sub.last_call)
    for bad in not_distributions(rng, n):
        check_raises(ValueError, sub.cross_entropy, bad, q)
        check_raises(ValueError, sub.cross_entropy, p, bad)
    # Lengths n and 1 broadcast in numpy: only an explicit length check catches them.
    for a, b in ((p, np.array([1.0])), (np.array([1.0]), q), (p, distribution(rng, n + 1))):
        check_raises(ValueError, sub.cross_entropy, a, b)


# -- kl_divergence --------------------------------------------------------------------------
@pytest.mark.points(2)
def test_kl_divergence_lecture_example(sub, rng):
    """kl_divergence: hand-worked values (it is not symmetric) and random distributions"""
    p, q = np.array([0.5, 0.5]), np.array([0.25, 0.75])
    check_close(sub.kl_divergence(p, q), 0.5 * math.log(4 / 3), name=sub.last_call)
    check_close(sub.kl_divergence(q, p), 0.25 * math.log(0.5) + 0.75 * math.log(1.5),
                name=sub.last_call)  # fmt: skip
    for n in (2, 6, 25):
        p, q = distribution(rng, n), distribution(rng, n)
        check_close(sub.kl_divergence(p, q), kl_of(p, q), name=sub.last_call)
        check_close(sub.kl_divergence(q, p), kl_of(q, p), name=sub.last_call)


@pytest.mark.points(1)
def test_kl_divergence_zero_entries(sub, rng):
    """kl_divergence: terms where p = 0 are 0 (also where q = 0), inf where q = 0 < p"""
    p, q = np.array([0.5, 0.0, 0.5]), np.array([0.25, 0.0, 0.75])
    check_close(sub.kl_divergence(p, q), 0.5 * math.log(4 / 3), name=sub.last_call)
    check_close(sub.kl_divergence(np.array([0.5, 0.5]), np.array([1.0, 0.0])), math.inf,
                name=sub.last_call)  # fmt: skip
    for n in (4, 7, 12):
        p, q = pair_with_zeros(rng, n)
        check_close(sub.kl_divergence(p, q), kl_of(p, q), name=sub.last_call)
        check_close(sub.kl_divergence(q, p), math.inf, name=sub.last_call)


@pytest.mark.points(1)
def test_kl_divergence_properties(sub, rng):
    """kl_divergence: KL(p || p) = 0, KL >= 0, and KL(p || q) = H(p, q) - H(p)"""
    for n, n_zeros in ((3, 0), (8, 0), (8, 3)):
        p = distribution(rng, n, n_zeros=n_zeros)
        check_close(sub.kl_divergence(p, p), 0.0, name=sub.last_call)
        q = distribution(rng, n)
        kl = sub.kl_divergence(p, q)
        check_close(kl, cross_entropy_of(p, q) - entropy_of(p), name=sub.last_call)
        check_true(
            kl >= 0, name=sub.last_call, message=msg("lec07_statistics.kl_negative", kl=repr(kl))
        )


@pytest.mark.points(1)
def test_kl_divergence_invalid_input(sub, rng):
    """kl_divergence: p or q not a 1-D distribution, or of different lengths, raise ValueError"""
    n = int(rng.integers(3, 8))
    p, q = distribution(rng, n), distribution(rng, n)
    check_close(sub.kl_divergence(p, q), kl_of(p, q), name=sub.last_call)
    for bad in not_distributions(rng, n):
        check_raises(ValueError, sub.kl_divergence, bad, q)
        check_raises(ValueError, sub.kl_divergence, p, bad)
    for a, b in ((p, np.array([1.0])), (np.array([1.0]), q), (p, distribution(rng, n + 1))):
        check_raises(ValueError, sub.kl_divergence, a, b)
