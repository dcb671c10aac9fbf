"""Hostile: kill the process with exit status 0 from inside every function."""
import os


def _answer(*args):
    os._exit(0)


hadamard = l1_norm = l2_norm = l1_distance = l2_distance = angle = projection = _answer
