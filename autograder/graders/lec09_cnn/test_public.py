"""Public tests for lec09_cnn: students run these with `aimath check`.

Convolution here is cross-correlation, as in CNN libraries: the kernel is not flipped. Every
output is checked for its shape first (conv_output_size, for strides and padding), then for its
values against oracles written another way (a loop over the kernel's offsets, numpy's correlate);
a kernel flipped as in the textbook convolution fails with a message that says so. The lecture's
example is checked as printed, every function also on random inputs. conv2d_backward is checked
against centred differences of the loss sum(conv2d(x, k) * dout) of the submission's own conv2d
(the losses are computed here, never by the submission).
"""

import numpy as np
import pytest

from autograder.checks import check_raises
from autograder.graders.lec09_cnn.support import (
    FROM_YOUR_CONV2D,
    check_conv1d,
    check_conv2d,
    check_conv2d_multi,
    check_gradient_part,
    check_output,
    check_size,
    differences_of_conv2d,
    dk_mistakes,
    dx_mistakes,
    full_convolution,
    gradient_pair,
    kernel_gradient,
    positions,
)
from autograder.i18n import msg

# The lecture's example (AI Math 9강): a 3x3 input and a 2x2 kernel give a 2x2 output.
X_LECTURE = np.arange(9).reshape(3, 3)
K_LECTURE = np.array([[0, 1], [2, 3]])
OUT_LECTURE = np.array([[19, 25], [37, 43]])
ONES_2X2 = np.ones((2, 2))  # dout of the lecture's backward example: dL/dout = 1 everywhere
# The same with one zero of padding on every side: a 4x4 output.
OUT_LECTURE_PADDED = np.array(
    [[0, 3, 8, 4], [9, 19, 25, 10], [21, 37, 43, 16], [6, 7, 8, 0]]
)  # fmt: skip
# Sums of the four 2x2 blocks of arange(16).reshape(4, 4): stride 2, the blocks do not overlap.
X_BLOCKS = np.arange(16).reshape(4, 4)
OUT_BLOCKS = np.array([[10, 18], [42, 50]])
# A vertical-edge kernel on arange(25).reshape(5, 5), padding 1 and stride 2: a 3x3 output.
X_EDGE = np.arange(25).reshape(5, 5)
K_EDGE = np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]])
OUT_EDGE = np.array([[-7, -4, 11], [-33, -6, 39], [-37, -4, 41]])
# Output sizes: floor((n + 2 padding - k) / stride) + 1. (n, k, stride, padding) -> size; among
# them AlexNet's first layer (227, 11, stride 4) and ResNet's (224, 7, stride 2, padding 3).
OUTPUT_SIZES = [
    ((5, 3), 3), ((32, 5), 28), ((4, 4), 1), ((1, 1), 1), ((28, 3, 1, 1), 28),
    ((7, 3, 2), 3), ((6, 3, 2), 2), ((5, 3, 2, 1), 3), ((227, 11, 4), 55),
    ((224, 7, 2, 3), 112), ((10, 4, 3), 3), ((3, 5, 1, 1), 1),
]  # fmt: skip


def image(rng, shape, *, integers=False):
    if integers:
        return rng.integers(-4, 5, size=shape)
    return rng.normal(size=shape)


def sizes(rng, *, low=2, high=8):
    return tuple(int(s) for s in rng.integers(low, high, size=2))


# -- conv1d ---------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_conv1d(sub, rng):
    """conv1d: the kernel slides unflipped (fixed and random signals, k = 1 and k = n)"""
    for x, w, expected in (
        ([1, 2, 3, 4, 5], [1, 0, -1], [-2, -2, -2]),
        ([1, 2, 3], [1, 2], [5, 8]),
    ):
        check_conv1d(sub.conv1d(np.array(x), np.array(w)), x, w, name=sub.last_call,
                     expected=expected)  # fmt: skip
    for n, k in ((10, 3), (7, 1), (6, 6), (12, 5), (2, 2)):
        x, w = image(rng, n), image(rng, k)
        check_conv1d(sub.conv1d(x, w), x, w, name=sub.last_call)
    x, w = image(rng, 9, integers=True), image(rng, 4, integers=True)
    check_conv1d(sub.conv1d(x, w), x, w, name=sub.last_call)


