"""Mistake-aware hints: each names a golden mistake, fires on it, and never on a right answer."""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import numpy as np
import pytest

from autograder import mutants
from autograder.course import ASSIGNMENTS
from autograder.hints import find_hint, load_hints, same_value

from .golden import SUBMISSIONS_DIR

REPO = Path(__file__).resolve().parents[1]
WITH_HINTS = [a for a in ASSIGNMENTS if load_hints(a)]


def reference(assignment: str):
    spec = importlib.util.spec_from_file_location(f"hints_ref_{assignment}",
                                                  REPO / "solutions" / f"{assignment}.py")  # fmt: skip
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_several_assignments_have_hints_and_each_names_a_golden_mistake_of_its_function():
    assert len(WITH_HINTS) >= 6
    for assignment in WITH_HINTS:
        for hint in load_hints(assignment):
            assert hint.function in ASSIGNMENTS[assignment].functions, hint
            assert (SUBMISSIONS_DIR / hint.case / f"{assignment}.py").is_file(), hint
            text = hint.text.render("en")
            assert text and not text.endswith("."), hint  # "Hint: ..." adds nothing


@pytest.mark.parametrize("assignment", WITH_HINTS)
def test_each_mistake_differs_from_the_reference_so_a_right_answer_is_not_taken_for_it(assignment):
    """On the probe inputs (hidden/<assignment>/probes.py), each known mistake returns something
    else than the reference: a hint names a mistake, not the right answer. (Where
    both agree, as l1_norm without abs on a vector of positive entries, the value is right, no
    check fails and no hint is given: the engine adds hints only to failed checks.)"""
    ref = reference(assignment)
    for hint in load_hints(assignment):
        same = differ = 0
        for name, args, kwargs in mutants.load_probes(assignment):
            if name != hint.function:
                continue
            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    value = getattr(ref, name)(*args, **kwargs)
            except Exception:  # noqa: BLE001 - an input the reference rejects has no answer
                continue
            if find_hint(assignment, name, args, kwargs, value) == hint.text:
                same += 1
            else:
                differ += 1
        # Probes are mostly edge cases (single entries, zeros, p = q), where many mistakes are
        # right; each mistake must still differ from the reference on several of them.
        assert differ >= 3, f"{hint.function}: {hint.text!r} ({same} same, {differ} differ)"


def test_a_hint_is_added_only_to_a_failed_check_of_the_last_calls_value(tmp_path):
    from .test_plugin import grade_tiny

    graders = """
        import numpy as np
        from autograder.checks import check_close

        def test_wrong_norm(sub):
            check_close(sub.l2_norm(np.array([3.0, 4.0])), 5.0, name=sub.last_call)

        def test_right_norm_then_another_check_fails(sub):
            sub.l2_norm(np.array([3.0, 4.0]))
            check_close(1.0, 2.0, name="something else")

        def test_right_norm(sub):
            check_close(sub.l1_norm(np.array([3.0, 4.0])), 7.0, name=sub.last_call)
    """
    submission = "import numpy as np\ndef l2_norm(x):\n    return float(np.sum(x * x))\n" \
        "def l1_norm(x):\n    return float(np.sum(np.abs(x)))\n"  # fmt: skip
    r = grade_tiny(tmp_path, graders, submission=submission, hints=True)
    assert r["test_wrong_norm"].status == "failed"
    assert "Hint: this is the sum of the squares: the square root is missing" in (
        r["test_wrong_norm"].output
    )
    assert "Hint:" not in r["test_right_norm_then_another_check_fails"].output
    assert r["test_right_norm"].status == "passed" and "Hint" not in r["test_right_norm"].output
    # Without the course's hidden folder (a student's self-check), there are no hints at all.
    r = grade_tiny(tmp_path, graders, submission=submission)
    assert r["test_wrong_norm"].status == "failed" and "Hint:" not in r["test_wrong_norm"].output


def test_values_that_cannot_be_compared_get_no_hint():
    x = np.array([3.0, 4.0])
    assert find_hint("lec01_vectors", "l2_norm", (x,), {}, 25.0) is not None
    for hostile in ("25", None, {"a": 1}, [25.0, 1.0], np.array([25.0, 0.0]), 2**200, 25 + 1j):
        assert find_hint("lec01_vectors", "l2_norm", (x,), {}, hostile) is None
    assert find_hint("lec01_vectors", "l2_norm", ("not an array",), {}, 25.0) is None
    assert find_hint("lec01_vectors", "no_such_function", (x,), {}, 25.0) is None
    assert not same_value((1.0,), (1.0, 2.0)) and same_value([1.0, 2.0], (1.0, 2.0))
    assert same_value({"a": np.ones(2)}, {"a": [1.0, 1.0]}) and not same_value({"a": 1}, {"b": 1})


def test_a_mistake_that_changes_nothing_for_the_call_gives_no_hint():
    """linear_regression_gd with lr ignored is right when lr is 0.01: the right values, returned
    as a list (a check fails on the type), are not taken for that mistake; with lr 0.02 they are."""
    X, y = np.array([[1.0], [2.0], [4.0]]), np.array([1.0, 2.0, 2.5])
    X_ = np.hstack([X, np.ones((3, 1))])

    def steps(lr, n_iter=3):
        beta = np.zeros(2)
        for _ in range(n_iter):
            beta = beta + lr * X_.T @ (y - X_ @ beta)
        return beta

    call = "lec04_sgd", "linear_regression_gd", (X, y, np.zeros(2))
    assert find_hint(*call, {"lr": 0.01, "n_iter": 3}, steps(0.01).tolist()) is None
    hint = find_hint(*call, {"lr": 0.02, "n_iter": 3}, steps(0.01))
    assert hint is not None and hint.key == "lec04_sgd.hint_gd_lr_ignored"
