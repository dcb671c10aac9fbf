"""Hostile: use the instructor's reference solution (import it, or read it by path)."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
for up in range(1, 6):
    sys.path.insert(0, os.path.abspath(os.path.join(HERE, *[".."] * up)))


def _reference():
    try:
        import solutions.lec01_vectors as ref

        return ref
    except ImportError:
        pass
    for up in range(1, 6):
        path = os.path.join(HERE, *[".."] * up, "solutions", "lec01_vectors.py")
        if os.path.exists(path):
            namespace = {}
            with open(path) as f:
                exec(f.read(), namespace)
            return type("Ref", (), {k: staticmethod(v) for k, v in namespace.items() if callable(v)})
    raise ImportError("no reference solution found")


def hadamard(x, y):
    return _reference().hadamard(x, y)


def l1_norm(x):
    return _reference().l1_norm(x)


def l2_norm(x):
    return _reference().l2_norm(x)


def l1_distance(x, y):
    return _reference().l1_distance(x, y)


def l2_distance(x, y):
    return _reference().l2_distance(x, y)


def angle(x, y):
    return _reference().angle(x, y)


def projection(x, y):
    return _reference().projection(x, y)
