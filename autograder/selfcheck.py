"""The self-check cell of an assignment notebook: grade what this Jupyter kernel has run.

    >>> check("lec01_vectors")        # in a notebook's last cell
    lec01_vectors: 25/25 points (16 passed)

The cells run in this kernel session (IPython's input history, in order, without the self-check's
own statements) are written as a notebook `<assignment>.ipynb` into a fresh temporary folder, and
`aimath check` grades that folder in a separate process, with the same engine and sandbox as any
submission. Nothing is graded inside the student's kernel.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .course import get_assignment
from .results import STATUSES, from_gradescope

__all__ = ["CheckSummary", "check", "select_cells"]

MODULE = "autograder.selfcheck"
SUBMISSION_FOLDER = "self-check"  # also the student id, so the random inputs repeat run to run


@dataclass(frozen=True)
class CheckSummary:
    """The score of one self-check; `counts` maps each status to its number of tests.

    Example: `CheckSummary("lec01_vectors", 25.0, 25.0, {"passed": 16})` shows as
    `lec01_vectors: 25/25 points (16 passed)`.
    """

    assignment: str
    score: float
    max_score: float
    counts: dict[str, int]

    def __repr__(self) -> str:
        counts = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in self.counts.items() if n)
        return f"{self.assignment}: {self.score:g}/{self.max_score:g} points ({counts})"


def check(assignment: str, *, hidden: bool = False) -> CheckSummary:
    """Grade the cells this IPython/Jupyter kernel has run as `assignment`, out of process.

    Example: `check("lec01_vectors")` prints the report of `aimath check` and returns
    `lec01_vectors: 25/25 points (16 passed)` once every function is right.

    Raises:
        KeyError: unknown assignment.
        RuntimeError: not inside IPython (run `aimath check` instead), no cell run yet, or the
            grader failed.
    """
    get_assignment(assignment)
    shell = _ipython_shell()
    if shell is None:
        raise RuntimeError(
            f"{MODULE}.check runs in a Jupyter or IPython kernel (a notebook's self-check cell); "
            f"outside one, run `aimath check {assignment} --submission <folder or file>` instead"
        )
    cells = select_cells(shell.history_manager.input_hist_raw)
    if not cells:
        raise RuntimeError(
            "this kernel has run nothing but the self-check: run the cells above first "
            "(Run All), then the self-check cell"
        )
    with tempfile.TemporaryDirectory(prefix="aimath-selfcheck-") as tmp:
        (Path(tmp) / SUBMISSION_FOLDER).mkdir()
        _write_notebook(cells, Path(tmp) / SUBMISSION_FOLDER / f"{assignment}.ipynb")
        return _grade(assignment, Path(tmp), hidden=hidden)


def _ipython_shell() -> Any:
    """The running IPython shell (a Jupyter kernel's too), or None in plain Python."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def select_cells(history: Iterable[str]) -> list[str]:
    """The kernel's inputs to grade: without the self-check's statements, nor inputs left empty.

    Example: `select_cells(["", "def f(): ...", "from autograder.selfcheck import check\\n"
    "check('lec01_vectors')"])` -> `["def f(): ..."]`.

    A statement is the self-check's when it imports `autograder.selfcheck` or calls a name bound by
    such an import (`check`, an alias, `selfcheck.check`); only those lines are left out, so a cell
    that also defines functions keeps them. Inputs that are not valid Python even for IPython ran
    nothing in the kernel and are left out too, as are inputs of comments only. IPython magics
    stay as they are: the grader runs notebook cells as Jupyter does, skipping them.
    """
    from IPython.core.inputtransformer2 import TransformerManager

    transformer = TransformerManager()
    functions: set[str] = set()  # names bound to autograder.selfcheck.check
    modules: set[str] = set()  # names bound to the autograder.selfcheck module (or autograder)
    cells = []
    for raw in history:
        if not raw.strip():
            continue
        python = transformer.transform_cell(raw)
        try:
            tree = ast.parse(python)
        except SyntaxError:
            continue
        lines = raw.splitlines()
        if len(lines) != len(python.splitlines()):  # a cell magic (%%time): its body is a string
            if not _mentions_self_check(raw, functions, modules):
                cells.append(raw.strip("\n"))
            continue
        drop = [s for s in tree.body if _is_self_check(s, functions, modules)]
        for stmt in drop:
            lines[stmt.lineno - 1 : stmt.end_lineno] = [""] * (stmt.end_lineno - stmt.lineno + 1)
        if any(line.strip() and not line.lstrip().startswith("#") for line in lines):
            cells.append("\n".join(lines).strip("\n"))
    return cells


def _mentions_self_check(text: str, functions: set[str], modules: set[str]) -> bool:
    """True when `text` names the self-check module or calls a name bound to its `check`."""
    names = [re.escape(f) for f in functions]
    names += [re.escape(m) + r"(?:\.\w+)*\.check" for m in modules]
    return MODULE in text or any(re.search(rf"(?<![\w.]){n}\s*\(", text) for n in names)


def _is_self_check(stmt: ast.stmt, functions: set[str], modules: set[str]) -> bool:
    """True when `stmt` imports the self-check module (recording the names it binds) or calls it."""
    if isinstance(stmt, ast.Import):
        found = [a for a in stmt.names if a.name == MODULE or a.name.startswith(MODULE + ".")]
        modules.update(a.asname or a.name.split(".")[0] for a in found)
        return bool(found)
    if isinstance(stmt, ast.ImportFrom):
        if stmt.module == MODULE:
            functions.update(a.asname or a.name for a in stmt.names if a.name == "check")
            return True
        found = [a for a in stmt.names if stmt.module == "autograder" and a.name == "selfcheck"]
        modules.update(a.asname or a.name for a in found)
        return bool(found)
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return False
    return any(
        isinstance(node, ast.Call) and _calls_check(node.func, functions, modules)
        for node in ast.walk(stmt)
    )


def _calls_check(func: ast.expr, functions: set[str], modules: set[str]) -> bool:
    if isinstance(func, ast.Name):
        return func.id in functions
    if isinstance(func, ast.Attribute) and func.attr == "check":
        root = func.value
        while isinstance(root, ast.Attribute):
            root = root.value
        return isinstance(root, ast.Name) and root.id in modules
    return False


def _write_notebook(cells: list[str], path: Path) -> None:
    """Write `cells` as the code cells of an nbformat 4 notebook."""
    import nbformat
    from nbformat import v4

    nb = v4.new_notebook(
        cells=[v4.new_code_cell(src, id=f"input-{i:03d}") for i, src in enumerate(cells, 1)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}},
    )  # fmt: skip
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


