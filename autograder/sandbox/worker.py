"""The untrusted side: a worker process that imports one submission and answers calls.

Run as a script (``python -I worker.py WIRE_PATH``) by :mod:`autograder.sandbox.process`; never
imported by the grader. It loads ``wire.py`` by path (so neither the repository root nor the
``autograder`` package is on its ``sys.path``), moves the protocol off stdin/stdout, applies resource
limits, and then serves requests: ``load`` (import the submission) and ``call`` (call one of its
functions). Everything it sends is untrusted: the grader decodes it with ``wire.decode`` and checks
its shape, so nothing here needs to be trusted and a submission that tampers with it gains nothing.
"""

from __future__ import annotations

import ctypes
import importlib.util
import io
import linecache
import os
import signal  # here, not in the relay: after the fork, the mounts change under it
import stat
import sys
import tempfile
import traceback
import types

MAX_OUTPUT_CHARS = 16_000
MAX_MESSAGE_CHARS = 2_000
MAX_NOTES = 50
MAX_NOTE_CHARS = 400


def _load_module(name: str, path: str) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


class BoundedOutput(io.TextIOBase):
    """A text stream that keeps the first MAX_OUTPUT_CHARS characters written to it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        s = str(s)
        room = MAX_OUTPUT_CHARS - self.size
        if room > 0:
            self.parts.append(s[:room])
            self.size += min(len(s), room)
        self.dropped += max(0, len(s) - max(room, 0))
        return len(s)

    def take(self) -> str:
        text = "".join(self.parts)
        if self.dropped:
            text += f"\n... ({self.dropped} more characters not shown)"
        self.parts, self.size, self.dropped = [], 0, 0
        return text


class Worker:
    def __init__(
        self, wire: types.ModuleType, protocols: types.ModuleType, cells: types.ModuleType,
        proto_in: int, proto_out: int,
    ) -> None:  # fmt: skip
        self.wire = wire
        self.protocols = protocols
        self.cells = cells
        self.parent_pid = os.getppid()
        self.rfile = os.fdopen(proto_in, "rb", buffering=0)
        self.wfile = os.fdopen(proto_out, "wb", buffering=0)
        self.module: types.ModuleType | None = None
        self.filename = ""
        self.cell_files: dict[str, int] = {}  # a notebook cell's code file name -> cell number
        self.output = BoundedOutput()

    # -- framing -------------------------------------------------------------------------------
    def read_message(self) -> object | None:
        header = self._read_exact(8)
        if header is None:
            return None
        size = int.from_bytes(header, "little")
        body = self._read_exact(size)
        if body is None:
            return None
        return self.wire.decode(body, extension=self._decode_extension)

    def _read_exact(self, n: int) -> bytes | None:
        chunks, got = [], 0
        while got < n:
            chunk = self.rfile.read(n - got)
            if not chunk:
                return None
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def send(self, message: dict) -> None:
        try:
            body = self.wire.encode(message)
        except Exception as exc:  # noqa: BLE001 - a hostile value may raise anything here
            if not isinstance(exc, self.wire.WireError):
                exc = f"the value could not be encoded ({type(exc).__name__})"
            body = self.wire.encode(
                {
                    "id": message.get("id"),
                    "ok": False,
                    "kind": "unsupported",
                    "message": str(exc),
                    "output": message.get("output", ""),
                }  # fmt: skip
            )
        self.wfile.write(len(body).to_bytes(8, "little") + body)

    def _decode_extension(self, node: dict) -> object:
        if node.get("$") == "function":
            name = node.get("name")
            if self.module is None or type(name) is not str:
                raise self.wire.WireError("function reference before a submission was loaded")
            fn = getattr(self.module, name, None)
            if not callable(fn):
                raise self.wire.WireError(f"the submission has no function {name}")
            return fn
        if node.get("$") == "sympy_function":
            return _materialize_function(self.wire, self.protocols, node)
        if node.get("$") == "rng" and type(node.get("seed")) is int:
            import numpy as np

            return np.random.default_rng(node["seed"])
        raise self.wire.WireError(f"unknown node type {node.get('$')!r}")

    # -- requests --------------------------------------------------------------------------------
    def serve(self) -> None:
        while True:
            request = self.read_message()
            if request is None:
                return
            op = request.get("op")
            if op == "load":
                reply = self.load(request)
            elif op == "call":
                reply = self.call(request)
            else:
                return
            reply["id"] = request.get("id")
            self.send(reply)

    def load(self, request: dict) -> dict:
        """Isolate this process, then import the submission from the source text it was sent.

        A notebook runs the way Jupyter runs it: code cells one at a time, in order, in one
        namespace (``__name__ == "__main__"``); a cell that raises or has a syntax error is noted
        and the next cells still run. Only a notebook that cannot be read at all fails the load.
        """
        path, name, text = request["path"], request["module"], request["source"]
        isolation = isolate(
            request.get("hide", []), request.get("user"), request.get("network"),
            request.get("namespaces") is not False, keep=(os.path.dirname(path),),
        )  # fmt: skip
        _die_with_parent()  # again: the privilege drop clears the setting
        self.filename = path
        sys.path.insert(0, os.path.dirname(path))  # the submission's own helper modules
        module = types.ModuleType(name)
        module.__file__ = path
        sys.modules[name] = module
        notes: list[str] = []
        sys.stdout = sys.stderr = self.output
        try:
            if path.endswith(".ipynb"):
                notes = self._run_notebook(text, module)
            else:
                linecache.cache[path] = (len(text), None, text.splitlines(True), path)
                code = compile(text, path, "exec", dont_inherit=True)
                exec(code, module.__dict__)
        except BaseException as exc:  # noqa: BLE001 - everything the submission does is reported
            return {"op": "loaded", "ok": False, "error": self.describe_exception(exc),
                    "output": self.output.take(), "isolation": isolation}  # fmt: skip
        finally:
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        self.module = module
        functions = sorted(
            k for k, v in vars(module).items() if callable(v) and not k.startswith("_")
        )
        return {"op": "loaded", "ok": True, "functions": functions, "output": self.output.take(),
                "isolation": isolation, "notes": notes[:MAX_NOTES]}  # fmt: skip

    def _run_notebook(self, text: str, module: types.ModuleType) -> list[str]:
        """Run a notebook's code cells in order; return notes on the cells that did not run."""
        try:
            cells = self.cells.read_notebook(text)
        except self.cells.NotebookError as exc:
            raise NotebookUnreadable(str(exc)) from None
        module.__dict__["__name__"] = "__main__"  # as in a Jupyter kernel
        skipped = self.cells.skipped_note(cells)
        notes: list[dict] = [skipped] if skipped else []
        for cell in cells:
            notes.extend(cell.notes)
            if not cell.run:
                continue
            filename = f"{self.filename}#cell{cell.number}"
            self.cell_files[filename] = cell.number
            lines = cell.source.splitlines(True)
            linecache.cache[filename] = (len(cell.source), None, lines, filename)
            try:
                code = compile(cell.source, filename, "exec", dont_inherit=True)
            except (SyntaxError, ValueError, OverflowError, RecursionError, MemoryError) as exc:
                notes.append(_cell_note(cell.number, self.describe_exception(exc), syntax=True))
                continue
            try:
                exec(code, module.__dict__)
            except BaseException as exc:  # noqa: BLE001 - SystemExit, KeyboardInterrupt too
                notes.append(_cell_note(cell.number, self.describe_exception(exc), syntax=False))
        return notes  # __name__ stays "__main__": the functions see what they saw in Jupyter

    def call(self, request: dict) -> dict:
        rid = request.get("id")
        if self.module is None:
            return {"id": rid, "ok": False, "kind": "protocol", "message": "no submission loaded"}
        fn = getattr(self.module, request["fn"], None)
        if not callable(fn):
            return {
                "id": rid,
                "ok": False,
                "kind": "missing",
                "message": request["fn"],
                "output": "",
            }
        batch = request.get("batch")  # a batched call: the same function on several arguments
        calls = (
            batch if type(batch) is list else [[request.get("args", []), request.get("kwargs", {})]]
        )
        values = []
        sys.stdout = sys.stderr = self.output
        try:
            for args, kwargs in calls:
                values.append(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt included
            error = self.describe_exception(exc)
            return {"id": rid, "ok": False, "kind": "raised", "error": error, "index": len(values),
                    "output": self.output.take()}  # fmt: skip
        finally:
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        if type(batch) is list:
            return {"id": rid, "ok": True, "values": values, "output": self.output.take()}
        return {"id": rid, "ok": True, "value": values[0], "output": self.output.take()}

    def describe_exception(self, exc: BaseException) -> dict:
        def safe(f, default: str) -> str:
            try:
                return str(f())[:MAX_MESSAGE_CHARS]
            except BaseException:  # noqa: BLE001 - a hostile __str__ must not break the worker
                return default

        cls = type(exc)
        where = None
        mine = (self.filename, *self.cell_files)
        if isinstance(exc, SyntaxError) and exc.filename in mine:
            where = self._where(exc.filename, exc.lineno or 0, "<module>", exc.text or "")
        entry = None  # the outermost line of the submission (in a notebook: the cell that ran)
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            if frame.f_code.co_filename in mine:
                where = self._where(frame.f_code.co_filename, lineno, frame.f_code.co_name, None)
                entry = entry or where
        message = safe(lambda: exc.msg if isinstance(exc, SyntaxError) else exc, "<unprintable>")
        return {
            "type": safe(lambda: cls.__name__, "Exception"),
            "mro": [safe(lambda c=c: c.__name__, "?") for c in cls.__mro__][:20],
            "message": message,
            "where": where,
            "entry": entry,
        }

    def _where(self, filename: str, lineno: int, function: str, text: str | None) -> dict:
        if text is None:
            text = linecache.getline(filename, lineno)
        place = {"line": lineno, "function": function, "source": text.strip()[:200]}
        if filename in self.cell_files:
            place["cell"] = self.cell_files[filename]
        return place


class NotebookUnreadable(Exception):
    """The notebook cannot be read at all (broken JSON, an old format, no code cells)."""


def _cell_note(number: int, error: dict, *, syntax: bool) -> dict:
    """'cell 4 raised ZeroDivisionError: division by zero (line 2: 1 / 0); ...' for the student."""
    where, entry = error.get("where") or {}, error.get("entry") or {}
    line = ""
    if where:
        cell = f"cell {where['cell']}, " if where.get("cell", number) != number else ""
        line = f"{cell}line {where['line']}: {where.get('source') or ''}"
        if entry and entry is not where and entry.get("cell") == number and cell:
            line = f"line {entry['line']}: {entry.get('source') or ''}, which called {line}"
        line = f" ({line})"
    key = "notes.cell_syntax_error" if syntax else "notes.cell_raised"
    params = {"number": number, "type": str(error.get("type", ""))[:80],
              "message": str(error.get("message", ""))[:160], "where": line[:160]}  # fmt: skip
    return {"key": key, "params": params}  # checked by the grader (i18n.note_from_data)


def _materialize_function(wire: types.ModuleType, protocols: types.ModuleType, node: dict):
    """Build, on this side, the function a grader described as a sympy expression."""
    expr = wire.decode_sympy(node.get("expr"))
    names = node.get("symbols")
    if type(names) is not list or not names or not all(type(n) is str for n in names):
        raise wire.WireError("malformed function node")
    symbols = [wire.decode_sympy(["Symbol", n]) for n in names]
    if node.get("protocol") == "numeric":
        return protocols.numeric_protocol(expr, symbols)
    return protocols.lecture_protocol(expr, symbols)


CLONE_NEWNS, CLONE_NEWNET, CLONE_NEWPID = 0x00020000, 0x40000000, 0x20000000
CLONE_NEWUSER = 0x10000000
# Set by main(): this (non-root) process entered a user namespace of its own, where it holds the
# capabilities to mount and unshare; isolate() then does what it does as root, and drops them.
USER_NAMESPACE = False


def _enter_user_namespace(max_processes: int) -> bool:
    """Without root: become the owner of a new user namespace (same uid and gid inside).

    Must run while the process has one thread (before numpy), as the kernel requires. Inside,
    RLIMIT_NPROC counts only this namespace's processes, so it bounds the submission's whole tree.
    Returns False, having changed nothing, where the kernel does not allow it.
    """
    if os.name != "posix" or os.geteuid() == 0 or not hasattr(os, "fork"):
        return False
    uid, gid = os.getuid(), os.getgid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    if libc.unshare(CLONE_NEWUSER) != 0:
        return False
    try:
        for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"),
                           ("gid_map", f"{gid} {gid} 1")):  # fmt: skip
            with open(f"/proc/self/{name}", "w") as f:
                f.write(text)
    except OSError:
        return False  # a user namespace with no mapping: nothing in it is ours, so stay out
    if max_processes > 0:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_NPROC, (max_processes, max_processes))
        except (ImportError, ValueError, OSError):
            pass
    return True


