"""Unit tests of autograder/sandbox/cells.py: which notebook cells run, and as what Python.

The module is what the sandboxed worker uses to read a student's notebook, so every case here is
what a student's notebook turns into before it runs: broken notebooks give one clear message,
nbgrader's test cells and the self-check cell are left out, and IPython syntax becomes ``pass``
without moving any line.
"""

from __future__ import annotations

import json
import traceback

import nbformat
import pytest
from nbformat import v4

from autograder.i18n import render_note
from autograder.sandbox.cells import (
    MAX_CELLS,
    NotebookError,
    prepare_cell,
    read_notebook,
    skipped_note,
)


def notebook(*cells: nbformat.NotebookNode) -> str:
    """The JSON text of an nbformat 4 notebook holding ``cells``."""
    return nbformat.writes(v4.new_notebook(cells=list(cells)))


def one(source: str, **metadata: object):
    """The prepared cell for one code cell holding ``source``."""
    return prepare_cell(1, source, metadata)


def compiles(source: str) -> bool:
    try:
        compile(source, "<cell>", "exec", dont_inherit=True)
    except SyntaxError:
        return False
    return True


# -- notebooks that cannot be read -------------------------------------------------------------
def test_invalid_json_names_the_line_and_column():
    broken = '{\n "nbformat": 4,\n "cells": [\n  {"cell_type": "code", "source": "x = 1",}\n ]\n}'
    with pytest.raises(json.JSONDecodeError) as decoded:
        json.loads(broken)
    assert decoded.value.lineno == 4  # the trailing comma
    with pytest.raises(NotebookError) as info:
        read_notebook(broken)
    message = str(info.value)
    assert f"line 4, column {decoded.value.colno}" in message
    assert "JSON" in message and "save it again" in message


