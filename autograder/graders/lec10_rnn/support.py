"""Helpers shared by the public and hidden tests of lec10_rnn: plain numpy oracles of the recurrence
and of its Jacobians, sequences drawn for the checks, and the loss the trusted test computes from a
forward pass."""

import numpy as np

from autograder.checks import check_close, check_shape
from autograder.i18n import msg
from autograder.numerics import FD_STEP, differences_of_calls

INPUTS = ("X", "h0", "Wx", "Wh", "b")
"""rnn_forward's arguments, in order; rnn_backward's gradients are these names with a "d"."""
WEIGHT_SCALE = 0.5
"""Scale of the weights drawn for gradient checks: with N(0, 0.5²) weights the pre-activations are
of size ~1, so tanh is neither linear (1 - h² ~ 1, which would hide a wrong derivative) nor
saturated (1 - h² ~ 0, which would hide everything)."""
ORDER_RTOL = 1e-9
"""Slack of the vanishing test's bound ||dh_{T-1}/dh_t|| <= s ||dh_{T-1}/dh_{t+1}||: it holds
exactly (s = ||Wh||_2 and |1 - h²| <= 1), so only rounding (~1e-15 relative) may exceed it."""


def gradient_keys():
    """The keys of rnn_backward's dict, in the order of rnn_forward's arguments."""
    return tuple("d" + name for name in INPUTS)


def forward_oracle(X, h0, Wx, Wh, b):
    """The states h_0, ..., h_{T-1}, one step at a time with einsum (h_{-1} = h0)."""
    states = [np.asarray(h0, dtype=float)]
    for x in np.asarray(X, dtype=float):
        pre = np.einsum("d,dk->k", x, Wx) + np.einsum("j,jk->k", states[-1], Wh) + b
        states.append(np.tanh(pre))
    return np.array(states[1:])


def weighted_sum(states, dH):
    """L = sum over t and k of states[t, k] * dH[t, k], whose gradient in the states is dH."""
    return float(np.einsum("tk,tk->", np.asarray(states, dtype=float), dH))


def jacobian_norms_oracle(X, h0, Wx, Wh, b):
    """||dh_{T-1}/dh_t||_2 for every t, each Jacobian built forward in time from the identity
    (M <- diag(1 - h_s²) Wh^T M for s = t+1, ..., T-1), its norm the largest singular value."""
    states = forward_oracle(X, h0, Wx, Wh, b)
    T, H = states.shape
    norms = []
    for t in range(T):
        M = np.identity(H)
        for s in range(t + 1, T):
            M = np.einsum("i,ji,jk->ik", 1.0 - states[s] ** 2, Wh, M)
        norms.append(np.linalg.svd(M, compute_uv=False).max())
    return np.array(norms)


def jacobian_norms_by_differences(X, h0, Wx, Wh, b, *, h=FD_STEP):
    """The same norms from centred differences: h_t moved by ±h along each axis, the steps
    t+1, ..., T-1 run again from there, and column j of dh_{T-1}/dh_t is the change of h_{T-1}."""
    X = np.asarray(X, dtype=float)
    states = forward_oracle(X, h0, Wx, Wh, b)
    T, H = states.shape
    norms = []
    for t in range(T):
        if t == T - 1:  # no steps left: h_{T-1} is h_t itself
            norms.append(1.0)
            continue
        columns = []
        for j in range(H):
            step = h * np.identity(H)[j]
            ends = [forward_oracle(X[t + 1 :], states[t] + s, Wx, Wh, b)[-1] for s in (step, -step)]
            columns.append((ends[0] - ends[1]) / (2 * h))
        norms.append(np.linalg.svd(np.column_stack(columns), compute_uv=False).max())
    return np.array(norms)


def draw_sequence(rng, T, D, H, *, scale=WEIGHT_SCALE):
    """A dict X (T, D), h0 (H,), Wx (D, H), Wh (H, H), b (H,) of random values (rnn_forward's
    arguments, in order), weights of size ``scale``."""
    return {
        "X": rng.normal(size=(T, D)),
        "h0": rng.normal(size=H),
        "Wx": scale * rng.normal(size=(D, H)),
        "Wh": scale * rng.normal(size=(H, H)),
        "b": 0.5 * rng.normal(size=H),
    }


def random_orthogonal(rng, H):
    """An (H, H) orthogonal matrix (every singular value 1), from the QR factorisation."""
    Q, R = np.linalg.qr(rng.normal(size=(H, H)))
    return Q * np.sign(np.diag(R))


def misfit_inputs(rng):
    """rnn_forward's arguments (X, h0, Wx, Wh, b) of unseen sizes (H >= 2), each tuple with one
    shape that does not fit: X 1-D, 3-D, with no rows (T = 0) or too many columns; h0 or b of
    shape (1,), of another length or 2-D; Wx of another shape or 1-D; Wh not (H, H) or 1-D."""
    T, D, H = int(rng.integers(2, 6)), int(rng.integers(1, 5)), int(rng.integers(2, 6))
    base = draw_sequence(rng, T, D, H)
    wrong = [
        ("X", rng.normal(size=D)), ("X", rng.normal(size=(1, T, D))), ("X", np.zeros((0, D))),
        ("X", rng.normal(size=(T, D + 1))),
        ("h0", rng.normal(size=1)), ("h0", rng.normal(size=H + 1)), ("h0", rng.normal(size=(1, H))),
        ("Wx", rng.normal(size=(D + 1, H))), ("Wx", rng.normal(size=D)),
        ("Wx", rng.normal(size=(D, H, 1))),
        ("Wh", rng.normal(size=(H, H + 1))), ("Wh", rng.normal(size=(H + 1, H))),
        ("Wh", rng.normal(size=H)),
        ("b", rng.normal(size=1)), ("b", rng.normal(size=H + 1)), ("b", rng.normal(size=(1, H))),
    ]  # fmt: skip
    return [tuple({**base, key: value}.values()) for key, value in wrong]


def differences_of_forward(sub, inputs, dH, *, h=FD_STEP):
    """Centred differences of L = sum(rnn_forward(...) * dH) of the submission's own forward pass,
    with respect to every argument, keyed as rnn_backward's gradients (dX, dh0, dWx, dWh, db).

    The submission computes only rnn_forward's states: at ``inputs`` (which must be right, or the
    gradient of a wrong function would be checked: a forward pass that ignores h0 has a zero dh0)
    and at every perturbed copy of them, in one batched call. The losses and the differences are
    computed here.
    """
    args = tuple(inputs[name] for name in INPUTS)
    T, H = len(inputs["X"]), len(inputs["h0"])
    states = sub.rnn_forward(*args)
    check_close(states, forward_oracle(*args), name=sub.last_call, require_ndarray=True)
    ordered = {key: inputs[key] for key in INPUTS}

    def loss(out):  # sub.last_call names the batch here, after it ran
        check_shape(out, (T, H), name=msg("lec10_rnn.forward_moved", call=sub.last_call, h=h))
        return weighted_sum(out, dH)

    grads = differences_of_calls(sub.rnn_forward, ordered, lambda p: tuple(p.values()), loss, h=h)
    return {"d" + key: value for key, value in grads.items()}


FROM_YOUR_FORWARD = msg("lec10_rnn.from_your_forward", h=FD_STEP)
