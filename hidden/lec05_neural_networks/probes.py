"""Probe inputs of lec05_neural_networks for `aimath mutants`: inputs only, never expected values.

A mutant that survives the graders and its reference are both called on every input below, each
in a sandboxed worker, and what they return (or raise) is compared. The inputs are numpy arrays
of floats and of small integers (not lists, NaN or infinity), on which the reference's behaviour
is the specification: the lecture's softmax example, rows of several sizes (one class, one sample,
an empty batch), large outputs (±1000 and beyond), ties, labels of several integer dtypes, zero
probabilities, networks of several shapes (N = 1, C = 1) with pre-activations exactly 0 and away
from it, and inputs the reference rejects (ValueError): 0-d and 3-D arrays, empty class axes,
labels out of range, mismatched and broadcastable shapes.
"""

import numpy as np

# The lecture's example (AI Math 5강).
O_LECTURE = np.array([[1, 2, 0], [-1, 0, 1], [-10, 0, 10]])


def _network(rng, n, d, h, c, *, integers=False):
    if integers:
        X = rng.integers(-2, 3, size=(n, d)).astype(float)
        W1 = rng.integers(-2, 3, size=(d, h)).astype(float)
        b1 = rng.integers(-1, 2, size=h).astype(float)
    else:
        X, W1, b1 = rng.normal(size=(n, d)), rng.normal(size=(d, h)), rng.normal(size=h)
    params = {"W1": W1, "b1": b1, "W2": rng.normal(size=(h, c)), "b2": rng.normal(size=c)}
    Y = np.eye(c)[rng.integers(0, c, size=n)]
    return X, Y, params


def probes(rng):
    """(function name, args, kwargs) for every function of lec05_neural_networks."""
    out = []
    # softmax: the lecture's example, random rows and vectors, one class, an empty batch, large
    # outputs; 0-d, 3-D and empty class axes.
    for scores in (O_LECTURE, rng.normal(size=(4, 3)), rng.normal(size=(3, 5)), rng.normal(size=6),
              rng.normal(size=(5, 1)), rng.normal(size=1), np.zeros((0, 3)),
              np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.0]]),
              np.array([-1000.0, 0.0, 1000.0]), 500 * rng.normal(size=(3, 4)) + 3000,
              np.array(2.0), rng.normal(size=(2, 2, 3)), np.zeros(0),
              np.zeros((3, 0))):  # fmt: skip
        out.append(("softmax", (scores,), {}))
    # one_hot: several sizes and dtypes, one class, no labels; out of range, not 1-D, not
    # integers, num_classes below 1.
    labels = rng.integers(0, 4, size=7)
    for args in ((labels, 4), (labels, 6), (np.array([1, 2, 2]), 3), (np.zeros(3, dtype=int), 1),
                 (labels.astype(np.uint8), 4), (labels.astype(np.int32), 5),
                 (np.zeros(0, dtype=int), 3), (np.append(labels, 4), 4), (np.append(labels, -1), 4),
                 (labels.reshape(7, 1), 4), (np.array(2), 4), (labels + 0.5, 4),
                 (labels.astype(float), 4), (labels, 0), (np.zeros(0, dtype=int), 0),
                 (labels, -2)):  # fmt: skip
        out.append(("one_hot", args, {}))
    # softmax_to_onehot: the lecture's example, probabilities, ties, a vector, square and
    # non-square, one class, an empty batch; 0-d and 3-D.
    for P in (O_LECTURE, rng.normal(size=(4, 3)), rng.normal(size=(3, 5)), rng.normal(size=(4, 4)),
              rng.integers(0, 2, size=(6, 3)), rng.normal(size=5), np.array([0.2, 0.4, 0.4]),
              rng.normal(size=(3, 1)), np.zeros((0, 4)), np.array(1.0),
              rng.normal(size=(2, 3, 4))):  # fmt: skip
        out.append(("softmax_to_onehot", (P,), {}))
    # relu and sigmoid: several shapes, 0, integers, large magnitudes.
    for x in (rng.normal(size=7), rng.normal(size=(3, 4)), np.array(-0.5),
              np.array([0.0, -0.0, 2.0]),
              rng.integers(-5, 6, size=(2, 3)), 1000 * rng.normal(size=(2, 2, 2)),
              np.array([-1000.0, -710.0, -40.0, 40.0, 710.0, 1000.0])):  # fmt: skip
        out.append(("relu", (x,), {}))
        out.append(("sigmoid", (x,), {}))
    # cross_entropy: random, one sample, zero probabilities in wrong and in right classes,
    # integer targets; mismatched, broadcastable and 1-D or 3-D shapes.
    P = np.exp(rng.normal(size=(5, 3)))
    P /= P.sum(axis=1, keepdims=True)
    Y = np.eye(3)[rng.integers(0, 3, size=5)]
    P0 = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [0.2, 0.0, 0.8]])
    Y0 = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    for args in ((P, Y), (P[:1], Y[:1]), (P0, Y0), (P0, Y0[[1, 2, 0]]), (P, Y.astype(int)),
                 (P[:, :2] / P[:, :2].sum(axis=1, keepdims=True), Y[:, :2]),
                 (P, Y[:, :2]), (P, Y[:4]), (P, Y[:, :1]), (P, Y[:1]), (P, Y[0]), (P[0], Y[0]),
                 (P[None], Y[None])):  # fmt: skip
        out.append(("cross_entropy", args, {}))
    # mlp_forward and mlp_backward: several shapes (N = 1, C = 1, N = D = H = C), integer data
    # with pre-activations exactly 0; parameters that do not fit, broadcastable ones included.
    for n, d, h, c, integers in (
        (4, 3, 5, 2, False), (1, 2, 3, 4, False), (6, 4, 4, 1, False), (3, 3, 3, 3, False),
        (5, 3, 4, 3, True), (1, 3, 4, 2, True),
    ):  # fmt: skip
        X, Y, params = _network(rng, n, d, h, c, integers=integers)
        out.append(("mlp_forward", (X, params), {}))
        out.append(("mlp_backward", (X, Y, params), {}))
    X, Y, params = _network(rng, 3, 2, 3, 3)
    out.append(("mlp_forward", (X.astype(int), {k: v.round() for k, v in params.items()}), {}))
    misfits = [
        ("W1", np.zeros((3, 3))), ("W1", np.zeros((2, 4))), ("W1", np.zeros((2, 3, 1))),
        ("W1", np.zeros(2)), ("b1", np.zeros(1)), ("b1", np.zeros((3, 3))), ("b1", np.zeros(4)),
        ("W2", np.zeros((4, 3))), ("W2", np.zeros(3)), ("W2", np.zeros((3, 3, 1))),
        ("b2", np.zeros(1)), ("b2", np.zeros((1, 3))), ("b2", np.zeros(2)),
    ]  # fmt: skip
    for key, value in misfits:
        out.append(("mlp_forward", (X, {**params, key: value}), {}))
        out.append(("mlp_backward", (X, Y, {**params, key: value}), {}))
    for X_bad in (X[0], X[None], X[:, :1]):
        out.append(("mlp_forward", (X_bad, params), {}))
        out.append(("mlp_backward", (X_bad, Y, params), {}))
    for Y_bad in (Y[:, :2], Y[:1], Y[:, :1], Y[0], np.hstack([Y, Y])):
        out.append(("mlp_backward", (X, Y_bad, params), {}))
    return out
