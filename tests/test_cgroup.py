"""cgroup v2, on a stand-in for /sys/fs/cgroup (this project's CI has v1, where the isolation
tests use the real thing): where the workers' groups go, which files are written, how an
out-of-memory kill is read, and when v2 is declined so that the cgroup is reported off.
"""

from __future__ import annotations

import os

import pytest

from autograder.sandbox import cgroup
from autograder.sandbox.cgroup import WorkerCgroup


@pytest.fixture
def fake_v2(tmp_path, monkeypatch):
    """A unified hierarchy at tmp_path whose top offers memory and pids, as a host's root does."""
    (tmp_path / "cgroup.controllers").write_text("cpu io memory pids\n")
    (tmp_path / "cgroup.subtree_control").write_text("")
    parent = tmp_path / cgroup.V2_PARENT
    parent.mkdir()
    (parent / "cgroup.controllers").write_text("memory pids\n")  # what the kernel hands down
    (parent / "cgroup.subtree_control").write_text("")
    monkeypatch.setattr(cgroup, "CGROUP_ROOT", tmp_path)
    monkeypatch.setattr(cgroup.os, "geteuid", lambda: 0)
    return tmp_path


def test_workers_get_groups_below_a_parent_that_holds_no_process(fake_v2):
    group = WorkerCgroup.create("aimath-1-2", memory_mb=512, max_processes=16)
    assert group is not None and group.version == 2
    folder = fake_v2 / cgroup.V2_PARENT / "aimath-1-2"
    assert group.dirs == [folder] and group.memory_dir == folder
    # the controllers are handed down at the top and in the parent, not in the grader's group
    for top in (fake_v2, fake_v2 / cgroup.V2_PARENT):
        assert set((top / "cgroup.subtree_control").read_text().split()) == {"+memory", "+pids"}
    assert (folder / "pids.max").read_text() == "16"
    assert (folder / "memory.max").read_text() == str(512 * 1024 * 1024)
    assert (folder / "memory.swap.max").read_text() == "0"
    assert group.add(os.getpid()) and (folder / "cgroup.procs").read_text() == str(os.getpid())


def test_an_out_of_memory_kill_is_read_from_memory_events(fake_v2):
    group = WorkerCgroup.create("aimath-oom", memory_mb=64, max_processes=4)
    (group.memory_dir / "memory.events").write_text("low 0\nhigh 0\nmax 7\noom 2\noom_kill 1\n")
    assert group.oom_kills() == 1


def test_kill_all_writes_cgroup_kill_and_empties_the_group(fake_v2):
    group = WorkerCgroup.create("aimath-kill", memory_mb=64, max_processes=4)
    (group.dirs[0] / "cgroup.procs").write_text("")  # nothing left in it
    group.kill_all()
    assert (group.dirs[0] / "cgroup.kill").read_text() == "1"


def test_v2_is_declined_where_the_top_cannot_hand_memory_down(fake_v2):
    (fake_v2 / "cgroup.controllers").write_text("cpu pids\n")  # no memory controller
    assert WorkerCgroup.create("aimath-none", memory_mb=64, max_processes=4) is None


def test_v2_is_declined_where_the_parent_holds_processes(fake_v2):
    # the kernel refuses to hand controllers down (EBUSY); a folder stands in for the refusal
    knob = fake_v2 / cgroup.V2_PARENT / "cgroup.subtree_control"
    knob.unlink()
    knob.mkdir()
    assert WorkerCgroup.create("aimath-busy", memory_mb=64, max_processes=4) is None


def test_v2_is_used_only_where_the_unified_hierarchy_is_mounted(fake_v2, monkeypatch):
    calls = []
    monkeypatch.setattr(
        WorkerCgroup, "_create_v1", classmethod(lambda cls, *a, **k: calls.append(1))
    )
    (fake_v2 / "cgroup.controllers").unlink()  # a v1 (or hybrid) host
    assert WorkerCgroup.create("aimath-v1", memory_mb=64, max_processes=4) is None
    assert calls == [1]
