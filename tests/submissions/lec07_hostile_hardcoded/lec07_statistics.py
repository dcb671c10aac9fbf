"""A hostile submission: the answers to the public tests' fixed examples, typed in by hand, and a
ValueError for every other input (hoping to collect the invalid-input points too)."""

import math

import numpy as np


def _key(*args):
    return tuple(tuple(np.asarray(a, dtype=float).ravel().tolist()) for a in args)


EIGHT = [2, 4, 4, 4, 5, 5, 7, 9]
FOUR = [1, 2, 3, 4]

MEANS = {_key(EIGHT): 5.0, _key(FOUR): 2.5}
VARIANCES = {_key(EIGHT): 32 / 7, _key(FOUR): 5 / 3, _key([3, 3, 3]): 0.0}
MLES = {_key(EIGHT): (5.0, 2.0), _key(FOUR): (2.5, math.sqrt(1.25))}
LOG_LIKELIHOODS = {
    _key([0], 0, 1): -0.5 * math.log(2 * math.pi),
    _key(EIGHT, 5, 2): -8 * math.log(2 * math.sqrt(2 * math.pi)) - 4,
}
CATEGORICAL = {
    _key([0, 1, 1, 2, 2, 2], 3): [1 / 6, 2 / 6, 3 / 6],
    _key([0, 1, 1, 2, 2, 2], 5): [1 / 6, 2 / 6, 3 / 6, 0, 0],
    _key([3, 3], 4): [0, 0, 0, 1],
    _key([0, 0, 0], 1): [1],
}
ENTROPIES = {
    _key([0.5, 0.5]): math.log(2),
    _key([0.25] * 4): math.log(4),
    _key([0.25, 0.75]): -(0.25 * math.log(0.25) + 0.75 * math.log(0.75)),
    _key([0.5, 0, 0.5]): math.log(2),
    _key([0, 1, 0]): 0.0,
}
CROSS_ENTROPIES = {
    _key([0.5, 0.5], [0.25, 0.75]): -(0.5 * math.log(0.25) + 0.5 * math.log(0.75)),
    _key([0.5, 0.5], [0.5, 0.5]): math.log(2),
    _key([0.5, 0, 0.5], [0.25, 0, 0.75]): -(0.5 * math.log(0.25) + 0.5 * math.log(0.75)),
    _key([1, 0], [0.5, 0.5]): math.log(2),
    _key([0.5, 0.5], [1, 0]): math.inf,
}
KLS = {
    _key([0.5, 0.5], [0.25, 0.75]): 0.5 * math.log(4 / 3),
    _key([0.25, 0.75], [0.5, 0.5]): 0.25 * math.log(0.5) + 0.75 * math.log(1.5),
    _key([0.5, 0, 0.5], [0.25, 0, 0.75]): 0.5 * math.log(4 / 3),
    _key([0.5, 0.5], [1, 0]): math.inf,
}


def _look_up(table, *args):
    try:
        return table[_key(*args)]
    except KeyError:
        raise ValueError("not one of the examples I know") from None


def sample_mean(x):
    return _look_up(MEANS, x)


def sample_variance(x):
    return _look_up(VARIANCES, x)


def mle_normal(x):
    return _look_up(MLES, x)


def log_likelihood_normal(x, mu, sigma):
    return _look_up(LOG_LIKELIHOODS, x, mu, sigma)


def mle_categorical(labels, num_classes):
    return np.array(_look_up(CATEGORICAL, labels, num_classes), dtype=float)


def entropy(p):
    return _look_up(ENTROPIES, p)


def cross_entropy(p, q):
    return _look_up(CROSS_ENTROPIES, p, q)


def kl_divergence(p, q):
    return _look_up(KLS, p, q)
