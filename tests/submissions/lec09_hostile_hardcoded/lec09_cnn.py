"""AI Math 9강: CNN 첫걸음 (a hostile submission).

It recognises the public tests' fixed inputs (the lecture's [[19, 25], [37, 43]] example, its
padded version, the stride examples, the table of output sizes, the two-channel example and the
lecture's backward pass with dout of ones) and returns their published answers; on any other
input it returns plausible garbage of the right shape (zeros; the output size n - k + 1 that
ignores stride and padding) and raises ValueError where a shape cannot fit. The random public
inputs and the hidden tests must catch it.
"""

import numpy as np

X_LECTURE = np.arange(9).reshape(3, 3)
K_LECTURE = np.array([[0, 1], [2, 3]])
X_BLOCKS = np.arange(16).reshape(4, 4)
X_EDGE = np.arange(25).reshape(5, 5)
K_EDGE = np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]])
SIZES = {
    (5, 3, 1, 0): 3, (32, 5, 1, 0): 28, (4, 4, 1, 0): 1, (1, 1, 1, 0): 1, (28, 3, 1, 1): 28,
    (7, 3, 2, 0): 3, (6, 3, 2, 0): 2, (5, 3, 2, 1): 3, (227, 11, 4, 0): 55, (224, 7, 2, 3): 112,
    (10, 4, 3, 0): 3, (3, 5, 1, 1): 1,
}


def _is(a, b):
    try:
        return np.shape(a) == np.shape(b) and bool(np.allclose(a, b))
    except Exception:
        return False


def conv1d(x, w):
    if _is(x, [1, 2, 3, 4, 5]) and _is(w, [1, 0, -1]):
        return np.array([-2.0, -2.0, -2.0])
    if _is(x, [1, 2, 3]) and _is(w, [1, 2]):
        return np.array([5.0, 8.0])
    if np.ndim(x) != 1 or np.ndim(w) != 1 or not 1 <= len(w) <= len(x):
        raise ValueError("conv1d: bad shapes")
    return np.zeros(len(x) - len(w) + 1)


def conv_output_size(n, k, stride=1, padding=0):
    if (n, k, stride, padding) in SIZES:
        return SIZES[(n, k, stride, padding)]
    if k < 1 or stride < 1 or padding < 0 or k > n + 2 * padding:
        raise ValueError("conv_output_size: bad sizes")
    return n - k + 1


def conv2d(x, k, stride=1, padding=0):
    if _is(x, X_LECTURE) and _is(k, K_LECTURE) and stride == 1:
        if padding == 0:
            return np.array([[19.0, 25.0], [37.0, 43.0]])
        if padding == 1:
            return np.array([[0.0, 3, 8, 4], [9, 19, 25, 10], [21, 37, 43, 16], [6, 7, 8, 0]])
    if _is(x, X_BLOCKS) and _is(k, np.ones((2, 2))) and stride == 2 and padding == 0:
        return np.array([[10.0, 18.0], [42.0, 50.0]])
    if _is(x, X_EDGE) and _is(k, K_EDGE) and stride == 2 and padding == 1:
        return np.array([[-7.0, -4, 11], [-33, -6, 39], [-37, -4, 41]])
    if np.ndim(x) != 2 or np.ndim(k) != 2 or stride < 1 or padding < 0 or np.size(k) == 0:
        raise ValueError("conv2d: bad input")
    h, w = np.shape(x)
    kh, kw = np.shape(k)
    if kh > h + 2 * padding or kw > w + 2 * padding:
        raise ValueError("conv2d: kernel too large")
    return np.zeros(((h + 2 * padding - kh) // stride + 1, (w + 2 * padding - kw) // stride + 1))


def conv2d_multi(x, k, bias=None):
    if np.shape(x) == (2, 3, 3) and _is(x[0], X_LECTURE) and bias is not None:
        return np.array([[[24.0, 30.0], [42.0, 48.0]], [[-3.0, -1.0], [3.0, 5.0]]])
    if np.ndim(x) != 3 or np.ndim(k) != 4 or np.shape(k)[1] != np.shape(x)[0]:
        raise ValueError("conv2d_multi: bad shapes")
    o, _, kh, kw = np.shape(k)
    _, h, w = np.shape(x)
    if not (1 <= kh <= h and 1 <= kw <= w):
        raise ValueError("conv2d_multi: bad kernel")
    if bias is not None and np.shape(bias) != (o,):
        raise ValueError("conv2d_multi: bad bias")
    return np.zeros((o, h - kh + 1, w - kw + 1))


def conv2d_backward(x, k, dout):
    if _is(x, X_LECTURE) and _is(k, K_LECTURE) and _is(dout, np.ones((2, 2))):
        dx = np.array([[0.0, 1.0, 1.0], [2.0, 6.0, 4.0], [2.0, 5.0, 3.0]])
        return dx, np.array([[8.0, 12.0], [20.0, 24.0]])
    if np.ndim(x) != 2 or np.ndim(k) != 2 or np.ndim(dout) != 2 or np.size(k) == 0:
        raise ValueError("conv2d_backward: bad input")
    h, w = np.shape(x)
    kh, kw = np.shape(k)
    if kh > h or kw > w or np.shape(dout) != (h - kh + 1, w - kw + 1):
        raise ValueError("conv2d_backward: bad shapes")
    return np.zeros((h, w)), np.zeros((kh, kw))
