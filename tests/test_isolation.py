"""A hostile submission must not hurt, stall or outlive anyone: pid namespaces, cgroups, private tmp.

As root (a grading server, CI) the worker gets all of them. As an ordinary user it gets the same
namespaces through a user namespace of its own, where the kernel allows unprivileged ones, and
RLIMIT_NPROC instead of the cgroup's process count; only the cgroup's memory bound of the whole
tree needs root. Tests of what is not available here skip and say why. A hostile worker runs next
to an honest one where it matters, and the honest one must keep answering.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from autograder.errors import GraderFault, StudentRaised, WorkerCrashed
from autograder.sandbox.process import Limits, Sandbox, probe_isolation
from tests.processes import descendants
from tests.processes import live_processes_marked as marked

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
NAMESPACES = "pid-namespace" in probe_isolation()
needs_namespaces = pytest.mark.skipif(
    not NAMESPACES,
    reason="the worker gets no pid namespace here: run the suite as root, or on a kernel that "
    "allows unprivileged user namespaces",
)
needs_root = pytest.mark.skipif(
    not ROOT, reason="the cgroup bounding a submission's whole memory needs root: run as root"
)

HONEST = "def ok():\n    return 'alive'\n"


def box_for(folder: Path, source: str, **limits) -> Sandbox:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "lec01_vectors.py"
    path.write_text(source)
    return Sandbox(path, "lec01_vectors", limits=Limits(load_timeout_s=10, **limits))


def call(box: Sandbox, fn: str, *args, timeout_s: float = 10.0):
    return box.call(fn, args, {}, timeout_s=timeout_s, call=f"{fn}()")[0]


def daemon_source(marker: str, body: str) -> str:
    """A submission whose spawn() starts a double-forked, setsid daemon running ``body``."""
    return f"""
import os, subprocess, sys
def spawn():
    code = {body!r}
    subprocess.Popen([sys.executable, "-c", code, {marker!r}], start_new_session=True)
    return "spawned"
def ok():
    return "alive"
"""


@needs_namespaces
def test_the_worker_is_in_its_own_pid_namespace_with_its_own_proc(tmp_path):
    src = (
        "import os\n"
        "def look():\n"
        "    return os.getpid(), sorted(int(p) for p in os.listdir('/proc') if p.isdigit())\n"
    )
    with box_for(tmp_path, src) as box:
        pid, visible = call(box, "look")
        assert {"pid-namespace", "own-proc", "private-tmp"} <= set(box.isolation)
        assert box.cgroup is not None if ROOT else "no-capabilities" in box.isolation
    assert pid == 1 and visible == [1]  # it sees itself only: no grader, no classmate


@needs_namespaces
def test_killing_everyone_it_can_reaches_no_classmate(tmp_path):
    marker = f"aimath-killer-{time.time_ns()}"
    killer = "import os, signal, time\nend = time.time() + 3\nwhile time.time() < end:\n"
    killer += "    try:\n        os.kill(-1, signal.SIGKILL)\n    except OSError:\n        pass\n"
    with (
        box_for(tmp_path / "honest", HONEST) as honest,
        box_for(tmp_path / "killer", daemon_source(marker, killer)) as hostile,
    ):
        assert call(honest, "ok") == "alive"
        assert call(hostile, "spawn") == "spawned"
        for _ in range(10):  # three seconds of kill(-1, SIGKILL) from a daemon of the killer
            assert call(honest, "ok") == "alive"
            time.sleep(0.3)
        assert honest.starts == 1  # never restarted: never killed
        assert call(hostile, "ok") == "alive"  # the namespace's init ignores it too
    assert marked(marker) == []


STDERR_HOLDER = "import sys, time\nwhile True:\n    sys.stderr.write('.')\n    time.sleep(0.2)\n"


def assert_stop_ends_the_daemon(box: Sandbox, marker: str) -> None:
    """The daemon runs while the worker does; stopping is quick and takes the daemon along."""
    assert call(box, "spawn") == "spawned"
    time.sleep(0.3)
    assert marked(marker)
    start = time.monotonic()
    box.stop()
    assert time.monotonic() - start < 3
    time.sleep(0.2)
    assert marked(marker) == []


@needs_namespaces
def test_a_setsid_daemon_holding_stderr_neither_stalls_nor_outlives_grading(tmp_path):
    marker = f"aimath-daemon-{time.time_ns()}"
    assert_stop_ends_the_daemon(box_for(tmp_path, daemon_source(marker, STDERR_HOLDER)), marker)


@needs_namespaces
def test_files_written_to_tmp_and_shm_go_with_the_worker(tmp_path):
    name = f"aimath-leftover-{time.time_ns()}"
    src = (
        "def write():\n"
        "    for d in ('/tmp', '/var/tmp', '/dev/shm'):\n"
        f"        open(d + '/{name}', 'wb').write(b'x' * 1000)\n"
        "    return 'written'\n"
        "def fill():\n"
        "    with open('/tmp/big', 'wb') as f:\n"
        "        for _ in range(400):\n"
        "            f.write(b'x' * 1024 * 1024)\n"
    )
    with box_for(tmp_path, src) as box:
        assert call(box, "write") == "written"
        with pytest.raises(StudentRaised, match="No space left on device|OSError"):
            call(box, "fill")  # /tmp is a tmpfs of 256 MiB
    for folder in ("/tmp", "/var/tmp", "/dev/shm"):
        assert not (Path(folder) / name).exists()


@needs_root
def test_memory_of_all_the_children_together_is_bounded(tmp_path):
    marker = f"aimath-hog-{time.time_ns()}"
    src = f"""
