"""Ctrl-C and SIGTERM turned into a supervisor stop request, with the conventional exit status 128 + signal."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["stop_on_signals"]


@contextmanager
def stop_on_signals(request_stop: Callable[[int], None]) -> Iterator[None]:
    """While inside, SIGINT asks for a stop with status 130 and SIGTERM with 143."""

    def handler(signum: int, frame: FrameType | None) -> None:
        request_stop(128 + signum)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
