"""Helpers shared by the public and hidden tests of lec05_neural_networks: plain numpy oracles,
networks drawn for gradient checking, and the loss the trusted test computes from a forward pass."""

import numpy as np

from autograder.checks import check_close, check_probabilities, check_shape
from autograder.i18n import msg
from autograder.numerics import FD_STEP, differences_of_calls

# relu has a kink at 0, where centred differences measure half the slope instead of relu's
# derivative. Networks for gradient checking are drawn with every live pre-activation Z1 at least
# this far from 0: a step of FD_STEP = 1e-5 on a weight moves Z1 by at most 1e-5 * max|X| (~4e-5
# for normal X), far from crossing 0.
MIN_PREACTIVATION = 1e-3
MAX_DRAWS = 1000
PARAMETERS = ("W1", "b1", "W2", "b2")


def softmax_oracle(scores):
    """Row-wise softmax, each row shifted so its largest entry is 0 (then exp cannot overflow)."""
    scores = np.asarray(scores, dtype=float)
    shifted = scores - np.max(scores, axis=-1)[..., None]
    E = np.exp(shifted)
    return E / np.sum(E, axis=-1)[..., None]


def sigmoid_oracle(x):
    """The logistic function in its two stable forms: 1 / (1 + e^-|x|) or e^-|x| / (1 + e^-|x|)."""
    x = np.asarray(x, dtype=float)
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def one_hot_oracle(labels, num_classes):
    """Row i has 1.0 where the column index equals labels[i]."""
    return (np.asarray(labels)[:, None] == np.arange(num_classes)[None, :]).astype(float)


def first_max_onehot(P):
    """The one-hot vector of each row's first largest entry (row by row, in Python)."""
    P = np.asarray(P, dtype=float)
    rows = P.reshape(-1, P.shape[-1])
    out = np.zeros(rows.shape)
    for i, row in enumerate(rows):
        out[i, list(row).index(row.max())] = 1.0
    return out.reshape(P.shape)


def mean_cross_entropy(P, labels):
    """-(1/N) sum_i log P[i, labels[i]]: the mean cross-entropy of one-hot targets."""
    P = np.asarray(P, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-np.mean(np.log(P[np.arange(len(labels)), labels])))


def forward_oracle(X, params):
    """The two-layer network's probabilities, with einsum and the oracles above."""
    Z1 = np.einsum("nd,dh->nh", X, params["W1"]) + params["b1"][None, :]
    A1 = np.where(Z1 > 0, Z1, 0.0)
    return softmax_oracle(np.einsum("nh,hc->nc", A1, params["W2"]) + params["b2"][None, :])


def loss_of(forward, X, labels):
    """The trusted loss params -> mean cross-entropy of forward(X, params) for these labels."""
    return lambda params: mean_cross_entropy(forward(X, params), labels)


def draw_network(rng, n, d, h, c, *, dead_units=0):
    """X (n, d), labels (n,) and params W1 (d, h), b1 (h,), W2 (h, c), b2 (c,) for gradient checks.

    Every live pre-activation is at least MIN_PREACTIVATION from 0. With ``dead_units``, that many
    hidden units have a zero column of W1 and a zero bias, so their pre-activations are exactly 0
    for every sample (relu's derivative there is 0). Returns (X, labels, params, dead), dead the
    sorted indices of those units.
    """
    for _ in range(MAX_DRAWS):
        X = rng.normal(size=(n, d))
        params = {
            "W1": rng.normal(size=(d, h)),
            "b1": 0.5 * rng.normal(size=h),
            "W2": rng.normal(size=(h, c)),
            "b2": 0.5 * rng.normal(size=c),
        }
        dead = np.sort(rng.choice(h, size=dead_units, replace=False))
        params["W1"][:, dead] = 0.0
        params["b1"][dead] = 0.0
        labels = rng.integers(0, c, size=n)
        live = np.setdiff1d(np.arange(h), dead)
        Z1 = np.dot(X, params["W1"]) + params["b1"]
        if live.size == 0 or np.abs(Z1[:, live]).min() >= MIN_PREACTIVATION:
            return X, labels, params, dead
    raise RuntimeError(f"could not draw a {n}x{d}x{h}x{c} network fit for gradient checking")


def differences_of_forward(sub, X, labels, params, *, h=FD_STEP):
    """Centred differences of the mean cross-entropy of the submission's own forward pass.

    The submission computes only mlp_forward's probabilities: at params (which must be right,
    or the gradient of a wrong function would be checked: a forward pass that ignores the
    parameters has a zero gradient) and at every perturbed copy of params, in one batched call.
    The losses and the differences are computed here.
    """
    n, c = len(labels), params["W2"].shape[1]
    P = sub.mlp_forward(X, params)
    check_probabilities(P, name=sub.last_call, shape=(n, c))
    check_close(P, forward_oracle(X, params), name=sub.last_call, require_ndarray=True)

    def loss(P):  # sub.last_call names the batch here, after it ran
        check_shape(P, (n, c), name=msg("lec05_neural_networks.forward_moved",
                                        call=sub.last_call, h=h))  # fmt: skip
        return mean_cross_entropy(P, labels)

    return differences_of_calls(sub.mlp_forward, params, lambda p: (X, p), loss, h=h)


FROM_YOUR_FORWARD = msg("lec05_neural_networks.from_your_forward", h=FD_STEP)
