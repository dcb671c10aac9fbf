"""aimath mutants: the generator, grading, the equivalence probe, marks, resumability, the CLI.

Grading tests use lec01 (its graders run in a fraction of a second) and a copy of the course whose
reference has a redundant call, so that a known mutant survives whatever the real marks say.
"""

from __future__ import annotations

import ast
import re
import shutil
import stat
import time
from pathlib import Path

import numpy as np
import pytest
from sympy import Integer
from sympy.abc import x as X

from autograder import mutants as mut
from autograder.cli import main
from autograder.course import ASSIGNMENTS
from autograder.errors import RemoteException

REPO = Path(__file__).resolve().parents[1]
L1 = "lec01_vectors"
# The sample of every assignment's mutants graded in CI (the last test): 20 mutants, about 15 s on
# 2 cores, fixed so that a failure names the same mutants every time.
CI_SAMPLE, CI_SEED = 5, 0

SYNTHETIC = '''"""A made-up reference that every operator family can mutate."""

import numpy as np


def f(x, y, n):
    """Not mutated: outside the solution block."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"f: shapes {x.shape} and {y.shape} differ")
    a, b = x.sum(axis=0), y.T
    total = 0.0
    for i in range(n):
        total += x[i] * 2 - y[i]
    ok = not (total > 1 and n < 3)
    return np.sqrt(abs(total)) + x[: n + 1].sum(), ok, a @ b
    ### END SOLUTION


def g(x):
    return x + 1  # outside every solution block: never mutated
'''


def reference(assignment: str) -> str:
    return (REPO / "solutions" / f"{assignment}.py").read_text(encoding="utf-8")


def outside_blocks(text: str) -> str:
    return re.sub(r"### BEGIN SOLUTION\n.*?### END SOLUTION", "### BLOCK", text, flags=re.S)


def find(mutants: list[mut.Mutant], function: str, family: str, replacement: str,
         original: str = "") -> mut.Mutant:  # fmt: skip
    """The one mutant of ``function`` in ``family`` whose shown change holds these texts."""
    found = [m for m in mutants if m.function == function and m.family == family
             and replacement in m.replacement and original in ("", m.original)]  # fmt: skip
    assert len(found) == 1, [m.description for m in found]
    return found[0]


@pytest.fixture(scope="module")
def course_mutants() -> dict[str, list[mut.Mutant]]:
    return {a: mut.generate_mutants(reference(a), a) for a in ASSIGNMENTS}


# -- the generator ------------------------------------------------------------------------------
def test_every_operator_family_produces_mutants(course_mutants):
    synthetic = mut.generate_mutants(SYNTHETIC, "synthetic")
    assert {m.family for m in synthetic} == set(mut.FAMILIES)
    assert {m.family for ms in course_mutants.values() for m in ms} == set(mut.FAMILIES)
    shown = {(m.family, m.original, m.replacement) for m in synthetic}
    for expected in [
        ("arithmetic", "x[i] * 2 - y[i]", "x[i] * 2 + y[i]"),
        ("arithmetic", "total += x[i] * 2 - y[i]", "total -= x[i] * 2 - y[i]"),
        ("comparison", "total > 1 and n < 3", "total >= 1 and n < 3"),  # a boundary swap
        ("boolean", "total > 1 and n < 3", "total > 1 or n < 3"),
        ("boolean", "not (total > 1 and n < 3)", "total > 1 and n < 3"),
        ("constant", "total = 0.0", "total = 1.0"),
        ("constant", "x[i] * 2 - y[i]", "x[i] * 3 - y[i]"),
        ("call-wrapper", "np.asarray(x, dtype=float)", "x"),
        ("call-wrapper", "np.sqrt(abs(total))", "abs(total)"),
        ("axis", "x.sum(axis=0)", "x.sum(axis=1)"),
        ("axis", "x.shape[0] != y.shape[0]", "x.shape[1] != y.shape[0]"),
        ("axis", "x.shape[0] != y.shape[0]", "x.shape[-1] != y.shape[0]"),
        ("axis", "x.sum(axis=0), y.T", "x.sum(axis=0), y"),
        ("off-by-one", "range(n)", "range(n + 1)"),
        ("off-by-one", "x[i] * 2 - y[i]", "x[i - 1] * 2 - y[i]"),
        ("off-by-one", "x[: n + 1].sum()", "x[: n + 1 + 1].sum()"),
        ("swap", "a, b = x.sum(axis=0), y.T", "b, a = x.sum(axis=0), y.T"),
        ("swap", "x[i] * 2 - y[i]", "y[i] - x[i] * 2"),
        ("statement", "total = 0.0", "pass"),
    ]:
        assert expected in shown, expected
    raise_checks = [m for m in synthetic if m.family == "raise-check"]
    assert [m.original.split(":")[0] for m in raise_checks] == ["if x.shape[0] != y.shape[0]"]
    assert all(m.replacement == "pass" for m in raise_checks)


