"""Hidden tests for lec05_neural_networks: unseen shapes, magnitudes and networks, compared with the
reference; the backward pass also with centred differences of the reference's forward pass, and at
pre-activations that are exactly 0 in scattered places."""

import numpy as np
import pytest

from autograder.checks import (
    GRADIENT_MATCH_ATOL,
    GRADIENT_MATCH_MAX_ERROR,
    check_close,
    check_gradient,
    check_probabilities,
    check_raises,
    check_shape,
)
from autograder.graders.lec05_neural_networks.support import (
    draw_network,
    loss_of,
    one_hot_oracle,
)
from autograder.numerics import numerical_gradient

pytestmark = pytest.mark.hidden

FROM_REFERENCE = "the reference's backpropagation"
# Two analytic gradients computed in another order agree to rounding.
MATCH = {"max_error": GRADIENT_MATCH_MAX_ERROR, "atol": GRADIENT_MATCH_ATOL}


def sign(rng, shape):
    return rng.choice([-1.0, 1.0], size=shape)


@pytest.mark.points(2)
def test_hidden_softmax(sub, ref, rng):
    """softmax: unseen shapes and magnitudes (offsets up to 1e5 and spreads up to 1e3), integers"""
    for shape, scale, offset in (
        ((7, 5), 1.0, 0.0), ((2, 9), 30.0, 0.0), ((4, 3), 1.0, 1e5), ((6, 4), 300.0, 2e3),
        ((11,), 5.0, 800.0), ((5, 1), 1.0, 1e3),
    ):  # fmt: skip
        scores = scale * rng.normal(size=shape) + offset * sign(rng, shape[:-1] + (1,))
        P = sub.softmax(scores)
        check_probabilities(P, name=sub.last_call, shape=shape)
        check_close(P, ref.softmax(scores), name=sub.last_call, require_ndarray=True)
    scores = rng.integers(-20, 21, size=(4, 6))
    check_close(sub.softmax(scores), ref.softmax(scores), name=sub.last_call, require_ndarray=True)


@pytest.mark.points(2)
def test_hidden_one_hot(sub, ref, rng):
    """one_hot and softmax_to_onehot: unseen labels, classes, ties and vectors; bad input raises"""
    for n, c in ((9, 7), (3, 1), (1, 2), (0, 4)):
        labels = rng.integers(0, c, size=n).astype(rng.choice([np.int64, np.int32, np.uint16]))
        check_close(sub.one_hot(labels, c), ref.one_hot(labels, c), name=sub.last_call,
                    require_ndarray=True)  # fmt: skip
    for P in (rng.integers(0, 2, size=(9, 3)), rng.normal(size=(3, 7)), rng.integers(0, 4, size=6),
              rng.normal(size=(5, 1)), np.zeros((0, 5))):  # fmt: skip
        check_close(sub.softmax_to_onehot(P), ref.softmax_to_onehot(P), name=sub.last_call,
                    require_ndarray=True)  # fmt: skip
    c = int(rng.integers(2, 8))
    labels = rng.integers(0, c, size=6)
    for bad, num_classes in ((np.append(labels, -int(rng.integers(1, 4))), c),
                             (np.append(labels, c + int(rng.integers(0, 3))), c),
                             (np.zeros(0, dtype=int), 0), (labels.reshape(2, 3), c),
                             (labels * 1.5, c)):  # fmt: skip
        check_raises(ValueError, sub.one_hot, bad, num_classes)
    for bad in (rng.normal(size=(2, 2, c)), np.array(float(c))):
        check_raises(ValueError, sub.softmax_to_onehot, bad)


@pytest.mark.points(1)
def test_hidden_activations(sub, ref, rng):
    """relu and sigmoid: unseen shapes, integers and magnitudes up to 1e4"""
    for shape, scale in (((9,), 1.0), ((3, 2, 2), 10.0), ((4, 5), 1e4), ((), 3.0)):
        x = scale * rng.normal(size=shape)
        for function, expected in ((sub.relu, ref.relu(x)), (sub.sigmoid, ref.sigmoid(x))):
            check_close(function(x), expected, name=sub.last_call, require_ndarray=len(shape) > 0)
    # Integers from 2 up: sigmoid(±1) is printed in the public tests (the leak scan would flag it).
    x = rng.integers(2, 801, size=(3, 4)) * rng.choice([-1, 1], size=(3, 4))
    check_close(sub.relu(x), ref.relu(x), name=sub.last_call, require_ndarray=True)
    check_close(sub.sigmoid(x), ref.sigmoid(x), name=sub.last_call, require_ndarray=True)


@pytest.mark.points(2)
def test_hidden_cross_entropy(sub, ref, rng):
    """cross_entropy: unseen batches (N = 1 too), zeros, integer targets; bad shapes raise ValueError"""
    for n, c in ((1, 4), (7, 3), (12, 6), (2, 2)):
        P = ref.softmax(3 * rng.normal(size=(n, c)))
        Y = ref.one_hot(rng.integers(0, c, size=n), c)
        P[(rng.random(size=(n, c)) < 0.3) & (Y == 0)] = 0.0
        P /= P.sum(axis=1, keepdims=True)
        check_close(sub.cross_entropy(P, Y), ref.cross_entropy(P, Y), name=sub.last_call)
        check_close(sub.cross_entropy(P, Y.astype(int)), ref.cross_entropy(P, Y),
                    name=sub.last_call)  # fmt: skip
    n, c = int(rng.integers(2, 7)), int(rng.integers(2, 7))
    P = ref.softmax(rng.normal(size=(n, c)))
    Y = ref.one_hot(rng.integers(0, c, size=n), c)
    for P_bad, Y_bad in ((P, Y[:, :-1]), (P, Y[:1]), (P[None], Y[None]), (P.ravel(), Y.ravel())):
        check_raises(ValueError, sub.cross_entropy, P_bad, Y_bad)


