"""Client frames (PROTOCOL §6): size limit, JSON, shape; every problem is BAD_REQUEST on the frame's id."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..core import BadRequest, MizanError
from .._request import parse_json

__all__ = ["ACTIONS", "Frame", "FrameError", "parse_frame"]

ACTIONS = ("rpc", "subscribe", "send", "unsubscribe", "watch", "unwatch")
_LEADING_ID = re.compile(rb'^\s*\{\s*"id"\s*:\s*(\d{1,15})\s*[,}]')


@dataclass(frozen=True)
class Frame:
    id: int
    action: str
    body: dict[str, Any]


class FrameError(Exception):
    """A frame that cannot be run: the reply is `error` on `id` (None when the frame had no readable id)."""

    def __init__(self, frame_id: int | None, error: MizanError) -> None:
        super().__init__(error.message)
        self.id = frame_id
        self.error = error


def parse_frame(text: str | None, data: bytes | None, max_bytes: int) -> Frame:
    raw = text.encode() if text is not None else (data or b"")
    if len(raw) > max_bytes:
        # Not parsed: only an id at the very start is read, so the reply can still name the frame.
        match = _LEADING_ID.match(raw[:64])
        raise FrameError(
            int(match.group(1)) if match else None,
            BadRequest(
                f"The frame is larger than {max_bytes} bytes; send less, or raise MIZAN_SOCKET_MAX_FRAME_BYTES.",
                {"limit": max_bytes},
            ),
        )
    try:
        value = parse_json(raw, what="The frame")
    except MizanError as exc:
        raise FrameError(None, exc) from None
    if not isinstance(value, dict):
        raise FrameError(None, BadRequest('A frame must be a JSON object like {"id": 1, "action": "rpc", ...}.'))
    frame_id = value.get("id")
    if not isinstance(frame_id, int) or isinstance(frame_id, bool) or frame_id < 0:
        raise FrameError(None, BadRequest('Every frame needs "id": a non-negative integer chosen by the client.'))
    action = value.get("action")
    if action not in ACTIONS:
        raise FrameError(
            frame_id, BadRequest(f'"action" must be one of {", ".join(ACTIONS)} (got {action!r}).')
        )
    return Frame(frame_id, action, value)


def field(frame: Frame, name: str, kind: type | tuple[type, ...], example: str, default: Any = ...) -> Any:
    """`frame.body[name]` if it has type `kind`, else FrameError saying what the action expects."""
    value = frame.body.get(name, default)
    if value is ... or not isinstance(value, kind) or isinstance(value, bool) and kind is int:
        raise FrameError(frame.id, BadRequest(f'"{frame.action}" needs {example}.'))
    return value