def test_mutants_change_only_solution_blocks_and_name_their_function(course_mutants):
    for assignment, mutants in course_mutants.items():
        text = reference(assignment)
        functions = [n for n in ast.parse(text).body if isinstance(n, ast.FunctionDef)]
        assert mutants
        for m in mutants:
            assert m.source != text
            assert outside_blocks(m.source) == outside_blocks(text), m.description
            ast.parse(m.source)
            (owner,) = [f.name for f in functions if f.lineno <= m.line <= f.end_lineno]
            assert owner == m.function, m.description
    synthetic = mut.generate_mutants(SYNTHETIC, "synthetic")
    assert all("    return x + 1  # outside" in m.source for m in synthetic)
    assert all("Not mutated" in m.source for m in synthetic)


def test_error_messages_are_not_mutated():
    for m in mut.generate_mutants(SYNTHETIC, "synthetic"):
        if m.family not in ("statement", "raise-check"):
            assert "shapes" not in m.original, m.description  # the f-string of the raise


def test_replacements_get_the_parentheses_they_need():
    source = SYNTHETIC.replace("np.sqrt(abs(total)) + x[: n + 1].sum()", "np.sqrt(n + 1) * 2")
    (m,) = [m for m in mut.generate_mutants(source, "s")
            if m.family == "call-wrapper" and m.original == "np.sqrt(n + 1)"]  # fmt: skip
    assert "return (n + 1) * 2, ok, a @ b" in m.source


def test_ids_are_stable_unique_and_do_not_move_with_other_functions(course_mutants):
    mutants = course_mutants[L1]
    again = mut.generate_mutants(reference(L1), L1)
    assert [m.id for m in again] == [m.id for m in mutants]
    assert len({m.id for m in mutants}) == len(mutants)
    assert all(re.fullmatch(r"[0-9a-f]{12}", m.id) for m in mutants)
    # Two more lines in hadamard's block: hadamard gets new mutants, the others keep their ids.
    text = reference(L1).replace("    return x * y\n", "    z = x * y\n    return z\n", 1)
    edited = {m.id for m in mut.generate_mutants(text, L1) if m.function != "hadamard"}
    assert edited == {m.id for m in mutants if m.function != "hadamard"}


def test_the_diff_shows_the_change_against_the_reference(course_mutants):
    m = find(course_mutants[L1], "hadamard", "arithmetic", "x / y")
    diff = m.diff(reference(L1))
    lines = diff.splitlines()
    assert lines[0] == "--- solutions/lec01_vectors.py (reference)"
    assert lines[1] == f"+++ solutions/lec01_vectors.py (mutant {m.id})"
    assert [line for line in lines[2:] if line[:1] in "+-"] == [
        "-    return x * y", "+    return x / y",
    ]  # fmt: skip
    assert (
        m.description == "hadamard, line 27: arithmetic operator: `return x * y` -> `return x / y`"
    )


def test_the_sample_is_reproducible_and_keeps_the_file_order(course_mutants):
    mutants = course_mutants[L1]
    first = mut.sample_mutants(mutants, 6, 0, L1)
    assert first == mut.sample_mutants(mutants, 6, 0, L1) and len(first) == 6
    assert first != mut.sample_mutants(mutants, 6, 1, L1)
    assert [mutants.index(m) for m in first] == sorted(mutants.index(m) for m in first)
    assert (
        mut.sample_mutants(mutants, 10_000, 0, L1)
        == mutants
        == mut.sample_mutants(mutants, None, 0, L1)
    )


# -- grading -------------------------------------------------------------------------------------
def test_a_wrong_mutant_is_killed_by_the_first_test_it_fails(course_mutants):
    m = find(course_mutants[L1], "hadamard", "arithmetic", "x + y")
    outcome = mut.grade_mutant(m.source, L1, m.id, function=m.function)
    assert outcome.status == "killed" and outcome.probe is None
    assert "hadamard" in outcome.killed_by and "returned wrong values" in outcome.message


