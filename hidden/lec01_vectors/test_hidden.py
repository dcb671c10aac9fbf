"""Hidden tests for lec01_vectors: unseen random inputs, expected values from the reference solution."""

import numpy as np
import pytest

from autograder.checks import check_close, check_raises

pytestmark = pytest.mark.hidden

# The angle of (anti)parallel vectors is arccos of a cosine that rounding leaves one or two ulps
# away from +-1, and arccos(1 - eps) = sqrt(2 eps) ~ 2e-8: the reference itself returns ~2e-8
# instead of 0, and a correct submission may return exactly 0.
ANGLE_ATOL = 1e-6

SIZES = (1, 3, 17, 200)


def _vector(rng, n, kind):
    """A random, nonzero vector of length n: normal floats, floats of one scale, or integers."""
    if kind == "int":
        x = rng.integers(-50, 51, size=n)
        x[0] = x[0] or 1  # never the zero vector: angle and projection are undefined for it
        return x
    if kind == "scaled":
        return rng.normal(size=n) * 10.0 ** rng.uniform(-3, 3)
    return rng.normal(size=n)


def _pairs(rng, sizes=SIZES):
    for n in sizes:
        for kind in ("normal", "scaled", "int"):
            yield _vector(rng, n, kind), _vector(rng, n, kind)


@pytest.mark.points(1)
def test_hidden_hadamard(sub, ref, rng):
    """hadamard: random vectors of several lengths and dtypes, and a broadcastable mismatch"""
    for x, y in _pairs(rng):
        check_close(sub.hadamard(x, y), ref.hadamard(x, y), name=sub.last_call)
    n = int(rng.integers(2, 10))
    check_raises(ValueError, sub.hadamard, rng.normal(size=n), rng.normal(size=1))


@pytest.mark.points(1)
def test_hidden_l1_norm(sub, ref, rng):
    """l1_norm: random vectors of several lengths and dtypes"""
    for x, _ in _pairs(rng):
        check_close(sub.l1_norm(x), ref.l1_norm(x), name=sub.last_call)


@pytest.mark.points(1)
def test_hidden_l2_norm(sub, ref, rng):
    """l2_norm: random vectors of several lengths and dtypes"""
    for x, _ in _pairs(rng):
        check_close(sub.l2_norm(x), ref.l2_norm(x), name=sub.last_call)


@pytest.mark.points(1)
def test_hidden_l1_distance(sub, ref, rng):
    """l1_distance: random vectors of several lengths, and a broadcastable mismatch"""
    for x, y in _pairs(rng):
        check_close(sub.l1_distance(x, y), ref.l1_distance(x, y), name=sub.last_call)
    n = int(rng.integers(2, 10))
    check_raises(ValueError, sub.l1_distance, rng.normal(size=1), rng.normal(size=n))


@pytest.mark.points(1)
def test_hidden_l2_distance(sub, ref, rng):
    """l2_distance: random vectors of several lengths, and a broadcastable mismatch"""
    for x, y in _pairs(rng):
        check_close(sub.l2_distance(x, y), ref.l2_distance(x, y), name=sub.last_call)
    n = int(rng.integers(2, 10))
    check_raises(ValueError, sub.l2_distance, rng.normal(size=1), rng.normal(size=n))


@pytest.mark.points(2)
def test_hidden_angle(sub, ref, rng):
    """angle: random vectors of several lengths, and orthogonal vectors"""
    for x, y in _pairs(rng, sizes=(2, 3, 17, 200)):
        check_close(sub.angle(x, y), ref.angle(x, y), name=sub.last_call)
    x, y = rng.normal(size=8), rng.normal(size=8)
    y = y - ref.projection(y, x)
    check_close(sub.angle(x, y), np.pi / 2, name=sub.last_call)


def _rounding_pairs(rng, count, max_tries=400):
    """Random integer pairs (x, k x) whose cosine <x, y> / (||x|| ||y||) rounds past +-1.

    About one pair in five does. Integer entries make the sums exact, so the rounding (in the
    square roots, product and division) is the same whether a submission uses np.dot, np.sum of
    products or np.linalg.norm.
    """
    pairs = []
    for _ in range(max_tries):
        x = rng.integers(-9, 10, size=int(rng.integers(2, 12)))
        k = int(rng.choice([-1, 1])) * int(rng.integers(1, 7))
        if not x.any():
            continue
        y = k * x
        if abs(np.dot(x, y) / (np.linalg.norm(x) * np.linalg.norm(y))) > 1:
            pairs.append((x, y))
            if len(pairs) == count:
                break
    return pairs


@pytest.mark.points(2)
def test_hidden_angle_parallel(sub, ref, rng):
    """angle: random parallel and opposite vectors, some whose cosine rounds past 1"""
    for n in (2, 9, 60):
        x = rng.normal(size=n)
        for c in (rng.uniform(0.1, 10.0), -rng.uniform(0.1, 10.0)):
            check_close(sub.angle(x, c * x), ref.angle(x, c * x), atol=ANGLE_ATOL,
                        name=sub.last_call)  # fmt: skip
    for x, y in _rounding_pairs(rng, 4):
        check_close(sub.angle(x, y), ref.angle(x, y), atol=ANGLE_ATOL, name=sub.last_call)


@pytest.mark.points(1)
def test_hidden_angle_zero_vector(sub, ref, rng):
    """angle: zero vectors of unseen lengths, and a broadcastable mismatch, raise ValueError"""
    n = int(rng.integers(2, 10))
    x, y = rng.normal(size=n), rng.normal(size=n)
    check_close(sub.angle(x, y), ref.angle(x, y), name=sub.last_call)
    check_raises(ValueError, sub.angle, x, np.zeros(n))
    check_raises(ValueError, sub.angle, np.zeros(n), y)
    check_raises(ValueError, sub.angle, np.zeros(n), np.zeros(n))
    check_raises(ValueError, sub.angle, x, rng.normal(size=1))
    check_raises(ValueError, sub.angle, rng.normal(size=1), y)


@pytest.mark.points(2)
def test_hidden_projection(sub, ref, rng):
    """projection: random vectors of several lengths, dtypes and scales"""
    for x, y in _pairs(rng):
        check_close(sub.projection(x, y), ref.projection(x, y), name=sub.last_call)


@pytest.mark.points(1)
def test_hidden_projection_zero_direction(sub, ref, rng):
    """projection: a zero direction or a broadcastable mismatch of unseen length raises ValueError"""
    n = int(rng.integers(2, 10))
    x, y = rng.normal(size=n), rng.normal(size=n)
    check_close(sub.projection(x, y), ref.projection(x, y), name=sub.last_call)
    check_raises(ValueError, sub.projection, x, np.zeros(n))
    check_raises(ValueError, sub.projection, x, rng.normal(size=1))
