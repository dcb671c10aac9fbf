"""Hostile: end the process "successfully" from inside every function."""
import sys


def _answer(*args):
    sys.exit(0)


hadamard = l1_norm = l2_norm = l1_distance = l2_distance = angle = projection = _answer
