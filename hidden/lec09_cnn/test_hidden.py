"""Hidden tests for lec09_cnn: unseen sizes, strides, paddings, channels and integer inputs,
compared with the reference; the backward pass also with centred differences of the reference's
conv2d, at the edges (a 1x1 output, a 1x1 kernel, images of one row)."""

import numpy as np
import pytest

from autograder.checks import (
    GRADIENT_MATCH_ATOL,
    GRADIENT_MATCH_MAX_ERROR,
    check_gradient,
    check_raises,
)
from autograder.graders.lec09_cnn.support import (
    LINEAR_FD_STEP,
    check_conv1d,
    check_conv2d,
    check_conv2d_multi,
    check_size,
    gradient_pair,
    linear_loss,
)
from autograder.numerics import numerical_gradient

pytestmark = pytest.mark.hidden

FROM_REFERENCE = "the reference's conv2d_backward"
FROM_REFERENCE_FORWARD = "centred differences of sum(conv2d(x, k) * dout) of the reference's conv2d"
# Two analytic gradients computed in another order agree to rounding.
MATCH = {"max_error": GRADIENT_MATCH_MAX_ERROR, "atol": GRADIENT_MATCH_ATOL}


def draw(rng, shape, integers=False):
    return rng.integers(-6, 7, size=shape) if integers else 2.0 * rng.normal(size=shape)


def check_backward(sub, ref, x, k, dout):
    """conv2d_backward's (dx, dk) against centred differences of the reference's conv2d and
    against the reference's backward pass."""
    dx, dk = gradient_pair(sub.conv2d_backward(x, k, dout), x, k, name=sub.last_call)
    grads = {"dx": dx, "dk": dk}
    params = {"x": x, "k": k}
    numerical = numerical_gradient(lambda p: linear_loss(ref.conv2d(p["x"], p["k"]), dout), params,
                                   h=LINEAR_FD_STEP)  # fmt: skip
    check_gradient(grads, {"dx": numerical["x"], "dk": numerical["k"]}, name=sub.last_call,
                   expected_from=FROM_REFERENCE_FORWARD)  # fmt: skip
    ref_dx, ref_dk = ref.conv2d_backward(x, k, dout)
    check_gradient(grads, {"dx": ref_dx, "dk": ref_dk}, name=sub.last_call, **MATCH,
                   expected_from=FROM_REFERENCE)  # fmt: skip


@pytest.mark.points(1)
def test_hidden_conv1d(sub, ref, rng):
    """conv1d: unseen signals (long ones, integers, k = n); bad shapes raise ValueError"""
    for n, k, integers in ((200, 7, False), (13, 13, False), (9, 2, True), (4, 1, True)):
        x, w = draw(rng, n, integers), draw(rng, k, integers)
        check_conv1d(sub.conv1d(x, w), x, w, name=sub.last_call, expected=ref.conv1d(x, w))
    n = int(rng.integers(2, 10))
    x = draw(rng, n)
    for bad_x, bad_w in ((x, draw(rng, n + 1)), (x, np.zeros(0)), (x[None], x[:1]),
                         (x, x[None, :1]), (x[:, None], x[:1, None])):  # fmt: skip
        check_raises(ValueError, sub.conv1d, bad_x, bad_w)


@pytest.mark.points(1)
def test_hidden_conv_output_size(sub, ref, rng):
    """conv_output_size: unseen sizes, strides, paddings; sizes that do not fit raise ValueError"""
    for _ in range(20):
        n, k = int(rng.integers(1, 300)), int(rng.integers(1, 12))
        stride, padding = int(rng.integers(1, 7)), int(rng.integers(0, 6))
        if k > n + 2 * padding:
            k = n + 2 * padding - int(rng.integers(0, 2)) if n + 2 * padding > 1 else 1
        check_size(sub.conv_output_size(n, k, stride, padding),
                   ref.conv_output_size(n, k, stride, padding), name=sub.last_call)  # fmt: skip
    n, padding = int(rng.integers(1, 50)), int(rng.integers(0, 5))
    for args in ((n, n + 2 * padding + 1, 1, padding), (n, 3, 0, padding), (n, 0, 2, padding),
                 (n, 3, 2, -padding - 1), (n, -2, 1, padding), (n, 2, -3, padding)):  # fmt: skip
        check_raises(ValueError, sub.conv_output_size, *args)


@pytest.mark.points(3)
def test_hidden_conv2d(sub, ref, rng):
    """conv2d: unseen images, kernels, strides, paddings (large, integer, kernels larger than x)"""
    for shape, kernel, stride, padding, integers in (
        ((30, 40), (5, 5), 1, 0, False), ((17, 11), (3, 4), 2, 1, False),
        ((9, 12), (2, 5), 3, 2, True), ((6, 6), (6, 6), 1, 0, False),
        ((2, 5), (5, 3), 1, 2, False), ((13, 8), (3, 3), 4, 3, False),
        ((10, 10), (7, 1), 2, 0, True), ((1, 9), (1, 3), 1, 0, False),
        ((8, 7), (4, 4), 2, 1, False),
    ):  # fmt: skip
        x, k = draw(rng, shape, integers), draw(rng, kernel, integers)
        check_conv2d(sub.conv2d(x, k, stride=stride, padding=padding), x, k, stride, padding,
                     name=sub.last_call,
                     expected=ref.conv2d(x, k, stride=stride, padding=padding))  # fmt: skip


