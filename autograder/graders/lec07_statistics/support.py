"""Helpers shared by the public and hidden tests of lec07_statistics: data, oracles and checks.

The oracles add up terms one at a time with math.fsum and math.log (exactly rounded sums), a
computation independent of any vectorised numpy answer.
"""

import math

import numpy as np

from autograder.checks import CheckError, check_close, check_true
from autograder.formatting import format_value
from autograder.i18n import msg

# The MLE maximises the log-likelihood L, so moving mu by a thousandth of sigma lowers L by about
# N/2 * 1e-6 (its curvature in mu is N / sigma²), and scaling sigma by 1 -+ 1e-3 by about N * 1e-6
# (its curvature in log sigma is 2N): at least 2.5e-6 for the N >= 5 samples graded. Rounding in
# a log-likelihood of size |L| is ~1e-15 |L|, so a correct MLE is never below a neighbour by more
# than the slack below. A sigma divided by N - 1 is too large by a factor ~1 + 1/(2N), more than
# the step for every N below 500 (the graders use N <= 40), and the variance for sigma is off by
# far more: a neighbour beats either.
NEIGHBOUR_STEP = 1e-3
LIKELIHOOD_RTOL = 1e-12
# A wrong sigma is recognised as one of the usual mistakes (N - 1, the variance) when it agrees
# with that formula to rounding (~1e-15); the mistakes differ from sigma by 1e-3 or more here.
HINT_RTOL = 1e-9


# -- data -----------------------------------------------------------------------------------
def samples(rng, n, *, scale=None, loc=None):
    """n normal samples with a random centre and a spread far from 1 (so sigma and sigma² differ
    clearly): sigma in [0.2, 0.5] or [2, 6]."""
    if scale is None:
        scale = rng.uniform(0.2, 0.5) if rng.random() < 0.5 else rng.uniform(2.0, 6.0)
    if loc is None:
        loc = rng.uniform(-10.0, 10.0)
    return loc + scale * rng.normal(size=n)


def distribution(rng, n, *, n_zeros=0):
    """A random distribution over n outcomes, n_zeros of them (at random places) exactly 0."""
    p = np.zeros(n)
    support = rng.permutation(n)[: n - n_zeros]
    p[support] = rng.dirichlet(np.ones(n - n_zeros))
    return p


def pair_with_zeros(rng, n):
    """(p, q) of length n >= 4 with p = 0 at some places where q > 0 and p = q = 0 at others:
    every term of H(p, q) and KL(p || q) is finite and the zero conventions matter."""
    order = rng.permutation(n)
    only_q, both = order[:1], order[1:2]  # p = 0 < q at one place, p = q = 0 at another
    p, q = np.zeros(n), np.zeros(n)
    p[order[2:]] = rng.dirichlet(np.ones(n - 2))
    q[np.concatenate([only_q, order[2:]])] = rng.dirichlet(np.ones(n - 1))
    assert p[both] == q[both] == 0
    return p, q


# -- oracles --------------------------------------------------------------------------------
def normal_log_likelihood(x, mu, sigma):
    """The lecture's closed form -N/2 log(2 pi sigma²) - sum (x_i - mu)² / (2 sigma²)."""
    squares = math.fsum((float(v) - mu) ** 2 for v in x)
    return -len(x) / 2 * math.log(2 * math.pi * sigma * sigma) - squares / (2 * sigma * sigma)


def entropy_of(p):
    return -math.fsum(float(v) * math.log(v) for v in p if v > 0)


def cross_entropy_of(p, q):
    terms = [
        float(a) * math.log(b) if b > 0 else -math.inf for a, b in zip(p, q, strict=True) if a > 0
    ]
    return -math.fsum(terms) if -math.inf not in terms else math.inf


def kl_of(p, q):
    """KL(p || q) from its definition: the sum of p_i log(p_i / q_i) over the support of p."""
    if any(a > 0 and b == 0 for a, b in zip(p, q, strict=True)):
        return math.inf
    return math.fsum(
        float(a) * (math.log(a) - math.log(b)) for a, b in zip(p, q, strict=True) if a > 0
    )


