"""AI Math 9강: CNN 첫걸음 (a mistake: conv2d flips the kernel)

Convolution as CNN libraries compute it: cross-correlation (the kernel is not flipped). 1-D and
2-D convolution of valid positions, the output size with stride and zero padding, several input
and output channels, and the backward pass of a 2-D convolution.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view  # noqa: F401 (windows of an array: useful here)


def conv1d(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """AI Math 9강: CNN 첫걸음: 1차원 Convolution 연산.

    The valid 1-D convolution (cross-correlation, as in CNNs) of a signal with a kernel:
        out[i] = sum_m x[i + m] w[m],   i = 0, ..., n - k
    The kernel slides over the signal without being flipped.

    Args:
        x: array of shape (n,), the signal.
        w: array of shape (k,), the kernel, 1 <= k <= n.
    Returns:
        ndarray of shape (n - k + 1,).
    Raises:
        ValueError: if x or w is not 1-D, or w is empty or longer than x.
    """
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    if x.ndim != 1 or w.ndim != 1:
        raise ValueError(f"conv1d: x and w must be 1-D, got shapes {x.shape} and {w.shape}")
    if not 1 <= w.size <= x.size:
        raise ValueError(f"conv1d: the kernel length must be in [1, {x.size}], got {w.size}")
    return sliding_window_view(x, w.size) @ w


def conv_output_size(n: int, k: int, stride: int = 1, padding: int = 0) -> int:
    """AI Math 9강: CNN 첫걸음: 입력 크기, 커널 크기, 출력 크기 계산.

    The number of positions of a kernel of size k on an input of size n with `padding` zeros on
    each side, moved `stride` at a time:
        O = floor((n + 2 padding - k) / stride) + 1
    (with stride 1 and no padding, the lecture's O = n - k + 1).

    Args:
        n: int, the input size (H or W).
        k: int, the kernel size (K_H or K_W), at least 1.
        stride: int, the step of the kernel, at least 1.
        padding: int, the zeros added on each side, at least 0.
    Returns:
        int, the output size.
    Raises:
        ValueError: if k < 1, stride < 1, padding < 0 or k > n + 2 padding.
    """
    if k < 1 or stride < 1 or padding < 0:
        raise ValueError(
            f"conv_output_size: need k >= 1, stride >= 1, padding >= 0, got k={k}, "
            f"stride={stride}, padding={padding}"
        )
    if k > n + 2 * padding:
        raise ValueError(
            f"conv_output_size: the kernel ({k}) is larger than the padded input "
            f"({n} + 2 * {padding})"
        )
    return (n + 2 * padding - k) // stride + 1


def conv2d(x: np.ndarray, k: np.ndarray, stride: int = 1, padding: int = 0) -> np.ndarray:
    """AI Math 9강: CNN 첫걸음: 2차원 Convolution 연산.

    The 2-D convolution (cross-correlation) of an image with a kernel, after `padding` zeros on
    every side (xp) and with the kernel moved `stride` at a time:
        out[i, j] = sum_{m, n} xp[i * stride + m, j * stride + n] k[m, n]
    of shape (H', W'), H' = conv_output_size(H, kh, stride, padding) (the same for W').

    Args:
        x: array of shape (H, W), the image.
        k: array of shape (kh, kw), the kernel, no larger than the padded image.
        stride: int, the step of the kernel, at least 1.
        padding: int, the zeros added on each side, at least 0.
    Returns:
        ndarray of shape (H', W').
    Raises:
        ValueError: if x or k is not 2-D, k is empty or larger than the padded image, stride < 1
            or padding < 0.
    """
    x = np.asarray(x, dtype=float)
    k = np.asarray(k, dtype=float)
    if x.ndim != 2 or k.ndim != 2:
        raise ValueError(f"conv2d: x and k must be 2-D, got shapes {x.shape} and {k.shape}")
    if stride < 1 or padding < 0:
        raise ValueError(f"conv2d: need stride >= 1 and padding >= 0, got {stride}, {padding}")
    xp = np.pad(x, padding)
    if k.size == 0 or k.shape[0] > xp.shape[0] or k.shape[1] > xp.shape[1]:
        raise ValueError(f"conv2d: kernel {k.shape} is empty or larger than the input {xp.shape}")
    windows = sliding_window_view(xp, k.shape)[::stride, ::stride]
    return np.einsum("ijmn,mn->ij", windows, k[::-1, ::-1])  # the textbook convolution


def conv2d_multi(x: np.ndarray, k: np.ndarray, bias: np.ndarray | None = None) -> np.ndarray:
    """AI Math 9강: CNN 첫걸음: 채널이 여러개인 2차원 입력의 Convolution.

    Every output channel o adds up the 2-D convolutions of the C input channels with its own
    C kernels, plus its bias (stride 1, no padding):
        out[o] = sum_c conv2d(x[c], k[o, c]) + bias[o]

    Args:
        x: array of shape (C, H, W), the input channels.
        k: array of shape (O, C, kh, kw), one kernel per output and input channel.
        bias: array of shape (O,), or None for no bias.
    Returns:
        ndarray of shape (O, H - kh + 1, W - kw + 1).
    Raises:
        ValueError: if x is not 3-D, k not 4-D, their channels differ, the kernel is empty or
            larger than the input, or bias is not of shape (O,).
    """
    x = np.asarray(x, dtype=float)
    k = np.asarray(k, dtype=float)
    if x.ndim != 3 or k.ndim != 4 or k.shape[1] != x.shape[0]:
        raise ValueError(
            f"conv2d_multi: need x (C, H, W), k (O, C, kh, kw), got {x.shape}, {k.shape}"
        )
    if k.shape[2] < 1 or k.shape[3] < 1 or k.shape[2] > x.shape[1] or k.shape[3] > x.shape[2]:
        raise ValueError(
            f"conv2d_multi: kernel {k.shape[2:]} is empty or larger than {x.shape[1:]}"
        )
    windows = sliding_window_view(x, k.shape[2:], axis=(1, 2))
    out = np.einsum("cijmn,ocmn->oij", windows, k)
    if bias is None:
        return out
    bias = np.asarray(bias, dtype=float)
    if bias.shape != (k.shape[0],):
        raise ValueError(f"conv2d_multi: bias must have shape ({k.shape[0]},), got {bias.shape}")
    return out + bias[:, None, None]


def conv2d_backward(
    x: np.ndarray, k: np.ndarray, dout: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """AI Math 9강: CNN 첫걸음: Convolution 연산의 역전파.

    The gradients of a loss L through out = conv2d(x, k) (stride 1, no padding), given
    dout = dL/dout. Each x[i + m, j + n] meets k[m, n] in out[i, j], so
        dk[m, n] = sum_{i, j} x[i + m, j + n] dout[i, j]     (x cross-correlated with dout)
        dx[a, b] = sum_{i, j} dout[i, j] k[a - i, b - j]     (the full convolution of dout
                                                             with k: the kernel flipped)

    Args:
        x: array of shape (H, W), the input.
        k: array of shape (kh, kw), the kernel, no larger than x.
        dout: array of shape (H - kh + 1, W - kw + 1), the gradient of the loss by the output.
    Returns:
        tuple (dx, dk) of ndarrays of shapes (H, W) and (kh, kw).
    Raises:
        ValueError: if an input is not 2-D, k is empty or larger than x, or dout's shape is not
            the output's.
    """
    x = np.asarray(x, dtype=float)
    k = np.asarray(k, dtype=float)
    dout = np.asarray(dout, dtype=float)
    if x.ndim != 2 or k.ndim != 2 or dout.ndim != 2:
        raise ValueError(
            f"conv2d_backward: x, k and dout must be 2-D, got {x.shape}, {k.shape}, {dout.shape}"
        )
    kh, kw = k.shape
    if kh < 1 or kw < 1 or kh > x.shape[0] or kw > x.shape[1]:
        raise ValueError(f"conv2d_backward: kernel {k.shape} is empty or larger than x {x.shape}")
    if dout.shape != (x.shape[0] - kh + 1, x.shape[1] - kw + 1):
        raise ValueError(
            f"conv2d_backward: dout must have the output's shape for x {x.shape} and k "
            f"{k.shape}, got {dout.shape}"
        )
    dk = np.einsum("mnij,ij->mn", sliding_window_view(x, dout.shape), dout)
    padded = np.pad(dout, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    dx = np.einsum("abmn,mn->ab", sliding_window_view(padded, k.shape), k[::-1, ::-1])
    return dx, dk
