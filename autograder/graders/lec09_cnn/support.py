"""Helpers shared by the public and hidden tests of lec09_cnn: plain numpy oracles (a loop over the
kernel's offsets, numpy's correlate), checks that tell a flipped kernel and a stride applied to the
output from other wrong values, and the loss the trusted test computes from a forward pass."""

import numpy as np

from autograder.checks import (
    DEFAULT_ATOL,
    DEFAULT_RTOL,
    CheckError,
    check_close,
    check_equal,
    check_gradient,
    check_shape,
)
from autograder.failures import EXPECTED, RETURNED, Failure
from autograder.formatting import format_value
from autograder.i18n import msg
from autograder.numerics import differences_of_calls

FLIPPED_HINT = msg("lec09_cnn.hint_flipped_kernel")
LINEAR_FD_STEP = 1e-3
"""The step of the centred differences of L = sum(conv2d(x, k) * dout). L is linear in x and in k,
so the differences have no truncation error at any step, only rounding, ~eps |L| / h: with
numerics.FD_STEP (1e-5) it reached 1.0e-7 (GRADIENT_ATOL itself) on the hidden tests' integer
data (|L| ~ 1e3), where a gradient entry that is exactly 0 would fail; with 1e-3 it is at most
9.3e-10 (measured on 800 such problems)."""
STRIDE_HINT = msg("lec09_cnn.hint_stride_on_output")


# -- oracles ------------------------------------------------------------------------------------
def positions(n, k, stride=1, padding=0):
    """How many places a kernel of size k takes on n + 2 padding cells, `stride` apart (counted)."""
    return len(range(0, n + 2 * padding - k + 1, stride))


def zero_padded(x, padding):
    """x inside a frame of `padding` zeros on every side."""
    x = np.asarray(x, dtype=float)
    out = np.zeros((x.shape[0] + 2 * padding, x.shape[1] + 2 * padding))
    out[padding : padding + x.shape[0], padding : padding + x.shape[1]] = x
    return out


def cross_correlation(x, k, stride=1, padding=0):
    """sum_{m, n} k[m, n] xp[i * stride + m, j * stride + n], one kernel offset at a time."""
    xp = zero_padded(x, padding)
    k = np.asarray(k, dtype=float)
    kh, kw = k.shape
    rows = positions(x.shape[0], kh, stride, padding)
    cols = positions(x.shape[1], kw, stride, padding)
    out = np.zeros((rows, cols))
    for m in range(kh):
        for n in range(kw):
            out += k[m, n] * xp[m : m + stride * rows : stride, n : n + stride * cols : stride]
    return out


def true_convolution(x, k, stride=1, padding=0):
    """The textbook convolution: the cross-correlation with the kernel turned by 180 degrees."""
    return cross_correlation(x, np.rot90(np.asarray(k, dtype=float), 2), stride, padding)


def stride_on_output(x, k, stride, padding=0):
    """The mistake: the stride-1 output cut to the strided output's size (xp[i + m, j + n])."""
    full = cross_correlation(x, k, 1, padding)
    return full[: positions(x.shape[0], len(k), stride, padding),
                : positions(x.shape[1], len(k[0]), stride, padding)]  # fmt: skip


def channels_oracle(x, k, bias=None):
    """out[o] = sum_c cross_correlation(x[c], k[o, c]) + bias[o], channel by channel in Python."""
    out = np.array([sum(cross_correlation(xc, kc) for xc, kc in zip(x, ko, strict=True))
                    for ko in k])  # fmt: skip
    if bias is not None:
        out = out + np.asarray(bias, dtype=float).reshape(-1, 1, 1)
    return out


def full_convolution(dout, k):
    """dx[a, b] = sum_{i, j} dout[i, j] k[a - i, b - j]: each dout[i, j] spreads k over x."""
    dout, k = np.asarray(dout, dtype=float), np.asarray(k, dtype=float)
    dx = np.zeros((dout.shape[0] + k.shape[0] - 1, dout.shape[1] + k.shape[1] - 1))
    for i in range(dout.shape[0]):
        for j in range(dout.shape[1]):
            dx[i : i + k.shape[0], j : j + k.shape[1]] += dout[i, j] * k
    return dx


