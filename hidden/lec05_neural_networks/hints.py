"""Known mistakes of lec05_neural_networks and the hint each gets (see autograder/hints.py)."""

import numpy as np

from autograder.hints import Hint, where_it_differs
from autograder.i18n import msg


def _columns_softmax(O):  # noqa: E741 - the contract names it O
    O = np.asarray(O, dtype=float)  # noqa: E741
    if O.ndim != 2:
        raise ValueError("only a batch has columns")
    E = np.exp(O - O.max(axis=0))
    return E / E.sum(axis=0)


def _summed_cross_entropy(P, Y):
    P, Y = np.asarray(P, dtype=float), np.asarray(Y, dtype=float)
    return float(-np.sum(np.where(Y > 0, Y * np.log(np.where(Y > 0, P, 1.0)), 0.0)))


def _backward(X, Y, params, *, per_sample=True, mask=np.greater, db1_axis=0):
    """mlp_backward as the reference computes it, with one of its known mistakes switched on."""
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    W1, b1, W2, b2 = (np.asarray(params[k], dtype=float) for k in ("W1", "b1", "W2", "b2"))
    if X.ndim != 2 or W2.ndim != 2 or Y.shape != (X.shape[0], W2.shape[1]):
        raise ValueError("the shapes do not fit")
    (D, (H, C)) = X.shape[1], W2.shape
    if W1.shape != (D, H) or b1.shape != (H,) or b2.shape != (C,):
        raise ValueError("the shapes do not fit")  # the reference raises: no mistake to name
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0.0)
    O = A1 @ W2 + b2  # noqa: E741
    E = np.exp(O - O.max(axis=1, keepdims=True))
    dO = E / E.sum(axis=1, keepdims=True) - Y
    if per_sample:
        dO = dO / X.shape[0]
    dZ1 = (dO @ W2.T) * mask(Z1, 0)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=db1_axis), "W2": A1.T @ dO, "b2": dO.sum(axis=0)}


HINTS = [
    Hint("softmax", msg("lec05_neural_networks.hint_softmax_columns"),
         _columns_softmax, "lec05_softmax_wrong_axis"),
    Hint("cross_entropy", msg("lec05_neural_networks.hint_cross_entropy_sum"),
         _summed_cross_entropy, "lec05_cross_entropy_sum"),
    Hint("mlp_backward", msg("lec05_neural_networks.hint_backward_no_mean"),
         where_it_differs(lambda X, Y, params: _backward(X, Y, params, per_sample=False),
                          _backward), "lec05_backward_no_mean"),
    Hint("mlp_backward", msg("lec05_neural_networks.hint_db1_wrong_axis"),
         where_it_differs(lambda X, Y, params: _backward(X, Y, params, db1_axis=1), _backward),
         "lec05_db1_wrong_axis"),
    Hint("mlp_backward", msg("lec05_neural_networks.hint_relu_mask_flipped"),
         where_it_differs(lambda X, Y, params: _backward(X, Y, params, mask=np.less), _backward),
         "lec05_relu_grad_wrong_mask"),
]  # fmt: skip
