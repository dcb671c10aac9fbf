"""Public tests for lec10_rnn: students run these with `aimath check`.

The forward pass is checked on a hand-worked two-step example and on random sequences of several
lengths (T = 1 too) against a step-by-step oracle. rnn_backward is checked on a hand-worked example
and against centred differences of L = sum(rnn_forward(...) * dH) computed here from the
submission's own forward pass (checked first at the base point), for every argument: X, h0, Wx, Wh
and b. bptt_gradient_norms is checked against the Jacobian product built forward in time and
against centred differences of h_{T-1}, and for the shape of the vanishing and exploding gradient:
with X = 0, h0 = 0 and b = 0 every state is 0, so Wh = a Q (Q orthogonal) gives exactly
a^(T-1-t).
"""

import numpy as np
import pytest

from autograder.checks import (
    GRADIENT_MATCH_ATOL,
    GRADIENT_MATCH_MAX_ERROR,
    check_close,
    check_gradient,
    check_raises,
    check_shape,
    check_true,
)
from autograder.formatting import format_value
from autograder.graders.lec10_rnn.plots import norms_figure
from autograder.graders.lec10_rnn.support import (
    FROM_YOUR_FORWARD,
    INPUTS,
    ORDER_RTOL,
    differences_of_forward,
    draw_sequence,
    forward_oracle,
    gradient_keys,
    jacobian_norms_by_differences,
    jacobian_norms_oracle,
    misfit_inputs,
    random_orthogonal,
)
from autograder.i18n import msg

# A hand-worked example, T = 2, D = 3, H = 2 (Wx not square, Wh not symmetric):
#   a_0 = x_0 Wx + h0 Wh + b = [1, -1] + [0.5, -1.5] + [0, 0.5] = [1.5, -2]
#   a_1 = x_1 Wx + h_0 Wh + b = [0.25, -1.5] + [0.5 h_0[0], -h_0[0] + 0.5 h_0[1]] + [0, 0.5]
X_EXAMPLE = np.array([[1.0, 0.0, 2.0], [0.0, -1.0, 1.0]])
H0_EXAMPLE = np.array([1.0, -1.0])
WX_EXAMPLE = np.array([[0.5, 0.0], [0.0, 1.0], [0.25, -0.5]])
WH_EXAMPLE = np.array([[0.5, -1.0], [0.0, 0.5]])
B_EXAMPLE = np.array([0.0, 0.5])
H_FIRST = np.tanh(np.array([1.5, -2.0]))
STATES_EXAMPLE = np.array(
    [H_FIRST, np.tanh([0.25 + 0.5 * H_FIRST[0], -1.0 - H_FIRST[0] + 0.5 * H_FIRST[1]])]
)

# A hand-worked backward pass, T = 2, D = H = 1, L = h_1 (dH = [[0], [1]]):
#   a_0 = 1 * 0.5 + 0.5 * (-1) + 0 = 0, so h_0 = 0;  a_1 = 2 * 0.5 + 0 * (-1) = 1, so h_1 = tanh(1)
#   da_1 = 1 - tanh(1)² = g,  da_0 = (0 + da_1 * (-1)) * (1 - 0²) = -g
#   dX = [[-0.5 g], [0.5 g]], dh0 = -da_0 = g, dWx = 1 (-g) + 2 g = g,
#   dWh = h0 da_0 + h_0 da_1 = -0.5 g, db = -g + g = 0
BACKWARD_EXAMPLE = {
    "X": np.array([[1.0], [2.0]]), "h0": np.array([0.5]), "Wx": np.array([[0.5]]),
    "Wh": np.array([[-1.0]]), "b": np.array([0.0]),
}  # fmt: skip
DH_EXAMPLE = np.array([[0.0], [1.0]])
G = 1 - np.tanh(1.0) ** 2
GRADIENTS_EXAMPLE = {
    "dX": np.array([[-0.5 * G], [0.5 * G]]), "dh0": np.array([G]), "dWx": np.array([[G]]),
    "dWh": np.array([[-0.5 * G]]), "db": np.array([0.0]),
}  # fmt: skip

# Exploding: X = 0, h0 = 0, b = 0 keep every state at 0 (tanh(0) = 0, so 1 - h² = 1), and
# dh_{T-1}/dh_t = (Wh^T)^(T-1-t): with Wh = 2 I and T = 4 the norms are 8, 4, 2, 1.
NORMS_EXPLODING_EXAMPLE = np.array([8.0, 4.0, 2.0, 1.0])

