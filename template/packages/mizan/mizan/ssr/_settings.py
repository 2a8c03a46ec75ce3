"""The SSR settings, read at call time (so `override_settings` works), each with its default."""

from __future__ import annotations

from django.conf import settings

__all__ = ["DEFAULT_POOL", "DEFAULT_TIMEOUT", "address", "pool_size", "timeout"]

DEFAULT_TIMEOUT = 1.0
DEFAULT_POOL = 4


def address() -> str:
    """MIZAN_SSR_ADDRESS: where the worker listens (`unix:/path` or `host:port`); empty turns SSR off."""
    return str(getattr(settings, "MIZAN_SSR_ADDRESS", "") or "")


def timeout() -> float:
    """MIZAN_SSR_TIMEOUT: seconds a render may take, waiting for a connection included, before the fallback."""
    return float(getattr(settings, "MIZAN_SSR_TIMEOUT", DEFAULT_TIMEOUT))


def pool_size() -> int:
    """MIZAN_SSR_POOL: connections this process keeps to the worker, so as many renders are in flight at once."""
    return int(getattr(settings, "MIZAN_SSR_POOL", DEFAULT_POOL))
