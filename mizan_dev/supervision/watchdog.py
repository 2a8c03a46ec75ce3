"""The watchdog: a small process that stops the stack when mizan-dev dies without stopping it (kill -9, OOM).

mizan-dev starts it with a pipe as its stdin and keeps the write end. mizan-dev writes `group N` for each
process it spawns (its own group, as each runs in its own session) and `ungroup N` once that group was stopped;
these wait in the pipe until the watchdog reads them, so even a kill right after a spawn is covered. Besides,
the watchdog notes every descendant of mizan-dev once a second, so grandchildren that left their group are
known before their parents can die. End-of-file on the pipe means mizan-dev is gone: a clean stop writes
`done` first, and the watchdog just exits; otherwise it terminates the groups and processes it knows, kills
what outlives the grace period, and exits. The death signal alone is not enough: it reaches the Procfile
line's shell, not what the shell started. A pipe works on every POSIX system, unlike PR_SET_PDEATHSIG,
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
import time
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

    def watch_group(self, pgid: int) -> None:
        self._send(f"group {pgid}\n")

    def unwatch_group(self, pgid: int) -> None:
        self._send(f"ungroup {pgid}\n")

    def _send(self, line: str) -> None:
        process = self._process
        if process is not None and process.stdin is not None:
            with contextlib.suppress(OSError, ValueError):
                process.stdin.write(line.encode())
                process.stdin.flush()

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
    groups: set[int] = set()
    stdin: IO[bytes] = sys.stdin.buffer
    pending = b""
    next_scan = 0.0
    while True:
        readable, _, _ = select.select([stdin], [], [], SCAN_INTERVAL)
        if readable:
            chunk = os.read(stdin.fileno(), 4096)
            if chunk == b"":
                break
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                word, _, number = line.decode().partition(" ")
                if word == "done":
                    return 0
                if word == "group" and number.isdigit():
                    groups.add(int(number))
                elif word == "ungroup" and number.isdigit():
                    groups.discard(int(number))
        if time.monotonic() >= next_scan:
            _scan(parent, known)
            next_scan = time.monotonic() + SCAN_INTERVAL
    _stop(known, groups, spared)
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
        if process.pid != me:  # psutil.Process keeps the start time: a reused pid is never hit
            known.setdefault(process.pid, process)


def _stop(known: dict[int, psutil.Process], groups: set[int], spared: set[int]) -> None:
    alive = [p for p in known.values() if _running(p)]
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
