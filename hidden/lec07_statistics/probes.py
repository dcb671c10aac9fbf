"""Probe inputs of lec07_statistics for `aimath mutants`: inputs only, never expected values.

A mutant that survives the graders and its reference are both called on every input below, each
in a sandboxed worker, and what they return (or raise) is compared. The inputs are numpy arrays
of floats and of small integers (not lists, NaN or infinity), on which the reference's behaviour
is the specification: samples of 1, 2, 3 and many values, equal samples, integer samples, means
and sigmas of several scales, labels with unseen classes and a single class, distributions with
zeros in p, in q and in both, equal and close pairs, and inputs the reference rejects
(ValueError): no samples, arrays that are not 1-D (0-d and 2-D), sigma <= 0, labels out of
range, num_classes < 1, vectors that are not distributions (sums below and above 1, negative
entries) and pairs of different lengths, those numpy would broadcast included.
"""

import numpy as np

SAMPLE_FUNCTIONS = ("sample_mean", "sample_variance", "mle_normal")
DISTANCES = ("cross_entropy", "kl_divergence")


def _distribution(rng, n, n_zeros=0):
    p = np.zeros(n)
    p[rng.permutation(n)[: n - n_zeros]] = rng.dirichlet(np.ones(n - n_zeros))
    return p


def probes(rng):
    """(function name, args, kwargs) for every function of lec07_statistics."""
    out = []
    # The sample statistics: several sizes, equal and integer samples; empty and not 1-D.
    xs = [rng.normal(size=n) * 3 + 1 for n in (1, 2, 3, 8, 50)]
    xs += [np.array([2, 4, 4, 4, 5, 5, 7, 9]), np.full(4, 2.5), rng.integers(-9, 10, size=7)]
    bad = [np.zeros(0), np.array(1.5), rng.normal(size=(2, 3)), rng.normal(size=(4, 1)),
           rng.normal(size=(1, 4))]  # fmt: skip
    for x in xs + bad:
        out += [(name, (x,), {}) for name in SAMPLE_FUNCTIONS]
    # log_likelihood_normal: samples, means and sigmas; integer arguments; sigma <= 0, not 1-D.
    for x in xs:
        for mu, sigma in ((0.0, 1.0), (1.5, 0.3), (-2.0, 7.0)):
            out.append(("log_likelihood_normal", (x, mu, sigma), {}))
    out += [("log_likelihood_normal", (xs[3], 1, 2), {}),
            ("log_likelihood_normal", (xs[3], 0.0, 0.0), {}),
            ("log_likelihood_normal", (xs[3], 0.0, -1.0), {}),
            ("log_likelihood_normal", (xs[3], 0.0, -1e-3), {})]  # fmt: skip
    out += [("log_likelihood_normal", (x, 0.0, 1.0), {}) for x in bad[1:]]
    # mle_categorical: unseen classes, one class, a label at the top; invalid labels and classes.
    labels = rng.integers(0, 4, size=20)
    for args in ((labels, 4), (labels, 7), (np.array([0, 1, 1, 2, 2, 2]), 3),
                 (np.array([2, 2]), 3), (np.zeros(3, dtype=int), 1), (np.array([0]), 2),
                 (labels.astype(np.int32), 5), (np.zeros(0, dtype=int), 3), (labels, 3),
                 (np.array([-1, 0]), 2), (np.array([0, 2]), 2), (labels.reshape(4, 5), 4), (labels.reshape(5, 4), 4), (labels.reshape(5, 4), 5),
                 (np.array([0, 0]), 0), (np.array([0, 0]), -2), (np.array(0), 1)):  # fmt: skip
        out.append(("mle_categorical", args, {}))
    # Distributions: positive ones, zeros in p, in q, in both; equal and close pairs.
    ps = [_distribution(rng, n) for n in (1, 2, 5, 30)]
    ps += [np.array([0.5, 0.5]), np.array([0.5, 0.0, 0.5]), np.array([0.0, 1.0, 0.0]),
           _distribution(rng, 6, 2), _distribution(rng, 6, 5)]  # fmt: skip
    not_dists = [np.array([0.5, 0.6]), np.array([0.4, 0.5]), np.array([1.5, -0.5]),
                 np.zeros(3), np.array(1.0), np.full((2, 2), 0.25), np.full((1, 2), 0.5)]  # fmt: skip
    out += [("entropy", (p,), {}) for p in ps + not_dists]
    p6 = _distribution(rng, 6)
    pairs = [(p, p) for p in ps]
    pairs += [(p6, _distribution(rng, 6)), (p6, p6 + 1e-3 * (_distribution(rng, 6) - p6)),
              (np.array([0.5, 0.0, 0.5]), np.array([0.25, 0.0, 0.75])),
              (np.array([1.0, 0.0]), np.array([0.5, 0.5])),
              (np.array([0.5, 0.5]), np.array([1.0, 0.0])),
              (_distribution(rng, 6, 2), p6), (p6, _distribution(rng, 6, 2))]  # fmt: skip
    p_zero, q_zero = np.array([0.0, 0.0, 0.3, 0.7]), np.array([0.2, 0.0, 0.4, 0.4])
    pairs += [(p_zero, q_zero), (q_zero, p_zero)]
    for p, q in pairs:
        out += [(name, (p, q), {}) for name in DISTANCES]
        out += [(name, (q, p), {}) for name in DISTANCES]
    for name in DISTANCES:
        for bad_p in not_dists:
            out += [
                (name, (bad_p, np.array([0.5, 0.5])), {}),
                (name, (np.array([0.5, 0.5]), bad_p), {}),
            ]
        out += [(name, (p6, np.array([1.0])), {}), (name, (np.array([1.0]), p6), {}),
                (name, (p6, _distribution(rng, 5)), {})]  # fmt: skip
    return out