PR_CAPBSET_READ, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, CAP_LAST = 23, 24, 38, 63


def _drop_capabilities(libc: ctypes.CDLL) -> bool:
    """Give up, for good, every capability (the ones the user namespace gave) and any way back."""
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    for cap in range(CAP_LAST + 1):
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = (ctypes.c_uint32 * 6)()  # effective, permitted, inheritable (twice): all empty
    if libc.capset(header, data) != 0:
        return False
    left = (ctypes.c_uint32 * 6)()
    if libc.capget(header, left) != 0 or any(left):
        return False
    return all(libc.prctl(PR_CAPBSET_READ, cap, 0, 0, 0) <= 0 for cap in range(CAP_LAST + 1))


MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 1, 2, 4, 8, 0x4000, 1 << 18
MS_BIND, MS_MOVE, MS_REMOUNT = 4096, 8192, 32


def isolate(
    hide: list[str],
    user: str | None,
    network: bool | None,
    namespaces: bool = True,
    keep: tuple[str, ...] = (),
) -> list[str]:
    """Isolate the worker as far as this process is allowed to; return the protections applied.

    With root (CAP_SYS_ADMIN), in private namespaces: an empty read-only tmpfs over each hidden
    path (the solutions, the graders, the instructor's configuration); private, size-limited
    tmpfs on /tmp, /var/tmp and /dev/shm (the scratch folder is recreated inside), gone with the
    worker; no network; a pid namespace of its own, with its own /proc, so it sees and can signal
    only its own processes, and all of them die with it; then the process becomes ``user`` for
    good. Always (root or not), the process forks: the parent stays behind as a relay that holds
    no pipe of the grader, reaps and kills whatever the submission leaves behind (it is the
    subreaper of the submission's orphans), and ends the way the worker ended. This function
    returns in the child, which serves the grader.
    """
    applied: list[str] = ["user-namespace"] if USER_NAMESPACE else []
    if USER_NAMESPACE:
        user = None  # only our own uid exists in the namespace: there is no one else to become
    root = os.name == "posix" and (os.geteuid() == 0 or USER_NAMESPACE) and namespaces
    libc = ctypes.CDLL(None, use_errno=True) if os.name == "posix" else None
    private = in_namespace = False
    if root:
        private = libc.unshare(CLONE_NEWNS) == 0
        private = private and libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) == 0
        if private:
            flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC
            hidden = [p for p in hide if os.path.isdir(p)]
            if all(
                libc.mount(b"tmpfs", p.encode(), b"tmpfs", flags, b"size=4k") == 0 for p in hidden
            ):
                applied.append("hidden-paths")
            keep_dirs = _python_dirs() + list(keep)
            if _new_root(libc, user, keep_dirs):
                applied += ["minimal-root", "private-tmp"]
            elif _private_tmp(libc, user, keep_dirs):
                applied.append("private-tmp")
        if not network and libc.unshare(CLONE_NEWNET) == 0:
            applied.append("no-network")
        in_namespace = libc.unshare(CLONE_NEWPID) == 0
    if libc is not None and hasattr(os, "fork"):
        _fork_relay(libc, in_namespace)
        applied.append("relay")
    if in_namespace:
        applied.append("pid-namespace")
        proc_flags = MS_NOSUID | MS_NODEV | MS_NOEXEC
        if private and libc.mount(b"proc", b"/proc", b"proc", proc_flags, None) == 0:
            applied.append("own-proc")
    if "minimal-root" in applied:
        _detach_old_root(libc)
    if not root:
        return applied
    if USER_NAMESPACE:
        if _drop_capabilities(libc):
            applied.append("no-capabilities")
        return applied
    # Python itself may live below a folder other users cannot enter (pyenv in /root): expose it.
    if user and private and "minimal-root" not in applied and _expose(libc, _python_dirs()):
        applied.append("python-exposed")
    if user and (private or not _blocked_ancestor(sys.prefix)):
        import pwd

        try:
            entry = pwd.getpwnam(user)
            os.setgroups([])
            os.setgid(entry.pw_gid)
            os.setuid(entry.pw_uid)
            applied.append(f"user={user}")
        except (KeyError, OSError):
            pass
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)  # no setuid program can give anything back
    return applied


