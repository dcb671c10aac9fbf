"""Hostile: never return, hoping the grader gives up and counts the test as passed."""


def _answer(*args):
    while True:
        pass


hadamard = l1_norm = l2_norm = l1_distance = l2_distance = angle = projection = _answer
