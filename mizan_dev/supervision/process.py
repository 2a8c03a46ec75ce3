"""One supervised process: spawned with its own stdin, its own session, and a death signal; output as events.

- **stdin is /dev/null.** A child that shares mizan-dev's terminal reads it: Vite binds its keyboard shortcuts
  and exits when the terminal's input ends (a closed pty, `script`, an IDE runner, Ctrl-D), and a stray `q`
  stops it. mizan-dev itself reads nothing, so no child needs input.
- **Its own session**, so one signal to the process group reaches everything it started, and Ctrl-C in the
  terminal reaches mizan-dev alone, which then stops the stack in order.
- **PR_SET_PDEATHSIG** (Linux): when mizan-dev dies, even by SIGKILL, the kernel sends the child SIGTERM.
  Its own children are left to the watchdog (watchdog.py), which also covers platforms without it. The signal
  fires when the *thread* that spawned the child ends, so children are spawned by the supervisor's loop, which
  lives as long as the stack.
- **Output is polled, not read to end-of-file**: a grandchild that left the group but kept the pipe would
  hold that read open forever. Once the child has exited the pipe is drained briefly, then closed.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable

import psutil

from .events import Event, Exited, Line, Started
from .spec import ProcessSpec
from .tree import descendants, running

__all__ = ["ChildProcess"]

DRAIN_AFTER_EXIT = 0.3  # seconds of output still read after the child exits, then the pipe is closed
POLL = 0.05
_PR_SET_PDEATHSIG = 1
SHELL = "/bin/sh"


def _death_signal_setter() -> Callable[[], None] | None:
    """A preexec_fn asking Linux to SIGTERM the child when its parent dies; None elsewhere.

    The libc function is looked up here, before fork, so the child only makes the call.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def set_death_signal() -> None:
        prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the call: the signal will never come
            os._exit(1)

    return set_death_signal


class ChildProcess:
    """A shell command run once; `start` spawns it and a thread reports its lines and its exit as events."""

    def __init__(self, spec: ProcessSpec, run: int, send: Callable[[Event], None]) -> None:
        self.spec = spec
        self.run = run
        self._send = send
        self._popen: subprocess.Popen[bytes] | None = None
        self._tracked: dict[int, psutil.Process] = {}
        self._lock = threading.Lock()
        self._abandon = threading.Event()
        self.exited = threading.Event()

    @property
    def pid(self) -> int | None:
        return None if self._popen is None else self._popen.pid

    def start(self) -> None:
        """Spawn the command (in the calling thread: see PR_SET_PDEATHSIG above) and start reading it."""
        try:
            popen = subprocess.Popen(
                [SHELL, "-c", self.spec.command],
                cwd=str(self.spec.cwd),
                env=dict(self.spec.env),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                # Only a prctl call, with the function looked up before fork: no lock is taken in the child.
                preexec_fn=_death_signal_setter(),  # noqa: PLW1509
            )
        except OSError as error:
            self._send(Line(self.spec.name, self.run, f"cannot start: {error}"))
            self.exited.set()
            self._send(Exited(self.spec.name, self.run, 127))
            return
        self._popen = popen
        self._send(Started(self.spec.name, self.run, popen.pid))
        threading.Thread(target=self._read, name=f"read-{self.spec.name}", daemon=True).start()

    def track(self) -> None:
        """Remember the child's current descendants, so escapees are still found after their parent exits."""
        pid = self.pid
        if pid is None or self.exited.is_set():
            return
        found = descendants(pid)
        with self._lock:
            for process in found:
                self._tracked.setdefault(process.pid, process)

    def tracked(self) -> list[psutil.Process]:
        """Every descendant ever seen that is still running."""
        with self._lock:
            return [p for p in self._tracked.values() if running(p)]

    def abandon(self) -> None:
        """Stop reading output now; the process is being killed and its pipe may never close."""
        self._abandon.set()

    def _read(self) -> None:
        popen = self._popen
        assert popen is not None and popen.stdout is not None
        pipe = popen.stdout
        fd = pipe.fileno()
        os.set_blocking(fd, False)
        pending = b""
        exited_at: float | None = None
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while not self._abandon.is_set():
                if selector.select(timeout=POLL):
                    try:
                        chunk = os.read(fd, 65536)
                    except BlockingIOError:
                        chunk = None
                    if chunk == b"":
                        break
                    if chunk:
                        *lines, pending = (pending + chunk).split(b"\n")
                        for line in lines:
                            self._line(line)
                if exited_at is None and popen.poll() is not None:
                    self.track()
                    exited_at = time.monotonic()
                if exited_at is not None and time.monotonic() - exited_at > DRAIN_AFTER_EXIT:
                    break
        if pending:
            self._line(pending)
        with contextlib.suppress(OSError):
            pipe.close()
        code = popen.wait()
        self.exited.set()
        self._send(Exited(self.spec.name, self.run, code))

    def _line(self, data: bytes) -> None:
        self._send(Line(self.spec.name, self.run, data.decode("utf-8", "replace").rstrip("\r")))
