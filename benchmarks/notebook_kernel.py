"""Time to execute one assignment notebook in a real Jupyter kernel, self-check cell included.

    python benchmarks/notebook_kernel.py [--repeat N]

The generated assignments/lec01_vectors.ipynb, with each function cell replaced by the reference
solution's function, is executed top to bottom by nbclient in a python3 kernel: the last cell (the
self-check) grades the kernel's session out of process. The baseline is the same kernel executing
a notebook of one empty cell (kernel start-up and shutdown), measured in the same run, so the
ratio tells what the self-check costs on top of Jupyter itself. Median of N runs.
"""

from __future__ import annotations

import argparse
import ast
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENT = "lec01_vectors"


def filled_notebook(assignment: str = ASSIGNMENT) -> nbformat.NotebookNode:
    """The generated notebook with every function cell holding the reference function."""
    nb = nbformat.read(REPO / "assignments" / f"{assignment}.ipynb", as_version=4)
    source = (REPO / "solutions" / f"{assignment}.py").read_text(encoding="utf-8")
    lines = source.splitlines()
    functions = {
        node.name: "\n".join(lines[node.lineno - 1 : node.end_lineno])
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef)
    }
    for cell in nb.cells:
        name = cell.get("metadata", {}).get("aimath", {}).get("function")
        if cell.cell_type == "code" and name in functions:
            cell.source = functions[name]
    return nb


def execute(nb: nbformat.NotebookNode) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": tmp}}
        ).execute()
        return time.perf_counter() - start


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    empty.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    baseline = statistics.median(execute(empty) for _ in range(args.repeat))
    filled = filled_notebook()
    measured = statistics.median(execute(filled) for _ in range(args.repeat))
    outputs = [o for c in filled.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    summary = next(
        (o["data"]["text/plain"] for o in outputs if o.get("output_type") == "execute_result"), ""
    )
    row = {"assignment": ASSIGNMENT, "empty_s": baseline, "notebook_s": measured,
           "ratio": measured / baseline, "self_check": summary}  # fmt: skip
    print(row)
    return row


if __name__ == "__main__":
    main()
