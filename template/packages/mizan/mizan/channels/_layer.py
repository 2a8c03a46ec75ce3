"""Talking to the Channels layer from anywhere: group names Mizan owns, and a send that works sync or async."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

from asgiref.sync import async_to_sync

__all__ = ["channel_group", "group_send", "key_group", "layer"]


def layer() -> Any:
    """The default channel layer, or None when CHANNEL_LAYERS is not configured."""
    from channels.layers import get_channel_layer

    return get_channel_layer()


def key_group(key: str) -> str:
    """The layer group of the watchers of one invalidation key (hashed: layer group names are restricted)."""
    return "mizan.k." + hashlib.sha256(key.encode()).hexdigest()[:40]


def channel_group(channel: str, group: str) -> str:
    """The layer group of one `ReactChannel` group (`group()`'s return value may be any string)."""
    return "mizan.c." + hashlib.sha256(f"{channel}\0{group}".encode()).hexdigest()[:40]


def group_send(group: str, event: dict[str, Any]) -> asyncio.Task[None] | None:
    """Send `event` to `group` now, from sync code (blocks until sent) or from the event loop (returns a task).

    Without a configured layer this does nothing: a single process with no sockets has no one to tell.
    """
    target = layer()
    if target is None:
        return None
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        async_to_sync(target.group_send)(group, event)
        return None
    return loop.create_task(target.group_send(group, event))