def _die_with_parent() -> None:
    """Be killed when the relay (or, without one, the grader) dies (Linux)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, 9, 0, 0, 0)
    except (OSError, AttributeError):
        return


def _python_dirs() -> list[str]:
    """The folders Python needs: its prefixes and the import path."""
    found = {sys.prefix, sys.base_prefix, sys.exec_prefix, *filter(os.path.isdir, sys.path)}
    return sorted(found)


PRIVATE_TMP = (("/tmp", "256m"), ("/var/tmp", "64m"), ("/dev/shm", "64m"))


def _private_tmp(libc: ctypes.CDLL, user: str | None, keep: list[str]) -> bool:
    """Fresh tmpfs on /tmp, /var/tmp and /dev/shm; the scratch folder (cwd) moves inside.

    Folders in ``keep`` that lie below one of them (a venv's Python, the submission's own folder)
    are bound back, read-only, at the same path, from a file descriptor opened beforehand.
    """
    scratch = os.getcwd()
    tmp_roots = [p for p, _ in PRIVATE_TMP if os.path.isdir(p)]

    def below(path: str) -> bool:
        return any(path == p or path.startswith(p + os.sep) for p in tmp_roots)

    held = []
    for path in sorted({os.path.realpath(k) for k in keep if os.path.isdir(k)}):
        if below(path) and not any(path.startswith(h + os.sep) for h, _ in held):
            try:
                held.append((path, os.open(path, os.O_PATH | os.O_DIRECTORY)))
            except OSError:
                pass
    ok = True
    for path, size in PRIVATE_TMP:
        if path in tmp_roots:
            data = f"size={size},mode=1777".encode()
            mounted = libc.mount(b"tmpfs", path.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, data)
            ok = mounted == 0 and ok
    for path, fd in held:
        os.makedirs(path, mode=0o755, exist_ok=True)
        source = f"/proc/self/fd/{fd}".encode()
        if libc.mount(source, path.encode(), None, MS_BIND | MS_REC, None) == 0:
            _remount_read_only(libc, path)
        else:
            ok = False
        os.close(fd)
    if below(scratch):
        _enter_scratch(scratch, user)
    return ok


def _enter_scratch(scratch: str, user: str | None) -> None:
    """Recreate the scratch folder (HOME, TMPDIR, cwd) on a fresh tmpfs, owned by ``user``."""
    os.makedirs(scratch, mode=0o700, exist_ok=True)
    if user:
        import pwd

        try:
            entry = pwd.getpwnam(user)
            os.chown(scratch, entry.pw_uid, entry.pw_gid)
        except (KeyError, OSError):
            pass
    os.chdir(scratch)


# statvfs's f_flag bit -> the mount flag that keeps it (ST_* and MS_* differ for the atime ones)
KEPT_FLAGS = ((8, MS_NOEXEC), (1024, 1024), (2048, 2048), (4096, 1 << 21))


def _remount_read_only(libc: ctypes.CDLL, target: str) -> bool:
    """Make a bind mount read-only, nosuid and nodev, keeping the flags it already has.

    In a user namespace the kernel refuses a remount that would clear a flag of the original
    mount (noexec, the atime flags), so they are carried over.
    """
    try:
        have = os.statvfs(target).f_flag
    except OSError:
        return False
    flags = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV
    flags |= sum(ms for st, ms in KEPT_FLAGS if have & st)
    return libc.mount(b"none", target.encode(), None, flags, None) == 0


SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")
DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty")
MNT_DETACH = 2


def _new_root(libc: ctypes.CDLL, user: str | None, keep: list[str]) -> bool:
    """Switch to a minimal root: the system's programs and libraries, Python, the submission's
    folder (all read-only), a few devices, and private tmpfs for /tmp, /var/tmp, /dev/shm and the
    scratch folder. Nothing else of the host (other checkouts, other students, gradebooks, home
    folders) exists in it. Returns False, having changed nothing, where it cannot be done.
    """
    scratch = os.getcwd()
    sources: list[tuple[str, int, bool]] = []  # (path, O_PATH fd, is a directory)
    links: list[tuple[str, str]] = []
    try:
        for path in SYSTEM_DIRS:
            if os.path.islink(path):
                links.append((path, os.readlink(path)))
            elif os.path.isdir(path):
                sources.append((path, os.open(path, os.O_PATH | os.O_DIRECTORY), True))
        roots = sorted({os.path.realpath(k) for k in keep if os.path.isdir(k)})
        for path in roots:
            covered = any(path == s or path.startswith(s.rstrip("/") + "/") for s, _, _ in sources)
            if not covered:
                sources.append((path, os.open(path, os.O_PATH | os.O_DIRECTORY), True))
        for path in DEVICES:
            if os.path.exists(path):
                sources.append((path, os.open(path, os.O_PATH), False))
    except OSError:
        for _, fd, _ in sources:
            os.close(fd)
        return False
    stage = "/tmp"  # a tmpfs here hides nothing the new root needs: it is bound from descriptors
    flags = MS_NOSUID | MS_NODEV
    if libc.mount(b"tmpfs", stage.encode(), b"tmpfs", flags, b"size=1m,mode=755") != 0:
        for _, fd, _ in sources:
            os.close(fd)
        return False
    new = os.path.join(stage, "root")
    os.mkdir(new)
    ok = libc.mount(b"tmpfs", new.encode(), b"tmpfs", flags, b"size=1m,mode=755") == 0
    for path, size in PRIVATE_TMP:  # first: kept folders below /tmp are bound inside these
        os.makedirs(new + path, mode=0o755, exist_ok=True)
        data = f"size={size},mode=1777".encode()
        ok = ok and libc.mount(b"tmpfs", (new + path).encode(), b"tmpfs", flags, data) == 0
    for path, target in links:
        os.symlink(target, new + path)
    for path, fd, is_dir in sources:
        target = new + path
        os.makedirs(target if is_dir else os.path.dirname(target), mode=0o755, exist_ok=True)
        if not is_dir and not os.path.exists(target):
            open(target, "w").close()  # noqa: SIM115 - an empty file to mount a device on
        source = f"/proc/self/fd/{fd}".encode()
        ok = ok and libc.mount(source, target.encode(), None, MS_BIND | MS_REC, None) == 0
        if is_dir:
            _remount_read_only(libc, target)
        os.close(fd)
    os.makedirs(new + "/proc", exist_ok=True)
    os.makedirs(new + "/.old", exist_ok=True)
    if not ok or libc.syscall(155, new.encode(), (new + "/.old").encode()) != 0:  # pivot_root
        os.write(2, b"aimath worker: the minimal root could not be set up\n")
        os._exit(70)
    os.chdir("/")
    _enter_scratch(scratch, user)
    return True  # the old root stays at /.old until /proc is mounted: see _detach_old_root


def _detach_old_root(libc: ctypes.CDLL) -> None:
    """Drop the host's root, kept at /.old only so that a new /proc could be mounted.

    In a user namespace the kernel mounts a proc only while a full proc is visible in the mount
    namespace (the host's, at /.old/proc); afterwards nothing of the host is left.
    """
    if os.path.isdir("/.old"):
        if libc.umount2(b"/.old", MNT_DETACH) != 0:
            os.write(2, b"aimath worker: the old root could not be detached\n")
            os._exit(70)
        os.rmdir("/.old")


PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER = 1, 36


def _fork_relay(libc: ctypes.CDLL, in_namespace: bool) -> None:
    """Fork; return in the child (which serves). The parent becomes the relay and never returns.

    The relay dies with the grader (PR_SET_PDEATHSIG) and the child with the relay, so nothing
    outlives the grader. In a pid namespace the child is its init: when it ends, the kernel ends
    every process of the namespace. Without one, the relay is the subreaper of the submission's
    orphans (double-forked daemons included) and kills them when the child ends or when the
    grader asks it to stop (SIGTERM).
    """
    grader = os.getppid()
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    libc.prctl(PR_SET_PDEATHSIG, 9, 0, 0, 0)
    if os.getppid() != grader:  # the grader died before the setting took effect
        os._exit(1)
    pid = os.fork()
    if pid == 0:
        # A session and process group of its own: killpg(0) from the submission reaches only
        # its own processes, never the relay (which, in a user namespace, has the same uid).
        os.setsid()
        libc.prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)
        libc.prctl(PR_SET_PDEATHSIG, 9, 0, 0, 0)
        if not in_namespace and os.getppid() == 1:  # the relay is already gone
            os._exit(1)
        return
    _relay(pid)


def _relay(child: int) -> None:
    """Hold no pipe, wait for the child, kill what is left, then end as the child ended.

    It imports nothing: the child is changing the mounts they share (exposing Python's prefix).
    """
    os.closerange(0, 65536)  # the grader sees EOF when the child dies, not when the relay does
    stopping = []

    def stop(*_: object) -> None:
        stopping.append(True)
        try:  # first the child: in a pid namespace, its death ends every process there
            os.kill(child, signal.SIGKILL)
        except OSError:
            pass
        _kill_children(os.getpid())

    signal.signal(signal.SIGTERM, stop)
    status = None
    while True:
        try:
            pid, wait_status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        if pid == child:
            status = wait_status
            _kill_children(os.getpid())
    if status is None or stopping:
        os._exit(1)
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            if sig not in (signal.SIGKILL, signal.SIGSTOP):
                signal.signal(sig, signal.SIG_DFL)
            os.kill(os.getpid(), sig)
        except (OSError, ValueError):
            pass
        os._exit(128 + sig)
    os._exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 1)


def _kill_children(parent: int) -> None:
    """SIGKILL every child of ``parent`` (orphans are reparented to the relay, its subreaper)."""
    for _ in range(20):
        children = _children(parent)
        if not children:
            return
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        for pid in children:
            try:
                os.waitpid(pid, 0)
            except OSError:
                pass


def _children(parent: int) -> list[int]:
    found = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for name in entries:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.append(int(name))
    return found


def _blocked_ancestor(path: str) -> str | None:
    """The first folder above ``path`` that other users may not enter, if any."""
    parts = os.path.abspath(path).split(os.sep)
    for i in range(2, len(parts)):
        folder = os.sep.join(parts[:i])
        if not os.stat(folder).st_mode & stat.S_IXOTH:
            return folder
    return None


def _expose(libc: ctypes.CDLL, paths: list[str]) -> bool:
    """In this mount namespace, replace each closed folder above ``paths`` by an open one.

    The closed folder (say /root, mode 700) gets an empty tmpfs of mode 755 mounted over it, and
    the one entry below it that leads to each path (/root/.pyenv) is moved back in from a staging
    bind mount; nothing else of the closed folder is visible. Returns True if anything was done.
    """
    done = False
    for _ in range(8):  # folders closed inside exposed ones are opened in the next round
        children: dict[str, set[str]] = {}
        for path in paths:
            blocked = _blocked_ancestor(path)
            if blocked is not None:
                rest = os.path.relpath(path, blocked).split(os.sep)[0]
                children.setdefault(blocked, set()).add(rest)
        if not children:
            return done
        for blocked, names in children.items():
            stage = tempfile.mkdtemp(prefix="expose-")
            staged = []
            for name in sorted(names):
                target = os.path.join(stage, name)
                os.mkdir(target)
                source = os.path.join(blocked, name).encode()
                if libc.mount(source, target.encode(), None, MS_BIND | MS_REC, None) != 0:
                    return done
                staged.append((target, name))
            if libc.mount(b"tmpfs", blocked.encode(), b"tmpfs", 0, b"mode=755,size=64k") != 0:
                return done
            for target, name in staged:
                os.mkdir(os.path.join(blocked, name))
                if libc.mount(target.encode(), os.path.join(blocked, name).encode(), None,
                              MS_MOVE, None) != 0:  # fmt: skip
                    return done
            done = True
    return done


def _apply_limits(memory_mb: int, file_mb: int) -> None:
    try:
        import resource
    except ImportError:  # not POSIX: no limits to apply
        return
    for limit, value in (
        (resource.RLIMIT_AS, memory_mb * 1024 * 1024),
        (resource.RLIMIT_FSIZE, file_mb * 1024 * 1024),
        (resource.RLIMIT_CORE, 0),
    ):
        if value > 0:
            try:
                resource.setrlimit(limit, (value, value))
            except (ValueError, OSError):
                pass


HIDDEN_PACKAGES = ("autograder", "solutions", "hidden")


def _isolate_imports() -> None:
    """Keep the grader's own code out of the submission's reach.

    Path entries that are a course checkout (holding ``solutions/``) and editable-install finders
    are dropped. In every other entry (site-packages, where a regular install puts the framework
    beside numpy and sympy) the names in HIDDEN_PACKAGES cannot be found, while all else can.
    """
    from importlib import _bootstrap_external
    from importlib.machinery import FileFinder

    def is_checkout(entry: str) -> bool:
        return os.path.isdir(os.path.join(entry, "solutions")) or os.path.isfile(
            os.path.join(entry, "pyproject.toml")
        )

    class HidingFinder(FileFinder):
        def find_spec(self, fullname, target=None):  # noqa: ANN001 - importlib's signature
            if fullname.partition(".")[0] in HIDDEN_PACKAGES:
                return None
            return super().find_spec(fullname, target)

    sys.path[:] = [p for p in sys.path if not is_checkout(p)]
    sys.meta_path[:] = [
        f for f in sys.meta_path
        if "editable" not in f"{getattr(f, '__module__', '')} {type(f).__module__}".lower()
    ]  # fmt: skip
    loaders = _bootstrap_external._get_supported_file_loaders()
    sys.path_hooks[:] = [h for h in sys.path_hooks if "FileFinder" not in repr(h)]
    sys.path_hooks.append(HidingFinder.path_hook(*loaders))
    sys.path_importer_cache.clear()


def main(argv: list[str]) -> None:
    global USER_NAMESPACE
    wire_path, memory_mb, file_mb = argv[1], int(argv[2]), int(argv[3])
    if len(argv) > 5 and argv[4] == "namespaces":  # first: only a single thread may do this
        USER_NAMESPACE = _enter_user_namespace(int(argv[5]))
    # The protocol keeps private copies of stdin/stdout; the submission's prints go to stderr.
    proto_in, proto_out = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    os.close(devnull)
    sys.stdin = open(os.devnull)  # noqa: SIM115 - lives as long as the process
    wire = _load_module("_aimath_wire", wire_path)
    here = os.path.dirname(__file__)
    protocols = _load_module("_aimath_protocols", os.path.join(here, "protocols.py"))
    cells = _load_module("_aimath_cells", os.path.join(here, "cells.py"))
    _isolate_imports()
    import numpy  # noqa: F401 - imported before the limits, as every assignment needs it

    _apply_limits(memory_mb, file_mb)
    Worker(wire, protocols, cells, proto_in, proto_out).serve()


if __name__ == "__main__":
    main(sys.argv)