def kernel_gradient(x, dout):
    """dk[m, n] = sum_{i, j} x[i + m, j + n] dout[i, j]: x cross-correlated with dout."""
    return cross_correlation(x, dout)


# -- checks -------------------------------------------------------------------------------------
def _failure(name, problem, *details, **values):
    """A CheckError '<name> <problem>' then ``details``, one per line (``values``: returned and
    expected, the text shown where RETURNED and EXPECTED stand in ``details``)."""
    return CheckError(Failure(kind="wrong answer", problem=problem, call=name,
                              details=list(details), **values))  # fmt: skip


def _is_close(actual, expected):
    return (
        type(actual) is np.ndarray
        and actual.shape == expected.shape
        and actual.dtype.kind in "iuf"
        and bool(np.allclose(actual, expected, rtol=DEFAULT_RTOL, atol=DEFAULT_ATOL))
    )


def check_output(actual, expected, *, name, shape_note="", mistakes=()):
    """Shape first (with ``shape_note`` on how it is computed), then values; a wrong output that
    equals one of ``mistakes`` (pairs of the mistake's output and its hint) says which it is."""
    try:
        check_shape(actual, expected.shape, name=name, require_ndarray=True)
    except CheckError as exc:
        if shape_note:
            exc.failure.details.append(shape_note)
        raise CheckError(exc.failure) from None
    try:
        check_close(actual, expected, name=name, require_ndarray=True)
    except CheckError:
        for wrong, hint in mistakes:
            if _is_close(actual, wrong) and not _is_close(expected, wrong):
                raise _failure(
                    name, msg("lec09_cnn.wrong_values_mistake", hint=hint), RETURNED, EXPECTED,
                    returned=format_value(actual), expected=format_value(expected),
                ) from None  # fmt: skip
        raise


def output_note(x, k, stride, padding):
    h, w = np.shape(x)
    kh, kw = np.shape(k)
    return msg("lec09_cnn.output_size_note", rows=positions(h, kh, stride, padding),
               columns=positions(w, kw, stride, padding), x_shape=str(np.shape(x)),
               k_shape=str(np.shape(k)), stride=stride, padding=padding)  # fmt: skip


def check_conv1d(actual, x, w, *, name, expected=None):
    """conv1d's output against numpy's correlate (valid), or ``expected``, with the flipped
    kernel's hint."""
    if expected is None:
        expected = np.correlate(np.asarray(x, dtype=float), np.asarray(w, dtype=float), "valid")
    expected = np.asarray(expected, dtype=float)
    flipped = np.convolve(np.asarray(x, dtype=float), np.asarray(w, dtype=float), "valid")
    note = msg("lec09_cnn.conv1d_size_note", n=len(x), k=len(w))
    check_output(actual, expected, name=name, mistakes=[(flipped, FLIPPED_HINT)], shape_note=note)


def conv2d_mistakes(x, k, stride=1, padding=0):
    """The outputs of the known mistakes of conv2d on these inputs, with their hints."""
    mistakes = [(true_convolution(x, k, stride, padding), FLIPPED_HINT)]
    if stride > 1:
        mistakes.append((stride_on_output(x, k, stride, padding), STRIDE_HINT))
    return mistakes


def check_conv2d(actual, x, k, stride=1, padding=0, *, name, expected=None):
    """conv2d's output: shape (conv_output_size), then values (the oracle's, or ``expected``),
    with hints for a flipped kernel and a stride applied to the output."""
    if expected is None:
        expected = cross_correlation(x, k, stride, padding)
    check_output(actual, np.asarray(expected, dtype=float), name=name,
                 shape_note=output_note(x, k, stride, padding),
                 mistakes=conv2d_mistakes(x, k, stride, padding))  # fmt: skip


