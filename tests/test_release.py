"""Tests for autograder/release.py: solutions -> student stubs, marker validation, leak check."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from autograder.release import (
    BuildReport,
    ReleaseError,
    build_assignments,
    find_leaks,
    find_solution_blocks,
    render_stub,
    strip_solutions,
)

REPO = Path(__file__).resolve().parents[1]

SOLUTION = '''\
"""AI Math 0강: synthetic.

The BEGIN of the course; nothing here is a marker.
"""

import numpy as np

SCALE = 2.0  # a module constant, kept


def double(x: np.ndarray, *, scale: float = SCALE) -> np.ndarray:
    """Double x.

    BEGIN with the shape: (D,) -> (D,).
    """
    # a comment before the block, kept
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    return scale * x
    ### END SOLUTION


class Layer:
    """A layer; its method is fenced one level deeper."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Forward pass."""
        ### BEGIN SOLUTION
        if x.ndim == 1:
            return x
        return x.sum(axis=0)
        ### END SOLUTION


def helper(x):
    return x  # given code outside any block, kept
'''

EXPECTED_STUB = '''\
"""AI Math 0강: synthetic.

The BEGIN of the course; nothing here is a marker.
"""

import numpy as np

SCALE = 2.0  # a module constant, kept


def double(x: np.ndarray, *, scale: float = SCALE) -> np.ndarray:
    """Double x.

    BEGIN with the shape: (D,) -> (D,).
    """
    # a comment before the block, kept
    # TODO: implement double.
    raise NotImplementedError


class Layer:
    """A layer; its method is fenced one level deeper."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Forward pass."""
        # TODO: implement forward.
        raise NotImplementedError


def helper(x):
    return x  # given code outside any block, kept
