"""Worker addresses: `unix:/path/to/ssr.sock` or `host:port` (`:port` means 127.0.0.1), as the worker parses them."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Address", "parse_address"]

_HOST_PORT = re.compile(r"^(?P<host>.*):(?P<port>\d{1,5})$")


@dataclass(frozen=True)
class Address:
    """A Unix socket path, or a TCP host and port."""

    path: str | None = None
    host: str = "127.0.0.1"
    port: int = 0

    def __str__(self) -> str:
        return f"unix:{self.path}" if self.path is not None else f"{self.host}:{self.port}"


def parse_address(text: str) -> Address:
    """The address in `text`; ValueError saying the two accepted forms otherwise."""
    if text.startswith("unix:") and len(text) > len("unix:"):
        return Address(path=text[len("unix:") :])
    match = _HOST_PORT.match(text)
    if match and 0 < int(match["port"]) < 65536:
        return Address(host=match["host"] or "127.0.0.1", port=int(match["port"]))
    raise ValueError(
        f"MIZAN_SSR_ADDRESS {text!r} is not an address: use unix:/path/to/ssr.sock (development) or host:port "
        "such as ssr:4100 (a container), or '' to turn server rendering off."
    )