def _grade(assignment: str, tmp: Path, *, hidden: bool) -> CheckSummary:
    """Run `aimath check` on `tmp/self-check` in a subprocess, print its report, read its results."""
    json_path = tmp / "results.json"
    command = [sys.executable, "-m", "autograder.cli", "check", assignment,
               "--submission", SUBMISSION_FOLDER, "--json", str(json_path)]  # fmt: skip
    if hidden:
        command.append("--hidden")
    env = os.environ | {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb",
                        "PYTHONIOENCODING": "utf-8", "MPLBACKEND": "Agg"}  # fmt: skip
    env.pop("GITHUB_STEP_SUMMARY", None)  # a notebook's self-check is not a CI step
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", env=env,
                          cwd=tmp)  # fmt: skip
    print(done.stdout, end="")
    if done.returncode not in (0, 1) or not json_path.is_file():
        raise RuntimeError(
            f"aimath check failed (exit status {done.returncode}): {done.stderr.strip()}"
        )
    if done.stderr.strip():
        print(done.stderr, end="", file=sys.stderr)
    results = from_gradescope(json.loads(json_path.read_text(encoding="utf-8")))
    return CheckSummary(
        assignment=assignment,
        score=sum(r.score for r in results),
        max_score=sum(r.max_score for r in results),
        counts={status: sum(r.status == status for r in results) for status in STATUSES},
    )
