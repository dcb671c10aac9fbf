"""Assignment notebooks: the student stub of one solution file, as a Jupyter notebook.

    >>> text = render_notebook(Path("solutions/lec01_vectors.py"))
    >>> nbformat.reads(text, as_version=4).cells[-1].metadata["aimath"]["role"]
    'self-check'

The code cells are cut out of the text `render_stub` produces, so a notebook holds exactly the .py
stub's code: a markdown cell (the lecture title, the module docstring, instructions in Korean and
English), one cell with the module's other top-level code (imports, constants), one cell per
top-level function or class in source order, and last the self-check cell, which grades the
cells run in the kernel (`autograder.selfcheck.check`). Every cell carries `metadata.aimath`
(its role, and the function it holds), and ids like `lec01-vectors-03`, so the bytes are
deterministic.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import nbformat
from nbformat import v4

from .course import ASSIGNMENTS
from .release import render_stub

__all__ = ["INSTALL_LINE", "SELF_CHECK_TAG", "render_notebook"]

# What a Colab student runs first; the instructor edits this line (then runs `aimath build`).
INSTALL_LINE = "%pip install <course bundle: a folder or a git URL>"
SELF_CHECK_TAG = "aimath-self-check"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}

INSTRUCTIONS = """\
**안내**

- 각 함수의 `# TODO`와 `raise NotImplementedError`를 여러분의 코드로 바꾸세요. 함수 이름과 \
매개변수는 그대로 두세요: 그것으로 채점합니다.
- 위에서부터 모든 셀을 실행한 다음, 맨 아래의 자가 점검 셀을 실행하세요. 이 커널에서 실행한 셀들을 \
별도의 프로세스에서 채점합니다.
- Colab에서는 먼저 새 코드 셀에서 과목 패키지를 설치하세요 (아래 줄).

**Instructions**

- Replace each function's `# TODO` and `raise NotImplementedError` with your code. Keep the \
function names and parameters: they are what is graded.
- Run every cell from the top, then the self-check cell at the end: it grades the cells you ran \
in this kernel, in a separate process.
- In Colab, first install the course bundle in a new code cell (the line below).

```
{install}
```"""

SELF_CHECK = """\
# 자가 점검 / Self-check: grades the functions you ran above, in a separate process.
from autograder.selfcheck import check

check("{assignment}")"""

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def render_notebook(solution_path: Path) -> str:
    """The text of `assignments/<assignment>.ipynb` for one solution file (nbformat 4).

    Example: `nbformat.reads(render_notebook(Path("solutions/lec01_vectors.py")), 4).cells[0]`
    is the markdown cell headed `# AI Math 1강: 벡터가 뭐에요?`.

    Raises:
        ReleaseError: malformed solution markers (see `render_stub`).
    """
    solution_path = Path(solution_path)
    name = solution_path.stem
    stub = render_stub(solution_path).replace("\r\n", "\n").replace("\r", "\n")
    lines = stub.splitlines(keepends=True)[1:]  # without render_stub's header comment
    tree = ast.parse("".join(lines))
    docstring = ast.get_docstring(tree) or ""
    nodes = tree.body[1:] if docstring else tree.body

    cells = [v4.new_markdown_cell(_introduction(name, docstring), metadata=_role("introduction"))]
    setup: list[str] = []
    first = tree.body[0].end_lineno if docstring else 0  # the text before the first node: setup
    starts = [_start(node, lines) for node in nodes]
    ends = starts[1:] + [len(lines)]
    for node, start, end in zip(nodes, starts, ends, strict=True):
        text = "".join(lines[start:end])
        if isinstance(node, _DEFINITIONS):
            cells.append(v4.new_code_cell(text.strip("\n"), metadata=_role("function", node.name)))
        else:
            setup.append(text)
    if nodes and starts[0] > first:
        setup.insert(0, "".join(lines[first : starts[0]]))
    if "".join(setup).strip():
        cells.insert(1, v4.new_code_cell("".join(setup).strip("\n"), metadata=_role("setup")))
    self_check = SELF_CHECK.format(assignment=name)
    cells.append(
        v4.new_code_cell(self_check, metadata=_role("self-check") | {"tags": [SELF_CHECK_TAG]})
    )
    for number, cell in enumerate(cells, start=1):
        cell.metadata["aimath"]["assignment"] = name
        cell.id = f"{name.replace('_', '-')}-{number:02d}"

    nb = v4.new_notebook(
        cells=cells,
        metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}},
    )
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def _introduction(name: str, docstring: str) -> str:
    """The markdown cell: the catalog's title as a heading, the docstring, the instructions."""
    first, _, rest = inspect.cleandoc(docstring).partition("\n")
    assignment = ASSIGNMENTS.get(name)
    title = assignment.title if assignment else first.strip() or name
    explanation = rest.strip() if first.strip() == title else docstring.strip()
    parts = [f"# {title}", explanation, INSTRUCTIONS.format(install=INSTALL_LINE)]
    return "\n\n".join(part for part in parts if part)


def _role(role: str, function: str | None = None) -> dict:
    """A cell's `metadata`: `{"aimath": {"role": ..., "function": ...}}`."""
    info = {"role": role} if function is None else {"role": role, "function": function}
    return {"aimath": info}


def _start(node: ast.stmt, lines: list[str]) -> int:
    """0-based first line of `node`: its first decorator, or the comment lines right above it."""
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1
    while start > 0 and lines[start - 1].startswith("#"):
        start -= 1
    return start