# Two analytic gradients (the student's and the hand-worked one) agree to rounding.
MATCH = {"max_error": GRADIENT_MATCH_MAX_ERROR, "atol": GRADIENT_MATCH_ATOL}
NORM_DIFFERENCES_ATOL = 1e-7
"""How far norms from centred differences of h_{T-1} may be from exact ones: the states are below 1
and the step is 1e-5, so truncation (~h² = 1e-10) and rounding (~eps / h = 1e-11) leave ~1e-10;
a norm computed wrongly is off by 1e-2 or more."""
SHAPES = ((1, 3, 4), (4, 2, 3), (6, 3, 5), (3, 1, 1), (1, 2, 1))
"""(T, D, H) of the random sequences: T = 1 (only h0 feeds the first step), D = 1 and H = 1."""


def args_of(inputs):
    return tuple(inputs[name] for name in INPUTS)


def zero_sequence(rng, T, D, Wh):
    """X = 0 (T, D), h0 = 0, random Wx, b = 0: every state is exactly 0, whatever Wh is."""
    H = len(Wh)
    return np.zeros((T, D)), np.zeros(H), rng.normal(size=(D, H)), Wh, np.zeros(H)


def check_backward(sub, inputs, dH, *, expected_from=FROM_YOUR_FORWARD):
    """rnn_backward against centred differences of the submission's own forward pass."""
    expected = differences_of_forward(sub, inputs, dH)
    grads = sub.rnn_backward(*args_of(inputs), dH)
    check_gradient(grads, expected, name=sub.last_call, expected_from=expected_from)
    return grads


# -- rnn_forward ----------------------------------------------------------------------------
@pytest.mark.points(2)
def test_rnn_forward_worked_example(sub, rng):
    """rnn_forward: the hand-worked two-step example and random sequences of its shape"""
    states = sub.rnn_forward(X_EXAMPLE, H0_EXAMPLE, WX_EXAMPLE, WH_EXAMPLE, B_EXAMPLE)
    check_close(states, STATES_EXAMPLE, name=sub.last_call, require_ndarray=True)
    for _ in range(3):
        args = args_of(draw_sequence(rng, 2, 3, 2, scale=1.0))
        check_close(sub.rnn_forward(*args), forward_oracle(*args), name=sub.last_call,
                    require_ndarray=True)  # fmt: skip


@pytest.mark.points(3)
def test_rnn_forward_random_sequences(sub, rng):
    """rnn_forward: random sequences of several (T, D, H), T = 1 too, small and large weights"""
    scales = (0.5, 1.0, 2.0, 0.5, 1.0, 0.3, 3.0)
    for (T, D, H), scale in zip(SHAPES + ((12, 4, 3), (5, 2, 4)), scales, strict=True):
        args = args_of(draw_sequence(rng, T, D, H, scale=scale))
        check_close(sub.rnn_forward(*args), forward_oracle(*args), name=sub.last_call,
                    require_ndarray=True)  # fmt: skip
    # Integer inputs are numbers too.
    T, D, H = 4, 2, 3
    args = (rng.integers(-2, 3, size=(T, D)), rng.integers(-1, 2, size=H),
            rng.integers(-1, 2, size=(D, H)), rng.integers(-1, 2, size=(H, H)),
            rng.integers(-1, 2, size=H))  # fmt: skip
    check_close(sub.rnn_forward(*args), forward_oracle(*args), name=sub.last_call,
                require_ndarray=True)  # fmt: skip


