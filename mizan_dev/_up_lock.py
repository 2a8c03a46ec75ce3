"""One `up` per project: a lock under `.mizan/`, so a second `up` exits at once naming the running one.

Without it a second `up` half-starts (its Vite refuses the port the first one holds, its ready line never
comes). The lock is an flock on `.mizan/up.lock`, which the kernel releases whenever the holder dies, even by
kill -9, so a stale file never blocks; the file's text (pid and URL) is only there to be quoted.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ._errors import MizanDevError
from ._project import Project

__all__ = ["UpLock", "hold_up_lock"]

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class UpLock:
    """The held lock; `publish` writes the URL once the ports are chosen."""

    def __init__(self, handle: IO[str]) -> None:
        self._handle = handle

    def publish(self, url: str) -> None:
        self._handle.seek(0)
        self._handle.truncate()
        self._handle.write(json.dumps({"pid": os.getpid(), "url": url}) + "\n")
        self._handle.flush()


@contextlib.contextmanager
def hold_up_lock(project: Project) -> Iterator[UpLock]:
    """Take the project's `up` lock for the duration, or raise naming the `up` that holds it."""
    project.state_dir.mkdir(parents=True, exist_ok=True)
    path = project.state_dir / "up.lock"
    handle = path.open("a+", encoding="utf-8")
    try:
        if fcntl is not None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise _held(path) from None
        lock = UpLock(handle)
        lock.publish("")
        yield lock
    finally:
        handle.close()  # closing releases the flock


def _held(path: Path) -> MizanDevError:
    try:
        holder = json.loads(path.read_text(encoding="utf-8"))
        pid, url = int(holder["pid"]), str(holder["url"])
    except (OSError, ValueError, KeyError, TypeError):
        pid, url = 0, ""
    who = f"pid {pid}" if pid else "another process"
    where = f", serving {url}" if url else ", still starting"
    stop = f"`kill {pid}`" if pid else "Ctrl-C in its terminal"
    return MizanDevError(
        f"`mizan-dev up` is already running in this project ({who}{where}). Use that one, or stop it "
        f"(Ctrl-C in its terminal, or {stop}) and run `mizan-dev up` again."
    )
