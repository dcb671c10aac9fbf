"""Hostile return values through the real sandbox: each costs the student the tests that look at
it ("failed", with a message naming what came back), never a grader error, and the grading
process stays within its time and memory whatever the submission's expressions are."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from autograder.checks import SYMPY_TIMEOUT_S
from autograder.errors import StudentError, UnsupportedReturn
from autograder.plugin import run_graders
from autograder.sandbox.process import Sandbox

REPO = Path(__file__).resolve().parents[1]
LEC01_FUNCTIONS = ("hadamard", "l1_norm", "l2_norm", "l1_distance", "l2_distance", "angle",
                   "projection")  # fmt: skip

# What every function of lec01 returns, and what each test's message must say about it.
HOSTILE = {
    "2**100": ("2**100", r"int too large to compare \(31 digits"),
    "-2**100": ("-(2**100)", r"int too large to compare \(31 digits"),
    "10**400": ("10**400", r"int too large to compare \(401 digits"),
    "nested list": ("[[0.5] * 1000] * 300", r"returned a list|shape \(300, 1000\)"),
    "nan": ("float('nan')", r"returned: nan|returned nan"),
    "inf": ("float('inf')", r"returned: inf|returned inf"),
    "complex": ("complex(1.5, 2.0)", r"complex values|returned: \(1\.5\+2j\)"),
    "0-d array": ("np.array(0.125)", r"array\(0\.125\)"),
    "empty array": ("np.array([])", r"shape \(0,\)"),
    "bool array": ("np.ones(np.shape(x), dtype=bool)", r"True|boolean"),
    "uint64 array": ("np.full(np.shape(x), 2**63 + 12345, dtype=np.uint64)",
                     r"9223372036854788153|9\.2233720368547\d*e\+18"),
    "dict": ("{'norm': 1.0}", r"returned a dict|\{'norm': 1\.0\}"),
    "None": ("None", r"returned None"),
}  # fmt: skip


def write_lec01(folder: Path, expression: str) -> Path:
    names = " = ".join(LEC01_FUNCTIONS)
    (folder / "lec01_vectors.py").write_text(
        f"import numpy as np\n\n\ndef _hostile(x, *args, **kwargs):\n    return {expression}\n\n\n"
        f"{names} = _hostile\n"
    )
    return folder


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_every_test_fails_with_a_message_naming_what_came_back(kind, tmp_path):
    expression, says = HOSTILE[kind]
    results = run_graders(write_lec01(tmp_path, expression), ["lec01_vectors"], hidden=True)
    assert len(results) > 20
    for r in results:
        assert r.status == "failed", f"{r.nodeid}: {r.status}: {r.output[:500]}"
        assert re.search(says, r.output), f"{r.nodeid}: {r.output[:500]}"
        assert "grader itself broke" not in r.output


# -- forged replies: a submission that writes on the worker's protocol itself ----------------------
FORGER = textwrap.dedent(
    """
    import gc, json, struct, sys
    import numpy as np


    def _worker():
        return next(o for o in gc.get_objects()
                    if type(o).__name__ == "Worker" and hasattr(o, "wfile"))


    def _rid():
        frame = sys._getframe(1)
        while frame is not None:
            if "rid" in frame.f_locals:
                return frame.f_locals["rid"]
            frame = frame.f_back


    def _send(body):
        w = _worker()
        w.wfile.write(len(body).to_bytes(8, "little") + body)
        w.wfile.flush()


    def _forge(header, *buffers):
        h = json.dumps(header).encode()
        body = struct.pack("<II", len(h), len(buffers)) + h
        for b in buffers:
            body += struct.pack("<Q", len(b)) + b
        _send(body)
        return 0.0


    def _reply(**items):
        return {"$": "dict", "items": items}


    def _array(dtype, shape, buf=0):
        return {"$": "ndarray", "dtype": dtype, "shape": shape, "buf": buf}


    def id_array(x):
        return _forge(_reply(id=_array("<i8", [2]), ok=True, value=1.0),
                      np.array([_rid()] * 2).tobytes())

    def kind_array(x):
        return _forge(_reply(id=_rid(), ok=False, kind=_array("<i8", [2])),
                      np.array([1, 2]).tobytes())

    def impossible_shape(x):
        return _forge(_reply(id=_rid(), ok=True, value=_array("<f8", [2**63, 0]), output=""), b"")

    def huge_int(x):
        return _forge(_reply(id=_rid(), ok=True, value=2**5000, output=""))

    def deep(x):
        value = 1.0
        for _ in range(200):
            value = [value]
        return _forge(_reply(id=_rid(), ok=True, value=value, output=""))

    def garbage(x):
        _send(b"garbage!")
        return 0.0

    def sympy_tower(x):
        tree = ["Pow", ["Integer", "9" * 400], ["Pow", ["Integer", "9"], ["Integer", "9999"]]]
        return _forge(_reply(id=_rid(), ok=True, value={"$": "sympy", "tree": tree}, output=""))

    def surrogates(x):
        return _forge(_reply(id=_rid(), ok=True, value="a\\ud800", output="\\udfff"))

    def fine(x):
        return 1.5
    """
)


def test_forged_replies_are_the_students_failure_and_the_next_call_works(tmp_path):
    path = tmp_path / "lec01_vectors.py"
    path.write_text(FORGER)
    outcomes = {}
    with Sandbox(path, "lec01_vectors") as box:
        for fn in ("id_array", "kind_array", "impossible_shape", "huge_int", "deep", "garbage",
                   "sympy_tower", "surrogates"):  # fmt: skip
            try:
                value, printed = box.call(fn, (np.zeros(2),), {}, timeout_s=10, call=f"{fn}(x)")
                outcomes[fn] = ("returned", value, printed)
            except StudentError as exc:
                outcomes[fn] = (type(exc).__name__, str(exc))
            # A forged reply taken as the answer leaves the worker's own reply behind: the next
            # call reads it, fails, and gets a fresh worker; the one after that works.
            try:
                box.call("fine", (np.zeros(2),), {}, timeout_s=10, call="fine(x)")
            except StudentError as exc:
                assert outcomes[fn][0] == "returned" and "unexpected reply" in str(exc)
            assert box.call("fine", (np.zeros(2),), {}, timeout_s=10, call="fine(x)")[0] == 1.5
    for fn in ("id_array", "kind_array", "impossible_shape", "huge_int", "deep", "garbage"):
        assert outcomes[fn][0] == "ProtocolError", outcomes[fn]
        assert outcomes[fn][1].startswith(f"{fn}(x): the worker sent"), outcomes[fn]
    # Within the caps, these arrive as data (unevaluated, cleaned) for the checks to judge.
    assert outcomes["sympy_tower"][0] == "returned"
    assert outcomes["surrogates"] == ("returned", "a\ufffd", "\ufffd")


# -- lec03: expressions too large for any algebra ----------------------------------------------------
LEC03_FUNC = {
    "expands to terabytes": (
        "    return val**2 + 2 * val + 3, (x + y + _a + _b + _c + _d) ** 10000\n"
    ),
    "nine to the 400 digits": (
        "    return val**2 + 2 * val + 3, sym.Pow(sym.Integer(9**400), 10000, evaluate=False)\n"
    ),
}
# Tests that never see the submission's own func: they pass whatever func returns.
WITHOUT_FUNC = {
    "test_func_gradient_other_functions", "test_gradient_descent_other_functions",
    "test_gradient_descent_non_polynomial", "test_func_multi_lecture_example",
    "test_eval_gradient_lecture_example", "test_eval_gradient_other_functions",
    "test_gradient_descent_multi_lecture_example", "test_gradient_descent_multi_other_functions",
    "test_gradient_descent_multi_stopping_rule", "test_hidden_gradient_descent_other_functions",
    "test_hidden_func_multi", "test_hidden_eval_gradient", "test_hidden_gradient_descent_multi",
    "test_hidden_gradient_descent_multi_other_functions",
}  # fmt: skip
# Tests that compare func's expression with check_symbolic.
COMPARING = {"test_func_lecture_example", "test_hidden_func"}
GRADE = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path
    from autograder.plugin import run_graders
    start = time.monotonic()
    results = run_graders(Path(sys.argv[1]), ["lec03_gradient_descent"], hidden=True,
                          timeout_s=float(sys.argv[2]))
    print(json.dumps({
        "elapsed": time.monotonic() - start,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "results": [{"name": r.nodeid.split("::")[-1], "status": r.status,
                     "seconds": r.execution_time, "output": r.output[:600]} for r in results],
    }))
    """
)
CALL_TIMEOUT_S = 10.0
PEAK_RSS_MB = 1536


