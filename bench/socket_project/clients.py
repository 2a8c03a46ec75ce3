"""A context read the sockets watch, the mutation that invalidates it, and a trivial call for calls per second."""

from __future__ import annotations

import itertools

from django.http import HttpRequest
from mizan.client import client

_version = itertools.count(1)
_current = {"version": 0}


@client(context="board")
def board_version(request: HttpRequest, board_id: int) -> int:
    """What the pollers read; changes with each bump (per process)."""
    return _current["version"]


@client(affects="board")
def bump(request: HttpRequest, board_id: int) -> int:
    """The one mutation: invalidates `board_version?board_id=N` for every watcher, on every process."""
    _current["version"] = next(_version)
    return _current["version"]


@client(websocket=True)
def ping(request: HttpRequest) -> str:
    """The trivial function of the calls-per-second figure."""
    return "pong"