@pytest.mark.points(1)
def test_hidden_conv2d_invalid(sub, ref, rng):
    """conv2d and conv2d_multi: unseen misfits, strides and paddings raise ValueError"""
    h, w = (int(s) for s in rng.integers(3, 9, size=2))
    padding = int(rng.integers(1, 3))
    x, k = draw(rng, (h, w)), draw(rng, (2, 2))
    check_conv2d(sub.conv2d(x, k, padding=padding), x, k, 1, padding, name=sub.last_call,
                 expected=ref.conv2d(x, k, padding=padding))  # fmt: skip
    for args, kwargs in (
        ((x, draw(rng, (h + 2 * padding + 1, 1))), {"padding": padding}),
        ((x, draw(rng, (1, w + 2 * padding + 1))), {"padding": padding}),
        ((x, draw(rng, (h + 1, w + 1))), {}), ((x.ravel(), k), {}), ((x, k.ravel()), {}),
        ((x, k), {"stride": -int(rng.integers(1, 4))}), ((x, k), {"padding": -padding}),
        ((x, np.zeros((0, 0))), {"padding": padding}),
    ):  # fmt: skip
        check_raises(ValueError, sub.conv2d, *args, **kwargs)
    c, o = (int(s) for s in rng.integers(2, 5, size=2))
    x3, k4 = draw(rng, (c, h, w)), draw(rng, (o, c, 2, 2))
    check_conv2d_multi(sub.conv2d_multi(x3, k4), x3, k4, name=sub.last_call,
                       expected=ref.conv2d_multi(x3, k4))  # fmt: skip
    for args in ((x3, draw(rng, (o, c - 1, 2, 2))), (x3, k4[:, :1]), (x3[:1], k4),
                 (x3, draw(rng, (o, c, h + 1, 1))), (x3, k4, draw(rng, o - 1)),
                 (x3, k4, draw(rng, (o, 1, 1))), (x3, k4, draw(rng, 1)),
                 (x3, np.zeros((o, c, 2, 0)))):  # fmt: skip
        check_raises(ValueError, sub.conv2d_multi, *args)


@pytest.mark.points(2)
def test_hidden_conv2d_multi(sub, ref, rng):
    """conv2d_multi: unseen channels, sizes and biases (none, integers, a kernel as large as x)"""
    for c, o, shape, kernel, integers, with_bias in (
        (3, 5, (9, 7), (3, 3), False, True), (6, 2, (4, 8), (2, 5), False, False),
        (1, 1, (5, 5), (5, 5), False, True), (2, 4, (6, 5), (3, 2), True, True),
        (4, 3, (3, 10), (1, 1), False, True), (2, 2, (7, 3), (4, 3), True, False),
    ):  # fmt: skip
        x, k = draw(rng, (c, *shape), integers), draw(rng, (o, c, *kernel), integers)
        bias = draw(rng, o, integers) if with_bias else None
        check_conv2d_multi(sub.conv2d_multi(x, k, bias), x, k, bias, name=sub.last_call,
                           expected=ref.conv2d_multi(x, k, bias))  # fmt: skip


@pytest.mark.points(3)
def test_hidden_conv2d_backward(sub, ref, rng):
    """conv2d_backward: unseen shapes match the reference and its conv2d's centred differences"""
    for shape, kernel, integers in (((8, 9), (3, 4), False), ((5, 5), (2, 2), True),
                                    ((6, 4), (5, 1), False), ((4, 7), (2, 6), False),
                                    ((9, 6), (3, 3), True)):  # fmt: skip
        x, k = draw(rng, shape, integers), draw(rng, kernel, integers)
        dout = draw(rng, (shape[0] - kernel[0] + 1, shape[1] - kernel[1] + 1), integers)
        check_backward(sub, ref, x, k, dout)


@pytest.mark.points(2)
def test_hidden_conv2d_backward_edges(sub, ref, rng):
    """conv2d_backward: 1x1 outputs and kernels, one-row and one-column images; misfits raise"""
    for shape, kernel in (((4, 5), (4, 5)), ((6, 3), (1, 1)), ((1, 8), (1, 3)), ((7, 1), (2, 1)),
                          ((1, 1), (1, 1))):  # fmt: skip
        x, k = draw(rng, shape), draw(rng, kernel)
        dout = draw(rng, (shape[0] - kernel[0] + 1, shape[1] - kernel[1] + 1))
        check_backward(sub, ref, x, k, dout)
    h, w = (int(s) for s in rng.integers(3, 8, size=2))
    x, k = draw(rng, (h, w)), draw(rng, (2, 2))
    for dout in (draw(rng, (h, w)), draw(rng, (h - 1, w)), draw(rng, (h - 1,)),
                 draw(rng, (h - 1, w - 1, 1))):  # fmt: skip
        check_raises(ValueError, sub.conv2d_backward, x, k, dout)
    check_raises(ValueError, sub.conv2d_backward, x, draw(rng, (h, w + 1)), draw(rng, (1, 0)))
