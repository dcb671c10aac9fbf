"""Known mistakes of lec10_rnn and the hint each gets (see autograder/hints.py)."""

import numpy as np

from autograder.hints import Hint, where_it_differs
from autograder.i18n import msg


def _arrays(X, h0, Wx, Wh, b):
    X, h0, Wx, Wh, b = (np.asarray(a, dtype=float) for a in (X, h0, Wx, Wh, b))
    if X.ndim != 2 or len(X) < 1 or Wx.ndim != 2 or len(Wx) != X.shape[1]:
        raise ValueError("the reference raises: no mistake to name")
    H = Wx.shape[1]
    if h0.shape != (H,) or Wh.shape != (H, H) or b.shape != (H,):
        raise ValueError("the reference raises: no mistake to name")
    return X, h0, Wx, Wh, b


def _forward(X, h0, Wx, Wh, b, *, from_h0=True):
    """rnn_forward's states; from_h0=False starts the recurrence from 0 instead of h0."""
    X, h0, Wx, Wh, b = _arrays(X, h0, Wx, Wh, b)
    states = np.zeros((len(X), len(h0)))
    h = h0 if from_h0 else np.zeros(len(h0))
    for t in range(len(X)):
        h = np.tanh(X[t] @ Wx + h @ Wh + b)
        states[t] = h
    return states


def _backward(X, h0, Wx, Wh, b, dH, *, through_time=True, tanh_prime=lambda h: 1 - h**2,
              dwh_from_h_t=False, with_dh0=True):  # fmt: skip
    """rnn_backward as the reference computes it, with one of its known mistakes switched on."""
    X, h0, Wx, Wh, b = _arrays(X, h0, Wx, Wh, b)
    states = _forward(X, h0, Wx, Wh, b)
    dH = np.asarray(dH, dtype=float)
    if dH.shape != states.shape:
        raise ValueError("the reference raises: no mistake to name")
    previous = np.vstack([h0, states[:-1]])
    dA = np.zeros(states.shape)
    dh = np.zeros(len(h0))
    for t in reversed(range(len(states))):
        dA[t] = (dH[t] + (dh if through_time else 0.0)) * tanh_prime(states[t])
        dh = dA[t] @ Wh.T
    return {"dX": dA @ Wx.T, "dh0": dh if with_dh0 else np.zeros(len(h0)), "dWx": X.T @ dA,
            "dWh": (states if dwh_from_h_t else previous).T @ dA, "db": dA.sum(axis=0)}  # fmt: skip


def _norms(X, h0, Wx, Wh, b, *, tanh_derivative=True, reversed_order=False):
    """bptt_gradient_norms without tanh's derivative in the Jacobians, or in reversed order."""
    states = _forward(X, h0, Wx, Wh, b)
    Wh = np.asarray(Wh, dtype=float)
    J = np.eye(states.shape[1])
    norms = np.zeros(len(states))
    for t in reversed(range(len(states))):
        norms[t] = np.linalg.norm(J, 2)
        J = J @ (((1 - states[t] ** 2)[:, None] * Wh.T) if tanh_derivative else Wh.T)
    return norms[::-1] if reversed_order else norms


HINTS = [
    Hint("rnn_forward", msg("lec10_rnn.hint_forward_ignores_h0"),
         where_it_differs(lambda X, h0, Wx, Wh, b: _forward(X, h0, Wx, Wh, b, from_h0=False),
                          _forward),
         "lec10_forward_ignores_h0"),
    Hint("rnn_backward", msg("lec10_rnn.hint_bptt_one_step"),
         where_it_differs(lambda *args: _backward(*args, through_time=False), _backward),
         "lec10_bptt_one_step"),
    Hint("rnn_backward", msg("lec10_rnn.hint_tanh_derivative_linear"),
         where_it_differs(lambda *args: _backward(*args, tanh_prime=lambda h: 1 - h), _backward),
         "lec10_tanh_derivative_linear"),
    Hint("rnn_backward", msg("lec10_rnn.hint_dwh_wrong_state"),
         where_it_differs(lambda *args: _backward(*args, dwh_from_h_t=True), _backward),
         "lec10_dwh_wrong_state"),
    Hint("rnn_backward", msg("lec10_rnn.hint_dh0_missing"),
         where_it_differs(lambda *args: _backward(*args, with_dh0=False), _backward),
         "lec10_dh0_missing"),
    Hint("bptt_gradient_norms", msg("lec10_rnn.hint_norms_no_tanh_derivative"),
         where_it_differs(lambda *args: _norms(*args, tanh_derivative=False), _norms),
         "lec10_norms_no_tanh_derivative"),
    Hint("bptt_gradient_norms", msg("lec10_rnn.hint_norms_reversed"),
         where_it_differs(lambda *args: _norms(*args, reversed_order=True), _norms),
         "lec10_norms_reversed"),
]  # fmt: skip