def frequencies(labels, num_classes):
    counts = [0] * num_classes
    for label in labels:
        counts[int(label)] += 1
    return np.array(counts, dtype=float) / len(labels)


# -- checks ---------------------------------------------------------------------------------
def check_pair(actual, *, name):
    """Check mle_normal returned a pair (mu, sigma) of numbers; return them as floats."""
    check_true(
        type(actual) in (tuple, list) and len(actual) == 2, name=name,
        message=msg("lec07_statistics.not_a_pair", value=format_value(actual)),
    )  # fmt: skip
    parts = zip(("mu", "sigma"), actual, strict=True)
    out = [
        check_number(value, name=f"{name}[{i}] ({part})") for i, (part, value) in enumerate(parts)
    ]
    return tuple(out)


def check_mle_normal(actual, x, *, name):
    """mle_normal's pair against the oracle: mu the mean, sigma the root of the mean square
    deviation (divided by N); the message tells the usual wrong sigmas apart."""
    mu, sigma = check_pair(actual, name=name)
    n = len(x)
    mean = math.fsum(map(float, x)) / n
    square = math.fsum((float(v) - mean) ** 2 for v in x)
    check_close(mu, mean, name=f"{name}[0] (mu)")
    expected = math.sqrt(square / n)
    try:
        check_close(sigma, expected, name=f"{name}[1] (sigma)")
    except CheckError as exc:
        hints = [
            (
                math.sqrt(square / (n - 1)) if n > 1 else math.nan,
                msg("lec07_statistics.sigma_divided_by_n_minus_1"),
            ),
            (square / n, msg("lec07_statistics.sigma_is_variance")),
        ]
        for value, hint in hints:
            if math.isclose(sigma, value, rel_tol=HINT_RTOL, abs_tol=HINT_RTOL):
                exc.failure.details.append(hint)
                raise CheckError(exc.failure) from None
        raise


def neighbours(mu, sigma):
    """The 8 points around (mu, sigma): mu moved by NEIGHBOUR_STEP * sigma, sigma scaled by
    1 +- NEIGHBOUR_STEP, and both."""
    dm, ds = NEIGHBOUR_STEP * sigma, NEIGHBOUR_STEP
    return [(mu + a * dm, sigma * (1 + b * ds)) for a in (-1, 0, 1) for b in (-1, 0, 1)
            if (a, b) != (0, 0)]  # fmt: skip


def check_maximum(at, around, *, name, returned):
    """No neighbour's log-likelihood above the one at the estimates, beyond rounding.

    at = ((mu, sigma), L) and around = [((mu', sigma'), L'), ...]. ``returned`` says what the
    submission returned: "estimates" (mle_normal's (mu, sigma); the grader computed the L's) or
    "log-likelihoods" (log_likelihood_normal's L's at the grader's estimates and around them).
    """
    (mu, sigma), best = at
    for (m, s), value in around:
        if value <= best + LIKELIHOOD_RTOL * max(1.0, abs(best)):
            continue
        if returned == "estimates":
            problem = msg("lec07_statistics.estimates_not_maximum", mu=repr(mu), sigma=repr(sigma),
                          best=repr(best), value=repr(value), m=repr(m), s=repr(s))  # fmt: skip
        else:
            problem = msg("lec07_statistics.likelihood_not_maximum", value=repr(value),
                          best=repr(best), mu=repr(mu), sigma=repr(sigma))  # fmt: skip
        check_true(
            False, name=name,
            message=msg("lec07_statistics.maximum_likelihood_explained", problem=problem),
        )  # fmt: skip


def check_number(value, *, name):
    """Check a returned value is a real number (a 0-d array will do); return it as a float."""
    ok = (
        isinstance(value, int | float | np.integer | np.floating) and type(value) is not bool
    ) or (type(value) is np.ndarray and value.shape == () and value.dtype.kind in "iuf")
    check_true(
        ok, name=name, message=msg("lec07_statistics.not_a_number", value=format_value(value))
    )
    return float(value)