'''


def _defs(source: str) -> list[tuple[str, str]]:
    """(name, unparsed arguments) of the public top-level functions and methods of top-level classes."""
    tree = ast.parse(source)
    nodes = list(tree.body)
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            nodes.extend(node.body)
    return [
        (node.name, ast.unparse(node.args))
        for node in nodes
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and not node.name.startswith("_")
    ]


def _docstrings(source: str) -> list[str | None]:
    tree = ast.parse(source)
    nodes = [tree] + [
        n
        for n in ast.walk(tree)
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    ]
    return [ast.get_docstring(n, clean=False) for n in nodes]


# --- the transformation -----------------------------------------------------------------------------


def test_strip_solutions_replaces_each_block_and_keeps_everything_else():
    assert strip_solutions(SOLUTION) == EXPECTED_STUB


def test_strip_solutions_keeps_signatures_and_docstrings_byte_for_byte():
    stub = strip_solutions(SOLUTION)
    for line in SOLUTION.splitlines():
        if line.lstrip().startswith(("def ", "class ", '"""', "#")) and "SOLUTION" not in line:
            assert line in stub.splitlines()
    assert _defs(stub) == _defs(SOLUTION)
    assert _docstrings(stub) == _docstrings(SOLUTION)


def test_solution_blocks_name_the_innermost_enclosing_def():
    blocks = find_solution_blocks(SOLUTION)
    assert [(b.function, b.indent) for b in blocks] == [("double", " " * 4), ("forward", " " * 8)]
    assert [SOLUTION.splitlines()[b.begin - 1].strip() for b in blocks] == [
        "### BEGIN SOLUTION"
    ] * 2
    assert [SOLUTION.splitlines()[b.end - 1].strip() for b in blocks] == ["### END SOLUTION"] * 2


def test_nested_def_and_module_level_blocks():
    source = textwrap.dedent(
        """\
        def outer(n):
            def inner(k):
                ### BEGIN SOLUTION
                return k + 1
                ### END SOLUTION
            ### BEGIN SOLUTION
            return inner(n)
            ### END SOLUTION

        ### BEGIN SOLUTION
        TABLE = {1: 2}
        ### END SOLUTION
        """
    )
    stub = strip_solutions(source)
    assert stub == textwrap.dedent(
        """\
        def outer(n):
            def inner(k):
                # TODO: implement inner.
                raise NotImplementedError
            # TODO: implement outer.
            raise NotImplementedError

        # TODO: implement this part.
        raise NotImplementedError
        """
    )


def test_block_after_last_statement_and_empty_block_belong_to_the_function():
    source = 'def f(x):\n    """Doc."""\n    ### BEGIN SOLUTION\n    ### END SOLUTION\n'
    assert strip_solutions(source) == (
        'def f(x):\n    """Doc."""\n    # TODO: implement f.\n    raise NotImplementedError\n'
    )


def test_output_ends_with_exactly_one_newline():
    base = "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION"
    expected = "def f():\n    # TODO: implement f.\n    raise NotImplementedError\n"
    for tail in ("", "\n", "\n\n\n"):
        assert strip_solutions(base + tail) == expected


def test_crlf_line_endings_are_kept():
    source = "def f():\r\n    ### BEGIN SOLUTION\r\n    return 1\r\n    ### END SOLUTION\r\n\r\n"
    assert strip_solutions(source) == (
        "def f():\r\n    # TODO: implement f.\r\n    raise NotImplementedError\r\n"
    )


def test_source_without_blocks_is_unchanged():
    source = '"""Nothing to hide."""\n\nX = 1  # comment\n'
    assert strip_solutions(source) == source


# --- malformed markers ------------------------------------------------------------------------------

MALFORMED = {
    "begin without end": ("def f():\n    x = 1\n    ### BEGIN SOLUTION\n    return x\n", 3),
    "end without begin": ("def f():\n    return 1\n    ### END SOLUTION\n", 3),
    "nested begin": (
        "def f():\n    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n    return 1\n"
        "    ### END SOLUTION\n",
        3,
    ),
    "indentation differs": (
        "def f():\n    if True:\n        ### BEGIN SOLUTION\n        return 1\n    ### END SOLUTION\n",
        5,
    ),
    "begin not alone": ("def f():\n    return 1  ### BEGIN SOLUTION\n    ### END SOLUTION\n", 2),
    "end not alone": ("def f():\n    ### BEGIN SOLUTION\n    return 1  ### END SOLUTION\n", 3),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_markers_raise_with_file_and_line(case):
    source, lineno = MALFORMED[case]
    with pytest.raises(ReleaseError) as info:
        strip_solutions(source, filename="solutions/lec99_bad.py")
    message = str(info.value)
    assert "solutions/lec99_bad.py" in message
    assert f"line {lineno}" in message
    assert info.value.lineno == lineno
    assert isinstance(info.value, ValueError)


def test_render_stub_names_the_file_in_marker_errors(tmp_path):
    bad = tmp_path / "lec99_bad.py"
    bad.write_text(MALFORMED["begin without end"][0], encoding="utf-8")
    with pytest.raises(ReleaseError, match=r"lec99_bad\.py, line 3"):
        render_stub(bad)


# --- the leak check ---------------------------------------------------------------------------------


def test_find_leaks_accepts_a_clean_stub():
    assert find_leaks(EXPECTED_STUB, functions=["double", "forward"]) == []
    assert (
        find_leaks('def f():\n    """Doc."""\n    # hint\n    raise NotImplementedError()\n') == []
    )


def test_find_leaks_catches_code_left_in_a_function():
    leaky = EXPECTED_STUB.replace(
        "    raise NotImplementedError\n\n\nclass",
        "    x = np.asarray(x, dtype=float)\n    raise NotImplementedError\n\n\nclass",
    )
    assert leaky != EXPECTED_STUB
    problems = find_leaks(leaky, functions=["double", "forward"])
    assert len(problems) == 1 and "'double'" in problems[0]
    leaky_method = EXPECTED_STUB.replace(
        "        raise NotImplementedError\n", "        return x.sum(axis=0)\n"
    )
    assert any("'forward'" in p for p in find_leaks(leaky_method, functions=["forward"]))


def test_find_leaks_wants_exactly_not_implemented_error():
    for body in ("raise ValueError('hint')", "raise NotImplementedError from None", "pass"):
        stub = f'def f(x):\n    """Doc."""\n    {body}\n'
        assert len(find_leaks(stub, functions=["f"])) == 1, body


def test_find_leaks_defaults_to_every_top_level_function():
    problems = find_leaks(EXPECTED_STUB)
    assert len(problems) == 1 and "'helper'" in problems[0]


def test_find_leaks_catches_a_marker():
    leaky = EXPECTED_STUB.replace("# TODO: implement double.", "### END SOLUTION")
    problems = find_leaks(leaky, functions=["double"])
    assert any("solution marker" in p and "line 17" in p for p in problems)


def test_find_leaks_catches_a_syntax_error():
    problems = find_leaks("def f(:\n    raise NotImplementedError\n")
    assert len(problems) == 1 and "syntax error" in problems[0] and "line 1" in problems[0]


def test_find_leaks_reports_a_missing_function():
    assert any("'gone'" in p for p in find_leaks(EXPECTED_STUB, functions=["double", "gone"]))


# --- build_assignments ------------------------------------------------------------------------------


def _course(tmp_path: Path) -> tuple[Path, Path]:
    solutions, assignments = tmp_path / "solutions", tmp_path / "assignments"
    solutions.mkdir()
    (solutions / "lec01_synthetic.py").write_text(SOLUTION, encoding="utf-8")
    (solutions / "lec02_small.py").write_text(
        "def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n", encoding="utf-8"
    )
    (solutions / "conftest.py").write_text("X = 1\n", encoding="utf-8")  # not a lecture: ignored
    return solutions, assignments


def test_build_writes_then_reports_unchanged(tmp_path):
    solutions, assignments = _course(tmp_path)
    first = build_assignments(solutions, assignments)
    stubs = [assignments / "lec01_synthetic.py", assignments / "lec02_small.py"]
    assert first == BuildReport(written=stubs, unchanged=[], drifted=[], missing=[], extra=[])
    assert sorted(p.name for p in assignments.iterdir()) == ["lec01_synthetic.py", "lec02_small.py"]
    assert stubs[0].read_text(encoding="utf-8") == (
        "# Generated from solutions/lec01_synthetic.py by `aimath build`: "
        "fill in each TODO, keep names and signatures.\n" + EXPECTED_STUB
    )
    mtimes = [p.stat().st_mtime_ns for p in stubs]

    second = build_assignments(solutions, assignments)
    assert second == BuildReport(written=[], unchanged=stubs, drifted=[], missing=[], extra=[])
    assert [p.stat().st_mtime_ns for p in stubs] == mtimes
    assert not second.has_drift


def test_build_check_detects_drift_and_missing_without_writing(tmp_path):
    solutions, assignments = _course(tmp_path)
    build_assignments(solutions, assignments)
    edited, deleted = assignments / "lec01_synthetic.py", assignments / "lec02_small.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "# hand edit\n", encoding="utf-8")
    deleted.unlink()
    (assignments / "lec07_orphan.py").write_text("X = 1\n", encoding="utf-8")
    before = edited.read_bytes()

    report = build_assignments(solutions, assignments, check=True)
    assert report.drifted == [edited]
    assert report.missing == [deleted]
    assert report.written == [] and report.unchanged == []
    assert report.extra == [assignments / "lec07_orphan.py"]
    assert report.has_drift
    assert edited.read_bytes() == before
    assert not deleted.exists()

    fixed = build_assignments(solutions, assignments)
    assert fixed.written == [edited, deleted]
    assert (assignments / "lec07_orphan.py").exists()  # never deleted
    assert not build_assignments(solutions, assignments, check=True).has_drift


def test_build_check_on_an_absent_folder_reports_missing(tmp_path):
    solutions, assignments = _course(tmp_path)
    report = build_assignments(solutions, assignments, check=True)
    assert report.missing == [assignments / "lec01_synthetic.py", assignments / "lec02_small.py"]
    assert not assignments.exists()


def test_build_refuses_a_leaking_stub_and_writes_nothing(tmp_path):
    solutions, assignments = _course(tmp_path)
    # Code after the block stays in the stub: the leak check must refuse the whole build.
    (solutions / "lec03_leaky.py").write_text(
        "def g(x):\n    ### BEGIN SOLUTION\n    y = x\n    ### END SOLUTION\n    return y * 2\n",
        encoding="utf-8",
    )
    with pytest.raises(ReleaseError, match=r"lec03_leaky\.py.*\n.*'g'"):
        build_assignments(solutions, assignments)
    assert not assignments.exists()


def test_build_refuses_malformed_markers(tmp_path):
    solutions, assignments = _course(tmp_path)
    (solutions / "lec03_bad.py").write_text(MALFORMED["nested begin"][0], encoding="utf-8")
    with pytest.raises(ReleaseError, match=r"lec03_bad\.py, line 3"):
        build_assignments(solutions, assignments)
    assert not assignments.exists()


# --- stubs really behave like stubs -----------------------------------------------------------------

_CALL_EVERY_STUB = """
import inspect, json, runpy, sys
ns = runpy.run_path(sys.argv[1])
outcome = {}
for name in json.loads(sys.argv[2]):
    params = inspect.signature(ns[name]).parameters.values()
    args = [None for p in params if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    kwargs = {p.name: None for p in params if p.default is p.empty and p.kind == p.KEYWORD_ONLY}
    try:
        ns[name](*args, **kwargs)
        outcome[name] = "returned"
    except NotImplementedError:
        outcome[name] = "NotImplementedError"
    except BaseException as exc:
        outcome[name] = type(exc).__name__
print(json.dumps(outcome))
"""


def _check_release(solution: Path, tmp_path: Path) -> None:
    """The stub of `solution` parses, leaks nothing, keeps every public signature, and raises."""
    source = solution.read_bytes().decode("utf-8")
    stub = render_stub(solution)
    ast.parse(stub)
    blocks = find_solution_blocks(source, filename=str(solution))
    fenced = [b.function for b in blocks if b.function is not None]
    assert fenced, f"{solution.name} has no solution block inside a function"
    assert find_leaks(stub, functions=fenced) == []
    assert _defs(stub) == _defs(source)

    top_level = {n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)}
    to_call = [name for name in dict.fromkeys(fenced) if name in top_level]
    stub_file = tmp_path / solution.name
    stub_file.write_text(stub, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", _CALL_EVERY_STUB, str(stub_file), json.dumps(to_call)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {name: "NotImplementedError" for name in to_call}


def test_synthetic_solution_releases_cleanly(tmp_path):
    solutions, _ = _course(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    _check_release(solutions / "lec01_synthetic.py", out)


def _real_solutions() -> list[Path]:
    folder = REPO / "solutions"
    return sorted(p for p in folder.glob("lec*.py") if p.is_file()) if folder.is_dir() else []


def test_real_solutions_release_cleanly(tmp_path):
    solutions = _real_solutions()
    if not solutions:
        pytest.skip("no solutions yet")
    for solution in solutions:
        out = tmp_path / solution.stem
        out.mkdir()
        _check_release(solution, out)
