"""Finding and ending everything a child started, including grandchildren that left its process group.

A child runs in its own session, so one signal to its process group reaches everything it started in the
ordinary way, even after the child itself has exited (the group lives while any member does). A grandchild
that called setsid() (a daemonising tool, a detached helper) escapes that signal; it is still found through
parent links, which psutil reads portably, as long as it was seen while its parent lived: callers `track`
descendants periodically. On Linux mizan-dev also becomes a child subreaper, so a grandchild whose parent
already exited is re-parented to mizan-dev instead of to init and stays findable.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import time
from collections.abc import Callable, Collection, Iterable

import psutil

__all__ = [
    "become_subreaper",
    "descendants",
    "group_members",
    "reap_orphan_zombies",
    "running",
    "signal_group",
    "signal_processes",
    "terminate_then_kill",
]

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


def group_members(pgid: int) -> list[psutil.Process]:
    """Every process whose process group is `pgid` (the group outlives its leader)."""
    members = []
    for process in psutil.process_iter():
        with contextlib.suppress(psutil.Error, OSError):
            if os.getpgid(process.pid) == pgid:
                members.append(process)
    return members


def signal_group(pgid: int, sig: signal.Signals) -> None:
    """Send `sig` to a process group that may already be gone."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def signal_processes(processes: Iterable[psutil.Process], sig: signal.Signals) -> None:
    """Send `sig` to each process still running (psutil checks the pid was not reused)."""
    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.send_signal(sig)


def running(process: psutil.Process) -> bool:
    """Alive and not a zombie (a zombie holds no port and runs no code)."""
    try:
        return bool(process.is_running() and process.status() != psutil.STATUS_ZOMBIE)
    except psutil.Error:
        return False


def terminate_then_kill(
    groups: Iterable[int],
    processes: Iterable[psutil.Process],
    *,
    grace: float,
    exclude: Collection[int] = (),
    gone_elsewhere: Callable[[], bool] = lambda: True,
) -> list[psutil.Process]:
    """SIGTERM the groups and the processes, wait up to `grace` seconds, SIGKILL whatever is left; returns the
    processes that had to be killed.

    mizan-dev's own Popen children (`exclude`) are reached through their groups only: their exit status belongs
    to the thread that waits for them, and `gone_elsewhere` says when they have all exited. psutil's wait_procs
    waits for the rest, reaping orphans re-parented to us.
    """
    groups = list(groups)
    began = time.monotonic()
    targets = {p.pid: p for p in processes}
    for pgid in groups:
        for member in group_members(pgid):
            targets.setdefault(member.pid, member)
    tracked = [p for pid, p in targets.items() if pid not in exclude and pid != os.getpid() and running(p)]
    for pgid in groups:
        signal_group(pgid, signal.SIGTERM)
    signal_processes(tracked, signal.SIGTERM)
    alive = _wait(tracked, began + grace, exclude, gone_elsewhere)
    stragglers = [m for pgid in groups for m in group_members(pgid) if m.pid not in exclude and running(m)]
    late = {p.pid: p for p in [*alive, *stragglers]}
    if not late and gone_elsewhere():
        return []
    for pgid in groups:
        signal_group(pgid, signal.SIGKILL)
    signal_processes(late.values(), signal.SIGKILL)
    _wait(list(late.values()), time.monotonic() + 2.0, exclude, gone_elsewhere)
    return list(late.values())


def _wait(
    processes: list[psutil.Process],
    deadline: float,
    exclude: Collection[int],
    gone_elsewhere: Callable[[], bool],
) -> list[psutil.Process]:
    """Wait until `processes` are gone and `gone_elsewhere()` holds, or the deadline; the ones still alive.

    An orphan re-parented to us turns into our zombie when it exits, and psutil, having found it was not our
    child when it first looked, only polls for the pid to vanish, which a zombie never does: such zombies are
    reaped here between short waits (not ours to reap: `exclude`, whose statuses another thread collects).
    """
    alive = [p for p in processes if running(p)]
    while time.monotonic() < deadline and (alive or not gone_elsewhere()):
        reap_orphan_zombies(exclude)
        if alive:
            _, alive = psutil.wait_procs(alive, timeout=0.05)
            alive = [p for p in alive if running(p)]
        else:
            time.sleep(0.02)
    reap_orphan_zombies(exclude)
    return alive


def reap_orphan_zombies(exclude: Collection[int]) -> None:
    """Collect the exit status of every zombie child of ours but `exclude` (orphans we became the parent of)."""
    with contextlib.suppress(psutil.Error):
        for child in psutil.Process().children():
            if child.pid in exclude:
                continue
            with contextlib.suppress(ChildProcessError, psutil.Error, OSError):
                if child.status() == psutil.STATUS_ZOMBIE:
                    os.waitpid(child.pid, os.WNOHANG)
