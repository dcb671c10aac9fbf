"""Generate the nbgrader class of lec01_vectors: the source notebook, its student version and ~30 students.

    python tests/nbgrader_class/make_class.py            # (re)write the class
    python tests/nbgrader_class/make_class.py --check    # exit 1 if the committed class has drifted

What it writes, next to this file (all committed, so the class can be browsed):

- ``source/lec01_vectors/lec01_vectors.ipynb``: the instructor's notebook in nbgrader's format. One
  answer cell per function of ``solutions/lec01_vectors.py`` (its reference solution between
  ``### BEGIN SOLUTION`` and ``### END SOLUTION``) and one autograded test cell per aimath test of
  lec01 (16 public, 10 hidden), each worth the points of its aimath test (38 in all). A test cell
  checks what its aimath test checks (shapes, a single number, ValueError, the same tolerances) on
  the lecture's examples and on fixed random inputs, with expected values from numpy (np.linalg.norm,
  np.dot, np.arccos), never from the reference solution; the hidden tests' asserts sit between
  ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``.
- ``release/lec01_vectors/lec01_vectors.ipynb``: what the real ``nbgrader generate_assignment`` makes
  of it (the student version: stubs, hidden tests removed, checksums).
- ``submitted/<student>/lec01_vectors/lec01_vectors.ipynb``: the students, in nbgrader's layout: the
  student version with its answer cells filled in one particular way each (see ``STUDENTS``).
- ``students.json``: each student's one-line description.

Only the student version needs nbgrader (installed with ``pip install -e ".[nbgrader]"``);
``--check --no-nbgrader`` checks the source and the students against the committed student version.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ASSIGNMENT = "lec01_vectors"
COURSE_ID = "aimath_nbgrader_class"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
SOLUTION_FILE = REPO / "solutions" / f"{ASSIGNMENT}.py"
GOLDEN_DIR = REPO / "tests" / "submissions"
FUNCTIONS = ("hadamard", "l1_norm", "l2_norm", "l1_distance", "l2_distance", "angle", "projection")


# -- the source notebook: test cells --------------------------------------------------------------
@dataclass(frozen=True)
class TestCell:
    """One autograded test cell: the aimath test it stands for, its function and its points."""

    name: str
    function: str
    points: int
    hidden: bool
    source: str


def _cell(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


# Shared by the hidden test cells (inside their hidden region): the hidden tests' random vectors.
_HIDDEN_VECTORS = _cell('''
    def random_vector(rng, n, kind):
        """A random nonzero vector of length n: normal floats, floats of one scale, or integers."""
        if kind == "int":
            v = rng.integers(-50, 51, size=n)
            v[0] = v[0] or 1
            return v
        if kind == "scaled":
            return rng.normal(size=n) * 10.0 ** rng.uniform(-3, 3)
        return rng.normal(size=n)

    def random_pairs(rng, sizes=(1, 3, 17, 200)):
        kinds = ("normal", "scaled", "int")
        return [(random_vector(rng, n, k), random_vector(rng, n, k)) for n in sizes for k in kinds]
''')


def _hidden(summary: str, body: str) -> str:
    return "\n".join(
        [
            f"# Hidden tests: {summary}",
            "### BEGIN HIDDEN TESTS",
            _cell(body),
            "### END HIDDEN TESTS",
        ]
    )


TEST_CELLS: tuple[TestCell, ...] = (
    # -- hadamard --------------------------------------------------------------------------------
    TestCell("test_hadamard_lecture_example", "hadamard", 2, False, _cell("""
        # hadamard: the lecture's vectors and random vectors
        h = hadamard(np.array([1, 7, 2]), np.array([5, 2, 1]))
        assert np.shape(h) == (3,), "hadamard should return a vector of the inputs' shape"
        assert np.allclose(h, [5.0, 14.0, 2.0], rtol=1e-6, atol=1e-9)
        rng = np.random.default_rng(101)
        for n in (1, 4, 30):
            x, y = rng.normal(size=n), rng.normal(size=n)
            h = hadamard(x, y)
            assert np.shape(h) == (n,) and np.allclose(h, x * y, rtol=1e-6, atol=1e-9)
        x, y = rng.integers(-9, 10, size=6), rng.integers(-9, 10, size=6)
        h = hadamard(x, y)
        assert np.shape(h) == (6,) and np.allclose(h, x * y, rtol=1e-6, atol=1e-9)
    """)),
    TestCell("test_hadamard_shape_mismatch", "hadamard", 1, False, _cell("""
        # hadamard: vectors of different shapes raise ValueError
        rng = np.random.default_rng(102)
        x, y = rng.normal(size=5), rng.normal(size=5)
        h = hadamard(x, y)
        assert np.shape(h) == (5,) and np.allclose(h, x * y, rtol=1e-6, atol=1e-9)
        # Shapes (3,) and (1,) broadcast in numpy, so only an explicit shape check catches them.
        for a, b in [([1.0, 2.0, 3.0], [1.0, 2.0]), ([1.0, 2.0, 3.0], [2.0]), ([2.0], [1.0, 2.0, 3.0])]:
            try:
                hadamard(np.array(a), np.array(b))
            except ValueError:
                pass
            else:
                raise AssertionError(f"hadamard({a}, {b}) should raise ValueError")
    """)),
    # -- norms -----------------------------------------------------------------------------------
    TestCell("test_l1_norm_lecture_example", "l1_norm", 2, False, _cell("""
        # l1_norm: the lecture's vectors and random vectors
        v = l1_norm(np.array([1, 7, 2]))
        assert np.ndim(v) == 0, "l1_norm should return a single number"
        assert np.isclose(v, 10.0, rtol=1e-6, atol=1e-9)
        v = l1_norm(np.array([1, -1, 1]))
        assert np.ndim(v) == 0 and np.isclose(v, 3.0, rtol=1e-6, atol=1e-9)
        rng = np.random.default_rng(103)
        for n in (1, 5, 50):
            x = rng.normal(size=n)
            v = l1_norm(x)
            assert np.ndim(v) == 0 and np.isclose(v, np.linalg.norm(x, 1), rtol=1e-6, atol=1e-9)
    """)),
    TestCell("test_l1_norm_special_vectors", "l1_norm", 1, False, _cell("""
        # l1_norm: zero vector, negative entries and integer vectors
        v = l1_norm(np.zeros(4))
        assert np.ndim(v) == 0 and np.isclose(v, 0.0, rtol=1e-6, atol=1e-9)
        rng = np.random.default_rng(104)
        x = -np.abs(rng.normal(size=7))
        v = l1_norm(x)
        assert np.ndim(v) == 0 and np.isclose(v, np.linalg.norm(x, 1), rtol=1e-6, atol=1e-9)
        x = rng.integers(-20, 21, size=9)
        v = l1_norm(x)
        assert np.ndim(v) == 0 and np.isclose(v, np.linalg.norm(x, 1), rtol=1e-6, atol=1e-9)
    """)),
    TestCell("test_l2_norm_lecture_example", "l2_norm", 2, False, _cell("""
        # l2_norm: the lecture's vector [1, 7, 2] and random vectors
        v = l2_norm(np.array([1, 7, 2]))
        assert np.ndim(v) == 0, "l2_norm should return a single number"
        assert np.isclose(v, np.sqrt(54), rtol=1e-6, atol=1e-9)
        rng = np.random.default_rng(105)
        for n in (1, 4, 50):
            x = rng.normal(size=n)
            v = l2_norm(x)
            assert np.ndim(v) == 0 and np.isclose(v, np.linalg.norm(x), rtol=1e-6, atol=1e-9)
    """)),
    TestCell("test_l2_norm_special_vectors", "l2_norm", 1, False, _cell("""
        # l2_norm: zero vector, a 3-4-5 triangle and scaled vectors
        v = l2_norm(np.zeros(3))
        assert np.ndim(v) == 0 and np.isclose(v, 0.0, rtol=1e-6, atol=1e-9)
        v = l2_norm(np.array([3, -4]))
        assert np.ndim(v) == 0 and np.isclose(v, 5.0, rtol=1e-6, atol=1e-9)
        rng = np.random.default_rng(106)
        x = rng.normal(size=6)
        c = -rng.uniform(2.0, 10.0)
        v = l2_norm(c * x)
        assert np.ndim(v) == 0 and np.isclose(v, abs(c) * np.linalg.norm(x), rtol=1e-6, atol=1e-9)
    """)),
    # -- distances -------------------------------------------------------------------------------
    TestCell("test_l1_distance_lecture_example", "l1_distance", 2, False, _cell("""
        # l1_distance: the lecture's vectors and random vectors
        v = l1_distance(np.array([1, 7, 2]), np.array([5, 2, 1]))
        assert np.ndim(v) == 0, "l1_distance should return a single number"
        assert np.isclose(v, 10.0, rtol=1e-6, atol=1e-9)
        rng = np.random.default_rng(107)
        for n in (1, 5, 40):
            x, y = rng.normal(size=n), rng.normal(size=n)
            v = l1_distance(x, y)
            assert np.ndim(v) == 0 and np.isclose(v, np.linalg.norm(x - y, 1), rtol=1e-6, atol=1e-9)
        v = l1_distance(x, x)
        assert np.ndim(v) == 0 and np.isclose(v, 0.0, rtol=1e-6, atol=1e-9)
    """)),
    TestCell("test_l1_distance_shape_mismatch", "l1_distance", 1, False, _cell("""
        # l1_distance: vectors of different shapes raise ValueError
        rng = np.random.default_rng(108)
        y = rng.normal(size=6)
        x = y + rng.uniform(0.5, 2.0, size=6) * np.array([1, -1, 1, -1, 1, -1])  # mixed signs
        v = l1_distance(x, y)
        assert np.ndim(v) == 0 and np.isclose(v, np.linalg.norm(x - y, 1), rtol=1e-6, atol=1e-9)
        for a, b in [([1.0, 2.0, 3.0], [1.0, 2.0]), ([1.0, 2.0, 3.0], [2.0])]:
            try:
                l1_distance(np.array(a), np.array(b))
            except ValueError:
                pass
            else:
                raise AssertionError(f"l1_distance({a}, {b}) should raise ValueError")
    """)),
    TestCell("test_l2_distance_lecture_example", "l2_distance", 2, False, _cell("""
        # l2_distance: the lecture's vectors and random vectors
        v = l2_distance(np.array([1, 7, 2]), np.array([5, 2, 1]))
        assert np.ndim(v) == 0, "l2_distance should return a single number"
        assert np.isclose(v, np.sqrt(42), rtol=1e-6, atol=1e-9)
        rng = np.random.default_rng(109)
        for n in (1, 5, 40):
            x, y = rng.normal(size=n), rng.normal(size=n)
            v = l2_distance(x, y)
            assert np.ndim(v) == 0 and np.isclose(v, np.linalg.norm(x - y), rtol=1e-6, atol=1e-9)
        v = l2_distance(x, x)
        assert np.ndim(v) == 0 and np.isclose(v, 0.0, rtol=1e-6, atol=1e-9)
    """)),
    TestCell("test_l2_distance_shape_mismatch", "l2_distance", 1, False, _cell("""
        # l2_distance: vectors of different shapes raise ValueError
        rng = np.random.default_rng(110)
        x, y = rng.normal(size=4), rng.normal(size=4)
        v = l2_distance(x, y)
        assert np.ndim(v) == 0 and np.isclose(v, np.linalg.norm(x - y), rtol=1e-6, atol=1e-9)
        for a, b in [([1.0, 2.0, 3.0], [1.0, 2.0]), ([1.0, 2.0, 3.0], [2.0])]:
            try:
                l2_distance(np.array(a), np.array(b))
            except ValueError:
                pass
            else:
                raise AssertionError(f"l2_distance({a}, {b}) should raise ValueError")
    """)),
    # -- angle -----------------------------------------------------------------------------------
    TestCell("test_angle_lecture_example", "angle", 2, False, _cell("""
        # angle: small integer vectors (in radians) and random vectors
        examples = [
            ([1, 7, 2], [5, 2, 1], np.arccos(21 / np.sqrt(54 * 30))),
            ([1, 0], [1, 1], np.pi / 4),
            ([1, -1, 1], [0, 1, 1], np.pi / 2),
            ([1, 0], [-1, 1], 3 * np.pi / 4),
        ]
        for x, y, expected in examples:
            v = angle(np.array(x), np.array(y))
            assert np.ndim(v) == 0, "angle should return a single number"
            assert np.isclose(v, expected, rtol=1e-6, atol=1e-9), f"angle({x}, {y}) = {v}"
        rng = np.random.default_rng(111)
        for n in (2, 5, 30):
            x, y = rng.normal(size=n), rng.normal(size=n)
            cos = np.dot(x, y) / (np.linalg.norm(x) * np.linalg.norm(y))
            v = angle(x, y)
            assert np.ndim(v) == 0 and np.isclose(v, np.arccos(cos), rtol=1e-6, atol=1e-9)
    """)),
    TestCell("test_angle_parallel_vectors", "angle", 2, False, _cell("""
        # angle: parallel vectors give 0 and opposite vectors pi (rounding must not give NaN)
        # For these pairs <x, y> / (||x|| ||y||) rounds to 1.0000000000000002 or -1.0000000000000002,
        # and arccos(1 - eps) is 2e-8: a right answer may be that far from 0 or pi.
        pairs = [([1, -1, 1], [2, -2, 2]), ([1, -1, 1], [-1, 1, -1]), ([1, 1, 1], [1, 1, 1]),
                 ([2, 3], [4, 6]), ([1, 1, 1], [-1, -1, -1])]
        for x, y in pairs:
            expected = 0.0 if np.dot(x, y) > 0 else np.pi
            v = angle(np.array(x), np.array(y))
            assert np.ndim(v) == 0 and np.isclose(v, expected, rtol=1e-6, atol=1e-6), f"angle({x}, {y}) = {v}"
        rng = np.random.default_rng(112)
        for n in (2, 6):
            x = rng.normal(size=n)
            c = rng.uniform(0.5, 5.0)
            v = angle(x, c * x)
            assert np.ndim(v) == 0 and np.isclose(v, 0.0, rtol=1e-6, atol=1e-6)
            v = angle(x, -c * x)
            assert np.ndim(v) == 0 and np.isclose(v, np.pi, rtol=1e-6, atol=1e-6)
    """)),
    TestCell("test_angle_invalid_input", "angle", 1, False, _cell("""
        # angle: a zero vector or vectors of different shapes raise ValueError
        rng = np.random.default_rng(113)
        x, y = rng.normal(size=4), rng.normal(size=4)
        cos = np.dot(x, y) / (np.linalg.norm(x) * np.linalg.norm(y))
        v = angle(x, y)
        assert np.ndim(v) == 0 and np.isclose(v, np.arccos(cos), rtol=1e-6, atol=1e-9)
        for a, b in [([0.0, 0.0, 0.0], [1.0, 7.0, 2.0]), ([1.0, 7.0, 2.0], [0.0, 0.0, 0.0]),
                     ([1.0, 7.0, 2.0], [5.0, 2.0])]:
            try:
                angle(np.array(a), np.array(b))
            except ValueError:
                pass
            else:
                raise AssertionError(f"angle({a}, {b}) should raise ValueError")
    """)),
    # -- projection ------------------------------------------------------------------------------
    TestCell("test_projection_lecture_example", "projection", 2, False, _cell("""
        # projection: small integer vectors and random vectors
        p = projection(np.array([1, 7, 2]), np.array([5, 2, 1]))
        assert np.shape(p) == (3,), "projection should return a vector of the inputs' shape"
        assert np.allclose(p, [3.5, 1.4, 0.7], rtol=1e-6, atol=1e-9)
        p = projection(np.array([2, 3]), np.array([1, 0]))
        assert np.shape(p) == (2,) and np.allclose(p, [2.0, 0.0], rtol=1e-6, atol=1e-9)
        rng = np.random.default_rng(114)
        for n in (2, 4, 25):
            x, y = rng.normal(size=n), rng.normal(size=n)
            p = projection(x, y)
            expected = np.dot(x, y) / np.dot(y, y) * y
            assert np.shape(p) == (n,) and np.allclose(p, expected, rtol=1e-6, atol=1e-9)
    """)),
    TestCell("test_projection_properties", "projection", 2, False, _cell("""
        # projection: onto itself, of parallel and orthogonal vectors, and with y rescaled
        rng = np.random.default_rng(115)
        n = 5
        x, y = rng.normal(size=n), rng.normal(size=n)
        expected = np.dot(x, y) / np.dot(y, y) * y
        orthogonal = x - expected
        for a, b, e in [(y, y, y), (-2.5 * y, y, -2.5 * y), (orthogonal, y, np.zeros(n)),
                        (x, 4.0 * y, expected), (x, -0.1 * y, expected)]:
            p = projection(a, b)
            assert np.shape(p) == (n,) and np.allclose(p, e, rtol=1e-6, atol=1e-9)
    """)),
    TestCell("test_projection_invalid_input", "projection", 1, False, _cell("""
        # projection: a zero direction or vectors of different shapes raise ValueError
        rng = np.random.default_rng(116)
        x, y = rng.normal(size=4), rng.normal(size=4)
        p = projection(x, y)
        expected = np.dot(x, y) / np.dot(y, y) * y
        assert np.shape(p) == (4,) and np.allclose(p, expected, rtol=1e-6, atol=1e-9)
        for a, b in [([1.0, 7.0, 2.0], [0.0, 0.0, 0.0]), ([1.0, 7.0, 2.0], [5.0, 2.0]),
                     ([1.0, 7.0, 2.0], [5.0])]:
            try:
                projection(np.array(a), np.array(b))
            except ValueError:
                pass
            else:
                raise AssertionError(f"projection({a}, {b}) should raise ValueError")
    """)),
    # -- hidden tests ----------------------------------------------------------------------------
    TestCell("test_hidden_hadamard", "hadamard", 1, True, _hidden(
        "hadamard of unseen vectors of several lengths and dtypes, and a broadcastable mismatch",
        _HIDDEN_VECTORS + "\n\n" + _cell("""
            rng = np.random.default_rng(201)
            for x, y in random_pairs(rng):
                h = hadamard(x, y)
                assert np.shape(h) == x.shape and np.allclose(h, x * y, rtol=1e-6, atol=1e-9)
            n = int(rng.integers(2, 10))
            try:
                hadamard(rng.normal(size=n), rng.normal(size=1))
            except ValueError:
                pass
            else:
                raise AssertionError(f"hadamard of shapes ({n},) and (1,) should raise ValueError")
        """),
    )),
    TestCell("test_hidden_l1_norm", "l1_norm", 1, True, _hidden(
        "l1_norm of unseen vectors of several lengths and dtypes",
        _HIDDEN_VECTORS + "\n\n" + _cell("""
            rng = np.random.default_rng(202)
            for x, _ in random_pairs(rng):
                v = l1_norm(x)
                assert np.ndim(v) == 0 and np.isclose(v, np.linalg.norm(x, 1), rtol=1e-6, atol=1e-9)
        """),
    )),
    TestCell("test_hidden_l2_norm", "l2_norm", 1, True, _hidden(
        "l2_norm of unseen vectors of several lengths and dtypes",
        _HIDDEN_VECTORS + "\n\n" + _cell("""
            rng = np.random.default_rng(203)
            for x, _ in random_pairs(rng):
                v = l2_norm(x)
                assert np.ndim(v) == 0 and np.isclose(v, np.linalg.norm(x), rtol=1e-6, atol=1e-9)
        """),
    )),
    TestCell("test_hidden_l1_distance", "l1_distance", 1, True, _hidden(
        "l1_distance of unseen vectors of several lengths, and a broadcastable mismatch",
        _HIDDEN_VECTORS + "\n\n" + _cell("""
            rng = np.random.default_rng(204)
            for x, y in random_pairs(rng):
                v = l1_distance(x, y)
                assert np.ndim(v) == 0 and np.isclose(v, np.linalg.norm(x - y, 1), rtol=1e-6, atol=1e-9)
            n = int(rng.integers(2, 10))
            try:
                l1_distance(rng.normal(size=1), rng.normal(size=n))
            except ValueError:
                pass
            else:
                raise AssertionError(f"l1_distance of shapes (1,) and ({n},) should raise ValueError")
        """),
    )),
    TestCell("test_hidden_l2_distance", "l2_distance", 1, True, _hidden(
        "l2_distance of unseen vectors of several lengths, and a broadcastable mismatch",
        _HIDDEN_VECTORS + "\n\n" + _cell("""
            rng = np.random.default_rng(205)
            for x, y in random_pairs(rng):
                v = l2_distance(x, y)
                assert np.ndim(v) == 0 and np.isclose(v, np.linalg.norm(x - y), rtol=1e-6, atol=1e-9)
            n = int(rng.integers(2, 10))
            try:
                l2_distance(rng.normal(size=1), rng.normal(size=n))
            except ValueError:
                pass
            else:
                raise AssertionError(f"l2_distance of shapes (1,) and ({n},) should raise ValueError")
        """),
    )),
    TestCell("test_hidden_angle", "angle", 2, True, _hidden(
        "angle of unseen vectors of several lengths, and of orthogonal vectors",
        _HIDDEN_VECTORS + "\n\n" + _cell("""
            rng = np.random.default_rng(206)
            for x, y in random_pairs(rng, sizes=(2, 3, 17, 200)):
                cos = np.dot(x, y) / (np.linalg.norm(x) * np.linalg.norm(y))
                v = angle(x, y)
                assert np.ndim(v) == 0
                assert np.isclose(v, np.arccos(np.clip(cos, -1.0, 1.0)), rtol=1e-6, atol=1e-9)
            x, y = rng.normal(size=8), rng.normal(size=8)
            y = y - np.dot(y, x) / np.dot(x, x) * x
            v = angle(x, y)
            assert np.ndim(v) == 0 and np.isclose(v, np.pi / 2, rtol=1e-6, atol=1e-9)
        """),
    )),
    TestCell("test_hidden_angle_parallel", "angle", 2, True, _hidden(
        "angle of unseen parallel and opposite vectors, some whose cosine rounds past 1",
        _cell("""
            def oracle_angle(x, y):
                cos = np.dot(x, y) / (np.linalg.norm(x) * np.linalg.norm(y))
                return np.arccos(np.clip(cos, -1.0, 1.0))

            rng = np.random.default_rng(207)
            for n in (2, 9, 60):
                x = rng.normal(size=n)
                for c in (rng.uniform(0.1, 10.0), -rng.uniform(0.1, 10.0)):
                    v = angle(x, c * x)
                    assert np.ndim(v) == 0
                    assert np.isclose(v, oracle_angle(x, c * x), rtol=1e-6, atol=1e-6)
            # Integer pairs (x, k x) whose cosine rounds past +-1 (about one in five does).
            found = 0
            for _ in range(400):
                x = rng.integers(-9, 10, size=int(rng.integers(2, 12)))
                k = int(rng.choice([-1, 1])) * int(rng.integers(1, 7))
                if not x.any():
                    continue
                y = k * x
                if abs(np.dot(x, y) / (np.linalg.norm(x) * np.linalg.norm(y))) > 1:
                    v = angle(x, y)
                    assert np.ndim(v) == 0
                    assert np.isclose(v, oracle_angle(x, y), rtol=1e-6, atol=1e-6), f"angle({x}, {y}) = {v}"
                    found += 1
                    if found == 4:
                        break
        """),
    )),
    TestCell("test_hidden_angle_zero_vector", "angle", 1, True, _hidden(
        "angle with zero vectors of unseen lengths raises ValueError",
        _cell("""
            rng = np.random.default_rng(208)
            n = int(rng.integers(2, 10))
            x, y = rng.normal(size=n), rng.normal(size=n)
            cos = np.dot(x, y) / (np.linalg.norm(x) * np.linalg.norm(y))
            v = angle(x, y)
            assert np.ndim(v) == 0 and np.isclose(v, np.arccos(cos), rtol=1e-6, atol=1e-9)
            for a, b in [(x, np.zeros(n)), (np.zeros(n), y), (np.zeros(n), np.zeros(n))]:
                try:
                    angle(a, b)
                except ValueError:
                    pass
                else:
                    raise AssertionError(f"angle with a zero vector of length {n} should raise ValueError")
        """),
    )),
    TestCell("test_hidden_projection", "projection", 2, True, _hidden(
        "projection of unseen vectors of several lengths, dtypes and scales",
        _HIDDEN_VECTORS + "\n\n" + _cell("""
            rng = np.random.default_rng(209)
            for x, y in random_pairs(rng):
                p = projection(x, y)
                expected = np.dot(x, y) / np.dot(y, y) * y
                assert np.shape(p) == x.shape and np.allclose(p, expected, rtol=1e-6, atol=1e-9)
        """),
    )),
    TestCell("test_hidden_projection_zero_direction", "projection", 1, True, _hidden(
        "projection onto a zero direction or of a broadcastable mismatch raises ValueError",
        _cell("""
            rng = np.random.default_rng(210)
            n = int(rng.integers(2, 10))
            x, y = rng.normal(size=n), rng.normal(size=n)
            p = projection(x, y)
            expected = np.dot(x, y) / np.dot(y, y) * y
            assert np.shape(p) == (n,) and np.allclose(p, expected, rtol=1e-6, atol=1e-9)
            for a, b in [(x, np.zeros(n)), (x, rng.normal(size=1))]:
                try:
                    projection(a, b)
                except ValueError:
                    pass
                else:
                    raise AssertionError(f"projection of shapes {a.shape} and {b.shape} should raise ValueError")
        """),
    )),
)  # fmt: skip


# -- the source notebook --------------------------------------------------------------------------
def _solution_module() -> ast.Module:
    return ast.parse(SOLUTION_FILE.read_text(encoding="utf-8"))


def function_sources(path: Path) -> dict[str, str]:
    """The source of each top-level function of a Python file, as written (docstring included).

    A function runs to the next top-level statement, so trailing comments (``### END SOLUTION``)
    are part of it.
    """
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    body = ast.parse(text).body
    sources = {}
    for node, after in zip(body, [*body[1:], None], strict=True):
        if isinstance(node, ast.FunctionDef):
            end = after.lineno - 1 if after is not None else len(lines)
            sources[node.name] = "\n".join(lines[node.lineno - 1 : end]).rstrip()
    return sources


def function_bodies(path: Path) -> dict[str, str]:
    """Each top-level function's body after its docstring, as written (indented), markers removed."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    bodies = {}
    for node in ast.parse(text).body:
        if not isinstance(node, ast.FunctionDef):
            continue
        statements = node.body
        if ast.get_docstring(node) is not None:
            statements = statements[1:]
        first, last = statements[0].lineno, node.end_lineno
        markers = ("### BEGIN SOLUTION", "### END SOLUTION")
        body = [line for line in lines[first - 1 : last] if line.strip() not in markers]
        bodies[node.name] = "\n".join(body)
    return bodies


def _nbgrader(grade_id: str, *, grade=False, solution=False, locked=False, points=None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}  # fmt: skip
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _docstring_parts(source: str) -> tuple[str, str]:
    """(the Korean title, the first explanatory paragraph) of a function's docstring."""
    doc = ast.get_docstring(ast.parse(source).body[0]) or ""
    paragraphs = doc.split("\n\n")
    title = paragraphs[0].split(": ")[-1].rstrip(".")
    text = " ".join(paragraphs[1].split()) if len(paragraphs) > 1 else ""
    return title, text


def build_source_notebook() -> nbformat.NotebookNode:
    """The instructor's nbgrader notebook: intro, imports, then per function its answer and tests."""
    module_doc = ast.get_docstring(_solution_module()) or ""
    title = module_doc.splitlines()[0]
    functions = function_sources(SOLUTION_FILE)
    assert tuple(functions) == FUNCTIONS, f"solutions/{ASSIGNMENT}.py defines {tuple(functions)}"
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    total = sum(t.points for t in TEST_CELLS)
    cells = [
        nbformat.v4.new_markdown_cell(
            f"# {title}\n\n"
            "Vectors: the element-wise product, norms, distances, the angle between two vectors "
            "and the projection. Fill in each function where it says `# YOUR CODE HERE` (delete "
            "the `raise NotImplementedError()` line), then run the test cell under it. Keep the "
            "names and parameters. Hidden tests check your functions on other inputs too, so "
            f"write the general function. {len(TEST_CELLS)} test cells, {total} points.",
            id="intro",
        ),
        nbformat.v4.new_code_cell(
            "import numpy as np", id="imports", metadata=_nbgrader("imports", locked=True)
        ),
    ]
    for number, name in enumerate(FUNCTIONS, start=1):
        heading, text = _docstring_parts(functions[name])
        cells.append(nbformat.v4.new_markdown_cell(
            f"## {number}. `{name}`: {heading}\n\n{text}", id=f"about-{name.replace('_', '-')}"
        ))  # fmt: skip
        cells.append(nbformat.v4.new_code_cell(
            functions[name], id=name.replace("_", "-"), metadata=_nbgrader(name, solution=True)
        ))  # fmt: skip
        for test in (t for t in TEST_CELLS if t.function == name):
            cells.append(nbformat.v4.new_code_cell(
                test.source, id=test.name.replace("_", "-"),
                metadata=_nbgrader(test.name, grade=True, locked=True, points=test.points),
            ))  # fmt: skip
    nb.cells = cells
    return nb


def aimath_tests() -> dict[str, tuple[int, bool]]:
    """The aimath tests of lec01 (public and hidden), name -> (points, hidden), from their files.

    The hidden tests live in ``autograder/graders/lec01_vectors/`` or in the course's ``hidden/``
    folder (``$AIMATH_HIDDEN``); both places are read.
    """
    folders = [REPO / "autograder" / "graders" / ASSIGNMENT, REPO / "hidden" / ASSIGNMENT]
    if os.environ.get("AIMATH_HIDDEN"):
        folders.append(Path(os.environ["AIMATH_HIDDEN"]) / ASSIGNMENT)
    tests: dict[str, tuple[int, bool]] = {}
    for folder in folders:
        for path in sorted(folder.glob("test_*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            hidden = path.name == "test_hidden.py"
            for node in tree.body:
                if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                    points = [
                        d.args[0].value
                        for d in node.decorator_list
                        if isinstance(d, ast.Call) and ast.unparse(d.func) == "pytest.mark.points"
                    ]
                    tests[node.name] = (points[0] if points else 1, hidden)
    return tests


def check_tests_match_aimath() -> None:
    """The test cells are exactly the aimath tests of lec01, with their points (ValueError if not)."""
    theirs = aimath_tests()
    ours = {t.name: (t.points, t.hidden) for t in TEST_CELLS}
    if ours != theirs:
        diff = sorted(set(ours.items()) ^ set(theirs.items()))
        raise ValueError(f"the test cells differ from aimath's tests of {ASSIGNMENT}: {diff}")


# -- the student version (the real nbgrader) -----------------------------------------------------
def write_course_config(root: Path) -> None:
    """An nbgrader 0.9 course folder's config: its root and course id (the gradebook is inside)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n",
        encoding="utf-8",
    )


def nbgrader_command() -> list[str]:
    """How to run nbgrader with this Python (its console script, else ``python -m nbgrader``)."""
    script = Path(sys.executable).with_name("nbgrader")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "nbgrader"]


def run_nbgrader(root: Path, *args: str, timeout_s: float = 3600) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` in the course folder ``root``; RuntimeError with its log if it fails."""
    proc = subprocess.run(
        [*nbgrader_command(), *args], cwd=root, capture_output=True, text=True, timeout=timeout_s
    )
    if proc.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc


def make_course(root: Path, source: nbformat.NotebookNode) -> Path:
    """A fresh nbgrader course at ``root`` with the assignment generated; its student version."""
    write_course_config(root)
    folder = root / "source" / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(source, folder / NOTEBOOK)
    run_nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
    return root / "release" / ASSIGNMENT / NOTEBOOK


def generate_release(source: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The student version that the real ``nbgrader generate_assignment`` makes of ``source``."""
    with tempfile.TemporaryDirectory(prefix="nbgrader-course-") as tmp:
        return nbformat.read(make_course(Path(tmp) / "course", source), as_version=4)


# -- the students ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Student:
    """How one student filled in the student version.

    ``bodies`` replaces the stub (``# YOUR CODE HERE`` / ``raise NotImplementedError()``) of a
    function's answer cell by the student's body; ``cells`` replaces whole cells (by grade id);
    ``after`` inserts cells of the student's own after a cell (by grade id; a source starting with
    ``md:`` is a markdown cell); ``deleted`` removes cells.
    """

    id: str
    description: str
    bodies: dict[str, str] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)
    after: dict[str, tuple[str, ...]] = field(default_factory=dict)
    deleted: tuple[str, ...] = ()


def _body(text: str) -> str:
    """A function body written at column 0, indented as in a function."""
    return textwrap.indent(_cell(text), "    ")


REFERENCE = function_bodies(SOLUTION_FILE)

# Another right way: numpy's own norms and products.
LINALG = {
    "hadamard": _body("""
        x, y = np.asarray(x), np.asarray(y)
        if x.shape != y.shape:
            raise ValueError("x and y must have the same shape")
        return np.multiply(x, y)
    """),
    "l1_norm": _body("return float(np.linalg.norm(x, ord=1))"),
    "l2_norm": _body("return float(np.linalg.norm(x))"),
    "l1_distance": _body("""
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        if x.shape != y.shape:
            raise ValueError("x and y must have the same shape")
        return float(np.linalg.norm(x - y, ord=1))
    """),
    "l2_distance": _body("""
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        if x.shape != y.shape:
            raise ValueError("x and y must have the same shape")
        return float(np.linalg.norm(x - y))
    """),
    "angle": _body("""
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        if x.shape != y.shape:
            raise ValueError("x and y must have the same shape")
        nx, ny = np.linalg.norm(x), np.linalg.norm(y)
        if nx == 0 or ny == 0:
            raise ValueError("the angle with a zero vector is undefined")
        return float(np.arccos(np.clip(np.dot(x, y) / (nx * ny), -1.0, 1.0)))
    """),
    "projection": _body("""
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        if x.shape != y.shape:
            raise ValueError("x and y must have the same shape")
        yy = np.dot(y, y)
        if yy == 0:
            raise ValueError("cannot project onto the zero vector")
        return np.dot(x, y) / yy * y
    """),
}

# A helper cell of the student's own, used by the answers.
HELPER_CELL = _cell('''
    def as_same_shape(x, y):
        """x and y as float arrays; ValueError if their shapes differ."""
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        if x.shape != y.shape:
            raise ValueError(f"shapes {x.shape} and {y.shape} differ")
        return x, y
''')
WITH_HELPER = {
    "hadamard": _body("""
        x, y = as_same_shape(x, y)
        return x * y
    """),
    "l1_norm": REFERENCE["l1_norm"],
    "l2_norm": REFERENCE["l2_norm"],
    "l1_distance": _body("""
        x, y = as_same_shape(x, y)
        return l1_norm(x - y)
    """),
    "l2_distance": _body("""
        x, y = as_same_shape(x, y)
        return l2_norm(x - y)
    """),
    "angle": _body("""
        x, y = as_same_shape(x, y)
        if not x.any() or not y.any():
            raise ValueError("the angle with a zero vector is undefined")
        cos = (x @ y) / (l2_norm(x) * l2_norm(y))
        return float(np.arccos(np.clip(cos, -1.0, 1.0)))
    """),
    "projection": _body("""
        x, y = as_same_shape(x, y)
        if not y.any():
            raise ValueError("cannot project onto the zero vector")
        return (x @ y) / (y @ y) * y
    """),
}

# Right, but with Python loops over the entries and a pause in every call.
SLOW = {
    "hadamard": _body("""
        if len(x) != len(y):
            raise ValueError("x and y must have the same length")
        time.sleep(0.002)
        return np.array([float(a) * float(b) for a, b in zip(x, y)])
    """),
    "l1_norm": _body("""
        total = 0.0
        for a in x:
            total += abs(float(a))
        time.sleep(0.002)
        return total
    """),
    "l2_norm": _body("""
        total = 0.0
        for a in x:
            total += float(a) ** 2
        time.sleep(0.002)
        return math.sqrt(total)
    """),
    "l1_distance": _body("""
        if len(x) != len(y):
            raise ValueError("x and y must have the same length")
        return l1_norm([float(a) - float(b) for a, b in zip(x, y)])
    """),
    "l2_distance": _body("""
        if len(x) != len(y):
            raise ValueError("x and y must have the same length")
        return l2_norm([float(a) - float(b) for a, b in zip(x, y)])
    """),
    "angle": _body("""
        if len(x) != len(y):
            raise ValueError("x and y must have the same length")
        norms = l2_norm(x) * l2_norm(y)
        if norms == 0:
            raise ValueError("the angle with a zero vector is undefined")
        dot = sum(float(a) * float(b) for a, b in zip(x, y))
        return math.acos(max(-1.0, min(1.0, dot / norms)))
    """),
    "projection": _body("""
        if len(x) != len(y):
            raise ValueError("x and y must have the same length")
        yy = sum(float(b) ** 2 for b in y)
        if yy == 0:
            raise ValueError("cannot project onto the zero vector")
        c = sum(float(a) * float(b) for a, b in zip(x, y)) / yy
        return np.array([c * float(b) for b in y])
    """),
}

# The reference with debugging prints in every function.
PRINTS = {
    name: _body(f'print("{name} called with", {", ".join(args)})') + "\n" + REFERENCE[name]
    for name, args in [
        ("hadamard", ("x", "y")), ("l1_norm", ("x",)), ("l2_norm", ("x",)),
        ("l1_distance", ("x", "y")), ("l2_distance", ("x", "y")), ("angle", ("x", "y")),
        ("projection", ("x", "y")),
    ]
}  # fmt: skip

HADAMARD_LIST = _body("""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape != y.shape:
        raise ValueError("x and y must have the same shape")
    return [a * b for a, b in zip(x, y)]
""")

NOT_ATTEMPTED = "    raise NotImplementedError"


def _golden(case: str) -> dict[str, str]:
    """A golden mistake's bodies (tests/submissions/lec01_<case>), its unattempted functions left out."""
    bodies = function_bodies(GOLDEN_DIR / f"lec01_{case}" / f"{ASSIGNMENT}.py")
    return {name: body for name, body in bodies.items() if body.strip() != NOT_ATTEMPTED.strip()}


def _golden_description(case: str) -> str:
    data = json.loads((GOLDEN_DIR / f"lec01_{case}" / "expected.json").read_text(encoding="utf-8"))
    return data["description"]


GOLDEN_CASES = (
    "angle_degrees", "angle_no_clip", "angle_no_zero_check", "hadamard_dot", "l1_no_abs",
    "l2_distance_no_shape_check", "no_sqrt", "partial", "projection_wrong_vector",
)  # fmt: skip

EDITED_TEST = _cell("""
    # I checked l1_norm by hand: it is right.
    pass
""")

FIXED_IN_TEST_CELL = (
    _cell("""
        # my l2_norm above was wrong; fixed here so the tests pass
        def l2_norm(x):
            return float(np.sqrt(np.sum(np.asarray(x, dtype=float) ** 2)))

    """)
    + "\n\n"
    + next(t for t in TEST_CELLS if t.name == "test_l2_norm_lecture_example").source
)

PLOT_CELL = _cell("""
    import matplotlib.pyplot as plt

    ns = np.arange(1, 50)
    plt.plot(ns, [l2_norm(np.ones(n)) for n in ns], label="l2_norm of (1, ..., 1)")
    plt.plot(ns, [l1_norm(np.ones(n)) for n in ns], label="l1_norm of (1, ..., 1)")
    plt.xlabel("n")
    plt.legend()
    plt.show()
""")


def _students() -> tuple[Student, ...]:
    golden = tuple(
        Student(case, f"golden mistake tests/submissions/lec01_{case}: {_golden_description(case)}",
                bodies=_golden(case))
        for case in GOLDEN_CASES
    )  # fmt: skip
    return (
        Student("reference", "the reference solution", bodies=REFERENCE),
        Student(
            "reference_linalg",
            "right, another way: np.linalg.norm, np.dot, np.multiply",
            bodies=LINALG,
        ),
        Student(
            "reference_helper",
            "right, with a helper function in a cell of the student's own",
            bodies=WITH_HELPER,
            after={"imports": (HELPER_CELL,)},
        ),
        Student("stub", "the student version untouched: every function raises NotImplementedError"),
        *golden,
        Student(
            "partial_norms",
            "hadamard and the norms done; l1_distance returns None (pass); "
            "l2_distance, angle and projection untouched stubs",
            bodies={
                **{f: REFERENCE[f] for f in ("hadamard", "l1_norm", "l2_norm")},
                "l1_distance": _body("pass"),
            },
        ),
        Student(
            "two_mistakes",
            "l1_norm without abs and projection dividing by <x, x>",
            bodies={
                **REFERENCE,
                "l1_norm": _golden("l1_no_abs")["l1_norm"],
                "projection": _golden("projection_wrong_vector")["projection"],
            },
        ),
        Student(
            "l1_norm_keepdims",
            "l1_norm returns an array of shape (1,) (keepdims=True), not a number",
            bodies={
                **REFERENCE,
                "l1_norm": _body(
                    "return np.sum(np.abs(np.asarray(x, dtype=float)), keepdims=True)"
                ),
            },
        ),
        Student(
            "hadamard_list",
            "right; hadamard returns a Python list instead of an array",
            bodies={**REFERENCE, "hadamard": HADAMARD_LIST},
        ),
        Student(
            "syntax_error",
            "a syntax error (an unclosed parenthesis) in the angle answer cell; the rest right",
            bodies={
                **REFERENCE,
                "angle": REFERENCE["angle"].replace(
                    "cos = np.sum(x * y) / norms", "cos = np.sum(x * y / norms"
                ),
            },
        ),
        Student(
            "syntax_error_demo",
            "right; a syntax error in a demo cell of the student's own",
            bodies=REFERENCE,
            after={"l2_norm": ("print(l2_norm(np.array([3, 4]))",)},
        ),
        Student(
            "raising_demo",
            "right; a demo cell calls angle(np.zeros(3), x) at top level (ValueError)",
            bodies=REFERENCE,
            after={"angle": ("x = np.array([1.0, 7.0, 2.0])\nprint(angle(np.zeros(3), x))",)},
        ),
        Student(
            "raising_not_implemented_demo",
            "hadamard to l2_distance done, angle and projection "
            "stubs; a demo cell calls angle (NotImplementedError)",
            bodies={f: REFERENCE[f] for f in FUNCTIONS[:5]},
            after={"angle": ("print(angle(np.array([1, 0]), np.array([1, 1])))",)},
        ),
        Student(
            "raise_after_def",
            "right; the l2_norm answer cell runs a demo after the def that "
            "raises ZeroDivisionError",
            bodies=REFERENCE,
            cells={
                "l2_norm": "{answer}\n\n\nprint(l2_norm(np.array([3, 4])))\n"
                "print(l2_norm(np.array([3, 4])) / 0)"
            },
        ),
        Student(
            "line_magics",
            "right; %matplotlib inline, %precision and %time lines",
            bodies=REFERENCE,
            after={
                "imports": ("%matplotlib inline\n%precision 4",),
                "l2_norm": ("%time l2_norm(np.ones(1000))",),
            },
        ),
        Student(
            "shell_lines",
            "right; !ls, !echo and files = !ls (unused afterwards)",
            bodies=REFERENCE,
            after={
                "imports": ("!ls\n!echo checking my work",),
                "hadamard": (
                    "files = !ls\nprint(hadamard(np.array([1, 7, 2]), np.array([5, 2, 1])))",
                ),
            },
        ),
        Student(
            "cell_magic_time",
            "right; %%time on top of the hadamard answer cell (IPython runs "
            "the body in the notebook's namespace)",
            bodies=REFERENCE,
            cells={"hadamard": "%%time\n{answer}"},
        ),
        Student(
            "matplotlib_plot",
            "right; imports matplotlib.pyplot and plots the norms of ones(n)",
            bodies=REFERENCE,
            after={"l2_norm": (PLOT_CELL,)},
        ),
        Student(
            "edited_test_cell",
            "l1_norm without abs; the student replaced both visible l1_norm test cells by pass",
            bodies={**REFERENCE, "l1_norm": _golden("l1_no_abs")["l1_norm"]},
            cells={
                "test_l1_norm_lecture_example": EDITED_TEST,
                "test_l1_norm_special_vectors": EDITED_TEST,
            },
        ),
        Student(
            "fixed_in_test_cell",
            "l2_norm without sqrt in the answer cell, 'fixed' by a right "
            "def l2_norm written into its first (visible) test cell",
            bodies={**REFERENCE, "l2_norm": _golden("no_sqrt")["l2_norm"]},
            cells={"test_l2_norm_lecture_example": FIXED_IN_TEST_CELL},
        ),
        Student(
            "deleted_cell",
            "the projection answer cell deleted; the rest right",
            bodies=REFERENCE,
            deleted=("projection",),
        ),
        Student(
            "prints",
            "right; every function prints its arguments, and a demo cell prints",
            bodies=PRINTS,
            after={
                "projection": (
                    'print("projection:", projection(np.array([1, 7, 2]), np.array([5, 2, 1])))',
                )
            },
        ),
        Student(
            "slow",
            "right but slow: Python loops over the entries and a 2 ms pause per call",
            bodies=SLOW,
            after={"imports": ("import math\nimport time",)},
        ),
    )


STUDENTS = _students()


def _fill(answer: str, body: str) -> str:
    """The answer cell with the stub replaced by ``body`` (already indented)."""
    match = re.search(r"^( *)# YOUR CODE HERE\n *raise NotImplementedError\(\)$", answer, re.M)
    if match is None:
        raise ValueError(f"no stub in the answer cell:\n{answer}")
    return answer[: match.start()] + body + answer[match.end() :]


def build_student(release: nbformat.NotebookNode, student: Student) -> nbformat.NotebookNode:
    """The student version, filled in as ``student`` did it."""
    nb = nbformat.from_dict(json.loads(json.dumps(release)))
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    known = set(by_id) - {None}
    wanted = set(student.bodies) | set(student.cells) | set(student.after) | set(student.deleted)
    if not wanted <= known:
        raise ValueError(f"{student.id}: unknown cells {sorted(wanted - known)}")
    for name, body in student.bodies.items():
        by_id[name].source = _fill(by_id[name].source, body)
    for name, text in student.cells.items():
        by_id[name].source = text.replace("{answer}", by_id[name].source)
    cells = []
    count = 0
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id not in student.deleted:
            cells.append(cell)
        for text in student.after.get(grade_id, ()):
            count += 1
            cell_id = f"student-{count}"
            if text.startswith("md:"):
                cells.append(nbformat.v4.new_markdown_cell(text[3:], id=cell_id))
            else:
                cells.append(nbformat.v4.new_code_cell(text, id=cell_id))
    nb.cells = cells
    return nb


# -- writing and checking -------------------------------------------------------------------------
def _text(nb: nbformat.NotebookNode) -> str:
    nbformat.validate(nb)
    return nbformat.writes(nb, version=4)


def render_class(release: nbformat.NotebookNode | None = None) -> dict[str, str]:
    """Every generated file of the class, relative path -> text.

    ``release`` is the student version; None runs the real nbgrader to make it.
    """
    check_tests_match_aimath()
    source = build_source_notebook()
    if release is None:
        release = generate_release(source)
    files = {
        f"source/{ASSIGNMENT}/{NOTEBOOK}": _text(source),
        f"release/{ASSIGNMENT}/{NOTEBOOK}": _text(release),
    }
    ids = [s.id for s in STUDENTS]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate student ids")
    for student in STUDENTS:
        files[f"submitted/{student.id}/{ASSIGNMENT}/{NOTEBOOK}"] = _text(
            build_student(release, student)
        )
    descriptions = {s.id: s.description for s in STUDENTS}
    files["students.json"] = json.dumps(descriptions, indent=2, ensure_ascii=False) + "\n"
    return files


GENERATED_DIRS = ("source", "release", "submitted")


def committed_release() -> nbformat.NotebookNode:
    return nbformat.read(HERE / "release" / ASSIGNMENT / NOTEBOOK, as_version=4)


def write_class(files: dict[str, str], out: Path = HERE) -> None:
    """Write the class under ``out``, removing generated files that are no longer generated."""
    for folder in GENERATED_DIRS:
        shutil.rmtree(out / folder, ignore_errors=True)
    for relative, text in files.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _committed_files(out: Path = HERE) -> dict[str, str]:
    files = {}
    for folder in GENERATED_DIRS:
        for path in sorted((out / folder).rglob("*")):
            if path.is_file():
                files[path.relative_to(out).as_posix()] = path.read_text(encoding="utf-8")
    if (out / "students.json").is_file():
        files["students.json"] = (out / "students.json").read_text(encoding="utf-8")
    return files


def drift(*, use_nbgrader: bool = True, out: Path = HERE) -> list[str]:
    """What differs between the committed class and a fresh generation (empty: up to date).

    With ``use_nbgrader`` the student version is made again by the real nbgrader; without, the
    committed student version is taken as it is (only the source and the students are checked).
    """
    fresh = render_class(None if use_nbgrader else committed_release())
    committed = _committed_files(out)
    problems = []
    for relative in sorted(set(fresh) | set(committed)):
        if relative not in committed:
            problems.append(f"{relative}: missing")
        elif relative not in fresh:
            problems.append(f"{relative}: no longer generated")
        elif fresh[relative] != committed[relative]:
            diff = difflib.unified_diff(
                committed[relative].splitlines(), fresh[relative].splitlines(),
                "committed", "generated", lineterm="", n=1,
            )  # fmt: skip
            problems.append(f"{relative}: differs\n" + "\n".join(list(diff)[:20]))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the class has drifted")
    parser.add_argument(
        "--no-nbgrader", action="store_true",
        help="take the committed student version instead of running nbgrader generate_assignment",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.check:
        problems = drift(use_nbgrader=not args.no_nbgrader)
        for problem in problems:
            print(problem)
        print("the nbgrader class is up to date" if not problems else
              "the nbgrader class has drifted: run python tests/nbgrader_class/make_class.py")  # fmt: skip
        return 1 if problems else 0
    files = render_class(committed_release() if args.no_nbgrader else None)
    write_class(files)
    print(f"wrote {len(STUDENTS)} students and the source under {HERE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
