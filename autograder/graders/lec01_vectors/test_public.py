"""Public tests for lec01_vectors: students run these with `aimath check`.

Expected values are literals for the lecture's small integer vectors and plain numpy formulas for
random vectors; every test also calls the function on inputs the student has not seen.
"""

import numpy as np
import pytest

from autograder.checks import check_close, check_raises

# The angle of (anti)parallel vectors is arccos of a cosine that rounding leaves one or two ulps
# away from +-1, and arccos(1 - eps) = sqrt(2 eps) ~ 2e-8: a correct answer is ~2e-8 off 0 or pi.
ANGLE_ATOL = 1e-6

# The lecture's vectors.
X = np.array([1, 7, 2])
Y = np.array([5, 2, 1])


def mismatched(rng):
    """Random vectors of unseen lengths that differ: (n,) and (1,), which numpy broadcasts (only an
    explicit shape check catches them), and (n,) and (n + k,), both ways round."""
    n = int(rng.integers(2, 10))
    x, one, longer = rng.normal(size=n), rng.normal(size=1), rng.normal(size=n + rng.integers(1, 4))
    return [(x, one), (one, x), (x, longer), (longer, x)]


def _oracle_angle(x, y):
    cos = np.dot(x, y) / (np.linalg.norm(x) * np.linalg.norm(y))
    return np.arccos(np.clip(cos, -1.0, 1.0))


# -- hadamard --------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_hadamard_lecture_example(sub, rng):
    """hadamard: the lecture's vectors and random vectors"""
    check_close(sub.hadamard(X, Y), np.array([5.0, 14.0, 2.0]), name=sub.last_call)
    for n in (1, 4, 30):
        x, y = rng.normal(size=n), rng.normal(size=n)
        check_close(sub.hadamard(x, y), x * y, name=sub.last_call)
    x, y = rng.integers(-9, 10, size=6), rng.integers(-9, 10, size=6)
    check_close(sub.hadamard(x, y), x * y, name=sub.last_call)


@pytest.mark.points(1)
def test_hadamard_shape_mismatch(sub, rng):
    """hadamard: vectors of different shapes raise ValueError"""
    x, y = rng.normal(size=5), rng.normal(size=5)
    check_close(sub.hadamard(x, y), x * y, name=sub.last_call)
    check_raises(ValueError, sub.hadamard, np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0]))
    # Shapes (3,) and (1,) broadcast in numpy, so only an explicit shape check catches them.
    check_raises(ValueError, sub.hadamard, np.array([1.0, 2.0, 3.0]), np.array([2.0]))
    check_raises(ValueError, sub.hadamard, np.array([2.0]), np.array([1.0, 2.0, 3.0]))
    for x, y in mismatched(rng):
        check_raises(ValueError, sub.hadamard, x, y)


# -- norms -----------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_l1_norm_lecture_example(sub, rng):
    """l1_norm: the lecture's vectors and random vectors"""
    check_close(sub.l1_norm(X), 10.0, name=sub.last_call)
    check_close(sub.l1_norm(np.array([1, -1, 1])), 3.0, name=sub.last_call)
    for n in (1, 5, 50):
        x = rng.normal(size=n)
        check_close(sub.l1_norm(x), np.sum(np.abs(x)), name=sub.last_call)


@pytest.mark.points(1)
def test_l1_norm_special_vectors(sub, rng):
    """l1_norm: zero vector, negative entries and integer vectors"""
    check_close(sub.l1_norm(np.zeros(4)), 0.0, name=sub.last_call)
    x = -np.abs(rng.normal(size=7))
    check_close(sub.l1_norm(x), np.sum(np.abs(x)), name=sub.last_call)
    x = rng.integers(-20, 21, size=9)
    check_close(sub.l1_norm(x), np.sum(np.abs(x)), name=sub.last_call)


@pytest.mark.points(2)
def test_l2_norm_lecture_example(sub, rng):
    """l2_norm: the lecture's vector [1, 7, 2] and random vectors"""
    check_close(sub.l2_norm(X), np.sqrt(54), name=sub.last_call)
    for n in (1, 4, 50):
        x = rng.normal(size=n)
        check_close(sub.l2_norm(x), np.sqrt(np.sum(x**2)), name=sub.last_call)


