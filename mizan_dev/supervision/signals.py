"""Ctrl-C, SIGTERM and SIGHUP (a closed terminal, a dropped SSH session) as a stop request with status 128 + signal."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["STOP_SIGNALS", "stop_on_signals"]

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextmanager
def stop_on_signals(request_stop: Callable[[int], None]) -> Iterator[None]:
    """While inside, SIGINT asks for a stop with status 130, SIGTERM with 143 and SIGHUP with 129.

    The processes run in sessions of their own, so a closed terminal's SIGHUP reaches mizan-dev alone: it must
    stop them like Ctrl-C does, or they keep their ports with nobody left to stop them.
    """

    def handler(signum: int, frame: FrameType | None) -> None:
        request_stop(128 + signum)

    previous = {sig: signal.signal(sig, handler) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
