"""Hostile: make every numpy comparison succeed at import time, then return wrong answers."""
import numpy as np
import numpy.testing

np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.broadcast(a, b).shape, dtype=bool)
np.array_equal = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
np.testing.assert_array_equal = lambda *args, **kwargs: None
numpy.testing.assert_almost_equal = lambda *args, **kwargs: None


def _answer(x, *args):
    return np.zeros_like(np.asarray(x, dtype=float)) if np.ndim(x) else 0.0


hadamard = l1_norm = l2_norm = l1_distance = l2_distance = angle = projection = _answer
