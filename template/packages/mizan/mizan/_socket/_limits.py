"""The socket's settings, each read here with its default (at connect time, so `override_settings` works)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from .. import _settings

__all__ = ["Limits", "limits"]


@dataclass(frozen=True)
class Limits:
    max_frame_bytes: int
    """MIZAN_SOCKET_MAX_FRAME_BYTES (default MIZAN_MAX_BODY_BYTES): a larger frame gets BAD_REQUEST."""
    queue: int
    """MIZAN_SOCKET_QUEUE (default 256): pushes waiting for a slow client; beyond it they drop and it resyncs."""
    bad_frames: int
    """MIZAN_SOCKET_BAD_FRAMES (default 10): malformed frames allowed per minute before closing with 4400."""
    inflight: int
    """MIZAN_SOCKET_INFLIGHT (default 8): calls one socket runs at once; more wait, reading pauses."""
    watch_check: str
    """MIZAN_WATCH_CHECK: "call" (default) runs the context read to authorize a watch; "auth" checks `auth=` only."""
    max_watched: int
    """MIZAN_SOCKET_MAX_WATCHED (default 512): distinct keys one socket may watch."""


def limits() -> Limits:
    check = getattr(settings, "MIZAN_WATCH_CHECK", "call")
    if check not in ("call", "auth"):
        raise ValueError(f'MIZAN_WATCH_CHECK = {check!r}: use "call" (the default) or "auth".')
    return Limits(
        max_frame_bytes=int(getattr(settings, "MIZAN_SOCKET_MAX_FRAME_BYTES", _settings.max_body_bytes())),
        queue=int(getattr(settings, "MIZAN_SOCKET_QUEUE", 256)),
        bad_frames=int(getattr(settings, "MIZAN_SOCKET_BAD_FRAMES", 10)),
        inflight=int(getattr(settings, "MIZAN_SOCKET_INFLIGHT", 8)),
        watch_check=check,
        max_watched=int(getattr(settings, "MIZAN_SOCKET_MAX_WATCHED", 512)),
    )
