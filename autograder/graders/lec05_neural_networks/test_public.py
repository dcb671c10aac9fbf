"""Public tests for lec05_neural_networks: students run these with `aimath check`.

The lecture's softmax example and its one-hot vectors are checked as printed in the lecture, and
every function also on random inputs. Numerical robustness is graded: softmax of rows like
[1000, 1001, 1002], sigmoid of ±1000, and the cross-entropy of a probability of exactly 0 in a
wrong class. mlp_backward is checked against centred differences of the mean cross-entropy of the
submission's own forward pass (the losses are computed here, never by the submission).
"""

import numpy as np
import pytest

from autograder.checks import (
    check_close,
    check_gradient,
    check_probabilities,
    check_raises,
    check_shape,
)
from autograder.graders.lec05_neural_networks.support import (
    FROM_YOUR_FORWARD,
    PARAMETERS,
    differences_of_forward,
    draw_network,
    first_max_onehot,
    forward_oracle,
    mean_cross_entropy,
    one_hot_oracle,
    sigmoid_oracle,
    softmax_oracle,
)
from autograder.i18n import msg

# The lecture's example (AI Math 5강): softmax(vec) as printed there (to full precision), and
# one_hot_encoding(vec) = one_hot_encoding(softmax(vec)).
O_LECTURE = np.array([[1, 2, 0], [-1, 0, 1], [-10, 0, 10]])
P_LECTURE = np.array([
    [0.24472847105479764, 0.6652409557748218, 0.09003057317038046],
    [0.09003057317038046, 0.24472847105479764, 0.6652409557748218],
    [2.061060046209062e-09, 4.539786860886666e-05, 0.999954600070331],
])  # fmt: skip
ONEHOT_LECTURE = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 1.0]])
# softmax([0, 1, 2]): every row that is [0, 1, 2] plus a constant (1000, -1002, ...) has it.
P_012 = np.array([0.09003057317038046, 0.24472847105479764, 0.6652409557748218])


def random_labels(rng, n, c):
    return rng.integers(0, c, size=n)


def random_network(rng, n, d, h, c):
    X = rng.normal(size=(n, d))
    params = {"W1": rng.normal(size=(d, h)), "b1": rng.normal(size=h),
              "W2": rng.normal(size=(h, c)), "b2": rng.normal(size=c)}  # fmt: skip
    return X, params


def misfit_networks(rng):
    """(X, params) pairs of unseen sizes, each with one shape that does not fit."""
    n, d, h, c = (int(k) for k in rng.integers(2, 6, size=4))
    X, params = random_network(rng, n, d, h, c)
    wrong = [
        ("X", rng.normal(size=d)), ("X", rng.normal(size=(n, d + 1))),
        ("X", rng.normal(size=(1, n, d))), ("W1", rng.normal(size=(d + 1, h))),
        ("W1", rng.normal(size=(d, h + 1))), ("W1", rng.normal(size=(d, h, 1))),
        ("b1", rng.normal(size=1)), ("b1", rng.normal(size=h + 1)), ("b1", rng.normal(size=(1, h))),
        ("W2", rng.normal(size=(h + 1, c))), ("W2", rng.normal(size=h)),
        ("b2", rng.normal(size=1)), ("b2", rng.normal(size=c + 1)), ("b2", rng.normal(size=(c, 1))),
    ]  # fmt: skip
    out = []
    for key, value in wrong:
        if key == "X":
            out.append((value, params))
        else:
            out.append((X, {**params, key: value}))
    return out


# -- softmax --------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_softmax_lecture_example(sub, rng):
    """softmax: the lecture's example, random (N, C) outputs and 1-D vectors"""
    P = sub.softmax(O_LECTURE)
    check_probabilities(P, name=sub.last_call, shape=(3, 3))
    check_close(P, P_LECTURE, name=sub.last_call, require_ndarray=True)
    for n, c in ((4, 3), (1, 5), (6, 2), (3, 10)):
        scores = 3 * rng.normal(size=(n, c))
        P = sub.softmax(scores)
        check_probabilities(P, name=sub.last_call, shape=(n, c))
        check_close(P, softmax_oracle(scores), name=sub.last_call, require_ndarray=True)
    for c in (3, 7):
        o = 3 * rng.normal(size=c)
        p = sub.softmax(o)
        check_probabilities(p, name=sub.last_call, shape=(c,))
        check_close(p, softmax_oracle(o), name=sub.last_call, require_ndarray=True)