def check_conv2d_multi(actual, x, k, bias=None, *, name, expected=None):
    """conv2d_multi's output against the channel-by-channel oracle (or ``expected``), with the
    flipped kernel's hint."""
    o, _, kh, kw = np.shape(k)
    _, h, w = np.shape(x)
    if expected is None:
        expected = channels_oracle(x, k, bias)
    check_output(
        actual, np.asarray(expected, dtype=float), name=name,
        shape_note=msg("lec09_cnn.multi_shape_note", o=o, rows=h - kh + 1, columns=w - kw + 1),
        mistakes=[(channels_oracle(x, np.flip(k, axis=(2, 3)), bias), FLIPPED_HINT)],
    )  # fmt: skip


def gradient_pair(result, x, k, *, name):
    """The (dx, dk) conv2d_backward returned, after checking it is such a pair of arrays."""
    if type(result) not in (tuple, list) or len(result) != 2:
        raise _failure(name, msg("lec09_cnn.not_a_pair", value=format_value(result)))
    dx, dk = result
    check_shape(dx, np.shape(x), name=f"{name}[0] (dx)", require_ndarray=True)
    check_shape(dk, np.shape(k), name=f"{name}[1] (dk)", require_ndarray=True)
    return dx, dk


# -- gradient checking --------------------------------------------------------------------------
DX_HINT = msg("lec09_cnn.hint_dx_kernel_not_flipped")
DK_HINT = msg("lec09_cnn.hint_dk_mean")


def dx_mistakes(dout, k):
    """dx's known mistakes: the kernel not flipped in the full convolution."""
    return [(full_convolution(dout, np.rot90(np.asarray(k, dtype=float), 2)), DX_HINT)]


def dk_mistakes(x, dout):
    """dk's known mistakes: the mean over the positions instead of the sum."""
    return [(kernel_gradient(x, dout) / np.size(dout), DK_HINT)]


def check_gradient_part(actual, expected, *, name, mistakes=(), **kwargs):
    """check_gradient of dx or dk; a wrong one that equals a known mistake says which it is."""
    try:
        check_gradient(actual, expected, name=name, **kwargs)
    except CheckError as exc:
        for wrong, hint in mistakes:
            if _is_close(actual, wrong) and not _is_close(np.asarray(expected), wrong):
                exc.failure.details.append(hint)
                raise CheckError(exc.failure) from None
        raise


def linear_loss(out, dout):
    """L = sum(out * dout), whose gradient by out is dout."""
    return float(np.sum(np.asarray(out, dtype=float) * dout))


def differences_of_conv2d(sub, x, k, dout, wrt, *, h=LINEAR_FD_STEP):
    """Centred differences of L = sum(conv2d(x, k) * dout) of the submission's own conv2d by
    ``wrt``, "x" or "k": an array of x's or k's shape.

    The submission's conv2d is checked at (x, k) first (the gradient of a wrong forward pass would
    be checked otherwise), then called on every perturbed copy of x (or of k) in one batched call;
    the losses and the differences are computed here.
    """
    check_conv2d(sub.conv2d(x, k), x, k, name=sub.last_call)
    params = {wrt: x if wrt == "x" else k}

    def loss(out):  # sub.last_call names the batch here, after it ran
        name = msg("lec09_cnn.conv2d_moved", call=sub.last_call, wrt=wrt, h=h)
        check_shape(out, np.shape(dout), name=name, require_ndarray=True)
        if out.dtype.kind not in "biuf":
            raise _failure(name, msg("lec09_cnn.not_real", dtype=str(out.dtype)))
        return linear_loss(out, dout)

    def call_of(p):
        return (p["x"], k) if wrt == "x" else (x, p["k"])

    return differences_of_calls(sub.conv2d, params, call_of, loss, h=h)[wrt]


def check_size(actual, expected, *, name):
    """An output size: an integer (a Python or numpy int), equal to ``expected``."""
    if type(actual) is not int and not isinstance(actual, np.integer):
        raise _failure(
            name, msg("lec09_cnn.size_not_int", value=format_value(actual), expected=expected)
        )
    check_equal(actual, expected, name=name)


FROM_YOUR_CONV2D = msg("lec09_cnn.from_your_conv2d", h=LINEAR_FD_STEP)
