"""Enforces `@client(rate=...)` over Django's cache framework: one counter per rate and key.

The counters live in `caches[MIZAN_RATE_CACHE]` (default "default"): Redis in the generated project when
REDIS_URL is set, so every process counts together; the local-memory cache otherwise (per process). A caller's
window opens at its first call and lasts the rate's period (the counter expires with it), so `count` calls are
never followed by `count` more a moment later, as they would be across the edge of windows fixed to the clock.
`Retry-After` says when the window closes. A cache that fails lets the call through and logs a warning: a rate
limit must not take the site down.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest

from ._auth import is_authenticated
from .core import Rate, RateLimited, ServerFunction

__all__ = ["acheck_rates", "check_rates", "rate_cache"]

_log = logging.getLogger("mizan")


def rate_cache() -> BaseCache:
    """The cache that holds the counters (MIZAN_RATE_CACHE, default "default")."""
    return caches[getattr(settings, "MIZAN_RATE_CACHE", "default")]


def check_rates(name: str, spec: ServerFunction, request: HttpRequest, kwargs: dict[str, Any]) -> None:
    """Count this call against each of the function's rates; RATE_LIMITED when one is used up."""
    for rate in spec.rates:
        counter = _counter(name, rate, request, kwargs)
        now = time.time()
        try:
            cache = rate_cache()
            cache.add(counter + ":opened", now, timeout=rate.seconds)
            cache.add(counter, 0, timeout=rate.seconds)
            used = cache.incr(counter)
            opened = cache.get(counter + ":opened", now)
        except Exception as exc:  # noqa: BLE001  (any cache failure: count nothing, serve the call)
            _warn(exc)
            continue
        _recovered()
        _refuse_over(name, rate, used, _retry_after(rate, opened, now))


async def acheck_rates(name: str, spec: ServerFunction, request: HttpRequest, kwargs: dict[str, Any]) -> None:
    """`check_rates` for the event loop (Django's async cache API)."""
    for rate in spec.rates:
        counter = _counter(name, rate, request, kwargs)
        now = time.time()
        try:
            cache = rate_cache()
            await cache.aadd(counter + ":opened", now, timeout=rate.seconds)
            await cache.aadd(counter, 0, timeout=rate.seconds)
            used = await cache.aincr(counter)
            opened = await cache.aget(counter + ":opened", now)
        except Exception as exc:  # noqa: BLE001
            _warn(exc)
            continue
        _recovered()
        _refuse_over(name, rate, used, _retry_after(rate, opened, now))


def _counter(name: str, rate: Rate, request: HttpRequest, kwargs: dict[str, Any]) -> str:
    who = hashlib.sha256(_key_value(rate, request, kwargs).encode()).hexdigest()[:32]
    return f"mizan:rate:{name}:{rate}:{rate.key_name}:{who}"


def _retry_after(rate: Rate, opened: float, now: float) -> int:
    """Whole seconds until the caller's window closes (at least 1)."""
    return max(1, math.ceil(opened + rate.seconds - now))


def _key_value(rate: Rate, request: HttpRequest, kwargs: dict[str, Any]) -> str:
    if callable(rate.key):
        return str(rate.key(request, kwargs))
    if rate.key == "user":
        user = getattr(request, "user", None)
        return f"user:{user.pk}" if is_authenticated(user) else f"ip:{_client_ip(request)}"
    if rate.key == "ip":
        return f"ip:{_client_ip(request)}"
    return f"arg:{str(kwargs.get(rate.key, '')).casefold()}"


def _client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR; behind a proxy, set MIZAN_RATE_IP_HEADER to the header it writes (e.g. X-Forwarded-For)."""
    header = getattr(settings, "MIZAN_RATE_IP_HEADER", None)
    if header:
        forwarded = getattr(request, "META", {}).get("HTTP_" + header.upper().replace("-", "_"), "")
        first = forwarded.split(",")[0].strip()
        if first:
            return first
    return str(getattr(request, "META", {}).get("REMOTE_ADDR", ""))


def _refuse_over(name: str, rate: Rate, used: int, retry_after: int) -> None:
    if used > rate.count:
        raise RateLimited(
            f"Too many calls of {name!r}: the limit is {rate} per {rate.key_name}. Try again in {retry_after} s.",
            {"retry_after": retry_after, "limit": str(rate)},
        )


_outage = False  # one warning per outage of the cache, not one per call


def _warn(exc: BaseException) -> None:
    global _outage
    if not _outage:
        _outage = True
        alias = getattr(settings, "MIZAN_RATE_CACHE", "default")
        _log.warning("rate limits are not enforced while the cache %r fails: %s", alias, exc)


def _recovered() -> None:
    global _outage
    _outage = False