@pytest.mark.points(1)
def test_conv1d_invalid(sub, rng):
    """conv1d: a kernel longer than x or empty, or x or w not 1-D, raise ValueError"""
    n = int(rng.integers(3, 9))
    x, w = image(rng, n), image(rng, n - 1)
    check_conv1d(sub.conv1d(x, w), x, w, name=sub.last_call)
    for bad_x, bad_w in (
        (x, image(rng, n + 1)), (x, image(rng, n + int(rng.integers(2, 5)))), (x, np.zeros(0)),
        (x.reshape(n, 1), w[:2]), (x.reshape(1, n), w[:2]), (x, w[:2].reshape(2, 1)),
        (x, w[:2].reshape(1, 2)), (x.reshape(n, 1), w[:1].reshape(1, 1)), (np.array(1.0), w[:1]),
        (x, np.array(1.0)),
    ):  # fmt: skip
        check_raises(ValueError, sub.conv1d, bad_x, bad_w)


# -- conv_output_size -----------------------------------------------------------------------
@pytest.mark.points(2)
def test_conv_output_size(sub, rng):
    """conv_output_size: floor((n + 2 padding - k) / stride) + 1 as an int, fixed and random"""
    for args, expected in OUTPUT_SIZES:
        check_size(sub.conv_output_size(*args), expected, name=sub.last_call)
    for _ in range(12):
        n, k = int(rng.integers(1, 40)), int(rng.integers(1, 8))
        stride, padding = int(rng.integers(1, 5)), int(rng.integers(0, 4))
        if k > n + 2 * padding:
            n = k + int(rng.integers(0, 10))
        check_size(sub.conv_output_size(n, k, stride=stride, padding=padding),
                   positions(n, k, stride, padding), name=sub.last_call)  # fmt: skip
    n = int(rng.integers(3, 30))
    check_size(sub.conv_output_size(n, 3), n - 2, name=sub.last_call)


@pytest.mark.points(1)
def test_conv_output_size_invalid(sub, rng):
    """conv_output_size: k < 1, stride < 1, padding < 0 or k > n + 2 padding raise ValueError"""
    n, padding = int(rng.integers(2, 12)), int(rng.integers(1, 4))
    # The edges that are allowed: a kernel as large as the padded input, k = 1, stride 1.
    check_size(sub.conv_output_size(n, n + 2 * padding, 1, padding), 1, name=sub.last_call)
    check_size(sub.conv_output_size(n, n), 1, name=sub.last_call)
    check_size(sub.conv_output_size(n, 1, 1, 0), n, name=sub.last_call)
    for args in (
        (n, 0), (n, -1), (n, 2, 0), (n, 2, -1), (n, 2, 1, -1), (n, 1, 2, -2), (n, n + 1),
        (n, n + 2 * padding + 1, 1, padding), (n, n + 2 * padding + 2, 2, padding),
        (n, n + 3, 1, 1),
    ):  # fmt: skip
        check_raises(ValueError, sub.conv_output_size, *args)


# -- conv2d ---------------------------------------------------------------------------------
@pytest.mark.points(3)
def test_conv2d_lecture_example(sub, rng):
    """conv2d: the lecture's example gives [[19, 25], [37, 43]]; random inputs too"""
    check_conv2d(sub.conv2d(X_LECTURE, K_LECTURE), X_LECTURE, K_LECTURE, name=sub.last_call,
                 expected=OUT_LECTURE)  # fmt: skip
    for shape, kernel in (((5, 6), (3, 3)), ((4, 7), (2, 3)), ((6, 3), (3, 1)), ((3, 4), (3, 4)),
                          ((8, 8), (1, 1)), ((7, 5), (4, 2))):  # fmt: skip
        x, k = image(rng, shape), image(rng, kernel)
        check_conv2d(sub.conv2d(x, k), x, k, name=sub.last_call)
    x, k = image(rng, sizes(rng, low=4), integers=True), image(rng, (3, 2), integers=True)
    check_conv2d(sub.conv2d(x, k), x, k, name=sub.last_call)


