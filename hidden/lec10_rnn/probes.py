"""Probe inputs of lec10_rnn for `aimath mutants`: inputs only, never expected values.

A mutant that survives the graders and its reference are both called on every input below, each
in a sandboxed worker, and what they return (or raise) is compared. The inputs are numpy arrays
of floats and of small integers (not lists, NaN or infinity), on which the reference's behaviour
is the specification: sequences of several lengths (T = 1, 2 and long ones) and sizes (D = 1,
H = 1, D = H, D != H), small, moderate and saturating weights, states that are exactly 0 (X = 0,
h0 = 0, b = 0), losses on every step, on one step only and sparse, integer inputs, and arguments
the reference rejects (ValueError): no rows, 1-D and 3-D arrays, shapes that do not fit and ones
that numpy would broadcast (b, h0 or dH of shape (1,) or (H,)).
"""

import numpy as np


def _sequence(rng, T, D, H, scale=0.7):
    return (rng.normal(size=(T, D)), rng.normal(size=H), scale * rng.normal(size=(D, H)),
            scale * rng.normal(size=(H, H)), 0.5 * rng.normal(size=H))  # fmt: skip


def probes(rng):
    """(function name, args, kwargs) for every function of lec10_rnn."""
    out = []
    sequences = [_sequence(rng, T, D, H, scale) for T, D, H, scale in (
        (1, 3, 2, 0.7), (2, 2, 3, 0.7), (4, 3, 3, 0.7), (5, 1, 1, 1.0), (6, 2, 4, 0.2),
        (8, 3, 2, 3.0), (20, 2, 3, 0.9), (1, 1, 1, 0.5), (3, 4, 2, 1.5),
    )]  # fmt: skip
    H = 3
    Q = np.linalg.qr(rng.normal(size=(H, H)))[0]
    for a in (0.5, 1.0, 1.7):
        sequences.append((np.zeros((6, 2)), np.zeros(H), rng.normal(size=(2, H)), a * Q,
                          np.zeros(H)))  # fmt: skip
    sequences.append((rng.integers(-2, 3, size=(4, 2)), rng.integers(-1, 2, size=3),
                      rng.integers(-1, 2, size=(2, 3)), rng.integers(-1, 2, size=(3, 3)),
                      rng.integers(-1, 2, size=3)))  # fmt: skip
    for args in sequences:
        T, H = len(args[0]), len(args[1])
        out.append(("rnn_forward", args, {}))
        out.append(("bptt_gradient_norms", args, {}))
        out.append(("rnn_backward", (*args, rng.normal(size=(T, H))), {}))
        last = np.zeros((T, H))
        last[-1] = rng.normal(size=H)
        first = np.zeros((T, H))
        first[0] = rng.normal(size=H)
        out.append(("rnn_backward", (*args, last), {}))
        out.append(("rnn_backward", (*args, first), {}))
    out.append(("rnn_backward", (*sequences[-1], rng.integers(-2, 3, size=(4, 3))), {}))
    # Arguments that do not fit: for every function, one wrong shape at a time.
    X, h0, Wx, Wh, b = _sequence(rng, 4, 2, 3)
    misfits = [
        (X[0], h0, Wx, Wh, b), (X[None], h0, Wx, Wh, b), (X[:0], h0, Wx, Wh, b),
        (X[:, :1], h0, Wx, Wh, b), (np.hstack([X, X]), h0, Wx, Wh, b),
        (X, h0[:1], Wx, Wh, b), (X, np.zeros(4), Wx, Wh, b), (X, h0[None], Wx, Wh, b),
        (X, h0, Wx[:1], Wh, b), (X, h0, Wx[0], Wh, b), (X, h0, Wx[..., None], Wh, b),
        (X, h0, Wx, Wh[:, :2], b), (X, h0, Wx, Wh[:2], b), (X, h0, Wx, Wh[0], b),
        (X, h0, Wx, Wh[..., None], b),
        (X, h0, Wx, Wh, b[:1]), (X, h0, Wx, Wh, np.zeros(4)), (X, h0, Wx, Wh, b[None]),
        (X, h0[:1], Wx, Wh, b[:1]),
    ]  # fmt: skip
    dH = rng.normal(size=(4, 3))
    for bad in misfits:
        out.append(("rnn_forward", bad, {}))
        out.append(("bptt_gradient_norms", bad, {}))
        out.append(("rnn_backward", (*bad, dH), {}))
    for dH_bad in (dH[:3], dH[:, :2], dH[:1], dH[0], dH.ravel(), dH[None], dH.T, np.zeros((5, 3))):
        out.append(("rnn_backward", (X, h0, Wx, Wh, b, dH_bad), {}))
    one = _sequence(rng, 1, 2, 3)
    out.append(("rnn_backward", (*one, rng.normal(size=3)), {}))
    out.append(("rnn_backward", (*one, rng.normal(size=(1, 1))), {}))
    return out