def test_an_equivalent_rewrite_survives_and_the_probe_finds_no_difference():
    text = reference(L1).replace("float(np.sum(np.abs(x)))", "float(np.abs(x).sum())")
    outcome = mut.grade_mutant(text, L1, "0" * 12, function="l1_norm")
    assert outcome.status == "survived" and outcome.score == outcome.max_score > 0
    assert outcome.verdict == "likely equivalent"
    assert outcome.probe.compared == len(mut.load_probes(L1)) and outcome.probe.skipped == 0


def test_a_looping_mutant_costs_only_its_time_limit():
    text = reference(L1).replace(
        "    return float(np.sum(np.abs(x)))", "    while True:\n        pass"
    )
    started = time.monotonic()
    outcome = mut.grade_mutant(text, L1, "1" * 12, function="l1_norm", timeout_s=1.0)
    assert time.monotonic() - started < 8
    assert outcome.status == "killed" and "l1_norm" in outcome.killed_by
    assert "time limit of 1 s" in outcome.message


# -- the equivalence probe -----------------------------------------------------------------------
def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.py"
    path.write_text(text)
    return path


DOUBLE_PROBES = [
    ("double", (np.array([1.0, 2.5]),), {}),
    ("double", (np.array([3, 4]),), {}),
    ("double", (np.array([1.0, -2.0]),), {}),
    ("double", (2.5,), {}),
]


def test_the_probe_calls_x_times_2_and_x_plus_x_equivalent(tmp_path):
    ref = write(tmp_path / "ref", "demo", "def double(x):\n    return x * 2\n")
    mutant = write(tmp_path / "mutant", "demo", "def double(x):\n    return x + x\n")
    result = mut.probe_mutant(mutant, ref, "demo", DOUBLE_PROBES, first="double")
    assert result == mut.ProbeResult("likely equivalent", compared=4, skipped=0)


def test_the_probe_reports_the_first_input_that_tells_them_apart(tmp_path):
    ref = write(tmp_path / "ref", "demo", "def double(x):\n    return x * 2\n")
    mutant = write(tmp_path / "mutant", "demo", "import numpy as np\n\n\ndef double(x):\n"
                   "    return np.abs(x) * 2\n")  # fmt: skip
    result = mut.probe_mutant(mutant, ref, "demo", DOUBLE_PROBES, first="double")
    assert result.verdict == "real gap" and result.compared == 3 and result.index == 2
    assert result.call == "double(array([ 1., -2.]))"
    assert result.reference == "returned array([ 2., -4.])"
    assert result.mutant == "returned array([2., 4.])"


def test_the_probe_skips_inputs_the_reference_cannot_answer(tmp_path):
    slow = ("import time\n\n\ndef double(x):\n    if x == 0:\n        time.sleep(60)\n"
            "    return 2 * x\n")  # fmt: skip
    ref = write(tmp_path / "ref", "demo", slow)
    mutant = write(tmp_path / "mutant", "demo", "def double(x):\n    return x + x\n")
    probes = [("double", (0,), {}), ("double", (3,), {})]
    result = mut.probe_mutant(mutant, ref, "demo", probes, timeout_s=0.5)
    assert (result.verdict, result.compared, result.skipped) == ("likely equivalent", 1, 1)


def value(v):
    return mut._Outcome("value", value=v)


def raised(name, *mro):
    return mut._Outcome("raised", error=RemoteException(type=name, message="", mro=(name, *mro)))


@pytest.mark.parametrize(
    "actual, expected, same",
    [
        (value(np.float64(0.1 + 0.2)), value(0.3), True),  # a numpy scalar for a float
        (value(np.array([1, 2])), value(np.array([1.0, 2.0])), True),  # integers for floats
        (value(np.array([1.0, np.nan])), value(np.array([1.0, np.nan])), True),
        (value(np.array([1.0, 2.0])), value(np.array([[1.0, 2.0]])), False),  # shapes
        (value([1.0, 2.0]), value(np.array([1.0, 2.0])), False),  # a list is no array
        (value(np.array([True])), value(np.array([1.0])), False),  # booleans are no numbers
        (value((np.zeros(2), 3)), value([np.zeros(2), 3.0]), True),
        (value({"a": 1.0}), value({"a": 1.0 + 1e-3}), False),
        (value(Integer(18)), value(18.0), True),
        (value((X + 1) ** 2 + 2), value(X**2 + 2 * X + 3), True),
        (value(X**2 + 2 * X), value(X**2 + 2 * X + 3), False),  # fmt: skip
        (raised("LinAlgError", "ValueError", "Exception"), raised("ValueError", "Exception"), True),
        (raised("IndexError", "LookupError"), raised("ValueError", "Exception"), False),
        (value(1.0), raised("ValueError"), False),
        (mut._Outcome("timeout"), value(1.0), False),
    ],
)
def test_outcomes_are_compared_by_kind_shape_and_value(actual, expected, same):
    assert mut.same_outcome(actual, expected) is same


