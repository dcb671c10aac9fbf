"""The grader's handle on one sandboxed worker: start it, load a submission, call its functions.

    >>> box = Sandbox(Path("assignments/lec01_vectors.py"), "lec01_vectors")
    >>> box.call("l2_norm", (np.array([3.0, 4.0]),), {}, timeout_s=10, call="l2_norm([3, 4])")
    5.0

One worker serves every call of a submission. A call that times out or kills the worker costs that
call only: the worker is stopped and the next call starts a fresh one. A file that cannot be loaded
fails every call with the same LoadFailed, loaded once. All replies pass through ``wire.decode``
and a shape check before anything else looks at them.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import wire
from ..course import GRADERS_DIR, default_solutions_dir
from ..errors import (
    CallTimeout,
    LoadFailed,
    MissingFunction,
    NotAttempted,
    ProtocolError,
    RemoteException,
    StudentRaised,
    UnsupportedReturn,
    WorkerCrashed,
    WorkerKilled,
)
from ..i18n import Note, msg, note_from_data
from .cgroup import WorkerCgroup

WORKER_SCRIPT = Path(__file__).with_name("worker.py")
WIRE_MODULE = Path(wire.__file__)
STDERR_TAIL_BYTES = 4096
MAX_SOURCE_BYTES = 5 * 1024 * 1024
MAX_NOTES, MAX_NOTE_CHARS = 50, 1000
STOP_GRACE_S = 1.0  # how long the relay may take to kill what a submission left behind
# Deaths that only someone outside the worker's pid namespace can cause (a crash, a resource
# limit or the memory cgroup ends it otherwise).
EXTERNAL_SIGNALS = frozenset({signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGHUP,
                              signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2})  # fmt: skip
# Variables the worker keeps from the grader's environment; everything else is dropped.
PASSED_ENV = ("PATH", "LANG", "LC_ALL", "TZ", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


@dataclass(frozen=True)
class Limits:
    """Resource limits of one worker (each call's time limit is given with the call)."""

    load_timeout_s: float = 30.0
    memory_mb: int = 4096
    file_mb: int = 64
    user: str | None = "nobody"  # who the worker becomes, where the grader runs as root
    network: bool = False
    max_processes: int = 64  # the worker and all its children, where cgroups can be used
    # False: no namespaces, cgroup or privilege drop even as root (what a non-root run gets)
    namespaces: bool = True


class FunctionRef:
    """A reference to one of the submission's own functions, passed as an argument to another."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


def _encode_extension(value: Any) -> dict | None:
    """Grader-side arguments that are not plain data: the submission's functions by name, and
    the objects of autograder.arguments (sympy functions, seeded generators) as their data."""
    if type(value) is FunctionRef:
        return {"$": "function", "name": value.name}
    wire_node = getattr(type(value), "wire_node", None)
    if wire_node is not None and type(value).__module__ == "autograder.arguments":
        return wire_node(value)
    return None


class Sandbox:
    """A worker process holding one imported submission file."""

    cgroup: WorkerCgroup | None = None
    _drain: threading.Thread | None = None

    def __init__(
        self,
        path: Path,
        module: str,
        *,
        limits: Limits = Limits(),
        hide: tuple[Path, ...] | None = None,
    ) -> None:
        self.path = Path(path).resolve()
        self.module = module
        self.limits = limits
        self.hide = tuple(hide) if hide is not None else (default_solutions_dir(), GRADERS_DIR)
        self.isolation: tuple[str, ...] = ()
        self.proc: subprocess.Popen | None = None
        self.tmpdir: tempfile.TemporaryDirectory | None = None
        self.load_error: LoadFailed | None = None
        self.functions: frozenset[str] = frozenset()
        self.load_output = ""
        self.load_notes: tuple[str, ...] = ()  # how a notebook's cells ran, for the student
        self.stderr_tail: deque[bytes] = deque()
        self.next_id = 0
        self.starts = 0
        # When a time budget ends (time.monotonic()): no load or call may run past it.
        self.deadline: float | None = None

    @property
    def filename(self) -> str:
        return self.path.name

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        """Start a worker and load the submission; raise LoadFailed if it cannot be loaded."""
        if self.load_error is not None:  # a fresh exception, so tracebacks do not pile up
            error = self.load_error
            raise LoadFailed(error.message, *error.details, call=error.call) from None
        if self.proc is not None:
            return
        source = self._read_source()
        self.tmpdir = tempfile.TemporaryDirectory(prefix="aimath-worker-")
        _give_to_worker_user(self.tmpdir.name, self.limits.user)
        env = {k: os.environ[k] for k in PASSED_ENV if k in os.environ}
        env.update(
            HOME=self.tmpdir.name, TMPDIR=self.tmpdir.name, PYTHONHASHSEED="0",
            # as nbgrader sets it, so a notebook can leave out slow demos when it is graded
            NBGRADER_EXECUTION="autograde",
            OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
            PYTHONDONTWRITEBYTECODE="1", MPLBACKEND="Agg",
        )  # fmt: skip
        cmd = [sys.executable, "-I", "-X", "utf8", str(WORKER_SCRIPT), str(WIRE_MODULE),
               str(self.limits.memory_mb), str(self.limits.file_mb)]  # fmt: skip
        if self.limits.namespaces:
            cmd += ["namespaces", str(self.limits.max_processes)]
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            cwd=self.tmpdir.name, env=env, start_new_session=True, close_fds=True,
        )  # fmt: skip
        self.cgroup = None if not self.limits.namespaces else WorkerCgroup.create(
            f"aimath-{os.getpid()}-{self.proc.pid}", memory_mb=self.limits.memory_mb,
            max_processes=self.limits.max_processes,
        )  # fmt: skip
        if self.cgroup is not None and not self.cgroup.add(self.proc.pid):
            self.cgroup.remove()
            self.cgroup = None
        self.starts += 1
        self.stderr_tail = deque()
        self._drain = threading.Thread(target=self._drain_stderr, args=(self.proc,), daemon=True)
        self._drain.start()
        try:
            reply = self._request(
                {
                    "op": "load",
                    "path": str(self.path),
                    "module": self.module,
                    "source": source,
                    "hide": [str(p) for p in self.hide],
                    "user": self.limits.user,
                    "network": self.limits.network,
                    "namespaces": self.limits.namespaces,
                },  # fmt: skip
                timeout_s=self.limits.load_timeout_s,
                call=f"importing {self.filename}",
            )
        except (CallTimeout, WorkerCrashed, ProtocolError, UnsupportedReturn) as exc:
            self.load_error = LoadFailed(
                msg("engine.not_loaded", filename=self.filename, why=exc.headline_msg())
            )
            raise self.load_error from None
        if reply.get("ok") is not True:
            error = _remote_exception(reply.get("error"), reply.get("output"))
            self.stop()
            if error.type == "NotebookUnreadable" and self.path.suffix == ".ipynb":
                self.load_error = LoadFailed(
                    msg("engine.notebook_unreadable", filename=self.filename, why=error.message)
                )
            else:
                self.load_error = LoadFailed(
                    msg("engine.not_loaded_raised", filename=self.filename, type=error.type,
                        message=error.message),
                    msg("engine.at", location=error.location(self.filename)),
                )  # fmt: skip
            raise self.load_error
        names = reply.get("functions")
        if type(names) is not list or not all(type(n) is str for n in names):
            raise self._fail(ProtocolError("the worker sent a malformed reply to 'load'"))
        self.functions = frozenset(names)
        isolation = reply.get("isolation")
        self.isolation = (
            tuple(i for i in isolation if type(i) is str) if type(isolation) is list else ()
        )
        self.load_output = _text(reply.get("output"))
        notes = reply.get("notes")
        self.load_notes = (
            tuple(Note(note_from_data(n, MAX_NOTE_CHARS)) for n in notes[:MAX_NOTES])
            if type(notes) is list
            else ()
        )

    def _read_source(self) -> str:
        """The submission's text, read here so the worker never needs to open the grader's files."""
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            self.load_error = LoadFailed(
                msg("engine.not_read", filename=self.filename, why=str(exc.strerror))
            )
            raise self.load_error from None
        if len(raw) > MAX_SOURCE_BYTES:
            self.load_error = LoadFailed(msg("engine.too_large", filename=self.filename,
                                             size=len(raw), limit=MAX_SOURCE_BYTES))  # fmt: skip
            raise self.load_error
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            self.load_error = LoadFailed(
                msg("engine.not_utf8", filename=self.filename, byte=exc.start)
            )
            raise self.load_error from None

    def stop(self) -> None:
        """Kill the worker and everything it started, and remove its scratch folder.

        The relay is asked first (SIGTERM): it kills the orphans it reaped; then the process
        group is killed, then whatever is left in the worker's cgroup. Nothing the submission
        holds open can block this: the stderr pipe is left to its reader thread, which ends
        when the last process holding it is gone.
        """
        proc, self.proc = self.proc, None
        if proc is not None:
            if proc.poll() is None:
                try:
                    os.kill(proc.pid, signal.SIGTERM)
                    proc.wait(timeout=STOP_GRACE_S)
                except (ProcessLookupError, PermissionError, subprocess.TimeoutExpired):
                    pass
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            proc.wait()
            for stream in (proc.stdin, proc.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
        if self.cgroup is not None:
            self.cgroup.remove()
            self.cgroup = None
        drain = self._drain
        if drain is not None:
            drain.join(timeout=0.2)  # closing a pipe another thread reads from would block
            if not drain.is_alive() and proc is not None:
                try:
                    proc.stderr.close()
                except OSError:
                    pass
            self._drain = None
        if self.tmpdir is not None:
            self.tmpdir.cleanup()
            self.tmpdir = None

    close = stop

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- calls -------------------------------------------------------------------------------
    def call(
        self,
        fn: str,
        args: tuple,
        kwargs: dict,
        *,
        timeout_s: float,
        call: str,
        batch: list[tuple[tuple, dict]] | None = None,
        batch_call: Callable[[int], str] | None = None,
    ) -> tuple[Any, str]:
        """Call ``fn(*args, **kwargs)`` in the worker; return (value, what it printed).

        With ``batch`` (a list of ``(args, kwargs)``), call ``fn`` on each in one round trip and
        return the list of values; ``batch_call(i)`` names call i for the messages, and the first
        call that raises is reported as a single call would be. ``timeout_s`` bounds them all.
        """
        self.start()
        if fn not in self.functions:
            broken = [
                note.msg for note in self.load_notes
                if note.msg.key in ("notes.cell_raised", "notes.cell_syntax_error")
            ]  # fmt: skip
            details: list = []
            if broken:
                details.append(msg("engine.cells_not_run"))
                details += [msg("notes.bullet", note=n) for n in broken[:5]]
            raise MissingFunction(
                msg("engine.no_function_call", filename=self.filename, fn=fn, call=call), *details
            )
        message = {"op": "call", "fn": fn, "args": list(args), "kwargs": dict(kwargs)}
        if batch is not None:
            message = {"op": "call", "fn": fn, "batch": [[list(a), dict(k)] for a, k in batch]}
        try:
            reply = self._request(message, timeout_s=timeout_s, call=call)
        except WorkerKilled:  # not the submission's doing: once more on a fresh worker
            self.start()
            reply = self._request(message, timeout_s=timeout_s, call=call)  # again: GraderFault
        output = _text(reply.get("output"))
        if reply.get("ok") is True:
            if batch is not None:
                values = reply.get("values")
                if type(values) is not list or len(values) != len(batch):
                    raise self._fail(ProtocolError(f"{call}: the worker sent a malformed reply"))
                return values, output
            if "value" not in reply:
                raise self._fail(ProtocolError(f"{call}: the worker sent a reply with no value"))
            return reply["value"], output
        kind = _text(reply.get("kind"))  # untrusted: a forged reply may hold anything here
        index = reply.get("index")
        if batch is not None and batch_call and type(index) is int and 0 <= index < len(batch):
            call = batch_call(index)
        if kind == "raised":
            error = _remote_exception(reply.get("error"), output)
            if error.type == "NotImplementedError":
                raise NotAttempted(msg("engine.not_implemented"), call=call)
            raise StudentRaised(call, self.filename, error)
        if kind == "unsupported":
            raise UnsupportedReturn(
                msg("engine.unsupported", why=_text(reply.get("message"))), call=call
            )
        if kind == "missing":
            raise MissingFunction(msg("engine.no_function", filename=self.filename, fn=fn))
        raise self._fail(ProtocolError(f"{call}: the worker sent a malformed reply"))

    def _request(self, message: dict, *, timeout_s: float, call: str) -> dict:
        self.next_id += 1
        message["id"] = self.next_id
        body = wire.encode(message, extension=_encode_extension)
        try:
            self.proc.stdin.write(len(body).to_bytes(8, "little") + body)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise self._crashed(call) from None
        if self.deadline is not None:  # the end of a time budget comes first
            timeout_s = min(timeout_s, max(self.deadline - time.monotonic(), 0.0))
        deadline = time.monotonic() + timeout_s
        header = self._read(8, deadline, call, timeout_s)
        size = int.from_bytes(header, "little")
        if size > wire.MAX_MESSAGE_BYTES:
            raise self._fail(ProtocolError(f"{call}: the reply is too large ({size} bytes)"))
        try:
            reply = wire.decode(self._read(size, deadline, call, timeout_s))
        except wire.WireError as exc:
            raise self._fail(
                ProtocolError(f"{call}: the worker sent an unreadable reply ({exc})")
            ) from None
        rid = reply.get("id") if type(reply) is dict else None  # untrusted: may be an array
        if type(rid) is not int or rid != self.next_id:
            raise self._fail(ProtocolError(f"{call}: the worker sent an unexpected reply"))
        return reply

    def _read(self, n: int, deadline: float, call: str, timeout_s: float) -> bytes:
        fd = self.proc.stdout.fileno()
        chunks, got = [], 0
        while got < n:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise self._fail(CallTimeout(msg("engine.timeout", timeout_s=timeout_s), call=call))
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(fd, min(n - got, 1 << 20))
            if not chunk:
                raise self._crashed(call)
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def _crashed(self, call: str) -> WorkerCrashed:
        proc, code = self.proc, None
        if proc is not None:
            try:
                code = proc.wait(timeout=2)
            except subprocess.TimeoutExpired:  # alive, but it closed its end of the protocol
                code = None
        tail = self._stderr_text()
        oom = self.cgroup is not None and self.cgroup.oom_kills() > 0
        if (
            code is not None
            and code < 0
            and not oom
            and -code in EXTERNAL_SIGNALS
            and ("pid-namespace" in self.isolation)
        ):
            # In its own pid namespace the submission cannot send this to its worker (the
            # namespace's init ignores it, and the relay is out of its reach): someone else did.
            raise self._fail(WorkerKilled(
                f"the worker running {call} was killed from outside ({_signal_name(-code)}), "
                "not by its own limits: this is not your code's fault"
            ))  # fmt: skip
        if oom:
            how = msg("engine.out_of_memory", limit=self.limits.memory_mb)
        elif code is not None and code < 0:
            how = msg("engine.killed_by", signal=_signal_name(-code))
        elif code is None:
            how = msg("engine.stopped_answering")
        else:
            how = msg("engine.exited", code=code)
        details = [msg("engine.last_output", tail=tail)] if tail else []
        return self._fail(WorkerCrashed(msg("engine.crashed", call=call, how=how), *details))

    def _fail(self, exc: Exception) -> Exception:
        """Stop the worker after a failed call, so that the next call gets a fresh one."""
        self.stop()
        return exc

    def _drain_stderr(self, proc: subprocess.Popen) -> None:
        size = 0
        for chunk in iter(lambda: proc.stderr.read1(4096), b""):
            self.stderr_tail.append(chunk)
            size += len(chunk)
            while size > STDERR_TAIL_BYTES and len(self.stderr_tail) > 1:
                size -= len(self.stderr_tail.popleft())

    def _stderr_text(self) -> str:
        time.sleep(0.05)  # let the drain thread catch the last words of a dying worker
        text = b"".join(self.stderr_tail)[-STDERR_TAIL_BYTES:].decode("utf-8", "replace").strip()
        return "\n".join("    " + line for line in text.splitlines()[-20:])


# What each protection a worker reports is called for a user; all of them, or the user switch,
# are expected (root: the drop to an unprivileged user; otherwise: a user namespace of its own).
PROTECTIONS = {
    "pid-namespace": "the pid namespace (seeing and signalling only its own processes)",
    "own-proc": "a /proc of its own",
    "minimal-root": "the minimal root (the course, home folders and classmates out of sight)",
    "private-tmp": "private /tmp, /var/tmp and /dev/shm",
    "no-network": "the network namespace (no network)",
    "hidden-paths": "hidden solutions and graders",
}


def probe_isolation(limits: Limits = Limits()) -> tuple[str, ...]:
    """The protections a worker gets here: those of a real worker on an empty submission."""
    with tempfile.TemporaryDirectory(prefix="aimath-probe-") as folder:
        os.chmod(folder, 0o755)  # the worker user must be able to enter it
        path = Path(folder) / "probe.py"
        path.write_text("")
        os.chmod(path, 0o644)
        box = Sandbox(path, "probe", limits=limits, hide=(Path(folder),))
        try:
            box.start()
        except LoadFailed:
            return ()
        finally:
            box.stop()
        return box.isolation


def protections_off() -> list[str]:
    """The worker protections this grader cannot apply here (empty where all of them hold)."""
    if os.name != "posix":
        return ["every process isolation (not a POSIX system)"]
    applied = set(probe_isolation())
    off = [text for name, text in PROTECTIONS.items() if name not in applied]
    if os.geteuid() == 0:
        if not any(a.startswith("user=") for a in applied):
            off.append("the drop to an unprivileged user")
    elif "user-namespace" not in applied:
        off.append("a user namespace (unprivileged user namespaces are off in this kernel)")
    elif "no-capabilities" not in applied:
        off.append("giving up the user namespace's capabilities")
    probe = WorkerCgroup.create(f"aimath-probe-{os.getpid()}", memory_mb=64, max_processes=4)
    if probe is None:
        what = "the cgroup (memory of a submission's whole process tree"
        what += "; its process count is still bounded)" if "user-namespace" in applied else ")"
        off.append(what)
    else:
        probe.remove()
    return off


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _give_to_worker_user(folder: str, user: str | None) -> None:
    """Let the (unprivileged) worker user own its scratch folder; a no-op unless we are root."""
    if user and hasattr(os, "geteuid") and os.geteuid() == 0:
        import pwd

        try:
            entry = pwd.getpwnam(user)
        except KeyError:
            return
        os.chown(folder, entry.pw_uid, entry.pw_gid)


def _text(value: Any) -> str:
    return value if type(value) is str else ""


def _remote_exception(error: Any, output: Any) -> RemoteException:
    """Build a RemoteException from the worker's untrusted description, keeping only well-typed parts."""
    if type(error) is not dict:
        return RemoteException(type="Exception", message="(no description)", output=_text(output))
    where = error.get("where") if type(error.get("where")) is dict else {}
    mro = error.get("mro")
    return RemoteException(
        type=_text(error.get("type"))[:100] or "Exception",
        message=_text(error.get("message"))[:2000],
        mro=tuple(m[:100] for m in mro if type(m) is str) if type(mro) is list else (),
        line=where.get("line") if type(where.get("line")) is int else None,
        function=_text(where.get("function"))[:100] or None,
        source=_text(where.get("source"))[:200] or None,
        cell=where.get("cell") if type(where.get("cell")) is int else None,
        output=_text(output),
    )
