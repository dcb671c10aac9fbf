"""Hostile: write a perfect Gradescope results.json wherever it might be picked up."""
import json
import os

PERFECT = {"score": 100.0, "tests": [{"name": "all", "score": 100.0, "max_score": 100.0, "status": "passed"}]}


def _write():
    for folder in (os.getcwd(), os.environ.get("HOME", "."), os.path.dirname(os.path.abspath(__file__))):
        try:
            with open(os.path.join(folder, "results.json"), "w") as f:
                json.dump(PERFECT, f)
        except OSError:
            pass


_write()


def _answer(*args):
    _write()
    return 0.0


hadamard = l1_norm = l2_norm = l1_distance = l2_distance = angle = projection = _answer
