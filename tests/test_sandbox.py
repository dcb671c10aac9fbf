"""The worker process: loading, calling, and every way a submission can misbehave."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from autograder.errors import (
    CallTimeout,
    LoadFailed,
    MissingFunction,
    NotAttempted,
    StudentRaised,
    UnsupportedReturn,
    WorkerCrashed,
)
from autograder.sandbox.process import FunctionRef, Limits, Sandbox, probe_isolation
from tests.processes import live_processes_marked


def make(tmp_path: Path, source: str, name: str = "lec01_vectors.py") -> Sandbox:
    path = tmp_path / name
    path.write_text(source)
    return Sandbox(path, path.stem, limits=Limits(load_timeout_s=5))


def call(box: Sandbox, fn: str, *args, timeout_s: float = 5.0, **kwargs):
    value, _ = box.call(fn, args, kwargs, timeout_s=timeout_s, call=f"{fn}(...)")
    return value


def test_calls_return_plain_data_and_keep_state_between_calls(tmp_path):
    src = "import numpy as np\nCOUNT = []\ndef f(x):\n    COUNT.append(1)\n    return x * 2, len(COUNT)\n"
    with make(tmp_path, src) as box:
        value, n = call(box, "f", np.arange(3))
        assert np.array_equal(value, [0, 2, 4]) and n == 1
        assert call(box, "f", 1.5) == (3.0, 2)  # one worker serves every call
        assert box.starts == 1


def test_printed_output_is_returned_with_the_call(tmp_path):
    with make(tmp_path, "def f():\n    print('hello')\n    return 1\n") as box:
        assert box.call("f", (), {}, timeout_s=5, call="f()") == (1, "hello\n")


def test_syntax_error_names_file_and_line(tmp_path):
    with make(tmp_path, "def f(:\n    return 1\n") as box:
        with pytest.raises(LoadFailed, match=r"(?s)lec01_vectors.py.*SyntaxError.*line 1"):
            call(box, "f")
        with pytest.raises(LoadFailed):  # cached: not loaded again for every test
            call(box, "f")
        assert box.starts == 1


def test_exception_at_import_is_a_load_failure(tmp_path):
    with make(tmp_path, "x = 1\nraise RuntimeError('boom at import')\n") as box:
        with pytest.raises(LoadFailed, match=r"RuntimeError: boom at import\n.*line 2"):
            call(box, "f")


def test_missing_function(tmp_path):
    with make(tmp_path, "def g():\n    return 1\n") as box:
        with pytest.raises(MissingFunction, match="lec01_vectors.py has no function f"):
            call(box, "f")


def test_student_exception_reports_type_message_and_line(tmp_path):
    src = "def helper(x):\n    return 1 / x\n\ndef f(x):\n    return helper(x)\n"
    with make(tmp_path, src) as box:
        with pytest.raises(StudentRaised) as info:
            call(box, "f", 0)
        exc = info.value.exc
        assert exc.type == "ZeroDivisionError" and exc.is_a("ArithmeticError")
        assert (exc.line, exc.function, exc.source) == (2, "helper", "return 1 / x")
        assert "lec01_vectors.py, line 2, in helper: return 1 / x" in str(info.value)


def test_not_implemented_is_not_attempted(tmp_path):
    with make(tmp_path, "def f(x):\n    raise NotImplementedError\n") as box:
        with pytest.raises(NotAttempted):
            call(box, "f", 1)


def test_timeout_costs_one_call_and_the_next_call_gets_a_fresh_worker(tmp_path):
    src = "def spin():\n    while True:\n        pass\n\ndef ok():\n    return 42\n"
    with make(tmp_path, src) as box:
        start = time.monotonic()
        with pytest.raises(CallTimeout, match=r"spin\(\.\.\.\) did not finish within .* 0.5 s"):
            call(box, "spin", timeout_s=0.5)
        assert time.monotonic() - start < 3
        assert call(box, "ok") == 42
        assert box.starts == 2


# as root, or in a user namespace of its own, every worker is its own pid namespace's init
IN_PID_NAMESPACE = "pid-namespace" in probe_isolation()


@pytest.mark.parametrize(
    "body, pattern",
    [
        ("import os; os._exit(0)", "exited with status 0"),
        ("import os; os.abort()", "killed by signal SIG(ABRT|SEGV|ILL)|exited with status"),
        ("import ctypes; ctypes.string_at(0)", "killed by signal SIGSEGV"),
    ],
)
def test_worker_death_fails_the_call_and_recovers(tmp_path, body, pattern):
    src = f"def die():\n    {body}\n\ndef ok():\n    return 'alive'\n"
    with make(tmp_path, src) as box:
        with pytest.raises(WorkerCrashed, match=pattern):
            call(box, "die")
        assert call(box, "ok") == "alive"


def test_a_worker_that_sigkills_itself(tmp_path):
    """As its pid namespace's init the worker cannot be killed from inside; without one, it dies."""
    src = "import os, signal\ndef die():\n    os.kill(os.getpid(), signal.SIGKILL)\n    return 'ignored'\n"
    src += "def ok():\n    return 'alive'\n"
    with make(tmp_path, src) as box:
        if IN_PID_NAMESPACE:
            assert call(box, "die") == "ignored" and box.starts == 1
        else:
            with pytest.raises(WorkerCrashed, match="killed by signal SIGKILL"):
                call(box, "die")
        assert call(box, "ok") == "alive"


