"""Readiness probes: how the supervisor knows a process is serving (HTTP, TCP, Redis PING, or a log line)."""

from __future__ import annotations

import http.client
import re
import socket
from dataclasses import dataclass

__all__ = [
    "HttpProbe",
    "LineProbe",
    "PolledProbe",
    "Probe",
    "RedisProbe",
    "StartedProbe",
    "TcpProbe",
    "TypeCheckProbe",
]

HOST = "127.0.0.1"
TIMEOUT = 0.5


@dataclass(frozen=True)
class TcpProbe:
    """Ready once something accepts a TCP connection on the port."""

    port: int

    def check(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=TIMEOUT):
                return True
        except OSError:
            return False

    def describe(self) -> str:
        return f"tcp {HOST}:{self.port}"


@dataclass(frozen=True)
class HttpProbe:
    """Ready once an HTTP GET of `path` gets any answer below 500 (the app is up and routing)."""

    port: int
    path: str = "/"

    def check(self) -> bool:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=2.0)
        try:
            connection.request("GET", self.path)
            return connection.getresponse().status < 500
        except (OSError, http.client.HTTPException):
            return False
        finally:
            connection.close()

    def describe(self) -> str:
        return f"http://{HOST}:{self.port}{self.path}"


@dataclass(frozen=True)
class RedisProbe:
    """Ready once Redis answers PING with PONG (a bound port alone may still be loading)."""

    port: int

    def check(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=TIMEOUT) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    def describe(self) -> str:
        return f"redis PING {HOST}:{self.port}"


def postgres_accepts(host: str, port: int, user: str, timeout: float = TIMEOUT) -> str | None:
    """None when the PostgreSQL at host:port takes logins (it answers a startup message with an authentication
    request or with "ready"); otherwise why not. A published port of a container accepts TCP before the server
    inside listens, and a server still starting answers with an error, so a bound port alone is not enough."""
    body = b"".join([(196608).to_bytes(4, "big"), b"user\0", user.encode(), b"\0database\0postgres\0\0"])
    try:
        with socket.create_connection((host, port), timeout=timeout) as conn:
            conn.sendall((len(body) + 4).to_bytes(4, "big") + body)
            answer = conn.recv(1024)
    except OSError as error:
        return error.strerror or str(error) or type(error).__name__
    if answer[:1] == b"R":
        return None
    if answer[:1] == b"E":
        return "it answered " + answer[5:].replace(b"\0", b" ").decode(errors="replace").strip()[:120]
    return "no PostgreSQL reply" if answer else "it closed the connection"


@dataclass(frozen=True)
class PostgresProbe:
    """Ready once PostgreSQL on the port takes logins (see postgres_accepts)."""

    port: int
    user: str

    def check(self) -> bool:
        return postgres_accepts(HOST, self.port, self.user) is None

    def describe(self) -> str:
        return f"postgres login {HOST}:{self.port}"


@dataclass(frozen=True)
class LineProbe:
    """Ready once the process prints a line matching `pattern` (codegen: its first generation)."""

    pattern: str

    def matches(self, line: str) -> bool:
        return re.search(self.pattern, line) is not None

    def describe(self) -> str:
        return f"a line matching {self.pattern!r}"


@dataclass(frozen=True)
class TypeCheckProbe:
    """`tsc --watch`: ready after its first check; each check's summary line gives the state of the types."""

    pattern: str = r"Found (\d+) errors?\. Watching for file changes"

    def matches(self, line: str) -> bool:
        return re.search(self.pattern, line) is not None

    def note(self, line: str) -> str | None:
        """`types clean` or `N type error(s)` from a summary line; None for any other line."""
        found = re.search(self.pattern, line)
        if found is None:
            return None
        count = int(found.group(1))
        return "types clean" if count == 0 else f"{count} type error{'s' if count != 1 else ''}"

    def describe(self) -> str:
        return "its first type check"


@dataclass(frozen=True)
class StartedProbe:
    """Ready as soon as it starts (a process mizan-dev knows nothing about)."""

    def describe(self) -> str:
        return "started"


PolledProbe = TcpProbe | HttpProbe | RedisProbe | PostgresProbe
Probe = PolledProbe | LineProbe | TypeCheckProbe | StartedProbe
