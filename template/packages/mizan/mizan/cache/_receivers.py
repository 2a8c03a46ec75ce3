"""Connects the purge to `mizan.signals.keys_invalidated`, so writes over HTTP and over the WebSocket purge."""

from __future__ import annotations

from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver

from ..signals import keys_invalidated
from ._store import purge_keys, reset

__all__ = ["purge_on_invalidation", "reset_on_setting_change"]


@receiver(keys_invalidated, dispatch_uid="mizan.cache.purge")
def purge_on_invalidation(sender: object, function: str, keys: list[str], **kwargs: Any) -> None:
    """Purge what a committed mutation's keys name."""
    purge_keys(keys)


@receiver(setting_changed, dispatch_uid="mizan.cache.reset")
def reset_on_setting_change(setting: str, **kwargs: Any) -> None:
    """A changed MIZAN_CACHE_* or REDIS_URL setting gives a fresh backend (what `override_settings` needs)."""
    if setting.startswith("MIZAN_CACHE_") or setting == "REDIS_URL":
        reset()