def test_sys_exit_is_an_exception_not_an_exit(tmp_path):
    with make(tmp_path, "import sys\ndef f():\n    sys.exit(0)\n") as box:
        with pytest.raises(StudentRaised, match="SystemExit"):
            call(box, "f")


def test_memory_limit(tmp_path):
    src = "import numpy as np\ndef hog():\n    return np.ones(10**11).sum()\ndef ok():\n    return 1\n"
    path = tmp_path / "lec01_vectors.py"
    path.write_text(src)
    with Sandbox(path, "lec01_vectors", limits=Limits(memory_mb=1024)) as box:
        with pytest.raises(StudentRaised, match="MemoryError"):
            call(box, "hog")
        assert call(box, "ok") == 1


@pytest.mark.parametrize(
    "expr, what",
    [
        (
            "type('Liar', (np.ndarray,), {'__eq__': lambda s, o: True})((3,))",
            "subclass of numpy.ndarray",
        ),
        ("object()", "of type object"),
        ("np.array(['a', 'b'])", "dtype <U1"),
        ("lambda: 1", "function"),
        ("{1: 2}", "key of type int"),
    ],
)
def test_unsupported_return_types(tmp_path, expr, what):
    with make(tmp_path, f"import numpy as np\ndef f():\n    return {expr}\n") as box:
        with pytest.raises(UnsupportedReturn, match=what):
            call(box, "f")


def test_function_references_run_the_submissions_own_function(tmp_path):
    src = "def square(v):\n    return v * v\n\ndef apply(fun, v):\n    return fun(v) + 1\n"
    with make(tmp_path, src) as box:
        assert call(box, "apply", FunctionRef("square"), 3) == 10


def test_worker_cannot_import_the_grader_or_the_solutions(tmp_path):
    src = (
        "import importlib.util, os, sys\n"
        "def probe():\n"
        "    found = {n: importlib.util.find_spec(n) is not None for n in ('autograder', 'solutions')}\n"
        "    return found, os.getcwd(), os.environ.get('HOME')\n"
    )
    with make(tmp_path, src) as box:
        found, cwd, home = call(box, "probe")
        assert found == {"autograder": False, "solutions": False}
        assert cwd != os.getcwd() and "aimath-worker-" in cwd and home == cwd
        assert cwd == box.tmpdir.name and Path(cwd).is_dir()
    assert not Path(cwd).exists()  # the scratch folder goes with the worker


def test_notebook_submission(tmp_path):
    nb = {
        "nbformat": 4, "nbformat_minor": 5, "metadata": {},
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# Lecture 1", "id": "a"},
            {"cell_type": "code", "metadata": {}, "source": "%matplotlib inline\nimport numpy as np",
             "outputs": [], "execution_count": None, "id": "b"},
            {"cell_type": "code", "metadata": {}, "source": "def f(x):\n    return np.sum(x)\n\ndef g():\n    return 1 / 0",
             "outputs": [], "execution_count": None, "id": "c"},
        ],
    }  # fmt: skip
    path = tmp_path / "lec01_vectors.ipynb"
    path.write_text(json.dumps(nb))
    with Sandbox(path, "lec01_vectors") as box:
        assert call(box, "f", np.arange(4)) == 6
        with pytest.raises(StudentRaised, match=r"cell 3, line 5, in g"):  # as Jupyter counts
            call(box, "g")


def test_broken_notebook_is_a_load_failure_naming_the_file(tmp_path):
    path = tmp_path / "lec01_vectors.ipynb"
    path.write_text('{"cells": [ this is not json')
    with Sandbox(path, "lec01_vectors") as box:
        with pytest.raises(LoadFailed, match=r"lec01_vectors.ipynb could not be loaded"):
            call(box, "f")


def test_endless_loop_at_import_is_a_load_failure(tmp_path):
    path = tmp_path / "lec01_vectors.py"
    path.write_text("while True:\n    pass\n")
    with Sandbox(path, "lec01_vectors", limits=Limits(load_timeout_s=0.5)) as box:
        with pytest.raises(
            LoadFailed,
            match="importing lec01_vectors.py did not finish within its time limit of 0.5 s",
        ):
            call(box, "f")


