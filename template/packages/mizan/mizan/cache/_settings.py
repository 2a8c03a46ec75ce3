"""The cache's settings, each read here with its default (at call time, so `override_settings` works)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

__all__ = [
    "DEFAULT_MAX_ENTRIES",
    "DEFAULT_TTL",
    "MIN_SECRET_BYTES",
    "edge",
    "max_entries",
    "redis_url",
    "secret",
    "ttl",
]

DEFAULT_TTL = 300
"""Seconds an entry lives: the bound on staleness from writes that bypass Mizan (admin, shell, other services)."""
DEFAULT_MAX_ENTRIES = 10_000
"""Entries the in-process backend keeps before evicting the least recently used."""
MIN_SECRET_BYTES = 32


def secret() -> bytes | None:
    """MIZAN_CACHE_SECRET as bytes; None (the cache is off) when unset, empty or shorter than 32 bytes."""
    value: Any = getattr(settings, "MIZAN_CACHE_SECRET", None)
    if isinstance(value, str):
        value = value.encode()
    if not isinstance(value, bytes) or len(value) < MIN_SECRET_BYTES:
        return None
    return value


def redis_url() -> str:
    """MIZAN_CACHE_REDIS_URL, default REDIS_URL; empty means the in-process backend."""
    value = getattr(settings, "MIZAN_CACHE_REDIS_URL", None)
    if value is None:
        value = getattr(settings, "REDIS_URL", "")
    return str(value or "")


def ttl() -> int:
    """MIZAN_CACHE_TTL in seconds (default 300)."""
    return int(getattr(settings, "MIZAN_CACHE_TTL", DEFAULT_TTL))


def max_entries() -> int:
    """MIZAN_CACHE_MAX_ENTRIES for the in-process backend (default 10000)."""
    return int(getattr(settings, "MIZAN_CACHE_MAX_ENTRIES", DEFAULT_MAX_ENTRIES))


def edge() -> bool | None:
    """MIZAN_CACHE_EDGE: True or False decide; None (the default) lets the middleware decide (cache/_edge.py)."""
    value = getattr(settings, "MIZAN_CACHE_EDGE", None)
    return value if isinstance(value, bool) else None