def test_every_function_has_probe_inputs_the_reference_answers():
    for assignment, entry in ASSIGNMENTS.items():
        probes = mut.load_probes(assignment)
        assert {p[0] for p in probes} == set(entry.functions), assignment
    # lec03's probes run slow sympy loops: its self-check is left to the acceptance test.
    for assignment in [a for a in ASSIGNMENTS if a != "lec03_gradient_descent"]:
        path = REPO / "solutions" / f"{assignment}.py"
        result = mut.probe_mutant(path, path, assignment, mut.load_probes(assignment))
        assert (result.verdict, result.skipped) == ("likely equivalent", 0), assignment


# -- marks, resumability, the CLI ----------------------------------------------------------------
@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A course whose lec01 reference has a redundant np.abs: removing it leaves a survivor."""
    root = tmp_path_factory.mktemp("course")
    (root / "solutions").mkdir()
    text = reference(L1).replace("float(np.sum(np.abs(x)))", "float(np.sum(np.abs(np.abs(x))))")
    (root / "solutions" / f"{L1}.py").write_text(text)
    shutil.copytree(REPO / "hidden" / L1, root / "hidden" / L1,
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    return root


@pytest.fixture(scope="module")
def chosen(course) -> tuple[str, str]:
    """(a survivor, a killed mutant) of the course's lec01 reference."""
    mutants = mut.generate_mutants((course / "solutions" / f"{L1}.py").read_text(), L1)
    survivor = find(mutants, "l1_norm", "call-wrapper", "np.abs(x)", "np.abs(np.abs(x))")
    killed = find(mutants, "hadamard", "arithmetic", "x + y")
    return survivor.id, killed.id


def run(course: Path, report: Path, only, **options) -> mut.MutantsRun:
    return mut.run_mutants([L1], only=only, report=report, solutions_dir=course / "solutions",
                           hidden_dir=course / "hidden", **options)  # fmt: skip


def test_marked_survivors_are_left_out_of_the_kill_rate(course, chosen, tmp_path):
    survivor, killed = chosen
    (result,) = run(course, tmp_path / "unmarked", chosen, marks_dir=tmp_path / "none").results
    assert [m.id for m in result.unmarked_survivors()] == [survivor]
    assert result.outcomes[survivor].verdict == "likely equivalent"
    assert result.outcomes[killed].status == "killed" and result.kill_rate == 0.5
    marks = tmp_path / "marks" / L1
    marks.mkdir(parents=True)
    (marks / "equivalent_mutants.toml").write_text(
        f'# verified by hand\n"{survivor}" = "np.abs of np.abs(x) is np.abs(x)"\n'
    )
    marked = run(course, tmp_path / "marked", chosen, marks_dir=tmp_path / "marks")
    (result,) = marked.results
    assert result.counts()["marked"] == 1 and result.kill_rate == 1.0
    assert result.unmarked_survivors() == [] and marked.exit_status == 0
    assert result.outcomes[survivor].probe is None  # a marked survivor is not probed
    text = (tmp_path / "marked" / f"{L1}.md").read_text()
    assert "## Marked equivalent (1)" in text and "np.abs of np.abs(x) is np.abs(x)" in text


