"""bounded.py: sympy work on untrusted expressions runs in a helper process with a deadline and a
memory limit; going over either costs that request only, and the next one gets a fresh helper."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest
import sympy
from sympy.abc import a, b, c, d, x, y

from autograder import bounded, wire
from autograder.bounded import (
    Helper,
    HelperUnavailable,
    WorkCrashed,
    WorkOutOfMemory,
    WorkRaised,
    WorkTimeout,
    compare_symbolic,
    plain_text,
    sympy_text,
)

# expand() of this needs terabytes: it runs out of any memory limit, or out of any deadline.
EXPLODES = (x + y + a + b + c + d) ** 10000
# Evaluating this takes seconds; printing x + x*sin(it) never ends (the printer evaluates the
# coefficients of terms, here a sine of a number of four million digits).
NINE_TOWER = sympy.Pow(sympy.Integer(9**400), 10000, evaluate=False)
UNPRINTABLE = sympy.Add(
    x, sympy.Mul(sympy.sin(NINE_TOWER, evaluate=False), x, evaluate=False), evaluate=False
)


def symbolic(h: Helper, actual, expected, *, timeout_s: float = 10.0):
    return h.request("symbolic", actual=actual, expected=expected, n_points=6, rtol=1e-6,
                     atol=1e-9, max_chars=300, timeout_s=timeout_s)  # fmt: skip


@pytest.fixture
def h():
    helper = Helper()
    yield helper
    helper.stop()


def test_equal_expressions_pass_and_different_ones_say_where_they_differ():
    assert compare_symbolic(2 * x + 2, 2 * (x + 1)) == {"equal": True}
    assert compare_symbolic(sympy.sin(x) ** 2 + sympy.cos(x) ** 2, sympy.Integer(1))["equal"]
    result = compare_symbolic(2 * x + 3, 2 * x + 2)
    assert result["equal"] is False and result["actual"] == "2*x + 3"
    assert result["at"].startswith("x = ") and result["missing"] == []
    assert compare_symbolic(2 * y, 2 * x)["missing"] == ["y"]


def test_the_helper_is_started_once_and_reused(h):
    assert symbolic(h, x + 1, 1 + x)["equal"]
    pid = h.pid
    start = time.monotonic()
    for k in range(20):
        assert symbolic(h, (x + k) ** 2, x**2 + 2 * k * x + k**2)["equal"]
    assert h.pid == pid and h.starts == 1
    assert time.monotonic() - start < 2.0  # a few milliseconds per request


def test_a_timeout_stops_the_work_and_the_next_request_gets_a_fresh_helper(h):
    assert symbolic(h, x, x)["equal"]
    first = h.pid
    start = time.monotonic()
    with pytest.raises(WorkTimeout, match="longer than 0.5 s"):
        symbolic(h, EXPLODES, x, timeout_s=0.5)
    assert time.monotonic() - start < 3.0
    assert h.proc is None  # killed
    with pytest.raises(ProcessLookupError):
        os.kill(first, 0)
    assert symbolic(h, 2 * x + 2, 2 * (x + 1))["equal"]
    assert h.pid != first and h.starts == 2


def test_running_out_of_memory_fails_the_request_only():
    h = Helper(memory_mb=400)
    try:
        start = time.monotonic()
        with pytest.raises(WorkOutOfMemory, match="more than 400 MiB"):
            symbolic(h, EXPLODES, x, timeout_s=60.0)
        assert time.monotonic() - start < 30.0
        assert symbolic(h, (x + 1) ** 2, x**2 + 2 * x + 1)["equal"]
        assert h.starts == 2
    finally:
        h.stop()


def test_a_helper_that_dies_between_requests_is_replaced_quietly(h):
    assert symbolic(h, x, x)["equal"]
    os.kill(h.pid, signal.SIGKILL)
    time.sleep(0.2)
    assert symbolic(h, x + x, 2 * x)["equal"]
    assert h.starts == 2


def test_a_helper_killed_during_the_work_is_a_crash_and_is_replaced(h):
    assert symbolic(h, x, x)["equal"]
    pid = h.pid
    killer = threading.Timer(0.5, os.kill, (pid, signal.SIGKILL))
    killer.start()
    try:
        with pytest.raises(WorkCrashed, match="died"):
            symbolic(h, EXPLODES, x, timeout_s=30.0)
    finally:
        killer.cancel()
    assert symbolic(h, x, x)["equal"] and h.pid != pid


def test_what_sympy_raises_is_reported_and_the_helper_stays(h):
    assert symbolic(h, x, x)["equal"]
    pid = h.pid
    with pytest.raises(WorkRaised, match="TypeError"):
        h.request("symbolic", actual=x + 1, expected=x, n_points="six", rtol=1e-6, atol=1e-9,
                  max_chars=300, timeout_s=10)  # fmt: skip
    assert symbolic(h, x, x)["equal"] and h.pid == pid


def test_a_malformed_request_is_the_graders_fault(h):
    with pytest.raises(HelperUnavailable, match="refused"):
        h.request("no such operation", timeout_s=10)
    with pytest.raises(wire.WireError):
        h.request("text", expr=object(), max_chars=10, timeout_s=10)
    assert symbolic(h, x, x)["equal"]


def test_a_helper_that_cannot_start_is_the_graders_fault():
    h = Helper(memory_mb=20)  # too little to import sympy
    try:
        with pytest.raises(HelperUnavailable, match="did not start"):
            symbolic(h, x, x)
    finally:
        h.stop()


def test_printing_is_bounded_too(monkeypatch):
    monkeypatch.setattr(bounded, "_text_backoff_until", 0.0)
    assert sympy_text(x**2 + 2 * x + 3) == "x**2 + 2*x + 3"
    start = time.monotonic()
    text = sympy_text(UNPRINTABLE, timeout_s=0.5)
    assert time.monotonic() - start < 3.0
    assert text == plain_text(UNPRINTABLE) and text.startswith("x + sin(")
    # For a while after a failure the plain rendering is used straight away (one timeout per
    # message, however many expressions it shows).
    start = time.monotonic()
    assert sympy_text(x + 1) == "1 + x" and time.monotonic() - start < 0.1


@pytest.mark.parametrize(
    "expr, text",
    [
        (sympy.Add(x**2, 2 * x, 3, evaluate=False), "x**2 + 2*x + 3"),
        ((x + 1) ** 2, "(1 + x)**2"),
        (sympy.Mul(2, x + 1, evaluate=False), "2*(1 + x)"),
        (x ** (y + 1), "x**(1 + y)"),
        (-x, "(-1)*x"),
        (x / 2, "(1/2)*x"),
        (sympy.sin(x) + sympy.pi, "pi + sin(x)"),
        (sympy.Float(0.25) * x, "0.25*x"),
        (NINE_TOWER, str(9**400) + "**10000"),
        (sympy.Integer(9**400) ** 10, "<an integer of 3,817 digits>"),
    ],
)
def test_plain_text_calls_nothing_of_sympy_but_its_tree(expr, text):
    assert plain_text(expr, max_chars=10_000) == text


def test_plain_text_stops_at_its_length():
    huge = sympy.Add(*(sympy.Symbol(f"s{i}") ** 2 for i in range(10_000)))
    start = time.monotonic()
    text = plain_text(huge, max_chars=100)
    assert len(text) == 100 and text.endswith("...") and time.monotonic() - start < 0.5


def test_the_helper_dies_with_the_grading_process(tmp_path):
    script = textwrap.dedent(
        """
        import os
        from sympy.abc import x
        from autograder import bounded
        bounded.compare_symbolic(x, x)
        print(bounded.helper().pid, flush=True)
        os._exit(0)  # no atexit: the helper has to notice by itself
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=60, cwd=tmp_path, check=True)  # fmt: skip
    pid = int(out.stdout.split()[-1])
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    pytest.fail("the helper outlived the process that started it")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_process_gets_its_own_helper():
    assert compare_symbolic(x, x)["equal"]
    parent_helper = bounded.helper().pid
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            ok = compare_symbolic(x + 1, 1 + x)["equal"]
            os.write(write, f"{ok} {bounded.helper().pid}".encode())
        finally:
            os._exit(0)
    os.close(write)
    answer = os.read(read, 100).decode().split()
    os.waitpid(pid, 0)
    assert answer[0] == "True" and int(answer[1]) != parent_helper
    assert compare_symbolic(x, x)["equal"] and bounded.helper().pid == parent_helper
