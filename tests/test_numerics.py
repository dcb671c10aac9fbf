"""autograder.numerics: centred differences, their batched form, and the relative error."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.checks import GRADIENT_MAX_ERROR
from autograder.numerics import (
    FD_STEP,
    centred_differences,
    differences_of_calls,
    numerical_gradient,
    perturbations,
    relative_error,
)


def softmax_loss(p, X, Y):
    """A small network's mean cross-entropy, written out independently of any assignment."""
    hidden = np.tanh(X @ p["W"] + p["b"])
    logits = hidden @ p["V"]
    logits = logits - logits.max(axis=1, keepdims=True)
    log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return float(-(Y * log_probs).sum() / X.shape[0])


def softmax_loss_gradient(p, X, Y):
    hidden = np.tanh(X @ p["W"] + p["b"])
    logits = hidden @ p["V"]
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    d_logits = (probs - Y) / X.shape[0]
    d_hidden = d_logits @ p["V"].T * (1 - hidden**2)
    return {"W": X.T @ d_hidden, "b": d_hidden.sum(axis=0), "V": hidden.T @ d_logits}


def test_perturbations_move_one_entry_by_plus_then_minus_h_in_key_and_c_order():
    params = {"a": np.array([[1.0, 2.0]]), "b": np.array(3.0)}
    copies = perturbations(params, h=0.5)
    assert len(copies) == 2 * 3
    moved = [
        (
            k,
            tuple(np.argwhere(c[k] != params[k])[0]) if c[k].ndim else (),
            float((c[k] - params[k]).sum()),
        )
        for c in copies
        for k in c
        if np.any(c[k] != params[k])
    ]
    assert moved == [("a", (0, 0), 0.5), ("a", (0, 0), -0.5), ("a", (0, 1), 0.5),
                     ("a", (0, 1), -0.5), ("b", (), 0.5), ("b", (), -0.5)]  # fmt: skip
    assert all(c[k].dtype == np.float64 for c in copies for k in c)
    assert params["a"].tolist() == [[1.0, 2.0]]  # the input is not changed


def test_numerical_gradient_of_a_quadratic_is_exact_to_rounding():
    rng = np.random.default_rng(1)
    A = rng.normal(size=(4, 4))
    w = rng.normal(size=4)
    grad = numerical_gradient(lambda p: float(p["w"] @ A @ p["w"]), {"w": w})
    assert np.allclose(grad["w"], (A + A.T) @ w, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("n", [1, 3, 8])
def test_a_right_backward_pass_is_far_within_the_threshold_and_a_wrong_one_far_outside(n):
    rng = np.random.default_rng(n)
    X = rng.normal(size=(n, 4))
    Y = np.eye(3)[rng.integers(0, 3, size=n)]
    params = {"W": rng.normal(size=(4, 5)), "b": rng.normal(size=5), "V": rng.normal(size=(5, 3))}
    numeric = numerical_gradient(lambda p: softmax_loss(p, X, Y), params)
    analytic = softmax_loss_gradient(params, X, Y)
    worst = max(float(relative_error(analytic[k], numeric[k]).max()) for k in params)
    assert worst < GRADIENT_MAX_ERROR / 100
    no_mean = {k: v * n for k, v in analytic.items()}
    if n > 1:
        assert min(float(relative_error(no_mean[k], numeric[k]).max()) for k in params) > 0.1


def test_centred_differences_take_the_losses_in_the_order_of_perturbations():
    params = {"x": np.array([1.0, -2.0]), "y": np.array([[0.5]])}
    losses = [float(p["x"] @ p["x"] + 3 * p["y"][0, 0]) for p in perturbations(params)]
    grad = centred_differences(losses, params)
    assert np.allclose(grad["x"], [2.0, -4.0]) and np.allclose(grad["y"], [[3.0]])
    assert grad["y"].shape == (1, 1)
    with pytest.raises(ValueError, match="expected 6 losses"):
        centred_differences(losses[:-1], params)


def test_centred_differences_of_non_finite_losses_are_not_finite():
    params = {"x": np.array([1.0])}
    grad = centred_differences([np.inf, np.inf], params)
    assert not np.isfinite(grad["x"]).any()


def test_relative_error_has_a_floor_for_gradients_near_zero():
    assert relative_error(1e-12, 0.0) == pytest.approx(1e-4)
    assert relative_error(2.0, 1.0) == pytest.approx(1 / 3)
    assert relative_error(0.0, 0.0) == 0.0
    assert np.isnan(relative_error(np.nan, 1.0))
    assert FD_STEP == 1e-5


def test_differences_of_calls_ask_for_every_perturbed_output_in_one_batch():
    """Only the outputs come from the function, in one .map round trip; the loss runs here."""

    class Function:  # stands for sub.f: its .map is one round trip to the worker
        batches: list = []

        def map(self, calls):
            self.batches.append(calls)
            return [a * w for a, w in calls]

    params = {"w": np.array([1.0, -2.0, 0.5])}
    a = np.array([3.0, 1.0, -1.0])
    f = Function()
    grads = differences_of_calls(
        f, params, lambda p: (a, p["w"]), lambda out: float(out.sum() ** 2)
    )
    assert len(f.batches) == 1 and len(f.batches[0]) == 2 * params["w"].size
    exact = 2 * float(a @ params["w"]) * a
    np.testing.assert_allclose(grads["w"], exact, rtol=1e-8)