def test_marks_files_are_read_in_toml_and_json_and_checked(tmp_path):
    graders, hidden = tmp_path / "graders" / L1, tmp_path / "hidden" / L1
    graders.mkdir(parents=True)
    hidden.mkdir(parents=True)
    (graders / "equivalent_mutants.toml").write_text('"aaaaaaaaaaaa" = "one"\n')
    (hidden / "equivalent_mutants.json").write_text('{"bbbbbbbbbbbb": "two, kept private"}')
    marks = mut.load_marks(L1, marks_dir=tmp_path / "graders", hidden_dir=tmp_path / "hidden")
    assert marks == {"aaaaaaaaaaaa": "one", "bbbbbbbbbbbb": "two, kept private"}
    for text, message in (('"not-an-id" = "x"\n', "is not a mutant id"),
                          ('"aaaaaaaaaaaa" = ""\n', "non-empty string"),
                          ("= broken\n", "cannot be read")):  # fmt: skip
        (graders / "equivalent_mutants.toml").write_text(text)
        with pytest.raises(mut.MutantsError, match=message):
            mut.load_marks(L1, marks_dir=tmp_path / "graders", hidden_dir=tmp_path / "hidden")


def test_the_course_marks_name_current_mutants_with_reasons(course_mutants):
    for assignment, mutants in course_mutants.items():
        marks = mut.load_marks(assignment)
        assert set(marks) <= {m.id for m in mutants}, f"stale marks in {assignment}"


def test_a_second_run_grades_nothing_new(course, chosen, tmp_path):
    first = run(course, tmp_path / "report", chosen, marks_dir=tmp_path / "none")
    second = run(course, tmp_path / "report", chosen, marks_dir=tmp_path / "none")
    assert first.results[0].new == 2 and second.results[0].new == 0
    assert second.results[0].outcomes == first.results[0].outcomes
    forced = run(course, tmp_path / "report", chosen[1:], marks_dir=tmp_path / "none", force=True)
    assert forced.results[0].new == 1
    assert {p.name for p in first.written} == {f"{L1}.md", f"{L1}.json", "summary.json"}
    for name in (f"{L1}.md", f"{L1}.json", "mutants.sqlite"):  # the reports quote the solutions
        assert stat.S_IMODE((tmp_path / "report" / name).stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "report").stat().st_mode) == 0o700


def test_the_cli_exits_1_on_an_unmarked_survivor_and_0_when_all_are_killed(
    course, chosen, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("AIMATH_COURSE", str(course))  # restored afterwards (--course sets it)
    survivor, killed = chosen
    args = ["mutants", L1, "--course", str(course), "-j", "1", "--report"]
    assert main([*args, str(tmp_path / "a.md"), "--id", killed, survivor]) == 1
    out = capsys.readouterr().out
    assert f"{survivor} likely equivalent: l1_norm" in out and "kill rate" in out
    assert (tmp_path / "a.md").is_file() and (tmp_path / "a.json").is_file()
    assert main([*args, str(tmp_path / "b"), "--id", killed]) == 0
    assert main([*args, str(tmp_path / "c"), "--sample", "0"]) == 2
    assert "--sample must be at least 1" in capsys.readouterr().err
    assert main(["mutants", L1, "-j", "0", "--report", str(tmp_path / "e")]) == 2
    assert "-j must be at least 1, not 0" in capsys.readouterr().err
    assert main(["mutants", "lec99_nothing", "--report", str(tmp_path / "d")]) == 2
    capsys.readouterr()  # (where a protection is off, the grading run's first line says so)
    assert main(["mutants", L1, "--course", str(course), "--list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == len(mut.list_mutants([L1], solutions_dir=course / "solutions"))
    assert any(line.startswith(f"{survivor} l1_norm, line") for line in listed)


# -- CI: the graders kill every mutant of a fixed sample ---------------------------------------
def test_a_fixed_sample_of_every_assignment_has_no_unmarked_survivor(tmp_path):
    run = mut.run_mutants(list(ASSIGNMENTS), sample=CI_SAMPLE, seed=CI_SEED, jobs=2,
                          report=tmp_path / "mutants")  # fmt: skip
    problems = []
    for result in run.results:
        assert len(result.graded) == CI_SAMPLE
        for m in result.unmarked_survivors() + result.errors():
            outcome = result.outcomes[m.id]
            line = f"{m.id} {outcome.verdict or outcome.status}: {m.description}"
            if outcome.probe is not None and outcome.probe.call:
                line += (f"\n    {outcome.probe.call}: reference {outcome.probe.reference}; "
                         f"mutant {outcome.probe.mutant}")  # fmt: skip
            problems.append(line + (f"\n    {outcome.message}" if outcome.message else ""))
    assert not problems, "mutants the graders do not kill:\n" + "\n".join(problems)
    assert run.exit_status == 0
