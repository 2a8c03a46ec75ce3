"""One Procfile process: honcho's Process, with output read so that a stray pipe holder can never hang us.

honcho's `Process.run` reads the child's stdout until end-of-file. A grandchild that left the process group but
inherited the pipe keeps it open after the child has gone, so that read never ends and shutdown hangs. Here the
pipe is polled; once the child has exited it is drained briefly and then closed, and the supervisor can abandon
it outright after a kill.
"""

from __future__ import annotations

import datetime
import os
import selectors
import signal
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from queue import SimpleQueue
from typing import IO, Any

import psutil
from honcho.printer import Message
from honcho.process import Popen, Process

from ._process_tree import descendants, signal_group, signal_processes

__all__ = ["SupervisedProcess"]

DRAIN_AFTER_EXIT = 0.3  # seconds of output still read after the child exits, then the pipe is closed
POLL = 0.05


class SupervisedProcess(Process):  # type: ignore[misc]
    """A shell command in its own session, its output sent line by line as honcho `Message`s."""

    def __init__(
        self, *, name: str, command: str, env: Mapping[str, str], cwd: Path, colour: str | None = None
    ) -> None:
        super().__init__(command, name=name, colour=colour, env=dict(env), cwd=str(cwd))
        self._abandon = threading.Event()
        self._started = threading.Event()
        self._tracked: dict[int, psutil.Process] = {}
        self._lock = threading.Lock()

    def run(self, events: SimpleQueue[Message] | None = None, ignore_signals: bool = False) -> None:
        self._events = events
        try:
            child = self._child_ctor(self.cmd, env=self.env, cwd=self.cwd, start_new_session=True)
        except OSError as error:
            self._send_message(f"cannot start: {error}\n".encode())
            self._send_message({"returncode": 127}, type="stop")
            return
        self._child = child
        self._started.set()
        self._send_message({"pid": child.pid}, type="start")
        assert child.stdout is not None
        self._pump(child, child.stdout)
        child.wait()
        self._send_message({"returncode": child.returncode}, type="stop")

    def track(self) -> None:
        """Remember the child's current descendants, so escapees are still found after their parent exits."""
        child = self._child
        if child is None:
            return
        found = descendants(child.pid)
        with self._lock:
            for process in found:
                self._tracked.setdefault(process.pid, process)

    def signal(self, sig: signal.Signals) -> None:
        """Send `sig` to the child's process group and to every descendant that left it."""
        child = self._child
        if child is None:
            return
        self.track()
        signal_group(child.pid, sig)
        with self._lock:
            tracked = list(self._tracked.values())
        signal_processes(tracked, sig)

    def lingering(self) -> bool:
        """Whether the child or any descendant ever seen is still running."""
        child = self._child
        if child is not None and child.poll() is None:
            return True
        with self._lock:
            tracked = list(self._tracked.values())
        return any(_running(p) for p in tracked)

    def abandon(self) -> None:
        """Stop reading output now; the process is being killed and its pipe may never close."""
        self._abandon.set()

    @property
    def pid(self) -> int | None:
        return None if self._child is None else int(self._child.pid)

    def _pump(self, child: Popen, pipe: IO[bytes]) -> None:
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
                        pending = self._emit_lines(pending + chunk)
                if exited_at is None and child.poll() is not None:
                    exited_at = time.monotonic()
                if exited_at is not None and time.monotonic() - exited_at > DRAIN_AFTER_EXIT:
                    break
        if pending and not self.quiet:
            self._send_message(pending + b"\n")
        pipe.close()

    def _emit_lines(self, data: bytes) -> bytes:
        *lines, rest = data.split(b"\n")
        if not self.quiet:
            for line in lines:
                self._send_message(line + b"\n")
        return rest

    def _send_message(self, data: Any, type: str = "line") -> None:
        if self._events is not None:
            self._events.put(
                Message(
                    type=type, data=data, time=datetime.datetime.now(), name=self.name, colour=self.colour
                )
            )


def _running(process: psutil.Process) -> bool:
    try:
        return bool(process.is_running() and process.status() != psutil.STATUS_ZOMBIE)
    except psutil.Error:
        return False