def test_truncated_json_is_a_notebook_error_too():
    text = notebook(v4.new_code_cell("x = 1"))
    with pytest.raises(NotebookError, match=r"line \d+, column \d+"):
        read_notebook(text[: len(text) // 2])


def test_nbformat_3_asks_to_save_it_again_in_a_current_jupyter():
    v3 = {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {"name": "lec01"},
        "worksheets": [{"cells": [{"cell_type": "code", "input": "x = 1", "language": "python"}]}],
    }
    with pytest.raises(NotebookError) as info:
        read_notebook(json.dumps(v3))
    message = str(info.value)
    assert "nbformat 3" in message
    assert "save" in message.lower() and "nbformat 4" in message


def test_nbformat_3_with_a_cells_list_is_still_refused():
    nb = json.loads(notebook(v4.new_code_cell("x = 1")))
    nb["nbformat"] = 3
    with pytest.raises(NotebookError, match="nbformat 3"):
        read_notebook(json.dumps(nb))


def test_an_unknown_future_format_is_refused():
    nb = json.loads(notebook(v4.new_code_cell("x = 1")))
    nb["nbformat"] = 5
    with pytest.raises(NotebookError, match="only nbformat 4"):
        read_notebook(json.dumps(nb))


@pytest.mark.parametrize(
    "value", [{"metadata": {}}, {"cells": "x = 1", "nbformat": 4}, [1, 2, 3], "notebook", 42]
)
def test_json_that_is_not_a_notebook(value):
    with pytest.raises(NotebookError, match="is not a Jupyter notebook"):
        read_notebook(json.dumps(value))


def test_no_code_cells():
    text = notebook(v4.new_markdown_cell("# my answers"), v4.new_raw_cell("x = 1"))
    with pytest.raises(NotebookError, match="no code cells"):
        read_notebook(text)


def test_an_empty_list_of_cells_has_no_code_cells():
    with pytest.raises(NotebookError, match="no code cells"):
        read_notebook(notebook())


def test_too_many_cells():
    cells = [v4.new_code_cell("x = 1") for _ in range(MAX_CELLS + 1)]
    with pytest.raises(NotebookError, match=f"at most {MAX_CELLS}"):
        read_notebook(notebook(*cells))


def test_deeply_nested_json_is_a_notebook_error():
    with pytest.raises(NotebookError):
        read_notebook("[" * 100_000 + "]" * 100_000)


# -- the cells that are read -------------------------------------------------------------------
def test_code_cells_are_numbered_as_the_notebook_shows_them():
    text = notebook(
        v4.new_markdown_cell("# title"),
        v4.new_code_cell("import numpy as np"),
        v4.new_code_cell("def f(x):\n    return 2 * x"),
        v4.new_markdown_cell("text"),
        v4.new_code_cell("y = f(3)"),
    )
    cells = read_notebook(text)
    assert [c.number for c in cells] == [2, 3, 5]
    assert [c.source for c in cells] == ["import numpy as np", "def f(x):\n    return 2 * x",
                                         "y = f(3)"]  # fmt: skip
    assert all(c.run and not c.notes for c in cells)


def test_source_as_a_list_of_strings_is_joined():
    nb = json.loads(notebook(v4.new_code_cell("placeholder")))
    nb["cells"][0]["source"] = ["def f(x):\n", "    return x + 1\n", "\n", "y = f(1)"]
    (cell,) = read_notebook(json.dumps(nb))
    assert cell.run and cell.source == "def f(x):\n    return x + 1\n\ny = f(1)"
    namespace: dict = {}
    exec(cell.source, namespace)
    assert namespace["y"] == 2


def test_a_source_that_is_not_text_is_not_run_and_noted():
    nb = json.loads(notebook(v4.new_code_cell("x = 1"), v4.new_code_cell("y = 2")))
    nb["cells"][0]["source"] = ["x = 1", 7]
    first, second = read_notebook(json.dumps(nb))
    assert (
        not first.run
        and "cell 1" in render_note(first.notes[0])
        and "not text" in render_note(first.notes[0])
    )
    assert second.run


def test_empty_cells_are_not_run_and_not_noted():
    first, second = read_notebook(notebook(v4.new_code_cell("  \n\n"), v4.new_code_cell("x=1")))
    assert not first.run and first.notes == []
    assert second.run


# -- nbgrader's cells --------------------------------------------------------------------------
def nbgrader(**flags: object) -> dict:
    return {"nbgrader": {"grade_id": "cell-x", "schema_version": 3, **flags}}


@pytest.mark.parametrize(
    "flags",
    [
        {"grade": True, "solution": False, "points": 2},
        {"grade": True, "points": 1},  # solution missing
        {"grade": True, "solution": None},
    ],
)
def test_nbgrader_test_cells_are_not_run(flags):
    cell = prepare_cell(4, "assert f(2) == 4\nraise NotImplementedError", nbgrader(**flags))
    assert not cell.run and cell.skipped == "nbgrader-test"
    assert render_note(skipped_note([cell])) == (
        "cell 4 is an nbgrader test cell, not run (the grader runs its own tests)"
    )


def test_skipped_nbgrader_test_cells_make_one_note_with_ranges():
    flags = nbgrader(grade=True, solution=False)
    cells = [prepare_cell(n, "assert True", flags) for n in (3, 5, 6, 7, 9)]
    cells.insert(1, prepare_cell(4, "x = 1", {}))
    assert render_note(skipped_note(cells)) == (
        "cells 3, 5-7, 9 are nbgrader test cells, not run (the grader runs its own tests)"
    )
    assert skipped_note([prepare_cell(1, "x = 1", {})]) is None


@pytest.mark.parametrize(
    "flags",
    [
        {"grade": False, "solution": True},  # an autograded answer
        {"solution": True},
        {"grade": True, "solution": True, "points": 3},  # a manually graded answer
        {"grade": False, "solution": False, "locked": True},  # a read-only cell of the teacher
    ],
)
def test_nbgrader_answer_cells_run(flags):
    cell = prepare_cell(4, "def f(x):\n    return 2 * x", nbgrader(**flags))
    assert cell.run and cell.notes == [] and cell.source == "def f(x):\n    return 2 * x"


def test_nbgrader_test_cells_in_a_notebook():
    text = notebook(
        v4.new_code_cell("def f(x):\n    return 2 * x", metadata=nbgrader(solution=True)),
        v4.new_code_cell("assert False", metadata=nbgrader(grade=True, solution=False, points=1)),
        v4.new_code_cell("y = f(1)"),
    )
    cells = read_notebook(text)
    assert [c.run for c in cells] == [True, False, True]


# -- the self-check cell -----------------------------------------------------------------------
SELF_CHECK = "from autograder.selfcheck import check\ncheck('lec01_vectors')"


def test_self_check_cell_by_metadata():
    cell = prepare_cell(9, "check_my_work()", {"aimath": {"role": "self-check"}})
    assert not cell.run


def test_self_check_cell_by_tag():
    cell = prepare_cell(9, "check_my_work()", {"tags": ["x", "aimath-self-check"]})
    assert not cell.run


def test_self_check_cell_by_content():
    assert not prepare_cell(9, SELF_CHECK, {}).run
    assert not prepare_cell(9, "import autograder.selfcheck\nautograder.selfcheck.check()").run


def test_other_roles_and_tags_run():
    assert prepare_cell(9, "x = 1", {"aimath": {"role": "solution"}, "tags": ["other"]}).run
    assert prepare_cell(9, "x = 1", {"aimath": "self-check", "tags": "aimath-self-check"}).run


def test_self_check_cell_in_a_notebook_with_ipython_syntax():
    source = "!pip install aimath-autograder\n" + SELF_CHECK
    text = notebook(v4.new_code_cell("x = 1"), v4.new_code_cell(source))
    assert [c.run for c in read_notebook(text)] == [True, False]


# -- IPython syntax ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "source",
    [
        'print("100% done")',
        "x = 7 % 3\nprint('%d items' % x)",
        "s = '''\n%matplotlib inline\n!ls\n'''",  # in a string, in a cell that compiles
        "ok = (1\n      != 2)",
        "# %matplotlib inline\nx = 1",
    ],
)
def test_a_valid_cell_is_left_unchanged(source):
    cell = one(source)
    assert cell.run and cell.source == source and cell.notes == []


def assert_dropped(cell, source: str, expected: str, *fragments: str) -> None:
    """``source`` became ``expected`` (which compiles), on the same lines, with a note."""
    assert cell.run
    assert cell.source == expected
    assert compiles(cell.source)
    assert len(cell.source.split("\n")) == len(source.split("\n"))
    assert len(cell.notes) == 1
    note = render_note(cell.notes[0])
    assert note.startswith(f"cell {cell.number}:") and "skipped" in note
    for fragment in fragments:
        assert fragment in note


@pytest.mark.parametrize(
    ("source", "expected", "fragment"),
    [
        ("%matplotlib inline\nimport numpy as np", "pass\nimport numpy as np",
         "line 1: %matplotlib inline"),
        ("!pip install x\nx = 1", "pass\nx = 1", "line 1: !pip install x"),
        ("files = !ls\nn = 1", "pass\nn = 1", "line 1: files = !ls"),
        ("x = 1\na, b = %sx ls", "x = 1\npass", "line 2: a, b = %sx ls"),
        ("import numpy as np\nnp.sum?", "import numpy as np\npass", "line 2: np.sum?"),
        ("import numpy as np\n?np.sum\nnp.sum??", "import numpy as np\npass\npass",
         "line 3: np.sum??"),
        ("%load_ext autoreload\n%autoreload 2", "pass\npass", "line 2: %autoreload 2"),
    ],
)  # fmt: skip
def test_magic_and_shell_lines_become_pass(source, expected, fragment):
    assert_dropped(one(source), source, expected, fragment)


def test_time_magic_runs_its_statement():
    source = "def f(x):\n    return x * 2\n%time y = f(2)"
    cell = one(source)
    assert_dropped(cell, source, "def f(x):\n    return x * 2\ny = f(2)", "line 3: %time y = f(2)")
    namespace: dict = {}
    exec(cell.source, namespace)
    assert namespace["y"] == 4


def test_timeit_is_dropped_not_run():
    source = "x = 0\n%timeit x = 5"
    assert_dropped(one(source), source, "x = 0\npass")


def test_a_magic_inside_an_indented_block_keeps_its_indentation():
    source = (
        "def show(x):\n"
        "    %matplotlib inline\n"
        "    if x:\n"
        "        !echo hi\n"
        "        %time y = x\n"
        "        return y\n"
        "    return -1\n"
    )
    expected = (
        "def show(x):\n    pass\n    if x:\n        pass\n        y = x\n        return y\n"
        "    return -1\n"
    )
    cell = one(source)
    assert_dropped(cell, source, expected, "line 2: %matplotlib inline", "line 4: !echo hi")
    namespace: dict = {}
    exec(cell.source, namespace)
    assert namespace["show"](3) == 3 and namespace["show"](0) == -1


def test_a_magic_in_a_tab_indented_block():
    source = "if True:\n\t!echo hi\n\tz = 1"
    assert_dropped(one(source), source, "if True:\n\tpass\n\tz = 1")


def test_a_block_holding_only_a_magic_still_compiles():
    source = "for i in range(3):\n    !echo $i\nk = i"
    cell = one(source)
    assert_dropped(cell, source, "for i in range(3):\n    pass\nk = i")
    namespace: dict = {}
    exec(cell.source, namespace)
    assert namespace["k"] == 2


def test_more_than_three_dropped_lines_are_counted_in_the_note():
    source = "!a\n!b\n!c\n!d\n!e\nx = 1"
    cell = one(source)
    assert cell.source == "pass\npass\npass\npass\npass\nx = 1"
    assert "line 3: !c" in render_note(cell.notes[0]) and "!d" not in render_note(cell.notes[0])
    assert "and 2 more" in render_note(cell.notes[0])


def test_a_real_syntax_error_is_left_for_the_worker_to_report():
    source = "%matplotlib inline\ndef f(x:\n    return x"
    cell = one(source)
    assert cell.run and not compiles(cell.source)
    assert cell.source.split("\n")[1:] == source.split("\n")[1:]


def test_a_cell_magic_drops_the_whole_cell_with_a_note():
    source = "%%bash\necho hello\nls -l"
    cell = prepare_cell(6, source, {})
    assert not cell.run
    assert len(cell.notes) == 1
    assert (
        "cell 6" in render_note(cell.notes[0])
        and "%%bash" in render_note(cell.notes[0])
        and "not run" in render_note(cell.notes[0])
    )


@pytest.mark.parametrize("magic", ["%%html", "%%writefile helper.py", "%%javascript"])
def test_other_cell_magics_are_dropped(magic):
    cell = one(f"{magic}\nx = 1")
    assert not cell.run and magic.split()[0] in render_note(cell.notes[0])


@pytest.mark.parametrize("magic", ["%%time", "%%capture", "%%capture out"])
def test_time_and_capture_cell_magics_keep_their_body(magic):
    source = f"\n{magic}\ndef f(x):\n    return x + 1\ny = f(1)"
    cell = one(source)
    assert cell.run and compiles(cell.source)
    lines = cell.source.split("\n")
    assert len(lines) == len(source.split("\n"))
    assert lines[2:] == source.split("\n")[2:]  # the body, on its own lines
    assert f"%%{magic[2:].split()[0]}" in render_note(cell.notes[0]) and "body ran" in render_note(
        cell.notes[0]
    )
    namespace: dict = {}
    exec(cell.source, namespace)
    assert namespace["y"] == 2


def test_a_magic_in_the_body_of_a_time_cell_is_dropped_too():
    source = "%%time\n%matplotlib inline\nx = 1"
    cell = one(source)
    assert cell.run and cell.source == "pass\npass\nx = 1"
    assert len(cell.notes) == 2 and "line 2: %matplotlib inline" in render_note(cell.notes[1])


def test_line_numbers_never_shift():
    source = (
        "import numpy as np\n"  # 1
        "%matplotlib inline\n"  # 2
        "files = !ls\n"  # 3
        "np.sum?\n"  # 4
        "%time z = 1\n"  # 5
        "def broken():\n"  # 6
        "    !echo hi\n"  # 7
        "    return 1 / 0\n"  # 8
    )
    cell = one(source)
    before, after = source.split("\n"), cell.source.split("\n")
    assert len(after) == len(before)
    for i in (0, 5, 7):
        assert after[i] == before[i]
    namespace: dict = {}
    exec(compile(cell.source, "cell", "exec"), namespace)
    with pytest.raises(ZeroDivisionError) as info:
        namespace["broken"]()
    assert traceback.extract_tb(info.value.__traceback__)[-1].lineno == 8


# -- lines that look like commands but are inside a string or an expression ------------------
def run(source: str) -> dict:
    namespace: dict = {}
    exec(compile(source, "<cell>", "exec", dont_inherit=True), namespace)
    return namespace


def test_a_string_spanning_lines_in_a_cell_with_a_magic_is_not_changed():
    source = '%matplotlib inline\nHELP = """\n%d items\n!important\n"""\n!ls\nn = len(HELP)'
    cell = one(source)
    assert cell.source == "pass\n" + source.split("\n", 1)[1].replace("!ls", "pass")
    assert run(cell.source)["HELP"] == "\n%d items\n!important\n"
    assert "line 6: !ls" in render_note(cell.notes[0]) and "%d items" not in render_note(
        cell.notes[0]
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("'''it's\n%s\n'''", "it's\n%s\n"),
        ("'one \\\n%two'", "one %two"),  # a one-quote string continued by a backslash
        ('b"""\\"""\n!x"""', b'"""\n!x'),  # an escaped quote
        ('f"{1 + 1}" + """\n%{}\n"""', "2\n%{}\n"),
    ],
)
def test_strings_of_every_kind_are_left_alone(text, value):
    source = f"%matplotlib inline\nv = {text}\n!ls"
    cell = one(source)
    assert cell.source == f"pass\nv = {text}\npass"
    assert run(cell.source)["v"] == value


def test_a_continuation_line_in_a_cell_with_a_magic_is_not_changed():
    source = (
        "%matplotlib inline\n"
        "ok = (1\n"
        "      != 2)\n"
        "r = (7  # a comment: it's not code\n"
        "     % 4)\n"
        "t = 1 + \\\n"
        "    2\n"
        "!ls"
    )
    cell = one(source)
    assert cell.source == "pass" + source[len("%matplotlib inline") : -len("!ls")] + "pass"
    namespace = run(cell.source)
    assert namespace["ok"] is True and namespace["r"] == 3 and namespace["t"] == 3


@pytest.mark.parametrize("comment", ["# (see below", '# """ quoted', "# it's [1"])
def test_brackets_and_quotes_in_comments_do_not_count(comment):
    source = f"%matplotlib inline\nx = 1  {comment}\n!ls"
    assert one(source).source == f"pass\nx = 1  {comment}\npass"
