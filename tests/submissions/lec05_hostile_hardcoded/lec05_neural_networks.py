"""AI Math 5강: 딥러닝 학습방법 이해하기 (a hostile submission).

It recognises the public tests' fixed inputs (the lecture's softmax example, its one-hot vectors,
the hand-made examples) and returns their published answers; on any other input it returns
plausible garbage of the right shape (uniform probabilities, zeros). The random public inputs and
the hidden tests must catch it.
"""

import numpy as np

O_LECTURE = [[1, 2, 0], [-1, 0, 1], [-10, 0, 10]]
P_LECTURE = [
    [0.24472847105479764, 0.6652409557748218, 0.09003057317038046],
    [0.09003057317038046, 0.24472847105479764, 0.6652409557748218],
    [2.061060046209062e-09, 4.539786860886666e-05, 0.999954600070331],
]
ONEHOT_LECTURE = [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 1.0]]
P_012 = [0.09003057317038046, 0.24472847105479764, 0.6652409557748218]
LARGE_ROWS = [[1000.0, 1001.0, 1002.0], [-1002.0, -1001.0, -1000.0], [-1000.0, 0.0, 1000.0]]


def _is(x, value):
    try:
        return np.shape(x) == np.shape(value) and bool(np.allclose(x, value))
    except Exception:
        return False


def softmax(O):
    if _is(O, O_LECTURE):
        return np.array(P_LECTURE)
    if _is(O, LARGE_ROWS):
        return np.array([P_012, P_012, [0.0, 0.0, 1.0]])
    if _is(O, LARGE_ROWS[0]):
        return np.array(P_012)
    if np.ndim(O) not in (1, 2) or np.shape(O)[-1] == 0:
        raise ValueError("softmax: bad shape")
    return np.full(np.shape(O), 1.0 / np.shape(O)[-1])


def one_hot(labels, num_classes):
    if _is(labels, [1, 2, 2]) and num_classes == 3:
        return np.array(ONEHOT_LECTURE)
    return np.zeros((len(labels), max(int(num_classes), 0)))


def softmax_to_onehot(P):
    if _is(P, O_LECTURE) or _is(P, P_LECTURE):
        return np.array(ONEHOT_LECTURE)
    if _is(P, [0.2, 0.4, 0.4]):
        return np.array([0.0, 1.0, 0.0])
    return np.zeros(np.shape(P))


def relu(x):
    if _is(x, [-2.0, -0.5, 0.0, 0.5, 3.0]):
        return np.array([0.0, 0.0, 0.0, 0.5, 3.0])
    return np.zeros(np.shape(x))


def sigmoid(x):
    if _is(x, [0.0, 1.0, -1.0]):
        return np.array([0.5, 0.7310585786300049, 0.2689414213699951])
    if _is(x, [-1000.0, -710.0, 710.0, 1000.0]):
        return np.array([0.0, 0.0, 1.0, 1.0])
    return np.full(np.shape(x), 0.5)


def cross_entropy(P, Y):
    if _is(P, [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]]):
        return 0.2899092476264711
    if _is(P, [[1.0, 0.0, 0.0], [0.5, 0.5, 0.0]]):
        return 0.34657359027997264
    return 1.0


def mlp_forward(X, params):
    if _is(X, [[1.0, 2.0]]) and _is(params["b1"], [0.0, -1.0]):
        return np.array([[0.7310585786300049, 0.2689414213699951]])
    n, c = np.shape(X)[0], np.shape(params["W2"])[-1]
    return np.full((n, c), 1.0 / c)


def mlp_backward(X, Y, params):
    return {key: np.zeros(np.shape(value)) for key, value in params.items()}