def test_stop_kills_children_of_the_worker(tmp_path):
    marker = f"aimath-test-child-{os.getpid()}-{time.time_ns()}"
    src = (
        "import subprocess, sys\n"
        "def spawn():\n"
        f"    subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)', {marker!r}])\n"
        "    return 'spawned'\n"
    )
    with make(tmp_path, src) as box:
        assert call(box, "spawn") == "spawned"
        deadline = time.monotonic() + 5
        while not live_processes_marked(marker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert live_processes_marked(marker)  # the probe itself can see the child
    time.sleep(0.2)
    assert live_processes_marked(marker) == []


ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
REPO = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(
    not IN_PID_NAMESPACE,
    reason="isolation needs root, or a kernel that allows unprivileged user namespaces",
)
def test_isolation_hides_solutions_cuts_network_and_drops_root(tmp_path):
    solution = REPO / "solutions" / "lec01_vectors.py"
    grader_cwd = Path.cwd()
    src = f"""
import os, signal, socket
def probe():
    out = {{"uid": os.getuid()}}
    for key, action in [
        ("read_solution", lambda: open({str(solution)!r}).read()),
        ("list_graders", lambda: os.listdir({str(REPO / "autograder" / "graders")!r})),
        ("write_grader_cwd", lambda: open({str(grader_cwd / "results.json")!r}, "w").write("{{}}")),
        ("kill_grader", lambda: os.kill({os.getpid()}, signal.SIGTERM)),
        ("connect", lambda: socket.create_connection(("127.0.0.1", 22), timeout=1)),
        ("write_cwd", lambda: open("scratch.txt", "w").write("ok")),
    ]:
        try:
            result = action()
            out[key] = "allowed" if key != "list_graders" else sorted(result)
        except Exception as exc:
            out[key] = type(exc).__name__
    return out
"""
    with make(tmp_path, src) as box:
        out = call(box, "probe")
        dropped = "user=nobody" if ROOT else "no-capabilities"  # root, or an ordinary user
        assert set(box.isolation) >= {"hidden-paths", "no-network", dropped}
    assert out["uid"] != 0
    assert out["read_solution"] in ("FileNotFoundError", "PermissionError")
    # hidden by an empty tmpfs, or (a checkout below /tmp) not there at all in the worker's view
    assert out["list_graders"] in ([], "FileNotFoundError")
    assert out["write_grader_cwd"] in ("PermissionError", "FileNotFoundError")
    # out of the worker's pid namespace, the grader's pid names nothing (or a process of its own)
    assert out["kill_grader"] in ("PermissionError", "ProcessLookupError")
    assert out["connect"] in ("OSError", "ConnectionRefusedError", "TimeoutError")
    assert out["write_cwd"] == "allowed"
    assert (
        not (grader_cwd / "results.json").exists()
        or (grader_cwd / "results.json").read_text() != "{}"
    )


def test_grader_defined_functions_and_generators_are_materialised_in_the_worker(tmp_path):
    sympy = pytest.importorskip("sympy")
    from sympy.abc import x, y

    from autograder.arguments import lecture_function, numeric_function, seeded_rng

    src = (
        "import numpy as np\n"
        "def call(f, *args):\n    return f(*args)\n"
        "def kind(f):\n    return type(f(1.0)[1]).__name__\n"
        "def draw(rng):\n    return rng.permutation(6)\n"
    )
    with make(tmp_path, src) as box:
        value, expr = call(box, "call", lecture_function(x**2 + 2 * x + 3, x), 3)
        assert value == 18 and expr == x**2 + 2 * x + 3
        assert call(box, "kind", lecture_function(x**2 + 1, x)) == "Poly"
        assert call(box, "kind", lecture_function(sympy.sin(x), x)) == "sin"
        value, _ = call(box, "call", lecture_function(x**2 + 2 * y**2), [1, 2])
        assert value == 9
        out = call(box, "call", numeric_function(x**2 + 2 * y**2), np.arange(3.0), 2.0)
        assert np.array_equal(out, np.arange(3.0) ** 2 + 8)
        assert np.array_equal(
            call(box, "draw", seeded_rng(7)), np.random.default_rng(7).permutation(6)
        )


def test_a_worker_that_closes_the_protocol_fails_the_call_only(tmp_path):
    src = (
        "import os\n"
        "def close():\n"
        "    for fd in range(3, 64):\n"
        "        try:\n            os.close(fd)\n        except OSError:\n            pass\n"
        "    return 1\n"
        "def ok():\n    return 2\n"
    )
    with make(tmp_path, src) as box:
        with pytest.raises(WorkerCrashed):
            call(box, "close")
        assert call(box, "ok") == 2


def test_a_looping_worker_dies_with_the_process_that_owns_it(tmp_path):
    (tmp_path / "lec01_vectors.py").write_text("def spin():\n    while True:\n        pass\n")
    owner = (
        "import sys, threading\n"
        "from pathlib import Path\n"
        "from autograder.sandbox.process import Sandbox\n"
        f"box = Sandbox(Path({str(tmp_path / 'lec01_vectors.py')!r}), 'lec01_vectors')\n"
        "box.start()\n"
        "print(box.proc.pid, flush=True)\n"
        "box.call('spin', (), {}, timeout_s=60, call='spin()')\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", owner], stdout=subprocess.PIPE, text=True)
    worker_pid = int(proc.stdout.readline())
    time.sleep(0.5)
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _alive(worker_pid):
        time.sleep(0.1)
    assert not _alive(worker_pid)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except FileNotFoundError:
        return False
