"""Live invalidation: a `keys_invalidated` receiver that publishes each key to its watchers' layer group.

Every process on the same channel layer (Redis) hears it, so a write through one server refreshes pages
connected to another. Sent after the commit (the signal comes from `transaction.on_commit`).
"""

from __future__ import annotations

from typing import Any

from ..channels._layer import group_send, key_group
from ..signals import keys_invalidated

__all__ = ["connect_publisher", "publish"]

_UID = "mizan.live_invalidation"


def publish(keys: list[str]) -> None:
    """Tell every socket watching one of `keys` (or an instance it scopes) to refetch."""
    from ._consumer import INVALIDATE_EVENT

    for key in keys:
        group = key_group(key)
        group_send(group, {"type": INVALIDATE_EVENT, "group": group, "keys": [key]})


def _on_keys_invalidated(sender: Any, function: str, keys: list[str], **kwargs: Any) -> None:
    publish(keys)


def connect_publisher() -> None:
    """Connect the publisher once (idempotent: the dispatch_uid)."""
    keys_invalidated.connect(_on_keys_invalidated, dispatch_uid=_UID)
