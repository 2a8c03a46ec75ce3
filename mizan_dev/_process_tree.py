"""Finding and ending every descendant of a child, including grandchildren that left its process group.

A child runs in its own session, so one signal to its process group reaches everything it started in the
ordinary way. A grandchild that called setsid() (a daemonising tool, a detached helper) escapes that signal; it
is still found through parent links, which psutil reads portably. On Linux mizan-dev also becomes a child
subreaper, so a grandchild whose parent already exited is re-parented to mizan-dev instead of to init and stays
findable.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys

import psutil

__all__ = ["become_subreaper", "descendants", "signal_group", "signal_processes"]

_PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> bool:
    """Ask Linux to re-parent orphaned descendants to this process; False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def descendants(pid: int) -> list[psutil.Process]:
    """Every live process below `pid`, whatever its process group or session."""
    try:
        found: list[psutil.Process] = psutil.Process(pid).children(recursive=True)
        return found
    except psutil.Error:
        return []


def signal_group(pgid: int, sig: signal.Signals) -> None:
    """Send `sig` to a process group that may already be gone."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def signal_processes(processes: list[psutil.Process], sig: signal.Signals) -> None:
    """Send `sig` to each process still running (psutil checks the pid was not reused)."""
    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.send_signal(sig)
