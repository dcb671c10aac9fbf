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