@pytest.mark.points(3)
def test_conv2d_padding(sub, rng):
    """conv2d: zero padding on every side (padding 1 keeps a 3x3 kernel's output the size of x)"""
    check_conv2d(sub.conv2d(X_LECTURE, K_LECTURE, padding=1), X_LECTURE, K_LECTURE, 1, 1,
                 name=sub.last_call, expected=OUT_LECTURE_PADDED)  # fmt: skip
    for shape, kernel, padding in (((5, 6), (3, 3), 1), ((4, 4), (2, 3), 2), ((3, 5), (5, 5), 1),
                                   ((6, 2), (1, 2), 3), ((2, 3), (4, 4), 1), ((1, 1), (3, 1), 2),
                                   ((5, 4), (3, 2), 0)):  # fmt: skip
        x, k = image(rng, shape), image(rng, kernel)
        check_conv2d(sub.conv2d(x, k, padding=padding), x, k, 1, padding, name=sub.last_call)
    h, w = sizes(rng)
    x, k = image(rng, (h, w)), image(rng, (3, 3))
    check_conv2d(sub.conv2d(x, k, 1, 2), x, k, 1, 2, name=sub.last_call)


@pytest.mark.points(3)
def test_conv2d_stride(sub, rng):
    """conv2d: the kernel moves `stride` over the input (with padding, strides that do not divide)"""
    check_conv2d(sub.conv2d(X_BLOCKS, np.ones((2, 2)), stride=2), X_BLOCKS, np.ones((2, 2)), 2,
                 name=sub.last_call, expected=OUT_BLOCKS)  # fmt: skip
    check_conv2d(sub.conv2d(X_EDGE, K_EDGE, stride=2, padding=1), X_EDGE, K_EDGE, 2, 1,
                 name=sub.last_call, expected=OUT_EDGE)  # fmt: skip
    check_conv2d(sub.conv2d(X_EDGE, K_EDGE, 2, 1), X_EDGE, K_EDGE, 2, 1, name=sub.last_call)
    for shape, kernel, stride, padding in (((7, 7), (3, 3), 2, 0), ((8, 6), (2, 3), 3, 0),
                                           ((6, 9), (3, 2), 2, 1), ((5, 8), (1, 1), 4, 0),
                                           ((9, 7), (4, 3), 3, 2), ((4, 5), (2, 2), 5, 0),
                                           ((6, 6), (3, 3), 2, 1)):  # fmt: skip
        x, k = image(rng, shape), image(rng, kernel)
        check_conv2d(sub.conv2d(x, k, stride=stride, padding=padding), x, k, stride, padding,
                     name=sub.last_call)  # fmt: skip


@pytest.mark.points(1)
def test_conv2d_invalid(sub, rng):
    """conv2d: bad ndim, an empty or too large kernel, stride < 1 or padding < 0 raise ValueError"""
    h, w = sizes(rng, low=3)
    x, k = image(rng, (h, w)), image(rng, (2, 3))
    check_conv2d(sub.conv2d(x, k), x, k, name=sub.last_call)
    # A kernel larger than x that fits once x is padded is allowed.
    big = image(rng, (h + 2, w + 1))
    check_conv2d(sub.conv2d(x, big, padding=1), x, big, 1, 1, name=sub.last_call)
    for args, kwargs in (
        ((x[0], k), {}), ((x, k[0]), {}), ((x[None], k), {}), ((x, k[None]), {}),
        ((x, np.zeros((0, 2))), {}), ((x, np.zeros((2, 0))), {}),
        ((x, image(rng, (h + 1, 2))), {}), ((x, image(rng, (2, w + 1))), {}),
        ((x, image(rng, (h + 3, 2))), {"padding": 1}),
        ((x, image(rng, (1, w + 5))), {"padding": 2}),
        ((x, k), {"stride": 0}), ((x, k), {"stride": -1}), ((x, k), {"stride": -2}),
        ((x, k), {"padding": -1}), ((x, k), {"stride": 0, "padding": 1}),
    ):  # fmt: skip
        check_raises(ValueError, sub.conv2d, *args, **kwargs)


