"""The connection pool to the SSR worker: a few persistent sockets, one request in flight on each.

Blocking sockets with a deadline, so it works the same from a WSGI thread and from the thread a sync view runs
in under ASGI. A connection that failed or timed out is closed, never reused: a late reply must not answer the
next request.
"""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
import weakref
from typing import Any

from ._address import Address

__all__ = ["WorkerClient", "WorkerUnavailable"]


class WorkerUnavailable(Exception):
    """No HTML from the worker: unreachable, too slow, crashed or failed; `kind` says which, the message why."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class _Connection:
    def __init__(self, address: Address, timeout: float) -> None:
        if address.path is not None:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.settimeout(timeout)
                sock.connect(address.path)
            except BaseException:
                sock.close()
                raise
        else:
            sock = socket.create_connection((address.host, address.port), timeout=timeout)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = sock
        self.reader = sock.makefile("rb")
        # A backend dropped with its pool (Django remakes engines when TEMPLATES changes) closes its sockets.
        self._finalizer = weakref.finalize(self, _close, self.reader, sock)

    def close(self) -> None:
        self._finalizer()


def _close(reader: Any, sock: socket.socket) -> None:
    reader.close()
    sock.close()


class WorkerClient:
    """Up to `size` connections to the worker at `address`; further requests wait for one, within the deadline."""

    def __init__(self, address: Address, size: int) -> None:
        self.address = address
        self._idle: list[_Connection] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(size)
        self._ids = itertools.count(1)

    def request(self, payload: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one request and return its reply; WorkerUnavailable when there is none within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        if not self._slots.acquire(timeout=timeout):
            raise WorkerUnavailable("timeout", f"all connections to the worker stayed busy for {timeout:g} s")
        try:
            return self._exchange(payload, deadline, timeout)
        finally:
            self._slots.release()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

    def _exchange(self, payload: dict[str, Any], deadline: float, timeout: float) -> dict[str, Any]:
        request_id = next(self._ids)
        line = json.dumps({**payload, "id": request_id}, separators=(",", ":")).encode() + b"\n"
        connection, reused = self._take(deadline)
        try:
            reply_line = self._send(connection, line, deadline, timeout)
        except _Stale:
            if not reused:
                raise WorkerUnavailable("unreachable", f"the worker at {self.address} closed the connection") from None
            # An idle connection the worker dropped (it restarted): renders are idempotent, so try a fresh one.
            connection = _connect(self.address, deadline)
            try:
                reply_line = self._send(connection, line, deadline, timeout)
            except _Stale:
                raise WorkerUnavailable("unreachable", f"the worker at {self.address} closed the connection") from None
        reply: dict[str, Any] = json.loads(reply_line)
        if reply.get("id") != request_id:
            connection.close()
            raise WorkerUnavailable("bad_reply", f"the worker answered request {reply.get('id')}, not {request_id}")
        with self._lock:
            self._idle.append(connection)
        return reply

    def _send(self, connection: _Connection, line: bytes, deadline: float, timeout: float) -> bytes:
        """The reply line; _Stale when the worker closed the connection, WorkerUnavailable on a timeout."""
        try:
            connection.sock.settimeout(max(deadline - time.monotonic(), 0.001))
            connection.sock.sendall(line)
            reply_line = connection.reader.readline()
        except TimeoutError:
            connection.close()
            raise WorkerUnavailable("timeout", f"no reply from the worker within {timeout:g} s") from None
        except (BrokenPipeError, ConnectionResetError):
            connection.close()
            raise _Stale from None
        except OSError as error:
            connection.close()
            raise WorkerUnavailable(
                "unreachable", f"the connection to the worker at {self.address} broke: {error}"
            ) from error
        if not reply_line:
            connection.close()
            raise _Stale
        return reply_line

    def _take(self, deadline: float) -> tuple[_Connection, bool]:
        """An idle connection (True: reused, it may have gone stale) or a new one."""
        with self._lock:
            if self._idle:
                return self._idle.pop(), True
        return _connect(self.address, deadline), False


class _Stale(Exception):
    """The worker closed the connection before replying."""


def _connect(address: Address, deadline: float) -> _Connection:
    try:
        return _Connection(address, max(deadline - time.monotonic(), 0.001))
    except TimeoutError:
        raise WorkerUnavailable("timeout", f"connecting to the worker at {address} timed out") from None
    except OSError as error:
        raise WorkerUnavailable(
            "unreachable", f"cannot connect to the worker at {address} ({error.strerror or error})"
        ) from error