import subprocess, sys
def hog():
    code = "x = bytearray(300 * 1024 * 1024); import time; time.sleep(3)"
    procs = [subprocess.Popen([sys.executable, "-c", code, {marker!r}]) for _ in range(4)]
    return [p.wait() for p in procs]
"""
    with box_for(tmp_path, src, memory_mb=600) as box:
        codes = call(box, "hog", timeout_s=20)
    assert any(code == -signal.SIGKILL for code in codes)  # the group's limit killed some
    assert marked(marker) == []


@needs_namespaces
def test_a_fork_bomb_hits_the_process_limit(tmp_path):
    src = (
        "import os, time\n"
        "def bomb():\n"
        "    n = 0\n"
        "    while n < 500:\n"
        "        if os.fork() == 0:\n"
        "            time.sleep(30)\n"
        "            os._exit(0)\n"
        "        n += 1\n"
        "    return n\n"
    )
    with box_for(tmp_path / "bomb", src, max_processes=32) as box:
        with pytest.raises(StudentRaised, match="BlockingIOError|Resource temporarily unavailable"):
            call(box, "bomb")
        # the cgroup as root, RLIMIT_NPROC in a user namespace; both count the relay too
        assert len(box.cgroup.pids() if box.cgroup else descendants(box.proc.pid)) <= 32


def server_pids(box: Sandbox) -> list[int]:
    """Host pids of the worker proper (not its relay): the relay's children."""
    proc = box.proc
    if proc is None:
        return []
    return descendants(proc.pid, depth=1)


@needs_namespaces
def test_a_worker_killed_once_from_outside_is_retried_on_a_fresh_worker(tmp_path):
    src = "import time\ndef slow():\n    time.sleep(2)\n    return 1\n" + HONEST
    with box_for(tmp_path, src) as box:
        assert call(box, "ok") == "alive"
        (server,) = server_pids(box)
        killer = subprocess.Popen(["sh", "-c", f"sleep 0.5; kill -9 {server}"])
        assert call(box, "slow") == 1  # the same call, again, on a fresh worker
        killer.wait()
        assert box.starts == 2


@needs_namespaces
def test_a_worker_killed_from_outside_again_and_again_is_the_graders_fault(tmp_path):
    src = "import time\ndef slow():\n    time.sleep(3)\n    return 1\n" + HONEST
    stop = threading.Event()

    def keep_killing(box: Sandbox) -> None:
        while not stop.is_set():
            for pid in server_pids(box):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.3)

    with box_for(tmp_path, src) as box:
        assert call(box, "ok") == "alive"
        thread = threading.Thread(target=keep_killing, args=(box,), daemon=True)
        thread.start()
        try:
            with pytest.raises(GraderFault, match="killed from outside") as info:
                call(box, "slow")
        finally:
            stop.set()
            thread.join()
        assert not isinstance(info.value, WorkerCrashed)  # never the student's failure
        assert call(box, "ok") == "alive"  # and the next call gets a fresh worker


