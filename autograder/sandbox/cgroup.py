"""A control group per worker: bounds the memory and the process count of a submission and all
its children, tells an out-of-memory kill from any other, and kills every process at the end.

    >>> group = WorkerCgroup.create("aimath-1234-1", memory_mb=4096, max_processes=64)
    >>> group.add(proc.pid)         # the worker; its children are born inside
    >>> group.oom_kills()           # 0, or how many processes the memory limit killed
    >>> group.remove()              # kill whatever is left, delete the group

cgroup v2 (the unified hierarchy) where it is mounted and delegated to us, else v1 (the ``pids``
and ``memory`` controllers). Creating groups needs root; where it is not possible ``create``
returns None and the caller says which protection is off. Used by the trusted side only: the
worker never sees the group (its mount namespace has no /sys/fs/cgroup it could write).
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
KILL_ROUNDS = 50


def _own_path(controller: str) -> str | None:
    """This process's cgroup path for a v1 controller ('' for v2's unified hierarchy)."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(",") or (controller == "" and controllers == ""):
            return path
    return None


V2_PARENT = "aimath"
V2_CONTROLLERS = ("memory", "pids")


def _controllers(folder: Path, knob: str) -> set[str]:
    try:
        return {c.lstrip("+") for c in (folder / knob).read_text().split()}
    except OSError:
        return set()


def _enable(folder: Path) -> bool:
    """Hand memory and pids to ``folder``'s children (True if they are, now or already)."""
    if set(V2_CONTROLLERS) <= _controllers(folder, "cgroup.subtree_control"):
        return True
    if not set(V2_CONTROLLERS) <= _controllers(folder, "cgroup.controllers"):
        return False
    try:
        (folder / "cgroup.subtree_control").write_text(" ".join(f"+{c}" for c in V2_CONTROLLERS))
    except OSError:  # EBUSY: the group holds processes of its own
        return False
    return set(V2_CONTROLLERS) <= _controllers(folder, "cgroup.subtree_control")


def _v2_parent() -> Path | None:
    """The workers' parent group (``aimath`` at the top of the visible hierarchy), made if need be."""
    top = CGROUP_ROOT
    if not _enable(top):
        return None
    parent = top / V2_PARENT
    try:
        parent.mkdir(exist_ok=True)
    except OSError:
        return None
    return parent if _enable(parent) else None


@dataclass
class WorkerCgroup:
    """The folders of one worker's cgroup (one per v1 controller, or one for v2)."""

    dirs: list[Path] = field(default_factory=list)
    memory_dir: Path | None = None
    version: int = 1

    @classmethod
    def create(cls, name: str, *, memory_mb: int, max_processes: int) -> WorkerCgroup | None:
        """A new group with these limits, or None where cgroups cannot be used here."""
        if os.name != "posix" or os.geteuid() != 0:
            return None
        unified = CGROUP_ROOT / "cgroup.controllers"
        if unified.is_file():
            return cls._create_v2(name, memory_mb=memory_mb, max_processes=max_processes)
        return cls._create_v1(name, memory_mb=memory_mb, max_processes=max_processes)

    @classmethod
    def _create_v1(cls, name: str, *, memory_mb: int, max_processes: int) -> WorkerCgroup | None:
        group = cls(version=1)
        limits = {
            "pids": ("pids.max", str(max_processes)),
            "memory": ("memory.limit_in_bytes", str(memory_mb * 1024 * 1024)),
        }
        try:
            for controller, (knob, value) in limits.items():
                own = _own_path(controller)
                base = CGROUP_ROOT / controller
                if own is None or not (base / "tasks").is_file():
                    raise OSError(f"no {controller} controller")
                folder = base / own.lstrip("/") / name
                folder.mkdir()
                group.dirs.append(folder)
                (folder / knob).write_text(value)
                if controller == "memory":
                    group.memory_dir = folder
                    # swap counts too where the kernel accounts it (memsw may be absent)
                    with contextlib.suppress(OSError):
                        (folder / "memory.memsw.limit_in_bytes").write_text(value)
        except OSError:
            group.remove()
            return None
        return group

    @classmethod
    def _create_v2(cls, name: str, *, memory_mb: int, max_processes: int) -> WorkerCgroup | None:
        """A group below a parent of the workers' own, ``aimath``, where memory and pids are on.

        cgroup v2 lets a group hand controllers to its children only while it holds no process
        itself, so the grader's own group (which holds the grader) cannot be the parent. The
        parent is made at the top of the hierarchy this process sees (the root, exempt from that
        rule, on a host; a delegated subtree's top where that is where we are), and it never holds
        a process. Where the controllers cannot be had, None: the caller says the cgroup is off.
        """
        parent = _v2_parent()
        if parent is None:
            return None
        folder = parent / name
        group = cls(version=2)
        try:
            folder.mkdir()
            group.dirs.append(folder)
            group.memory_dir = folder
            (folder / "pids.max").write_text(str(max_processes))
            (folder / "memory.max").write_text(str(memory_mb * 1024 * 1024))
            with contextlib.suppress(OSError):
                (folder / "memory.swap.max").write_text("0")
            with contextlib.suppress(OSError):
                (folder / "memory.oom.group").write_text("0")  # a child's OOM kills the child
        except OSError:
            group.remove()
            return None
        return group

    def add(self, pid: int) -> bool:
        """Move a process into the group (its future children are born inside)."""
        try:
            for folder in self.dirs:
                (folder / "cgroup.procs").write_text(str(pid))
        except OSError:
            return False
        return True

    def pids(self) -> set[int]:
        found: set[int] = set()
        for folder in self.dirs:
            with contextlib.suppress(OSError, ValueError):
                found |= {int(p) for p in (folder / "cgroup.procs").read_text().split()}
        return found

    def oom_kills(self) -> int:
        """How many of the group's processes its memory limit has killed so far."""
        if self.memory_dir is None:
            return 0
        name = "memory.events" if self.version == 2 else "memory.oom_control"
        try:
            for line in (self.memory_dir / name).read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    return int(value)
        except (OSError, ValueError):
            pass
        return 0

    def kill_all(self) -> None:
        """SIGKILL every process of the group, until none is left (or KILL_ROUNDS tries)."""
        if self.version == 2 and self.dirs:
            with contextlib.suppress(OSError):
                (self.dirs[0] / "cgroup.kill").write_text("1")
        for _ in range(KILL_ROUNDS):
            pids = self.pids()
            if not pids:
                return
            for pid in pids:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.01)

    def remove(self) -> None:
        """Kill what is left and delete the group's folders."""
        self.kill_all()
        for folder in reversed(self.dirs):
            for _ in range(100):  # a killed process leaves its group a moment later
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.01)
        self.dirs = []