# -- conv2d_multi ---------------------------------------------------------------------------
@pytest.mark.points(3)
def test_conv2d_multi(sub, rng):
    """conv2d_multi: each output channel sums conv2d over the input channels, plus its bias"""
    x = np.stack([X_LECTURE, np.ones((3, 3))])
    k = np.stack([np.stack([K_LECTURE, np.ones((2, 2))]), np.stack([np.eye(2), -K_LECTURE])])
    # Output 0: the lecture's [[19, 25], [37, 43]] plus 4 (the ones) plus the bias 1; output 1:
    # x[0]'s diagonal pairs [[4, 6], [10, 12]] minus 6 (the sum of K) minus the bias 1.
    bias = np.array([1.0, -1.0])
    check_conv2d_multi(sub.conv2d_multi(x, k, bias), x, k, bias, name=sub.last_call,
                       expected=[[[24, 30], [42, 48]], [[-3, -1], [3, 5]]])  # fmt: skip
    for c, o, shape, kernel in ((3, 2, (5, 6), (3, 3)), (1, 4, (4, 5), (2, 2)),
                                (4, 1, (6, 4), (3, 2)), (2, 3, (3, 3), (3, 3)),
                                (5, 2, (7, 6), (1, 4))):  # fmt: skip
        x, k, bias = image(rng, (c, *shape)), image(rng, (o, c, *kernel)), image(rng, o)
        check_conv2d_multi(sub.conv2d_multi(x, k, bias), x, k, bias, name=sub.last_call)
    x, k = image(rng, (2, 5, 5), integers=True), image(rng, (3, 2, 2, 3), integers=True)
    bias = image(rng, 3, integers=True)
    check_conv2d_multi(sub.conv2d_multi(x, k, bias), x, k, bias, name=sub.last_call)


@pytest.mark.points(2)
def test_conv2d_multi_bias(sub, rng):
    """conv2d_multi: bias=None (the default) adds nothing; each output channel gets its own bias"""
    for c, o, shape, kernel in ((2, 3, (5, 4), (2, 2)), (3, 1, (4, 6), (3, 3)),
                                (1, 2, (3, 5), (2, 4))):  # fmt: skip
        x, k = image(rng, (c, *shape)), image(rng, (o, c, *kernel))
        check_conv2d_multi(sub.conv2d_multi(x, k), x, k, name=sub.last_call)
        check_conv2d_multi(sub.conv2d_multi(x, k, None), x, k, name=sub.last_call)
        bias = 10.0 * image(rng, o)
        check_conv2d_multi(sub.conv2d_multi(x, k, bias=bias), x, k, bias, name=sub.last_call)


@pytest.mark.points(1)
def test_conv2d_multi_invalid(sub, rng):
    """conv2d_multi: bad ndim or channels (broadcastable too), bad kernel or bias raise ValueError"""
    c, o = (int(s) for s in rng.integers(2, 5, size=2))
    h, w = sizes(rng, low=3)
    x, k, bias = image(rng, (c, h, w)), image(rng, (o, c, 2, 3)), image(rng, o)
    check_conv2d_multi(sub.conv2d_multi(x, k, bias), x, k, bias, name=sub.last_call)
    for args in (
        (x[0], k[:, 0]), (x[0], k), (x[None], k), (x, k[0]), (x, k[None]),
        (x, image(rng, (o, c + 1, 2, 2))), (x, image(rng, (o, 1, 2, 2))),
        (x[:1], image(rng, (o, c, 2, 2))), (x, np.zeros((o, c, 0, 2))), (x, np.zeros((o, c, 2, 0))),
        (x, image(rng, (o, c, h + 1, 2))), (x, image(rng, (o, c, 2, w + 1))),
        (x, k, image(rng, o + 1)), (x, k, image(rng, 1)), (x, k, image(rng, (o, 1))),
        (x, k, np.array(1.0)), (x, k, image(rng, (1, o))),
    ):  # fmt: skip
        check_raises(ValueError, sub.conv2d_multi, *args)


# -- conv2d_backward ------------------------------------------------------------------------
BACKWARD_SHAPES = (((4, 5), (2, 3)), ((6, 6), (3, 3)), ((3, 4), (3, 4)), ((5, 3), (1, 2)),
                   ((7, 6), (4, 2)))  # fmt: skip