@pytest.mark.points(1)
def test_l2_norm_special_vectors(sub, rng):
    """l2_norm: zero vector, a 3-4-5 triangle and scaled vectors"""
    check_close(sub.l2_norm(np.zeros(3)), 0.0, name=sub.last_call)
    check_close(sub.l2_norm(np.array([3, -4])), 5.0, name=sub.last_call)
    x = rng.normal(size=6)
    c = -rng.uniform(2.0, 10.0)
    check_close(sub.l2_norm(c * x), abs(c) * np.linalg.norm(x), name=sub.last_call)


# -- distances -------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_l1_distance_lecture_example(sub, rng):
    """l1_distance: the lecture's vectors and random vectors"""
    check_close(sub.l1_distance(X, Y), 10.0, name=sub.last_call)
    for n in (1, 5, 40):
        x, y = rng.normal(size=n), rng.normal(size=n)
        check_close(sub.l1_distance(x, y), np.sum(np.abs(x - y)), name=sub.last_call)
    check_close(sub.l1_distance(x, x), 0.0, name=sub.last_call)


@pytest.mark.points(1)
def test_l1_distance_shape_mismatch(sub, rng):
    """l1_distance: vectors of different shapes raise ValueError"""
    y = rng.normal(size=6)
    x = y + rng.uniform(0.5, 2.0, size=6) * np.array([1, -1, 1, -1, 1, -1])  # mixed signs
    check_close(sub.l1_distance(x, y), np.sum(np.abs(x - y)), name=sub.last_call)
    check_raises(ValueError, sub.l1_distance, np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0]))
    check_raises(ValueError, sub.l1_distance, np.array([1.0, 2.0, 3.0]), np.array([2.0]))
    for x, y in mismatched(rng):
        check_raises(ValueError, sub.l1_distance, x, y)


@pytest.mark.points(2)
def test_l2_distance_lecture_example(sub, rng):
    """l2_distance: the lecture's vectors and random vectors"""
    check_close(sub.l2_distance(X, Y), np.sqrt(42), name=sub.last_call)
    for n in (1, 5, 40):
        x, y = rng.normal(size=n), rng.normal(size=n)
        check_close(sub.l2_distance(x, y), np.linalg.norm(x - y), name=sub.last_call)
    check_close(sub.l2_distance(x, x), 0.0, name=sub.last_call)


@pytest.mark.points(1)
def test_l2_distance_shape_mismatch(sub, rng):
    """l2_distance: vectors of different shapes raise ValueError"""
    x, y = rng.normal(size=4), rng.normal(size=4)
    check_close(sub.l2_distance(x, y), np.linalg.norm(x - y), name=sub.last_call)
    check_raises(ValueError, sub.l2_distance, np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0]))
    check_raises(ValueError, sub.l2_distance, np.array([1.0, 2.0, 3.0]), np.array([2.0]))
    for x, y in mismatched(rng):
        check_raises(ValueError, sub.l2_distance, x, y)


# -- angle -----------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_angle_lecture_example(sub, rng):
    """angle: small integer vectors (in radians) and random vectors"""
    check_close(sub.angle(X, Y), np.arccos(21 / np.sqrt(54 * 30)), name=sub.last_call)
    check_close(sub.angle(np.array([1, 0]), np.array([1, 1])), np.pi / 4, name=sub.last_call)
    check_close(sub.angle(np.array([1, -1, 1]), np.array([0, 1, 1])), np.pi / 2,
                name=sub.last_call)  # fmt: skip
    check_close(sub.angle(np.array([1, 0]), np.array([-1, 1])), 3 * np.pi / 4, name=sub.last_call)
    for n in (2, 5, 30):
        x, y = rng.normal(size=n), rng.normal(size=n)
        check_close(sub.angle(x, y), _oracle_angle(x, y), name=sub.last_call)


