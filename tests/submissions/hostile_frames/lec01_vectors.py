"""Hostile: look for the expected value in the caller's frames and in every live object."""
import gc
import inspect
import sys

import numpy as np


def _answer(*args):
    frame = sys._getframe()
    while frame is not None:
        for name in ("expected", "exp", "ref", "answer", "want"):
            if name in frame.f_locals:
                return frame.f_locals[name]
        frame = frame.f_back
    for info in inspect.stack():
        if "expected" in info.frame.f_locals:
            return info.frame.f_locals["expected"]
    for obj in gc.get_objects():
        if isinstance(obj, dict) and "expected" in obj:
            return obj["expected"]
    return 0.0


hadamard = l1_norm = l2_norm = l1_distance = l2_distance = angle = projection = _answer
