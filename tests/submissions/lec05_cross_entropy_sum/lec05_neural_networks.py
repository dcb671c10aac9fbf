"""AI Math 5강: 딥러닝 학습방법 이해하기

Softmax, one-hot vectors, activation functions, the cross-entropy loss, and a two-layer neural
network (multi-layer perceptron) with its forward pass and backpropagation.
"""

import numpy as np


def softmax(O: np.ndarray) -> np.ndarray:  # noqa: E741 (the lecture's name for the outputs)
    """AI Math 5강: 딥러닝 학습방법 이해하기: 소프트맥스 함수.

    Turns each row of outputs o into a probability vector:
        softmax(o)_k = exp(o_k) / sum_j exp(o_j)
    Each row's maximum is subtracted first (the value does not change), so that exp never
    overflows: a row like [1000, 1001, 1002] gives finite, right probabilities.

    Args:
        O: array of shape (N, C), one row of outputs per sample, or a 1-D vector of shape (C,).
    Returns:
        ndarray of the shape of O, each row (or the vector) non-negative and summing to 1; an
        empty batch (0, C) gives an empty (0, C) array.
    Raises:
        ValueError: if O is not 1-D or 2-D, or its last axis is empty (C = 0).
    """
    O = np.asarray(O, dtype=float)  # noqa: E741
    if O.ndim not in (1, 2) or O.shape[-1] == 0:
        raise ValueError(f"softmax: O must be (C,) or (N, C) with C >= 1, got shape {O.shape}")
    E = np.exp(O - O.max(axis=-1, keepdims=True))
    return E / E.sum(axis=-1, keepdims=True)


