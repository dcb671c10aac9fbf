"""Hidden tests for lec10_rnn: unseen lengths, sizes and weights (saturating ones, long sequences,
integers), compared with the reference; the backward pass also with centred differences of the
reference's forward pass."""

import numpy as np
import pytest

from autograder.checks import (
    GRADIENT_MATCH_ATOL,
    GRADIENT_MATCH_MAX_ERROR,
    check_close,
    check_gradient,
    check_raises,
)
from autograder.graders.lec10_rnn.support import INPUTS, draw_sequence, misfit_inputs
from autograder.numerics import numerical_gradient

pytestmark = pytest.mark.hidden

FROM_REFERENCE = "the reference's backpropagation through time"
# Two analytic gradients computed in another order agree to rounding.
MATCH = {"max_error": GRADIENT_MATCH_MAX_ERROR, "atol": GRADIENT_MATCH_ATOL}


def args_of(inputs):
    return tuple(inputs[name] for name in INPUTS)


def loss_of(forward, dH):
    """The trusted loss inputs -> sum(forward(*inputs) * dH)."""
    return lambda inputs: float(np.sum(forward(*args_of(inputs)) * dH))


def integer_sequence(rng, T, D, H):
    return (rng.integers(-3, 4, size=(T, D)), rng.integers(-2, 3, size=H),
            rng.integers(-1, 2, size=(D, H)), rng.integers(-1, 2, size=(H, H)),
            rng.integers(-1, 2, size=H))  # fmt: skip


@pytest.mark.points(2)
def test_hidden_rnn_forward(sub, ref, rng):
    """rnn_forward: unseen sequences (T = 1, long ones, saturating weights, integers)"""
    for T, D, H, scale in ((1, 5, 2, 1.0), (2, 1, 6, 0.4), (30, 3, 4, 0.9), (7, 2, 3, 4.0),
                           (1, 1, 1, 2.0), (10, 6, 1, 0.7)):  # fmt: skip
        args = args_of(draw_sequence(rng, T, D, H, scale=scale))
        check_close(sub.rnn_forward(*args), ref.rnn_forward(*args), name=sub.last_call,
                    require_ndarray=True)  # fmt: skip
    args = integer_sequence(rng, 5, 3, 4)
    check_close(sub.rnn_forward(*args), ref.rnn_forward(*args), name=sub.last_call,
                require_ndarray=True)  # fmt: skip


@pytest.mark.points(4)
def test_hidden_rnn_backward(sub, ref, rng):
    """rnn_backward: unseen sequences (T = 1 too) match the reference and its centred differences"""
    for T, D, H in ((1, 4, 3), (3, 2, 5), (6, 1, 2), (2, 3, 3), (5, 4, 1)):
        inputs = draw_sequence(rng, T, D, H)
        dH = rng.normal(size=(T, H))
        grads = sub.rnn_backward(*args_of(inputs), dH)
        numerical = numerical_gradient(loss_of(ref.rnn_forward, dH), inputs)
        check_gradient(grads, {"d" + k: v for k, v in numerical.items()}, name=sub.last_call,
                       expected_from="centred differences of the reference's forward "
                       "pass")  # fmt: skip
        check_gradient(grads, ref.rnn_backward(*args_of(inputs), dH), name=sub.last_call,
                       **MATCH, expected_from=FROM_REFERENCE)  # fmt: skip


@pytest.mark.points(2)
def test_hidden_rnn_backward_long(sub, ref, rng):
    """rnn_backward: unseen long sequences, sparse losses, saturating and integer weights"""
    for T, D, H, scale in ((25, 3, 4, 0.6), (40, 2, 3, 0.9), (12, 3, 5, 2.5)):
        inputs = draw_sequence(rng, T, D, H, scale=scale)
        dH = rng.normal(size=(T, H)) * (rng.random(size=(T, 1)) < 0.3)
        dH[-1] = rng.normal(size=H)
        args = args_of(inputs)
        check_gradient(sub.rnn_backward(*args, dH), ref.rnn_backward(*args, dH),
                       name=sub.last_call, **MATCH, expected_from=FROM_REFERENCE)  # fmt: skip
    args = integer_sequence(rng, 6, 2, 3)
    dH = rng.integers(-2, 3, size=(6, 3))
    check_gradient(sub.rnn_backward(*args, dH), ref.rnn_backward(*args, dH), name=sub.last_call,
                   **MATCH, expected_from=FROM_REFERENCE)  # fmt: skip


@pytest.mark.points(3)
def test_hidden_bptt_gradient_norms(sub, ref, rng):
    """bptt_gradient_norms: unseen sequences with small, moderate and large Wh (T = 1, long, integers)"""
    for T, D, H, scale in ((1, 3, 4, 1.0), (7, 2, 5, 0.2), (15, 3, 3, 0.6), (10, 2, 4, 1.5),
                           (4, 1, 1, 2.0), (20, 4, 6, 0.45)):  # fmt: skip
        args = args_of(draw_sequence(rng, T, D, H, scale=scale))
        check_close(sub.bptt_gradient_norms(*args), ref.bptt_gradient_norms(*args),
                    name=sub.last_call, require_ndarray=True)  # fmt: skip
    T, H = 7, 3
    Wh = rng.uniform(1.1, 1.5) * np.linalg.qr(rng.normal(size=(H, H)))[0]
    args = (0.05 * rng.normal(size=(T, 2)), np.zeros(H), rng.normal(size=(2, H)), Wh, np.zeros(H))
    check_close(sub.bptt_gradient_norms(*args), ref.bptt_gradient_norms(*args), name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    args = integer_sequence(rng, 5, 2, 3)
    check_close(sub.bptt_gradient_norms(*args), ref.bptt_gradient_norms(*args), name=sub.last_call,
                require_ndarray=True)  # fmt: skip


@pytest.mark.points(1)
def test_hidden_misfits(sub, ref, rng):
    """rnn_forward, rnn_backward, bptt_gradient_norms: unseen misfit arguments raise ValueError"""
    T, D, H = (int(k) for k in rng.integers(2, 6, size=3))
    inputs = draw_sequence(rng, T, D, H)
    dH = rng.normal(size=(T, H))
    check_gradient(sub.rnn_backward(*args_of(inputs), dH), ref.rnn_backward(*args_of(inputs), dH),
                   name=sub.last_call, **MATCH, expected_from=FROM_REFERENCE)  # fmt: skip
    for dH_bad in (dH[:, :1], dH[:1], np.hstack([dH, dH]), dH[..., None]):
        check_raises(ValueError, sub.rnn_backward, *args_of(inputs), dH_bad)
    for bad in misfit_inputs(rng):
        check_raises(ValueError, sub.rnn_forward, *bad)
        check_raises(ValueError, sub.bptt_gradient_norms, *bad)
    X, h0, Wx, Wh, b = args_of(inputs)
    for bad in ((X, h0, Wx, Wh, np.zeros(1)), (X, np.zeros(1), Wx, Wh, b), (X[:0], h0, Wx, Wh, b),
                (X, h0, Wx, Wh[:, :1], b), (X, h0, Wx[:, :1], Wh, b)):  # fmt: skip
        check_raises(ValueError, sub.rnn_backward, *bad, dH)
