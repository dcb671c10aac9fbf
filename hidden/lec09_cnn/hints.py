"""Known mistakes of lec09_cnn and the hint each gets (see autograder/hints.py).

A flipped kernel, a stride applied to the output, dx without the flipped kernel and dk as a mean
are named by its graders' own messages (support.check_output, support.check_gradient_part)."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from autograder.hints import Hint, same_value, where_it_differs
from autograder.i18n import msg


def _short_size(n, k, stride=1, padding=0):
    """The output size one short: floor((n + 2 padding - k + 1) / stride)."""
    if k < 1 or stride < 1 or padding < 0 or k > n + 2 * padding:
        raise ValueError("the reference raises: no mistake to name")
    return (n + 2 * padding - k + 1) // stride


def _wrong_size(n, k, stride=1, padding=0):
    """conv_output_size's mistake, where it gives another size than the right one."""
    if _short_size(n, k, stride, padding) == (n + 2 * padding - k) // stride + 1:
        raise ValueError("the right size: the mistake changes nothing here")
    return _short_size(n, k, stride, padding)


def _conv2d(x, k, stride=1, padding=0, *, pad_width=None, size=None):
    """conv2d's cross-correlation, padded by pad_width (np.pad's) and cut to size (rows, cols)."""
    x, k = np.asarray(x, dtype=float), np.asarray(k, dtype=float)
    if x.ndim != 2 or k.ndim != 2 or stride < 1 or padding < 0:
        raise ValueError("the reference raises: no mistake to name")
    xp = np.pad(x, padding if pad_width is None else pad_width)
    if k.size == 0 or k.shape[0] > xp.shape[0] or k.shape[1] > xp.shape[1]:
        raise ValueError("the kernel does not fit")
    windows = sliding_window_view(xp, k.shape)[::stride, ::stride]
    if size is not None:
        windows = windows[: size[0], : size[1]]
    return np.einsum("ijmn,mn->ij", windows, k)


def _conv2d_short(x, k, stride=1, padding=0):
    sizes = [
        _short_size(n, kn, stride, padding) for n, kn in zip(np.shape(x), np.shape(k), strict=True)
    ]
    return _conv2d(x, k, stride, padding, size=sizes)


def _conv2d_top_left(x, k, stride=1, padding=0):
    return _conv2d(x, k, stride, padding, pad_width=((padding, 0), (padding, 0)))


def _unless_also(mistake, other):
    """``mistake``, but none where ``other`` gives the same output: the zeros on two sides only
    and the output cut one short both drop the last rows and columns, so where they return the
    same array, a hint could not tell which mistake it is."""

    def wrong(*args, **kwargs):
        output = mistake(*args, **kwargs)
        try:
            ambiguous = same_value(output, other(*args, **kwargs))
        except ValueError:
            ambiguous = False
        if ambiguous:
            raise ValueError("both mistakes give this output")
        return output

    return wrong


HINTS = [
    Hint("conv_output_size", msg("lec09_cnn.hint_output_size_off_by_one"),
         _wrong_size, "lec09_output_size_off_by_one"),
    Hint("conv2d", msg("lec09_cnn.hint_conv2d_output_size_off_by_one"),
         where_it_differs(_unless_also(_conv2d_short, _conv2d_top_left), _conv2d),
         "lec09_output_size_off_by_one"),
    Hint("conv2d", msg("lec09_cnn.hint_padding_one_side"),
         where_it_differs(_unless_also(_conv2d_top_left, _conv2d_short), _conv2d),
         "lec09_padding_one_side"),
]  # fmt: skip