def one_hot(labels: np.ndarray, num_classes: int) -> np.ndarray:
    """AI Math 5강: 딥러닝 학습방법 이해하기: 원-핫 벡터.

    Row i is the one-hot vector of labels[i]: 1.0 in column labels[i], 0.0 elsewhere, i.e. row
    labels[i] of the identity matrix of size num_classes.

    Args:
        labels: integer array of shape (N,), each label in [0, num_classes).
        num_classes: int, the number of classes C (at least 1).
    Returns:
        ndarray of floats of shape (N, C).
    Raises:
        ValueError: if labels is not a 1-D array of integers, a label is outside
            [0, num_classes), or num_classes < 1.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.dtype.kind not in "iu" or num_classes < 1:
        raise ValueError(
            f"one_hot: labels must be a 1-D integer array and num_classes >= 1, got labels of "
            f"shape {labels.shape} (dtype {labels.dtype}) and num_classes={num_classes}"
        )
    if np.any((labels < 0) | (labels >= num_classes)):
        raise ValueError(f"one_hot: every label must be in [0, {num_classes}), got {labels}")
    return np.eye(num_classes)[labels]


def softmax_to_onehot(P: np.ndarray) -> np.ndarray:
    """AI Math 5강: 딥러닝 학습방법 이해하기: 추론할 때는 원-핫 벡터로.

    At inference the prediction is the most likely class: one_hot(argmax_k p_k) for each row p
    (the first maximum when several entries tie, as np.argmax).

    Args:
        P: array of shape (N, C), e.g. softmax outputs, or a 1-D vector of shape (C,).
    Returns:
        ndarray of floats of the shape of P: each row (or the vector) is the one-hot vector of its
        argmax.
    Raises:
        ValueError: if P is not 1-D or 2-D.
    """
    P = np.asarray(P)
    if P.ndim not in (1, 2):
        raise ValueError(f"softmax_to_onehot: P must be (C,) or (N, C), got shape {P.shape}")
    return np.eye(P.shape[-1])[np.argmax(P, axis=-1)]


def relu(x: np.ndarray) -> np.ndarray:
    """AI Math 5강: 딥러닝 학습방법 이해하기: 활성함수 ReLU.

    The rectified linear unit, element-wise:
        relu(x) = max(0, x)

    Args:
        x: array of any shape.
    Returns:
        ndarray of the shape of x.
    """
    return np.maximum(x, 0.0)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """AI Math 5강: 딥러닝 학습방법 이해하기: 활성함수 시그모이드.

    The logistic function, element-wise:
        sigmoid(x) = 1 / (1 + exp(-x))
    computed without overflow for large |x|: sigmoid(-1000) is 0 (or tiny), sigmoid(1000) is 1.

    Args:
        x: array of any shape.
    Returns:
        ndarray of the shape of x, every entry in [0, 1].
    """
    # 1 / (1 + exp(-x)) = exp(-log(1 + exp(-x))), and logaddexp(0, -x) = log(1 + exp(-x)) is stable.
    return np.exp(-np.logaddexp(0.0, -x))


def cross_entropy(P: np.ndarray, Y: np.ndarray) -> float:
    """AI Math 5강: 딥러닝 학습방법 이해하기: 교차 엔트로피 손실.

    The mean cross-entropy of predicted probabilities P and one-hot targets Y over the batch:
        L = -(1/N) sum_i sum_c Y_ic log P_ic
    with 0 log 0 = 0: a probability of exactly 0 where Y is 0 adds nothing (the loss stays
    finite); where Y is 1 it makes the loss infinite.

    Args:
        P: array of shape (N, C), the predicted probabilities (e.g. softmax outputs).
        Y: array of shape (N, C), the one-hot targets.
    Returns:
        float, the mean loss.
    Raises:
        ValueError: if P is not 2-D or Y does not have the shape of P.
    """
    P = np.asarray(P, dtype=float)
    Y = np.asarray(Y, dtype=float)
    if P.ndim != 2 or P.shape != Y.shape:
        raise ValueError(f"cross_entropy: P and Y must both be (N, C), got {P.shape} and {Y.shape}")
    mask = Y > 0  # 0 log 0 = 0: only the classes with Y > 0 count
    return -np.sum(Y[mask] * np.log(P[mask]))


def mlp_forward(X: np.ndarray, params: dict) -> np.ndarray:
    """AI Math 5강: 딥러닝 학습방법 이해하기: 2층 신경망의 순전파.

    The forward pass of a two-layer neural network (one hidden layer of H units with ReLU):
        Z1 = X W1 + b1,  A1 = relu(Z1),  O = A1 W2 + b2,  P = softmax(O)
    (the biases are added to every row).

    Args:
        X: array of shape (N, D), one sample per row.
        params: dict of arrays W1 (D, H), b1 (H,), W2 (H, C), b2 (C,).
    Returns:
        ndarray of shape (N, C), the class probabilities of each sample (rows sum to 1).
    Raises:
        ValueError: if X or W2 is not 2-D, or W1, b1, b2 do not have the shapes above (b1 of
            shape (1,), which numpy would broadcast, included).
    """
    X = np.asarray(X, dtype=float)
    W1, b1, W2, b2 = (np.asarray(params[k], dtype=float) for k in ("W1", "b1", "W2", "b2"))
    if X.ndim != 2 or W2.ndim != 2:
        raise ValueError(f"mlp_forward: X and W2 must be 2-D, got shapes {X.shape}, {W2.shape}")
    (_, D), (H, C) = X.shape, W2.shape
    if W1.shape != (D, H) or b1.shape != (H,) or b2.shape != (C,):
        raise ValueError(
            f"mlp_forward: for X {X.shape} and W2 {W2.shape}, W1, b1, b2 must have shapes "
            f"{(D, H)}, {(H,)}, {(C,)}, got {W1.shape}, {b1.shape}, {b2.shape}"
        )
    A1 = relu(X @ W1 + b1)
    return softmax(A1 @ W2 + b2)


def mlp_backward(X: np.ndarray, Y: np.ndarray, params: dict) -> dict:
    """AI Math 5강: 딥러닝 학습방법 이해하기: 역전파 알고리즘.

    The gradients of the mean cross-entropy L = cross_entropy(mlp_forward(X, params), Y) with
    respect to every parameter, by backpropagation (the chain rule, from the output back):
        dO  = (P - Y) / N
        dW2 = A1^T dO,       db2 = sum_i dO_i
        dA1 = dO W2^T,       dZ1 = dA1 * [Z1 > 0]   (relu's derivative, 0 at 0)
        dW1 = X^T dZ1,       db1 = sum_i dZ1_i
    where Z1, A1 and P are the forward pass's values (see mlp_forward).

    Args:
        X: array of shape (N, D), one sample per row.
        Y: array of shape (N, C), the one-hot targets.
        params: dict of arrays W1 (D, H), b1 (H,), W2 (H, C), b2 (C,).
    Returns:
        dict with keys W1, b1, W2, b2: the gradients, each of its parameter's shape.
    Raises:
        ValueError: if the shapes do not fit (as in mlp_forward), or Y is not of shape (N, C).
    """
    P = mlp_forward(X, params)
    if Y.shape != P.shape:
        raise ValueError(f"mlp_backward: Y must have shape {P.shape} (N, C), got {Y.shape}")
    Z1 = X @ params["W1"] + params["b1"]
    A1 = relu(Z1)
    dO = (P - Y) / X.shape[0]
    dW2 = A1.T @ dO
    db2 = dO.sum(axis=0)
    dA1 = dO @ params["W2"].T
    dZ1 = dA1 * (Z1 > 0)
    dW1 = X.T @ dZ1
    db1 = dZ1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