def test_without_namespaces_the_relay_still_kills_what_a_submission_leaves_behind(tmp_path):
    """What a student's own (non-root) self-check gets: the relay reaps and kills orphans."""
    marker = f"aimath-orphan-{time.time_ns()}"
    box = box_for(tmp_path, daemon_source(marker, STDERR_HOLDER), namespaces=False, user=None)
    box.start()
    assert "pid-namespace" not in box.isolation and "relay" in box.isolation
    assert_stop_ends_the_daemon(box, marker)


def test_the_protections_that_are_off_are_named(monkeypatch):
    from autograder.sandbox import process

    off = process.protections_off()
    if ROOT:
        assert off == []  # root with cgroups: nothing is off
    elif NAMESPACES:  # an ordinary user with user namespaces: only the cgroup's memory bound
        assert len(off) == 1 and off[0].startswith("the cgroup"), off
    monkeypatch.setattr(process, "probe_isolation", lambda: ("relay", "private-tmp"))
    off = process.protections_off()
    assert any("pid namespace" in o for o in off) and any("minimal root" in o for o in off)
    assert not any("private /tmp" in o for o in off)


@needs_namespaces
def test_a_hostile_class_leaves_honest_students_scores_unchanged(tmp_path):
    from autograder.batch import grade_class
    from autograder.gradebook import Gradebook

    repo = Path(__file__).resolve().parents[1]
    reference = (repo / "solutions" / "lec01_vectors.py").read_text()
    marker = f"aimath-class-killer-{time.time_ns()}"
    killer = "import os, signal, time\nend = time.time() + 20\nwhile time.time() < end:\n"
    killer += "    try:\n        os.kill(-1, signal.SIGKILL)\n    except OSError:\n        pass\n"
    hostile = reference + (
        "\nimport subprocess, sys\n"
        f"subprocess.Popen([sys.executable, '-c', {killer!r}, {marker!r}], start_new_session=True)\n"
    )
    klass = tmp_path / "class"
    for student, source in (("honest1", reference), ("killer", hostile), ("honest2", reference)):
        (klass / student).mkdir(parents=True)
        (klass / student / "lec01_vectors.py").write_text(source)
    run = grade_class(klass, out_dir=tmp_path / "out", jobs=2, assignments=["lec01_vectors"])
    assert run.exit_status == 0 and not run.grader_errors
    with Gradebook(tmp_path / "out" / "gradebook.sqlite") as book:
        scores = {s.student: s.score for s in book.submissions()}
    assert scores == {"honest1": 38, "killer": 38, "honest2": 38}  # its daemon hurt no one
    assert marked(marker) == []  # and did not outlive grading


@needs_namespaces
def test_the_worker_sees_a_minimal_root_without_the_course_or_other_students(tmp_path):
    from autograder.seeds import config_dir

    repo = Path(__file__).resolve().parents[1]
    classmate = tmp_path / "classmate"
    classmate.mkdir()
    (classmate / "lec01_vectors.py").write_text("SECRET_WORK = 1\n")
    config_dir().mkdir(parents=True, exist_ok=True)  # where the instructor's secret lives
    targets = [repo / "examples" / "class" / "ada" / "lec01_vectors.py", repo / ".git",
               repo / "solutions" / "lec01_vectors.py", classmate / "lec01_vectors.py",
               config_dir(), Path("/etc/shadow")]  # fmt: skip
    assert all(t.exists() for t in targets[:5])
    src = "import os\ndef probe(paths):\n    out = {}\n    for p in paths:\n"
    src += (
        "        try:\n            open(p, 'rb').read(1) if os.path.isfile(p) else os.listdir(p)\n"
    )
    src += "            out[p] = 'readable'\n        except Exception as exc:\n"
    src += "            out[p] = type(exc).__name__\n    return out\n"
    with box_for(tmp_path / "me", src) as box:
        out = call(box, "probe", [str(t) for t in targets])
        assert "minimal-root" in box.isolation
    assert "readable" not in out.values(), out