@pytest.mark.points(2)
def test_softmax_large_inputs(sub, rng):
    """softmax: rows like [1000, 1001, 1002] and [-1000, -1001, -1002] give finite, right values"""
    scores = np.array(
        [[1000.0, 1001.0, 1002.0], [-1002.0, -1001.0, -1000.0], [-1000.0, 0.0, 1000.0]]
    )
    P = sub.softmax(scores)
    check_probabilities(P, name=sub.last_call, shape=(3, 3))
    check_close(P, np.array([P_012, P_012, [0.0, 0.0, 1.0]]), name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    p = sub.softmax(np.array([1000.0, 1001.0, 1002.0]))
    check_probabilities(p, name=sub.last_call, shape=(3,))
    check_close(p, P_012, name=sub.last_call, require_ndarray=True)
    for n, c in ((5, 4), (1, 3), (3, 6)):
        offsets = rng.uniform(500, 5000, size=(n, 1)) * rng.choice([-1.0, 1.0], size=(n, 1))
        scores = rng.normal(size=(n, c)) + offsets
        P = sub.softmax(scores)
        check_probabilities(P, name=sub.last_call, shape=(n, c))
        check_close(P, softmax_oracle(scores), name=sub.last_call, require_ndarray=True)


@pytest.mark.points(1)
def test_softmax_shapes(sub, rng):
    """softmax: one class gives 1, an empty batch gives (0, C); 0-d, 3-D or C = 0 raise ValueError"""
    n, c = int(rng.integers(2, 6)), int(rng.integers(2, 6))
    check_close(sub.softmax(rng.normal(size=(n, 1))), np.ones((n, 1)), name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    check_close(sub.softmax(rng.normal(size=1)), np.ones(1), name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    check_shape(sub.softmax(np.zeros((0, c))), (0, c), name=sub.last_call, require_ndarray=True)
    scores = rng.normal(size=(n, c))
    check_close(
        sub.softmax(scores), softmax_oracle(scores), name=sub.last_call, require_ndarray=True
    )
    for bad in (np.array(rng.normal()), rng.normal(size=(2, n, c)), np.zeros(0), np.zeros((n, 0))):
        check_raises(ValueError, sub.softmax, bad)


# -- one_hot --------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_one_hot(sub, rng):
    """one_hot: the lecture's labels [1, 2, 2], random labels, one class and no labels"""
    check_close(sub.one_hot(np.array([1, 2, 2]), 3), ONEHOT_LECTURE, name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    for n, c in ((6, 4), (1, 3), (10, 2), (5, 1), (0, 3)):
        labels = random_labels(rng, n, c)
        check_close(sub.one_hot(labels, c), one_hot_oracle(labels, c), name=sub.last_call,
                    require_ndarray=True)  # fmt: skip
    labels = random_labels(rng, 7, 5).astype(np.uint8)
    check_close(sub.one_hot(labels, 5), one_hot_oracle(labels, 5), name=sub.last_call,
                require_ndarray=True)  # fmt: skip


@pytest.mark.points(1)
def test_one_hot_invalid(sub, rng):
    """one_hot: labels not 1-D, out of [0, C), not integers, or C < 1 raise ValueError"""
    c = int(rng.integers(2, 6))
    labels = random_labels(rng, 5, c)
    check_close(sub.one_hot(labels, c), one_hot_oracle(labels, c), name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    for bad, num_classes in (
        (labels.reshape(1, -1), c), (labels.reshape(-1, 1), c), (np.array(int(labels[0])), c),
        (np.append(labels, -1), c), (np.append(labels, c), c), (np.append(labels, c + 3), c),
        (labels, 0), (np.zeros(0, dtype=int), 0), (labels, -c),
        (labels + 0.5, c),
    ):  # fmt: skip
        check_raises(ValueError, sub.one_hot, bad, num_classes)


# -- softmax_to_onehot ----------------------------------------------------------------------
@pytest.mark.points(2)
def test_softmax_to_onehot_lecture_example(sub, rng):
    """softmax_to_onehot: the lecture's vec and softmax(vec), random rows, vectors and ties"""
    for P in (O_LECTURE, P_LECTURE):
        check_close(sub.softmax_to_onehot(P), ONEHOT_LECTURE, name=sub.last_call,
                    require_ndarray=True)  # fmt: skip
    check_close(sub.softmax_to_onehot(np.array([0.2, 0.4, 0.4])), np.array([0.0, 1.0, 0.0]),
                name=sub.last_call, require_ndarray=True)  # fmt: skip
    for shape in ((5, 4), (1, 6), (8, 2), (6,), (4, 1)):
        P = softmax_oracle(rng.normal(size=shape))
        check_close(sub.softmax_to_onehot(P), first_max_onehot(P), name=sub.last_call,
                    require_ndarray=True)  # fmt: skip
    # Small integers tie often: the first largest entry of each row wins, as np.argmax.
    P = rng.integers(0, 3, size=(12, 4))
    check_close(sub.softmax_to_onehot(P), first_max_onehot(P), name=sub.last_call,
                require_ndarray=True)  # fmt: skip


@pytest.mark.points(1)
def test_softmax_to_onehot_shapes(sub, rng):
    """softmax_to_onehot: an empty batch (0, C) gives (0, C); 0-d or 3-D input raises ValueError"""
    c = int(rng.integers(2, 6))
    check_shape(sub.softmax_to_onehot(np.zeros((0, c))), (0, c), name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    P = rng.normal(size=(c + 1, c))
    check_close(sub.softmax_to_onehot(P), first_max_onehot(P), name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    for bad in (np.array(rng.normal()), rng.normal(size=(2, 3, c))):
        check_raises(ValueError, sub.softmax_to_onehot, bad)


# -- relu and sigmoid -----------------------------------------------------------------------
@pytest.mark.points(1)
def test_relu(sub, rng):
    """relu: max(0, x) element-wise for arrays of any shape"""
    check_close(sub.relu(np.array([-2.0, -0.5, 0.0, 0.5, 3.0])), np.array([0, 0, 0, 0.5, 3.0]),
                name=sub.last_call, require_ndarray=True)  # fmt: skip
    for shape in ((), (7,), (3, 4), (2, 3, 4)):
        x = rng.normal(size=shape)
        check_close(sub.relu(x), np.where(x > 0, x, 0.0), name=sub.last_call,
                    require_ndarray=len(shape) > 0)  # fmt: skip
    x = rng.integers(-5, 6, size=(4, 3))
    check_close(sub.relu(x), np.where(x > 0, x, 0), name=sub.last_call, require_ndarray=True)


@pytest.mark.points(1)
def test_sigmoid(sub, rng):
    """sigmoid: 1 / (1 + exp(-x)) element-wise for arrays of any shape"""
    check_close(sub.sigmoid(np.array([0.0, 1.0, -1.0])),
                np.array([0.5, 0.7310585786300049, 0.2689414213699951]), name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    for shape in ((), (7,), (3, 4), (2, 3, 4)):
        x = 4 * rng.normal(size=shape)
        check_close(sub.sigmoid(x), sigmoid_oracle(x), name=sub.last_call,
                    require_ndarray=len(shape) > 0)  # fmt: skip


@pytest.mark.points(1)
def test_sigmoid_large_inputs(sub, rng):
    """sigmoid: large |x| (±1000, past exp's overflow at 710) gives finite values near 0 and 1"""
    x = np.array([-1000.0, -710.0, 710.0, 1000.0])
    check_close(sub.sigmoid(x), np.array([0.0, 0.0, 1.0, 1.0]), name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    x = rng.uniform(40, 5000, size=(3, 5)) * rng.choice([-1.0, 1.0], size=(3, 5))
    check_close(sub.sigmoid(x), sigmoid_oracle(x), name=sub.last_call, require_ndarray=True)


# -- cross_entropy --------------------------------------------------------------------------
@pytest.mark.points(2)
def test_cross_entropy(sub, rng):
    """cross_entropy: the mean over the batch of -sum_c Y_c log P_c, for fixed and random P"""
    P = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]])
    Y = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    check_close(sub.cross_entropy(P, Y), 0.2899092476264711, name=sub.last_call)
    for n, c in ((1, 3), (5, 4), (8, 2), (3, 6)):
        P = softmax_oracle(2 * rng.normal(size=(n, c)))
        labels = random_labels(rng, n, c)
        check_close(sub.cross_entropy(P, one_hot_oracle(labels, c)), mean_cross_entropy(P, labels),
                    name=sub.last_call)  # fmt: skip


@pytest.mark.points(2)
def test_cross_entropy_zero_probability(sub, rng):
    """cross_entropy: a probability of exactly 0 adds 0 in a wrong class (0 log 0), inf in the right one"""
    P = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.0]])
    Y = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    check_close(sub.cross_entropy(P, Y), 0.34657359027997264, name=sub.last_call)
    for n, c in ((4, 3), (1, 5), (6, 4)):
        labels = random_labels(rng, n, c)
        Y = one_hot_oracle(labels, c)
        P = softmax_oracle(rng.normal(size=(n, c)))
        P[(rng.random(size=(n, c)) < 0.5) & (Y == 0)] = 0.0
        P /= P.sum(axis=1, keepdims=True)
        check_close(sub.cross_entropy(P, Y), mean_cross_entropy(P, labels), name=sub.last_call)
        P[n - 1] = 1.0 - Y[n - 1]
        P[n - 1] /= P[n - 1].sum()
        check_close(sub.cross_entropy(P, Y), np.inf, name=sub.last_call)


@pytest.mark.points(1)
def test_cross_entropy_shape_mismatch(sub, rng):
    """cross_entropy: P and Y of different (even broadcastable) shapes, or not 2-D, raise ValueError"""
    n, c = int(rng.integers(2, 6)), int(rng.integers(2, 6))
    P = softmax_oracle(rng.normal(size=(n, c)))
    labels = random_labels(rng, n, c)
    Y = one_hot_oracle(labels, c)
    check_close(sub.cross_entropy(P, Y), mean_cross_entropy(P, labels), name=sub.last_call)
    for P_bad, Y_bad in (
        (P, one_hot_oracle(labels, c + 1)), (P, np.vstack([Y, Y[:1]])), (P, Y[:, :1]),
        (P, Y[:1]), (P, Y[0]), (P[0], Y[0]), (P[None], Y[None]),
    ):  # fmt: skip
        check_raises(ValueError, sub.cross_entropy, P_bad, Y_bad)


# -- mlp_forward ----------------------------------------------------------------------------
@pytest.mark.points(3)
def test_mlp_forward(sub, rng):
    """mlp_forward: softmax(relu(X W1 + b1) W2 + b2) for a fixed and random networks"""
    params = {"W1": np.array([[1.0, -1.0], [0.0, 1.0]]), "b1": np.array([0.0, -1.0]),
              "W2": np.eye(2), "b2": np.zeros(2)}  # fmt: skip
    # Z1 = [1, 0], A1 = [1, 0], scores = [1, 0]: softmax gives [e, 1] / (e + 1).
    P = sub.mlp_forward(np.array([[1.0, 2.0]]), params)
    check_probabilities(P, name=sub.last_call, shape=(1, 2))
    check_close(P, np.array([[0.7310585786300049, 0.2689414213699951]]), name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    for n, d, h, c in ((1, 3, 4, 2), (6, 4, 5, 3), (10, 2, 8, 4), (3, 5, 3, 1)):
        X, params = random_network(rng, n, d, h, c)
        P = sub.mlp_forward(X, params)
        check_probabilities(P, name=sub.last_call, shape=(n, c))
        check_close(P, forward_oracle(X, params), name=sub.last_call, require_ndarray=True)


@pytest.mark.points(1)
def test_mlp_forward_shape_mismatch(sub, rng):
    """mlp_forward: X or a parameter of a shape that does not fit (b1 of shape (1,) too) raise ValueError"""
    X, params = random_network(rng, 4, 3, 5, 2)
    check_close(sub.mlp_forward(X, params), forward_oracle(X, params), name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    for X_bad, params_bad in misfit_networks(rng):
        check_raises(ValueError, sub.mlp_forward, X_bad, params_bad)


# -- mlp_backward ---------------------------------------------------------------------------
@pytest.mark.points(4)
def test_mlp_backward_matches_finite_differences(sub, rng):
    """mlp_backward: each gradient agrees with centred differences of your forward's loss (N = 1 too)"""
    for n, d, h, c in ((1, 3, 4, 2), (5, 4, 6, 3), (8, 3, 5, 4), (2, 5, 3, 3)):
        X, labels, params, _ = draw_network(rng, n, d, h, c)
        expected = differences_of_forward(sub, X, labels, params)
        grads = sub.mlp_backward(X, one_hot_oracle(labels, c), params)
        check_gradient(grads, expected, name=sub.last_call, expected_from=FROM_YOUR_FORWARD)


@pytest.mark.points(2)
def test_mlp_backward_relu_at_zero(sub, rng):
    """mlp_backward: relu's derivative at exactly 0 is 0 (a unit whose Z1 is 0 passes no gradient)"""
    for n, d, h, c, dead_units in ((4, 3, 5, 3, 2), (1, 2, 4, 2, 1), (6, 2, 3, 4, 1)):
        X, labels, params, dead = draw_network(rng, n, d, h, c, dead_units=dead_units)
        expected = differences_of_forward(sub, X, labels, params)
        # Centred differences straddle the kink there (half the slope): relu'(0) = 0 instead.
        expected["W1"][:, dead] = 0.0
        expected["b1"][dead] = 0.0
        grads = sub.mlp_backward(X, one_hot_oracle(labels, c), params)
        check_gradient(grads, expected, name=sub.last_call,
                       expected_from=msg("lec05_neural_networks.from_your_forward_dead_units",
                                         source=FROM_YOUR_FORWARD,
                                         units=str(dead.tolist())))  # fmt: skip


@pytest.mark.points(1)
def test_mlp_backward_shapes(sub, rng):
    """mlp_backward: gradients of the parameters' shapes; Y or parameters that do not fit raise ValueError"""
    n, d, h, c = 5, 3, 4, 3
    X, labels, params, _ = draw_network(rng, n, d, h, c)
    Y = one_hot_oracle(labels, c)
    expected = differences_of_forward(sub, X, labels, params)
    grads = sub.mlp_backward(X, Y, params)
    check_gradient(grads, expected, name=sub.last_call, expected_from=FROM_YOUR_FORWARD)
    for key in PARAMETERS:
        check_shape(grads[key], params[key].shape, name=f"{sub.last_call}[{key!r}]",
                    require_ndarray=True)  # fmt: skip
    for Y_bad in (one_hot_oracle(labels, c + 1), Y[:-1], Y[:, :1], Y[:1], Y[0]):
        check_raises(ValueError, sub.mlp_backward, X, Y_bad, params)
    for X_bad, params_bad in misfit_networks(rng):
        n_bad = X_bad.shape[0] if X_bad.ndim == 2 else 1
        Y_bad = one_hot_oracle(random_labels(rng, n_bad, params_bad["W2"].shape[-1]),
                               params_bad["W2"].shape[-1])  # fmt: skip
        check_raises(ValueError, sub.mlp_backward, X_bad, Y_bad, params_bad)
