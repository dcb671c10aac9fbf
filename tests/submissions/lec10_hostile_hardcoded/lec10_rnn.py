"""AI Math 10강: RNN 첫걸음 (a hostile submission).

It recognises the public tests' fixed inputs (the hand-worked forward and backward examples, and
X = 0, h0 = 0, b = 0 with Wh = 2 I over four steps) and returns their published answers; it checks
the shapes of its arguments as the contract asks, and on any other valid input it returns
plausible garbage of the right shape (each step without the recurrence, zero gradients, norms of
1). The random public inputs and the hidden tests must catch it.
"""

import numpy as np

X_EXAMPLE = [[1.0, 0.0, 2.0], [0.0, -1.0, 1.0]]
H0_EXAMPLE = [1.0, -1.0]
H_FIRST = [0.9051482536448665, -0.9640275800758169]
STATES_EXAMPLE = [H_FIRST, [0.6059991357816328, -0.9832538223516359]]
G = 0.41997434161402614
GRADIENTS_EXAMPLE = {
    "dX": [[-0.5 * G], [0.5 * G]], "dh0": [G], "dWx": [[G]], "dWh": [[-0.5 * G]], "db": [0.0],
}


def _is(x, value):
    try:
        return np.shape(x) == np.shape(value) and bool(np.allclose(x, value))
    except Exception:
        return False


def _check(X, h0, Wx, Wh, b):
    X, h0, Wx, Wh, b = (np.asarray(a, dtype=float) for a in (X, h0, Wx, Wh, b))
    if X.ndim != 2 or len(X) < 1 or Wx.ndim != 2 or len(Wx) != X.shape[1]:
        raise ValueError("bad X or Wx")
    H = Wx.shape[1]
    if h0.shape != (H,) or Wh.shape != (H, H) or b.shape != (H,):
        raise ValueError("bad h0, Wh or b")
    return X, h0, Wx, Wh, b


def rnn_forward(X, h0, Wx, Wh, b):
    X, h0, Wx, Wh, b = _check(X, h0, Wx, Wh, b)
    if _is(X, X_EXAMPLE) and _is(h0, H0_EXAMPLE):
        return np.array(STATES_EXAMPLE)
    return np.tanh(X @ Wx + b)  # no recurrence at all


def rnn_backward(X, h0, Wx, Wh, b, dH):
    X, h0, Wx, Wh, b = _check(X, h0, Wx, Wh, b)
    if np.shape(dH) != (len(X), len(h0)):
        raise ValueError("bad dH")
    if _is(X, [[1.0], [2.0]]) and _is(h0, [0.5]) and _is(Wh, [[-1.0]]):
        return {key: np.array(value) for key, value in GRADIENTS_EXAMPLE.items()}
    return {"dX": np.zeros(X.shape), "dh0": np.zeros(h0.shape), "dWx": np.zeros(Wx.shape),
            "dWh": np.zeros(Wh.shape), "db": np.zeros(b.shape)}


def bptt_gradient_norms(X, h0, Wx, Wh, b):
    X, h0, Wx, Wh, b = _check(X, h0, Wx, Wh, b)
    if len(X) == 4 and not X.any() and _is(Wh, 2.0 * np.identity(2)):
        return np.array([8.0, 4.0, 2.0, 1.0])
    return np.ones(len(X))
