"""Hostile: return objects that claim to equal anything."""
import numpy as np


class AlwaysEqual(np.ndarray):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False


class AlwaysEqualFloat(float):
    def __eq__(self, other):
        return True


def _answer(x, *args):
    if np.ndim(x) == 0:
        return AlwaysEqualFloat(0.0)
    return np.zeros(np.shape(x)).view(AlwaysEqual)


hadamard = l1_distance = l2_distance = angle = projection = _answer


def l1_norm(x):
    return AlwaysEqualFloat(0.0)


def l2_norm(x):
    return np.zeros(1).view(AlwaysEqual)