@pytest.mark.points(2)
def test_hidden_mlp_forward(sub, ref, rng):
    """mlp_forward: unseen networks (N = 1, C = 1, large weights, integers); misfits raise ValueError"""
    for n, d, h, c, scale in ((1, 6, 2, 5, 1.0), (15, 3, 9, 2, 1.0), (4, 2, 3, 1, 1.0),
                              (5, 4, 4, 3, 30.0)):  # fmt: skip
        X = rng.normal(size=(n, d))
        params = {"W1": scale * rng.normal(size=(d, h)), "b1": rng.normal(size=h),
                  "W2": scale * rng.normal(size=(h, c)), "b2": rng.normal(size=c)}  # fmt: skip
        P = sub.mlp_forward(X, params)
        check_probabilities(P, name=sub.last_call, shape=(n, c))
        check_close(P, ref.mlp_forward(X, params), name=sub.last_call, require_ndarray=True)
    # Integer arrays, with a float b2: integer outputs [k, k+1, k+2] would give softmax values the
    # public tests print (the leak scan would flag them).
    X = rng.integers(-3, 4, size=(3, 2))
    params = {"W1": rng.integers(-2, 3, size=(2, 4)), "b1": rng.integers(-2, 3, size=4),
              "W2": rng.integers(-2, 3, size=(4, 3)), "b2": rng.normal(size=3)}  # fmt: skip
    check_close(sub.mlp_forward(X, params), ref.mlp_forward(X, params), name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    h = params["W1"].shape[1]
    for key, value in (
        ("b1", np.zeros(1)), ("b1", np.zeros((3, h))), ("W1", np.zeros((2, h, 1))),
        ("W2", np.zeros((h, 3, 1))), ("b2", np.zeros(1)), ("b2", np.zeros((1, 3))),
    ):  # fmt: skip
        check_raises(ValueError, sub.mlp_forward, X, {**params, key: value})
    check_raises(ValueError, sub.mlp_forward, X.ravel(), params)


@pytest.mark.points(3)
def test_hidden_mlp_backward(sub, ref, rng):
    """mlp_backward: unseen networks (N = 1 too) match the reference and its centred differences"""
    for n, d, h, c in ((1, 5, 3, 4), (6, 2, 7, 3), (9, 4, 4, 2), (3, 3, 6, 5)):
        X, labels, params, _ = draw_network(rng, n, d, h, c)
        Y = one_hot_oracle(labels, c)
        grads = sub.mlp_backward(X, Y, params)
        numerical = numerical_gradient(loss_of(ref.mlp_forward, X, labels), params)
        check_gradient(grads, numerical, name=sub.last_call,
                       expected_from="centred differences of the reference's forward "
                       "pass")  # fmt: skip
        check_gradient(grads, ref.mlp_backward(X, Y, params), name=sub.last_call,
                       **MATCH, expected_from=FROM_REFERENCE)  # fmt: skip


@pytest.mark.points(2)
def test_hidden_mlp_backward_exact_zeros(sub, ref, rng):
    """mlp_backward: integer data with pre-activations exactly 0 in scattered places (relu'(0) = 0)"""
    for n, d, h, c in ((6, 3, 5, 3), (1, 4, 6, 2), (8, 2, 4, 4)):
        for _ in range(1000):
            X = rng.integers(-2, 3, size=(n, d)).astype(float)
            W1 = rng.integers(-2, 3, size=(d, h)).astype(float)
            b1 = rng.integers(-1, 2, size=h).astype(float)
            Z1 = X @ W1 + b1
            if (Z1 == 0).any() and (Z1 > 0).any():
                break
        params = {"W1": W1, "b1": b1, "W2": rng.normal(size=(h, c)), "b2": rng.normal(size=c)}
        Y = ref.one_hot(rng.integers(0, c, size=n), c)
        check_gradient(sub.mlp_backward(X, Y, params), ref.mlp_backward(X, Y, params),
                       name=sub.last_call, **MATCH,
                       expected_from=f"{FROM_REFERENCE}, with relu'(0) = 0 at the "
                       f"{int((Z1 == 0).sum())} pre-activations that are exactly 0")  # fmt: skip


@pytest.mark.points(1)
def test_hidden_mlp_backward_misfits(sub, ref, rng):
    """mlp_backward: unseen Y and parameter shapes that do not fit raise ValueError"""
    n, d, h, c = (int(k) for k in rng.integers(2, 7, size=4))
    X, labels, params, _ = draw_network(rng, n, d, h, c)
    Y = ref.one_hot(labels, c)
    grads = sub.mlp_backward(X, Y, params)
    check_gradient(grads, ref.mlp_backward(X, Y, params), name=sub.last_call,
                   **MATCH, expected_from=FROM_REFERENCE)  # fmt: skip
    for key in params:
        check_shape(grads[key], params[key].shape, name=f"{sub.last_call}[{key!r}]",
                    require_ndarray=True)  # fmt: skip
    for Y_bad in (Y[:, :1], Y[:1], np.hstack([Y, Y]), Y.ravel()):
        check_raises(ValueError, sub.mlp_backward, X, Y_bad, params)
    for key, value in (("b1", np.zeros(1)), ("W1", np.zeros((d, h + 1))),
                       ("W2", np.zeros((h, c + 1))), ("b2", np.zeros(1))):  # fmt: skip
        check_raises(ValueError, sub.mlp_backward, X, Y, {**params, key: value})