@pytest.mark.points(2)
def test_angle_parallel_vectors(sub, rng):
    """angle: parallel vectors give 0 and opposite vectors pi (rounding must not give NaN)"""
    # For these pairs <x, y> / (||x|| ||y||) rounds to 1.0000000000000002 or -1.0000000000000002.
    pairs = [([1, -1, 1], [2, -2, 2]), ([1, -1, 1], [-1, 1, -1]), ([1, 1, 1], [1, 1, 1]),
             ([2, 3], [4, 6]), ([1, 1, 1], [-1, -1, -1])]  # fmt: skip
    for x, y in pairs:
        expected = 0.0 if np.dot(x, y) > 0 else np.pi
        check_close(sub.angle(np.array(x), np.array(y)), expected, atol=ANGLE_ATOL,
                    name=sub.last_call)  # fmt: skip
    for n in (2, 6):
        x = rng.normal(size=n)
        c = rng.uniform(0.5, 5.0)
        check_close(sub.angle(x, c * x), 0.0, atol=ANGLE_ATOL, name=sub.last_call)
        check_close(sub.angle(x, -c * x), np.pi, atol=ANGLE_ATOL, name=sub.last_call)


@pytest.mark.points(1)
def test_angle_invalid_input(sub, rng):
    """angle: a zero vector or vectors of different shapes raise ValueError"""
    x, y = rng.normal(size=4), rng.normal(size=4)
    check_close(sub.angle(x, y), _oracle_angle(x, y), name=sub.last_call)
    check_raises(ValueError, sub.angle, np.zeros(3), np.array([1.0, 7.0, 2.0]))
    check_raises(ValueError, sub.angle, np.array([1.0, 7.0, 2.0]), np.zeros(3))
    check_raises(ValueError, sub.angle, np.array([1.0, 7.0, 2.0]), np.array([5.0, 2.0]))
    # Shapes (3,) and (1,) broadcast in numpy, so only an explicit shape check catches them.
    check_raises(ValueError, sub.angle, np.array([1.0, 7.0, 2.0]), np.array([5.0]))
    n = int(rng.integers(2, 10))
    check_raises(ValueError, sub.angle, rng.normal(size=n), np.zeros(n))
    check_raises(ValueError, sub.angle, np.zeros(n), rng.normal(size=n))
    for x, y in mismatched(rng):
        check_raises(ValueError, sub.angle, x, y)


# -- projection ------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_projection_lecture_example(sub, rng):
    """projection: small integer vectors and random vectors"""
    check_close(sub.projection(X, Y), np.array([3.5, 1.4, 0.7]), name=sub.last_call)
    check_close(sub.projection(np.array([2, 3]), np.array([1, 0])), np.array([2.0, 0.0]),
                name=sub.last_call)  # fmt: skip
    for n in (2, 4, 25):
        x, y = rng.normal(size=n), rng.normal(size=n)
        check_close(sub.projection(x, y), (np.dot(x, y) / np.dot(y, y)) * y, name=sub.last_call)


@pytest.mark.points(2)
def test_projection_properties(sub, rng):
    """projection: onto itself, of parallel and orthogonal vectors, and with y rescaled"""
    n = 5
    x, y = rng.normal(size=n), rng.normal(size=n)
    check_close(sub.projection(y, y), y, name=sub.last_call)
    check_close(sub.projection(-2.5 * y, y), -2.5 * y, name=sub.last_call)
    orthogonal = x - (np.dot(x, y) / np.dot(y, y)) * y
    check_close(sub.projection(orthogonal, y), np.zeros(n), name=sub.last_call)
    # The projection depends on the direction of y only, not on its length.
    expected = (np.dot(x, y) / np.dot(y, y)) * y
    check_close(sub.projection(x, 4.0 * y), expected, name=sub.last_call)
    check_close(sub.projection(x, -0.1 * y), expected, name=sub.last_call)


@pytest.mark.points(1)
def test_projection_invalid_input(sub, rng):
    """projection: a zero direction or vectors of different shapes raise ValueError"""
    x, y = rng.normal(size=4), rng.normal(size=4)
    check_close(sub.projection(x, y), (np.dot(x, y) / np.dot(y, y)) * y, name=sub.last_call)
    check_raises(ValueError, sub.projection, np.array([1.0, 7.0, 2.0]), np.zeros(3))
    check_raises(ValueError, sub.projection, np.array([1.0, 7.0, 2.0]), np.array([5.0, 2.0]))
    check_raises(ValueError, sub.projection, np.array([1.0, 7.0, 2.0]), np.array([5.0]))
    n = int(rng.integers(2, 10))
    check_raises(ValueError, sub.projection, rng.normal(size=n), np.zeros(n))
    for x, y in mismatched(rng):
        check_raises(ValueError, sub.projection, x, y)