@pytest.mark.points(3)
def test_conv2d_backward_dx(sub, rng):
    """conv2d_backward: dx agrees with centred differences of your conv2d's loss"""
    dx, dk = gradient_pair(sub.conv2d_backward(X_LECTURE, K_LECTURE, ONES_2X2), X_LECTURE,
                           K_LECTURE, name=sub.last_call)  # fmt: skip
    check_output(dx, np.array([[0.0, 1.0, 1.0], [2.0, 6.0, 4.0], [2.0, 5.0, 3.0]]),
                 name=f"{sub.last_call}[0] (dx)",
                 mistakes=dx_mistakes(ONES_2X2, K_LECTURE))  # fmt: skip
    for shape, kernel in BACKWARD_SHAPES:
        x, k = image(rng, shape), image(rng, kernel)
        dout = image(rng, (shape[0] - kernel[0] + 1, shape[1] - kernel[1] + 1))
        expected = differences_of_conv2d(sub, x, k, dout, "x")
        dx, _ = gradient_pair(sub.conv2d_backward(x, k, dout), x, k, name=sub.last_call)
        check_gradient_part(dx, expected, name=f"{sub.last_call}[0] (dx)",
                            mistakes=dx_mistakes(dout, k),
                            expected_from=msg("lec09_cnn.from_your_conv2d_by",
                                              source=FROM_YOUR_CONV2D, wrt="x"))  # fmt: skip


@pytest.mark.points(3)
def test_conv2d_backward_dk(sub, rng):
    """conv2d_backward: dk agrees with centred differences of your conv2d's loss"""
    dx, dk = gradient_pair(sub.conv2d_backward(X_LECTURE, K_LECTURE, ONES_2X2), X_LECTURE,
                           K_LECTURE, name=sub.last_call)  # fmt: skip
    check_output(dk, np.array([[8.0, 12.0], [20.0, 24.0]]), name=f"{sub.last_call}[1] (dk)",
                 mistakes=dk_mistakes(X_LECTURE, ONES_2X2))  # fmt: skip
    for shape, kernel in BACKWARD_SHAPES:
        x, k = image(rng, shape), image(rng, kernel)
        dout = image(rng, (shape[0] - kernel[0] + 1, shape[1] - kernel[1] + 1))
        expected = differences_of_conv2d(sub, x, k, dout, "k")
        _, dk = gradient_pair(sub.conv2d_backward(x, k, dout), x, k, name=sub.last_call)
        check_gradient_part(dk, expected, name=f"{sub.last_call}[1] (dk)",
                            mistakes=dk_mistakes(x, dout),
                            expected_from=msg("lec09_cnn.from_your_conv2d_by",
                                              source=FROM_YOUR_CONV2D, wrt="k"))  # fmt: skip


@pytest.mark.points(1)
def test_conv2d_backward_invalid(sub, rng):
    """conv2d_backward: dout of another shape, inputs not 2-D, a bad kernel raise ValueError"""
    h, w = sizes(rng, low=4)
    x, k = image(rng, (h, w)), image(rng, (2, 3))
    dout = image(rng, (h - 1, w - 2))
    dx, dk = gradient_pair(sub.conv2d_backward(x, k, dout), x, k, name=sub.last_call)
    check_output(dx, full_convolution(dout, k), name=f"{sub.last_call}[0] (dx)",
                 mistakes=dx_mistakes(dout, k))  # fmt: skip
    check_output(dk, kernel_gradient(x, dout), name=f"{sub.last_call}[1] (dk)",
                 mistakes=dk_mistakes(x, dout))  # fmt: skip
    bad = [
        (x, k, image(rng, (h, w - 2))), (x, k, image(rng, (h - 1, w - 1))),
        (x, k, image(rng, (h - 2, w - 2))), (x, k, image(rng, (h - 1, w - 3))),
        (x, k, dout.ravel()), (x, k, dout[None]), (x[0], k, dout), (x, k[0], dout),
        (x[None], k, dout), (x, np.zeros((0, 3)), image(rng, (h + 1, w - 2))),
        (x, np.zeros((2, 0)), image(rng, (h - 1, w + 1))), (x, np.zeros((0, 3)), dout),
        (x, image(rng, (h + 1, 1)), image(rng, (0, w))), (x, image(rng, (1, w + 1)), dout),
    ]  # fmt: skip
    if dout.shape[0] != dout.shape[1]:
        bad.append((x, k, dout.T))
    for args in bad:
        check_raises(ValueError, sub.conv2d_backward, *args)
