"""Helpers for tests that look for processes a submission started (not collected by pytest)."""

from __future__ import annotations

from pathlib import Path


def live_processes_marked(marker: str) -> list[int]:
    """Host pids of live (not zombie) processes whose command line holds ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def _parents() -> dict[int, int]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if stat[0] != "Z":
                found[int(entry.name)] = int(stat[1])
    return found


def descendants(pid: int, depth: int | None = None) -> list[int]:
    """Host pids of the live descendants of ``pid`` (its children only, with depth=1)."""
    parents = _parents()
    found, level, frontier = [], 0, {pid}
    while frontier and (depth is None or level < depth):
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found.extend(sorted(frontier))
        level += 1
    return found
