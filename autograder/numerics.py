"""Gradient checking as library code: centred finite differences and the relative error.

    >>> params = {"w": np.array([1.0, -2.0])}
    >>> grad = numerical_gradient(lambda p: float(np.sum(p["w"] ** 2)), params)
    >>> np.round(grad["w"], 6)
    array([ 2., -4.])

Everything here runs in the trusted process, on values: a grader that checks a submission's
backward pass against its own forward pass asks the worker for the forward pass on every perturbed
copy of the parameters in one batched call (``sub.mlp_forward.map(...)``), computes the losses
itself, and turns them into a gradient with :func:`centred_differences`. Nothing is computed by the
submission except the forward values it is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["FD_STEP", "RELATIVE_ERROR_FLOOR", "centred_differences", "differences_of_calls",
           "numerical_gradient", "perturbations", "relative_error"]  # fmt: skip

FD_STEP = 1e-5
"""The step h of (f(p + h) - f(p - h)) / 2h. In float64 the truncation error is ~h² f''' ~ 1e-10 and
the rounding error ~eps |f| / h ~ 1e-11, so centred differences agree with an exact gradient to
about 1e-9 relative for losses of size 1 (CS231n uses the same step)."""
RELATIVE_ERROR_FLOOR = 1e-8
"""The denominator's floor in :func:`relative_error`, so that two gradients that are both ~0 do not
count as far apart."""


def _as_params(params: Mapping[str, object]) -> dict[str, np.ndarray]:
    return {key: np.array(value, dtype=np.float64) for key, value in params.items()}


def perturbations(
    params: Mapping[str, object], *, h: float = FD_STEP
) -> list[dict[str, np.ndarray]]:
    """Copies of ``params`` with one entry moved by +h, then the same by -h, entry after entry.

    Keys in ``params``' order, entries in C order: 2 * (number of entries) dicts of float64 arrays
    (0-d entries included), the order :func:`centred_differences` expects their losses in.
    """
    base = _as_params(params)
    out = []
    for key, value in base.items():
        for index in np.ndindex(value.shape):
            for step in (h, -h):
                moved = value.copy()
                moved[index] += step
                out.append({**base, key: moved})
    return out


def centred_differences(
    losses: Sequence[float], params: Mapping[str, object], *, h: float = FD_STEP
) -> dict[str, np.ndarray]:
    """The gradient ``(L(p + h) - L(p - h)) / 2h`` from the losses of :func:`perturbations`."""
    base = _as_params(params)
    values = np.asarray(losses, dtype=np.float64)
    wanted = 2 * sum(v.size for v in base.values())
    if values.shape != (wanted,):
        raise ValueError(f"centred_differences: expected {wanted} losses, got {values.shape}")
    grads, start = {}, 0
    with np.errstate(invalid="ignore", over="ignore"):
        for key, value in base.items():
            pairs = values[start : start + 2 * value.size].reshape(-1, 2)
            grads[key] = ((pairs[:, 0] - pairs[:, 1]) / (2 * h)).reshape(value.shape)
            start += 2 * value.size
    return grads


def numerical_gradient(
    loss: Callable[[dict[str, np.ndarray]], float],
    params: Mapping[str, object],
    *,
    h: float = FD_STEP,
) -> dict[str, np.ndarray]:
    """Centred differences of a trusted ``loss(params) -> float`` (the reference's, an oracle's)."""
    return centred_differences([loss(p) for p in perturbations(params, h=h)], params, h=h)


def differences_of_calls(
    function: Any,
    params: Mapping[str, object],
    call_of: Callable[[dict[str, np.ndarray]], tuple],
    loss: Callable[[Any], float],
    *,
    h: float = FD_STEP,
) -> dict[str, np.ndarray]:
    """Centred differences of a loss of a submission's outputs: ``function`` (``sub.f``) is called
    with ``call_of(p)`` for every perturbed copy ``p`` of ``params``, in one batched call, and
    ``loss(output)`` (trusted; it may check the output first and raise a CheckError) makes each
    output a float here. Only the outputs come from the submission."""
    outputs = function.map([call_of(p) for p in perturbations(params, h=h)])
    return centred_differences([loss(out) for out in outputs], params, h=h)


def relative_error(actual: object, expected: object) -> np.ndarray:
    """Element-wise ``|a - n| / max(RELATIVE_ERROR_FLOOR, |a| + |n|)``; nan where either is nan."""
    a = np.asarray(actual, dtype=np.float64)
    n = np.asarray(expected, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        return np.abs(a - n) / np.maximum(RELATIVE_ERROR_FLOOR, np.abs(a) + np.abs(n))