@pytest.mark.points(1)
def test_rnn_forward_shape_mismatch(sub, rng):
    """rnn_forward: X without rows or not 2-D, or misfit weights (b, h0 of shape (1,) too) raise ValueError"""
    args = args_of(draw_sequence(rng, 3, 2, 4))
    check_close(sub.rnn_forward(*args), forward_oracle(*args), name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    for bad in misfit_inputs(rng):
        check_raises(ValueError, sub.rnn_forward, *bad)


# -- rnn_backward ---------------------------------------------------------------------------
@pytest.mark.points(2)
def test_rnn_backward_worked_example(sub, rng):
    """rnn_backward: the hand-worked example (L = h_1) and random sequences of its shape"""
    grads = sub.rnn_backward(*args_of(BACKWARD_EXAMPLE), DH_EXAMPLE)
    check_gradient(grads, GRADIENTS_EXAMPLE, name=sub.last_call, **MATCH,
                   expected_from=msg("lec10_rnn.from_hand_worked"))  # fmt: skip
    for _ in range(2):
        check_backward(sub, draw_sequence(rng, 2, 1, 1), rng.normal(size=(2, 1)))


@pytest.mark.points(4)
def test_rnn_backward_matches_finite_differences(sub, rng):
    """rnn_backward: dX, dh0, dWx, dWh, db agree with centred differences of your forward (T = 1 too)"""
    for T, D, H in SHAPES:
        check_backward(sub, draw_sequence(rng, T, D, H), rng.normal(size=(T, H)))


@pytest.mark.points(3)
def test_rnn_backward_through_time(sub, rng):
    """rnn_backward: a loss on the last state only reaches every earlier step (and h0) through time"""
    for T, D, H in ((5, 2, 3), (7, 3, 2), (4, 1, 4)):
        inputs = draw_sequence(rng, T, D, H)
        dH = np.zeros((T, H))
        dH[-1] = rng.normal(size=H)
        check_backward(sub, inputs, dH,
                       expected_from=msg("lec10_rnn.from_last_step_only",
                                         source=FROM_YOUR_FORWARD))  # fmt: skip
    # A loss on the first state only: nothing flows into the later steps.
    T, D, H = 4, 2, 3
    dH = np.zeros((T, H))
    dH[0] = rng.normal(size=H)
    check_backward(sub, draw_sequence(rng, T, D, H), dH,
                   expected_from=msg("lec10_rnn.from_first_step_only",
                                     source=FROM_YOUR_FORWARD))  # fmt: skip


@pytest.mark.points(1)
def test_rnn_backward_shapes(sub, rng):
    """rnn_backward: gradients of the arguments' shapes; misfit dH or arguments raise ValueError"""
    T, D, H = 3, 2, 4
    inputs = draw_sequence(rng, T, D, H)
    dH = rng.normal(size=(T, H))
    grads = check_backward(sub, inputs, dH)
    for key, name in zip(gradient_keys(), INPUTS, strict=True):
        check_shape(grads[key], np.shape(inputs[name]), name=f"{sub.last_call}[{key!r}]",
                    require_ndarray=True)  # fmt: skip
    for dH_bad in (dH[:-1], dH[:, :-1], np.vstack([dH, dH[:1]]), dH.ravel(), dH[None], dH.T):
        check_raises(ValueError, sub.rnn_backward, *args_of(inputs), dH_bad)
    # T = 1: dH of shape (H,) (the state, not a sequence of states) broadcasts unless checked.
    one = draw_sequence(rng, 1, D, H)
    check_raises(ValueError, sub.rnn_backward, *args_of(one), rng.normal(size=H))
    for bad in misfit_inputs(rng):
        T_bad, H_bad = np.shape(bad[0])[0] if np.ndim(bad[0]) == 2 else 1, len(bad[1])
        check_raises(ValueError, sub.rnn_backward, *bad, rng.normal(size=(T_bad, H_bad)))


# -- bptt_gradient_norms --------------------------------------------------------------------
@pytest.mark.points(4)
def test_bptt_gradient_norms_matches_jacobian(sub, rng):
    """bptt_gradient_norms: ||dh_{T-1}/dh_t||_2 of the Jacobian product and of centred differences"""
    scales = (0.5, 1.0, 1.5, 0.7, 1.0, 0.8)
    for (T, D, H), scale in zip(SHAPES + ((9, 3, 4),), scales, strict=True):
        args = args_of(draw_sequence(rng, T, D, H, scale=scale))
        norms, expected = sub.bptt_gradient_norms(*args), jacobian_norms_oracle(*args)
        with norms_figure(norms, expected):
            check_close(norms, expected, name=sub.last_call, require_ndarray=True)
    for T, D, H in ((4, 2, 3), (3, 3, 2)):
        args = args_of(draw_sequence(rng, T, D, H, scale=1.0))
        check_close(sub.bptt_gradient_norms(*args), jacobian_norms_by_differences(*args),
                    name=sub.last_call, atol=NORM_DIFFERENCES_ATOL,
                    require_ndarray=True)  # fmt: skip


@pytest.mark.points(3)
def test_bptt_gradient_norms_vanishing(sub, rng):
    """bptt_gradient_norms: a small Wh makes the norms shrink geometrically going back in time"""
    for T, D, H in ((8, 2, 3), (12, 3, 4), (6, 1, 2)):
        s = rng.uniform(0.2, 0.7)
        Wh = s * random_orthogonal(rng, H)  # ||Wh||_2 = s < 1
        args = (rng.normal(size=(T, D)), rng.normal(size=H), rng.normal(size=(D, H)), Wh,
                0.5 * rng.normal(size=H))  # fmt: skip
        norms = sub.bptt_gradient_norms(*args)
        with norms_figure(norms, jacobian_norms_oracle(*args)):
            check_shape(norms, (T,), name=sub.last_call, require_ndarray=True)
            if norms.dtype.kind in "iuf":  # other kinds fail the comparison below
                # Each step back multiplies by diag(1 - h²) Wh^T, whose norm is at most ||Wh||_2 = s.
                with np.errstate(divide="ignore", invalid="ignore"):
                    ratios = norms[:-1] / norms[1:]
                check_true(
                    np.all(ratios <= s * (1 + ORDER_RTOL)), name=sub.last_call,
                    message=msg("lec10_rnn.norms_not_shrinking", s=float(s),
                                ratios=format_value(ratios)),
                )  # fmt: skip
            check_close(norms, jacobian_norms_oracle(*args), name=sub.last_call,
                        require_ndarray=True)  # fmt: skip
    # With every state 0 the tanh derivative is 1: the norms are exactly a^(T-1-t), a < 1.
    for T, D, H in ((6, 2, 3), (9, 1, 2)):
        a = rng.uniform(0.3, 0.8)
        norms = sub.bptt_gradient_norms(*zero_sequence(rng, T, D, a * random_orthogonal(rng, H)))
        check_close(norms, a ** np.arange(T - 1, -1, -1.0), name=sub.last_call,
                    require_ndarray=True)  # fmt: skip


@pytest.mark.points(3)
def test_bptt_gradient_norms_exploding(sub, rng):
    """bptt_gradient_norms: X = 0, h0 = 0, b = 0 and Wh = a Q (Q orthogonal, a > 1) give a^(T-1-t)"""
    norms = sub.bptt_gradient_norms(*zero_sequence(rng, 4, 2, 2.0 * np.identity(2)))
    check_close(norms, NORMS_EXPLODING_EXAMPLE, name=sub.last_call, require_ndarray=True)
    for T, D, H in ((5, 2, 3), (8, 3, 2), (3, 1, 4)):
        a = rng.uniform(1.2, 2.0)
        norms = sub.bptt_gradient_norms(*zero_sequence(rng, T, D, a * random_orthogonal(rng, H)))
        with norms_figure(norms, a ** np.arange(T - 1, -1, -1.0)):
            check_close(norms, a ** np.arange(T - 1, -1, -1.0), name=sub.last_call,
                        require_ndarray=True)  # fmt: skip
    # A diagonal Wh: the largest |a_i| wins, step after step.
    T, H = 6, 3
    diagonal = rng.uniform(1.1, 1.8, size=H) * rng.choice([-1.0, 1.0], size=H)
    norms = sub.bptt_gradient_norms(*zero_sequence(rng, T, 2, np.diag(diagonal)))
    check_close(norms, np.abs(diagonal).max() ** np.arange(T - 1, -1, -1.0), name=sub.last_call,
                require_ndarray=True)  # fmt: skip


@pytest.mark.points(2)
def test_bptt_gradient_norms_shapes(sub, rng):
    """bptt_gradient_norms: shape (T,) ending in 1 (T = 1 gives [1]); misfit arguments raise ValueError"""
    for T, D, H in ((1, 2, 3), (1, 1, 1), (5, 3, 2), (3, 2, 4)):
        args = args_of(draw_sequence(rng, T, D, H, scale=1.0))
        norms = sub.bptt_gradient_norms(*args)
        check_shape(norms, (T,), name=sub.last_call, require_ndarray=True)
        check_close(norms[-1], 1.0, name=f"{sub.last_call}[-1] (||dh_{{T-1}}/dh_{{T-1}}||)")
        check_close(norms, jacobian_norms_oracle(*args), name=sub.last_call)
    for bad in misfit_inputs(rng):
        check_raises(ValueError, sub.bptt_gradient_norms, *bad)
