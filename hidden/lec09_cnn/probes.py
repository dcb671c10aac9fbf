"""Probe inputs of lec09_cnn for `aimath mutants`: inputs only, never expected values.

A mutant that survives the graders and its reference are both called on every input below, each
in a sandboxed worker, and what they return (or raise) is compared. The inputs are numpy arrays
of floats and of small integers (not lists, NaN or infinity) and Python ints for sizes, on which
the reference's behaviour is the specification: the lecture's example, random signals, images and
kernels of several shapes (square and not, a kernel as large as the input, 1x1 kernels, one-row
images), strides that divide and that do not, paddings, several channels (one input or output
channel too), biases and None, and inputs the reference rejects (ValueError): shapes that do not
fit (broadcastable ones included), empty kernels, strides below 1 and negative paddings.
"""

import numpy as np

# The lecture's example (AI Math 9강).
X = np.arange(9).reshape(3, 3)
K = np.array([[0, 1], [2, 3]])


def probes(rng):
    """(function name, args, kwargs) for every function of lec09_cnn."""
    out = []
    # conv1d: several lengths, k = 1 and k = n, integers; too long, empty, not 1-D.
    x = rng.normal(size=8)
    for args in ((x, rng.normal(size=3)), (x, rng.normal(size=1)), (x, rng.normal(size=8)),
                 (np.arange(6), np.array([1, 0, -1])), (x, rng.normal(size=9)), (x, np.zeros(0)),
                 (x.reshape(2, 4), rng.normal(size=2)), (x, rng.normal(size=(2, 1))),
                 (x, rng.normal(size=(1, 2))), (np.array(1.0), np.array([1.0])),
                 (x, np.array(2.0))):  # fmt: skip
        out.append(("conv1d", args, {}))
    # conv_output_size: strides that divide and that do not, paddings, the edge k = n + 2p; k,
    # stride or padding out of range.
    for args in ((5, 3), (7, 3, 2), (6, 3, 2), (5, 3, 2, 1), (4, 6, 1, 1), (1, 1), (9, 4, 3, 2),
                 (10, 1, 4), (3, 4), (3, 6, 1, 1), (3, 7, 1, 1), (5, 0), (5, 2, 0), (5, 2, -1),
                 (5, 2, 1, -1), (5, -1, 1, 0), (2, 3, 1, 0)):  # fmt: skip
        out.append(("conv_output_size", args, {}))
    # conv2d: the lecture's example, shapes square and not, strides, paddings, kernels as large
    # as the (padded) input, integers; shapes that do not fit, empty kernels, bad strides.
    for shape, kernel, stride, padding in (
        ((3, 3), None, 1, 0), ((5, 6), (3, 3), 1, 0), ((4, 7), (2, 3), 1, 1),
        ((6, 6), (3, 3), 2, 0), ((7, 5), (2, 2), 3, 1), ((3, 4), (3, 4), 1, 0),
        ((2, 3), (4, 5), 1, 1), ((1, 6), (1, 2), 2, 0),
        ((5, 5), (1, 1), 1, 2), ((8, 9), (4, 3), 2, 2), ((6, 5), (3, 2), 4, 0),
    ):  # fmt: skip
        if kernel is None:
            x_, k_ = X, K
        else:
            x_, k_ = rng.normal(size=shape), rng.normal(size=kernel)
        out.append(("conv2d", (x_, k_), {"stride": stride, "padding": padding}))
    out.append(("conv2d", (rng.integers(-3, 4, size=(5, 4)), rng.integers(-2, 3, size=(2, 2))), {}))
    out.append(("conv2d", (rng.normal(size=(5, 5)), rng.normal(size=(3, 3)), 2, 1), {}))
    x2 = rng.normal(size=(4, 5))
    for args, kwargs in (
        ((x2[0], K), {}), ((x2, K[0]), {}), ((x2[None], K), {}), ((x2, K[None]), {}),
        ((x2, np.zeros((0, 2))), {}), ((x2, np.zeros((2, 0))), {}), ((x2, np.zeros((0, 0))), {}),
        ((x2, rng.normal(size=(5, 2))), {}), ((x2, rng.normal(size=(2, 6))), {}),
        ((x2, rng.normal(size=(7, 2))), {"padding": 1}), ((x2, K), {"stride": 0}),
        ((x2, K), {"stride": -1}), ((x2, K), {"padding": -1}), ((x2, K), {"stride": -2}),
    ):  # fmt: skip
        out.append(("conv2d", args, kwargs))
    # conv2d_multi: several channels (one input or output channel), biases and None, integers;
    # channels that differ (by broadcasting too), kernels empty or too large, bad biases.
    for c, o, shape, kernel in ((3, 2, (5, 6), (3, 3)), (1, 3, (4, 4), (2, 3)),
                                (2, 1, (3, 5), (3, 5)), (4, 2, (6, 3), (1, 1))):  # fmt: skip
        x3, k4 = rng.normal(size=(c, *shape)), rng.normal(size=(o, c, *kernel))
        out.append(("conv2d_multi", (x3, k4), {}))
        out.append(("conv2d_multi", (x3, k4, rng.normal(size=o)), {}))
    x3, k4 = rng.integers(-3, 4, size=(2, 4, 4)), rng.integers(-2, 3, size=(3, 2, 2, 2))
    out.append(("conv2d_multi", (x3, k4, np.array([1, -1, 2])), {}))
    out.append(("conv2d_multi", (x3, k4, None), {}))
    x3, k4 = rng.normal(size=(3, 5, 5)), rng.normal(size=(2, 3, 2, 2))
    for args in ((x3[0], k4[:, 0]), (x3, k4[0]), (x3[None], k4), (x3, k4[None]),
                 (x3, rng.normal(size=(2, 4, 2, 2))), (x3, k4[:, :1]), (x3[:1], k4),
                 (x3, np.zeros((2, 3, 0, 2))), (x3, np.zeros((2, 3, 2, 0))),
                 (x3, rng.normal(size=(2, 3, 6, 2))), (x3, rng.normal(size=(2, 3, 2, 6))),
                 (x3, k4, np.zeros(3)), (x3, k4, np.zeros(1)), (x3, k4, np.zeros((2, 1))),
                 (x3, k4, np.array(1.0)), (x3, k4, np.zeros((1, 2)))):  # fmt: skip
        out.append(("conv2d_multi", args, {}))
    # conv2d_backward: shapes square and not, a 1x1 output, a 1x1 kernel, one-row images,
    # integers; douts of other shapes, inputs not 2-D, kernels empty or larger than x.
    for shape, kernel in (((3, 3), (2, 2)), ((5, 6), (3, 2)), ((4, 4), (4, 4)), ((6, 3), (1, 1)),
                          ((1, 7), (1, 3)), ((6, 5), (2, 4))):  # fmt: skip
        x_, k_ = rng.normal(size=shape), rng.normal(size=kernel)
        dout = rng.normal(size=(shape[0] - kernel[0] + 1, shape[1] - kernel[1] + 1))
        out.append(("conv2d_backward", (x_, k_, dout), {}))
    out.append(("conv2d_backward", (X, K, np.ones((2, 2))), {}))
    out.append(("conv2d_backward", (X, K, np.array([[1, -1], [2, 0]])), {}))
    x_, k_, dout = rng.normal(size=(5, 6)), rng.normal(size=(2, 3)), rng.normal(size=(4, 4))
    for args in ((x_, k_, rng.normal(size=(5, 4))), (x_, k_, rng.normal(size=(4, 5))),
                 (x_, k_, rng.normal(size=(3, 4))), (x_, k_, dout.ravel()), (x_, k_, dout[None]),
                 (x_[0], k_, dout), (x_, k_[0], dout), (x_[None], k_, dout),
                 (x_, np.zeros((0, 3)), rng.normal(size=(6, 4))), (x_, np.zeros((2, 0)), dout),
                 (x_, rng.normal(size=(6, 1)), rng.normal(size=(0, 6))),
                 (x_, rng.normal(size=(1, 7)), dout),
                 (x_, k_, rng.normal(size=(1, 4)))):  # fmt: skip
        out.append(("conv2d_backward", args, {}))
    return out