@pytest.mark.skipif(sys.platform != "linux", reason="peak RSS as Linux reports it")
@pytest.mark.parametrize("case", list(LEC03_FUNC))
def test_an_expression_too_large_to_compare_fails_its_tests_in_bounded_time_and_memory(
    case, tmp_path
):
    source = (REPO / "solutions" / "lec03_gradient_descent.py").read_text()
    source += "\n\n_a, _b, _c, _d = sym.symbols('a b c d')\n\n\ndef func(val):\n" + LEC03_FUNC[case]
    (tmp_path / "lec03_gradient_descent.py").write_text(source)
    out = subprocess.run(
        [sys.executable, "-c", GRADE, str(tmp_path), str(CALL_TIMEOUT_S)], capture_output=True,
        text=True, timeout=600, cwd=REPO,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    run = json.loads(out.stdout.strip().splitlines()[-1])
    results = {r["name"]: r for r in run["results"]}
    assert COMPARING | WITHOUT_FUNC <= set(results)
    for name, r in results.items():
        assert r["status"] in ("passed", "failed"), f"{name}: {r['status']}: {r['output']}"
        assert r["seconds"] < CALL_TIMEOUT_S + SYMPY_TIMEOUT_S + 10, (name, r["seconds"])
        if name in WITHOUT_FUNC:
            assert r["status"] == "passed", f"{name}: {r['output']}"
    for name in COMPARING:
        assert results[name]["status"] == "failed"
        assert re.search(r"\[1\] \(the polynomial\) returned an expression (too large to compare|"
                         r"that could not be compared)|returned a wrong expression",
                         results[name]["output"]), results[name]["output"]  # fmt: skip
    assert run["peak_rss_mb"] < PEAK_RSS_MB, run["peak_rss_mb"]


OVER_THE_CAPS = {
    "[0.5] * 1_200_000": "more than 1,000,000 parts",
    "2**5000": "an integer of more than 4000 bits",
    "__import__('functools').reduce(lambda v, _: [v], range(100), 1.0)": "nested more than 64",
    "__import__('sympy').Integer(10**500)": "more than 400 digits",
    "__import__('sympy').Symbol('x') ** 20000": "exponent beyond 10000",
    "__import__('sympy').Add(*__import__('sympy').symbols('s0:30000'))": "too large",
}


def test_values_over_the_caps_are_refused_in_the_worker_with_a_message(tmp_path):
    path = tmp_path / "lec01_vectors.py"
    path.write_text(
        "".join(f"def f{i}(x):\n    return {e}\n\n\n" for i, e in enumerate(OVER_THE_CAPS))
    )
    with Sandbox(path, "lec01_vectors") as box:
        for i, says in enumerate(OVER_THE_CAPS.values()):
            with pytest.raises(UnsupportedReturn, match=re.escape(says)):
                box.call(f"f{i}", (0,), {}, timeout_s=30, call=f"f{i}(0)")
