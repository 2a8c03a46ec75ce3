"""The watchdog: a small process that stops the stack when mizan-dev dies without stopping it (kill -9, OOM).

mizan-dev starts it with a pipe as its stdin and keeps the write end. While mizan-dev lives, the watchdog notes
every descendant of it once a second (pid, start time and process group), so grandchildren that left their
group are known before their parents can die. End-of-file on the pipe means mizan-dev is gone: a clean stop
writes `done` first, and the watchdog just exits; otherwise it terminates the groups and processes it knows,
kills what outlives the grace period, and exits. A pipe works on every POSIX system, unlike PR_SET_PDEATHSIG,
and also reaches processes that death signal cannot (it is not inherited across fork).

Run as `python -m mizan_dev.supervision.watchdog PID`; it imports nothing of mizan-dev but psutil.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
from typing import IO

import psutil

__all__ = ["Watchdog", "main"]

SCAN_INTERVAL = 1.0
GRACE = 3.0


class Watchdog:
    """mizan-dev's side: start the watchdog, and tell it `done` when the stack was stopped cleanly."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def start(self) -> None:
        with contextlib.suppress(OSError):
            self._process = subprocess.Popen(
                [sys.executable, "-m", "mizan_dev.supervision.watchdog", str(os.getpid())],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,  # never hold mizan-dev's own output open
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # neither the terminal's Ctrl-C nor its SIGHUP reaches it
            )

    def done(self) -> None:
        """The stack is stopped: the watchdog exits without touching anything."""
        process = self._process
        if process is None or process.stdin is None:
            return
        with contextlib.suppress(OSError, ValueError):
            process.stdin.write(b"done\n")
            process.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=2.0)


def main(argv: list[str]) -> int:
    parent = int(argv[0])
    for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    try:
        spared = {
            os.getpgid(parent),
            os.getpgid(0),
        }  # mizan-dev's own group may hold a shell, a pipeline's tee
    except OSError:
        return 0
    known: dict[int, psutil.Process] = {}
    stdin: IO[bytes] = sys.stdin.buffer
    received = b""
    while True:
        readable, _, _ = select.select([stdin], [], [], SCAN_INTERVAL)
        if readable:
            chunk = os.read(stdin.fileno(), 1024)
            if chunk == b"":
                break
            received += chunk
            if b"done" in received:
                return 0
            continue
        _scan(parent, known)
    _stop(known, spared)
    return 0


def _scan(parent: int, known: dict[int, psutil.Process]) -> None:
    """Note mizan-dev's descendants now, and forget the ones that have gone (their pids may be reused)."""
    for pid, process in list(known.items()):
        if not _running(process):
            del known[pid]
    try:
        found = psutil.Process(parent).children(recursive=True)
    except psutil.Error:
        return
    me = os.getpid()
    for process in found:
        if process.pid != me:
            known.setdefault(
                process.pid, process
            )  # psutil.Process keeps the start time: no reused pid is hit


def _stop(known: dict[int, psutil.Process], spared: set[int]) -> None:
    alive = [p for p in known.values() if _running(p)]
    groups = set()
    for process in alive:
        with contextlib.suppress(OSError):
            groups.add(os.getpgid(process.pid))  # in use by a live process: not a reused number
    groups -= spared
    for pgid in groups:
        with contextlib.suppress(OSError):
            os.killpg(pgid, signal.SIGTERM)
    for process in alive:
        with contextlib.suppress(psutil.Error):
            process.terminate()
    _, alive = psutil.wait_procs(alive, timeout=GRACE)
    for pgid in groups:
        with contextlib.suppress(OSError):
            os.killpg(pgid, signal.SIGKILL)
    for process in alive:
        with contextlib.suppress(psutil.Error):
            process.kill()


def _running(process: psutil.Process) -> bool:
    try:
        return bool(process.is_running() and process.status() != psutil.STATUS_ZOMBIE)
    except psutil.Error:
        return False


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
