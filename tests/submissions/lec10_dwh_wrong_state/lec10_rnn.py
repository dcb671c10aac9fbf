"""AI Math 10강: RNN 첫걸음 (golden mistake: dWh from h_t instead of h_{t-1})

A recurrent neural network (RNN) on a sequence: its forward pass, backpropagation through time
(BPTT), and the norms of the Jacobians that BPTT multiplies, which show the vanishing (and
exploding) gradient.
"""

import numpy as np


def rnn_forward(
    X: np.ndarray, h0: np.ndarray, Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray
) -> np.ndarray:
    """AI Math 10강: RNN 첫걸음: RNN의 순전파.

    The hidden states of a recurrent network with tanh, step after step (row vectors, as in the
    lecture's H_t = tanh(X_t W_X + H_{t-1} W_H + b)):
        h_t = tanh(x_t Wx + h_{t-1} Wh + b),  t = 0, ..., T-1,  with h_{-1} = h0
    The same weights Wx, Wh and b are used at every step.

    Args:
        X: array of shape (T, D), the sequence: row t is the input x_t (T >= 1).
        h0: array of shape (H,), the state before the first step (h_{-1}).
        Wx: array of shape (D, H), the input-to-hidden weights.
        Wh: array of shape (H, H), the hidden-to-hidden weights.
        b: array of shape (H,), the bias.
    Returns:
        ndarray of shape (T, H): row t is h_t.
    Raises:
        ValueError: if X is not 2-D or has no rows (T = 0), or Wx, Wh, b, h0 do not have the
            shapes above (b or h0 of shape (1,), which numpy would broadcast, included).
    """
    X, h0, Wx, Wh, b = (np.asarray(a, dtype=float) for a in (X, h0, Wx, Wh, b))
    if X.ndim != 2 or len(X) < 1 or Wx.ndim != 2 or len(Wx) != X.shape[1]:
        raise ValueError(
            f"rnn_forward: X must be (T, D) with T >= 1 and Wx (D, H), got shapes {X.shape} "
            f"and {Wx.shape}"
        )
    H = Wx.shape[1]
    if h0.shape != (H,) or Wh.shape != (H, H) or b.shape != (H,):
        raise ValueError(
            f"rnn_forward: for Wx {Wx.shape}, h0, Wh, b must have shapes {(H,)}, {(H, H)}, "
            f"{(H,)}, got {h0.shape}, {Wh.shape}, {b.shape}"
        )
    A = X @ Wx + b  # x_t Wx + b for every step at once
    states = np.zeros((len(X), H))
    h = h0
    for t in range(len(X)):
        h = np.tanh(A[t] + h @ Wh)
        states[t] = h
    return states


def rnn_backward(
    X: np.ndarray, h0: np.ndarray, Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray, dH: np.ndarray
) -> dict:
    """AI Math 10강: RNN 첫걸음: BPTT (Backpropagation Through Time).

    The gradients of a loss L whose direct gradient with respect to every state is given,
    dH[t] = dL/dh_t (as for L = sum(rnn_forward(X, h0, Wx, Wh, b) * dH)), by backpropagation
    through time. Going back from t = T-1 to 0, the gradient reaching h_t is dH[t] plus what flows
    back from h_{t+1}, and passes through tanh (tanh' = 1 - tanh²) to the pre-activation
    a_t = x_t Wx + h_{t-1} Wh + b:
        da_t = (dH[t] + da_{t+1} Wh^T) * (1 - h_t²)      (da_T = 0)
        dX[t] = da_t Wx^T,   dh0 = da_0 Wh^T
        dWx = sum_t x_t^T da_t,   dWh = sum_t h_{t-1}^T da_t,   db = sum_t da_t
    where h_t are rnn_forward's states and h_{-1} = h0. The weights are shared by all steps, so
    their gradients add up over time.

    Args:
        X: array of shape (T, D), the sequence (T >= 1).
        h0: array of shape (H,), the state before the first step.
        Wx: array of shape (D, H), Wh: array of shape (H, H), b: array of shape (H,).
        dH: array of shape (T, H), row t is dL/dh_t (the loss's direct gradient at step t).
    Returns:
        dict with keys dX (T, D), dh0 (H,), dWx (D, H), dWh (H, H), db (H,): the gradients of L.
    Raises:
        ValueError: if the shapes do not fit (as in rnn_forward), or dH is not of shape (T, H).
    """
    states = rnn_forward(X, h0, Wx, Wh, b)
    dH = np.asarray(dH, dtype=float)
    if dH.shape != states.shape:
        raise ValueError(f"rnn_backward: dH must have shape {states.shape} (T, H), got {dH.shape}")
    previous = np.vstack([h0, states[:-1]])  # h_{t-1} for every step
    dA = np.zeros(states.shape)
    dh = np.zeros(states.shape[1])  # what flows back from h_{t+1} into h_t
    for t in reversed(range(len(states))):
        dA[t] = (dH[t] + dh) * (1 - states[t] ** 2)
        dh = dA[t] @ Wh.T
    return {"dX": dA @ Wx.T, "dh0": dh, "dWx": X.T @ dA, "dWh": states.T @ dA,
            "db": dA.sum(axis=0)}  # fmt: skip


def bptt_gradient_norms(
    X: np.ndarray, h0: np.ndarray, Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray
) -> np.ndarray:
    """AI Math 10강: RNN 첫걸음: 기울기 소실 (vanishing gradient).

    BPTT multiplies the Jacobians of the steps: in column convention,
        dh_{T-1}/dh_t = prod_{s=t+1}^{T-1} dh_s/dh_{s-1},   dh_s/dh_{s-1} = diag(1 - h_s²) Wh^T
    Entry t is the spectral norm (largest singular value, np.linalg.norm(J, 2)) of
    J = dh_{T-1}/dh_t, where h_t is row t of rnn_forward's output; the last entry is 1 (the
    identity). With a small Wh the norms shrink geometrically going back in time (the vanishing
    gradient), with a large one they can grow (exploding).

    Args:
        X: array of shape (T, D), the sequence (T >= 1).
        h0: array of shape (H,), Wx: array of shape (D, H), Wh: array of shape (H, H),
        b: array of shape (H,), as in rnn_forward.
    Returns:
        ndarray of shape (T,): entry t is ||dh_{T-1}/dh_t||_2.
    Raises:
        ValueError: if the shapes do not fit (as in rnn_forward).
    """
    states = rnn_forward(X, h0, Wx, Wh, b)
    J = np.eye(states.shape[1])  # dh_{T-1}/dh_{T-1}
    norms = np.zeros(len(states))
    for t in reversed(range(len(states))):
        norms[t] = np.linalg.norm(J, 2)
        J = J @ ((1 - states[t] ** 2)[:, None] * Wh.T)  # times dh_t/dh_{t-1}
    return norms
