"""Run a command as an ordinary user, for tests that run as root (not collected by pytest).

    python tests/ordinary_user.py UID GID PATH... -- COMMAND...

The command runs with that uid and gid, no supplementary groups and no capabilities, as an
instructor on a laptop would run it. So that it can reach the Python it runs and the PATHs it needs
(which may lie below a folder other users cannot enter, such as /root), it runs in a mount
namespace of its own where each closed folder above them is replaced by an open one that holds
only the way to them (the worker's own _expose); nothing else of those folders is visible, and the
host's mounts are unchanged.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
import tempfile
from pathlib import Path

WORKER = Path(__file__).resolve().parents[1] / "autograder" / "sandbox" / "worker.py"


def main(argv: list[str]) -> int:
    split = argv.index("--")
    uid, gid, paths, command = int(argv[0]), int(argv[1]), argv[2:split], argv[split + 1 :]
    stage = tempfile.mkdtemp(prefix="aimath-as-user-")
    pid = os.fork()
    if pid == 0:
        try:
            spec = importlib.util.spec_from_file_location("_aimath_worker", WORKER)
            worker = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(worker)
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.unshare(worker.CLONE_NEWNS) != 0:
                raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNS)")
            if libc.mount(b"none", b"/", None, worker.MS_REC | worker.MS_PRIVATE, None) != 0:
                raise OSError(ctypes.get_errno(), "making / private")
            if libc.mount(b"tmpfs", stage.encode(), b"tmpfs", 0, b"size=1m") != 0:
                raise OSError(ctypes.get_errno(), "a staging tmpfs")
            tempfile.tempdir = stage
            worker._expose(libc, worker._python_dirs() + [os.path.abspath(p) for p in paths])
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
            os.execvp(command[0], command)
        except BaseException as exc:  # noqa: BLE001 - report and leave the child
            print(f"ordinary_user: {exc}", file=sys.stderr)
            os._exit(70)
    _, status = os.waitpid(pid, 0)
    os.rmdir(stage)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
