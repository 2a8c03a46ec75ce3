"""Free TCP ports on 127.0.0.1, chosen once per run and handed to every process that needs them."""

from __future__ import annotations

import socket
from collections.abc import Iterable

__all__ = ["free_port", "port_is_free"]

HOST = "127.0.0.1"


def port_is_free(port: int) -> bool:
    """Whether a server could bind `port` on 127.0.0.1 right now (nothing listens, nothing holds it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    # Something may listen on the wildcard address or on ::1 only; a connect catches those.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.2)
        return probe.connect_ex((HOST, port)) != 0


def free_port(*, avoid: Iterable[int] = ()) -> int:
    """A port the kernel says is free, never one of `avoid` (ports already handed out in this run)."""
    taken = set(avoid)
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind((HOST, 0))
            port: int = probe.getsockname()[1]
        if port not in taken:
            return port
    raise RuntimeError("the kernel kept handing out ports already in use")  # pragma: no cover
