"""Messages as data: choosing the language, rendering, notes, and failures in and out of JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest

from autograder.checks import CheckError, check_close
from autograder.failures import EXPECTED, RETURNED, Failure, failure_kind, kind_label
from autograder.i18n import (
    Msg,
    Note,
    choose_lang,
    decode_note,
    encode_note,
    msg,
    note_from_data,
    raw,
    render_note,
    text,
)
from autograder.results import TestResult


@pytest.mark.parametrize(
    ("flag", "environ", "lang"),
    [
        (None, {}, "en"),
        ("ko", {"AIMATH_LANG": "en", "LANG": "en_US.UTF-8"}, "ko"),  # the flag wins
        (None, {"AIMATH_LANG": "ko", "LANG": "en_US.UTF-8"}, "ko"),  # then AIMATH_LANG
        (None, {"LANG": "ko_KR.UTF-8"}, "ko"),  # then the locale
        (None, {"LC_ALL": "C.UTF-8", "LANG": "ko_KR.UTF-8"}, "en"),  # the first one set decides
        (None, {"LC_MESSAGES": "ko_KR", "LANG": "en_US"}, "ko"),
        (" EN ", {}, "en"),
    ],
)
def test_the_language_is_the_flag_then_aimath_lang_then_the_locale(flag, environ, lang):
    assert choose_lang(flag, environ) == lang


@pytest.mark.parametrize(("flag", "environ"), [("fr", {}), (None, {"AIMATH_LANG": "jp"})])
def test_an_unknown_language_is_refused(flag, environ):
    with pytest.raises(ValueError, match="must be one of en, ko"):
        choose_lang(flag, environ)


def test_a_message_renders_in_each_language_with_its_parameters():
    m = msg("checks.wrong_values", n_bad=2, size=5)
    assert m.render("en") == "returned wrong values: 2 of 5 elements differ."
    assert m.render("ko") == "잘못된 값을 반환했습니다: 원소 5개 중 2개가 다릅니다."
    assert text("terminal.total", "ko", points="3/5") == "합계: 3/5점"
    # a message inside a message renders in the same language
    nested = msg("checks.expected_array", what=msg("checks.a_bool"))
    assert nested.render("ko") == "bool 값을(를) 반환했습니다. 배열을 반환해야 합니다"


def test_a_parameter_that_does_not_fit_its_format_is_shown_never_raised():
    # {abs_error:.3g} given a string (a value from an old record, say): shown as it is
    m = msg("checks.errors", abs_error="big", rel_error=0.5, tolerance="t")
    assert m.render("en") == "absolute error big, relative error 0.5; t"
    assert msg("checks.wrong_values", n_bad=1).render("en") == (
        "returned wrong values: 1 of {size} elements differ."
    )


def test_messages_go_through_json_and_back():
    m = msg("checks.expected_array", what=msg("checks.a_array", shape="(2,)"))
    again = Msg.from_json(json.loads(json.dumps(m.to_json())))
    assert again == m and again.render("ko") == m.render("ko")
    assert Msg.from_json("plain text").render("ko") == "plain text"


def test_notes_are_text_that_remembers_its_message():
    note = Note(msg("notes.both", graded="a.py", ignored="a.ipynb"))
    assert note.startswith("Both a.py and a.ipynb were handed in") and isinstance(note, str)
    assert render_note(note, "ko").startswith("a.py와(과) a.ipynb이(가) 모두 제출되었습니다")
    line = encode_note(note)
    assert render_note(line, "ko") == render_note(note, "ko")
    assert decode_note(line) == note.msg


@pytest.mark.parametrize(
    "line",
    [
        '{"key": "no.such_key", "params": {}}',  # not in the catalog
        '{"key": "notes.both", "params": ',  # broken JSON
        "cell 3 raised ValueError: x",  # an old, plain note
        '{"key": "", "params": {"text": "<script>"}}',
    ],
)
def test_a_note_that_is_not_a_known_message_is_shown_as_text(line):
    assert render_note(line, "ko") == line


def test_a_failure_as_data_renders_the_same_after_json_and_hides_the_expected_value():
    with pytest.raises(CheckError) as info:
        check_close(np.array([1.0, 5.0]), np.array([1.0, 2.0]), name="f(x)")
    failure = info.value.failure
    assert failure.kind == "wrong answer" and failure.call == "f(x)"
    assert failure.numbers["worst_index"] == [1] and failure.numbers["rtol"] == 1e-6
    again = Failure.from_json(json.loads(json.dumps(failure.to_json())))
    for lang in ("en", "ko"):
        assert again.render(lang) == failure.render(lang)
    assert "expected: array([1., 2.])" in failure.render("en")
    hidden = failure.render("en", show_expected=False)
    assert "expected: array" not in hidden and "returned: array([1., 5.])" in hidden


def test_a_failure_kind_comes_from_the_data_else_from_an_old_records_text():
    f = Failure(kind="wrong shape", problem=raw("x"), details=[RETURNED, EXPECTED])
    with_data = TestResult("t", "1.1", 0, 1, "failed", "lec01_vectors", failure=f.to_json())
    assert failure_kind(with_data) == "wrong shape"
    old = TestResult("t", "1.1", 0, 1, "failed", "lec01_vectors",
                     output="f(x) did not finish within its time limit of 1 s")  # fmt: skip
    assert failure_kind(old) == "time limit"
    assert kind_label("time limit", "ko") == "시간 제한 초과"


def test_a_note_from_the_worker_is_a_catalog_message_with_flat_parameters_or_nothing():
    note = note_from_data({"key": "notes.nbgrader_test_cell", "params": {"number": 4}})
    assert note.render("en").startswith("cell 4 is an nbgrader test cell")
    long = note_from_data({"key": "notes.cell_raised", "params": {"message": "x" * 5000}}, 100)
    assert long.params["message"] == "x" * 100  # cut, as text is
    assert note_from_data("cell 3 raised X", 7).render("ko") == "cell 3 "
    for hostile in (
        {"key": "no.such_key", "params": {}},
        {"key": "notes.both", "params": {"graded": {"msg": {"key": "notes.both"}}}},  # nested
        {"key": "notes.both", "params": {"graded": ["a"]}},
        {"key": "notes.both", "params": {"graded": True}},
        {"key": "notes.cell_raised", "params": {"number": 2**200}},
        {"key": "notes.both", "params": {str(i): "" for i in range(17)}},
        {"key": 3, "params": {}},
        ["notes.both"],
        None,
    ):
        assert note_from_data(hostile) == raw(""), hostile
