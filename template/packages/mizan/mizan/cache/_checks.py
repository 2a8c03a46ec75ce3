"""System checks of the cache settings: mizan.E020-E023, W020 and I020, each with the fix as its hint."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Info, Warning, register

from . import _settings
from ._edge import edge_blockers

__all__ = ["check_cache"]

_MAKE_SECRET = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'


@register("mizan")
def check_cache(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """E020 short secret, E021 bad TTL, E022 bad size, E023 bad edge setting, W020 Redis unreachable or redis-py
    missing, I020 the edge kept off by middleware."""
    messages: list[CheckMessage] = []
    secret: Any = getattr(settings, "MIZAN_CACHE_SECRET", None)
    if secret is not None and secret != "":
        size = len(secret.encode()) if isinstance(secret, str) else len(secret) if isinstance(secret, bytes) else -1
        if size < _settings.MIN_SECRET_BYTES:
            what = f"{size} bytes long" if size >= 0 else f"a {type(secret).__name__}"
            messages.append(
                Error(
                    f"MIZAN_CACHE_SECRET is {what}; the cache keys are HMACs under it and it must be a string of "
                    f"at least {_settings.MIN_SECRET_BYTES} bytes. Until then the cache is off.",
                    hint=f"Make one with {_MAKE_SECRET} and set it in the environment (MIZAN_CACHE_SECRET) or "
                    "settings; remove the setting to run without the cache.",
                    id="mizan.E020",
                )
            )
    for name, default, id_ in (
        ("MIZAN_CACHE_TTL", _settings.DEFAULT_TTL, "mizan.E021"),
        ("MIZAN_CACHE_MAX_ENTRIES", _settings.DEFAULT_MAX_ENTRIES, "mizan.E022"),
    ):
        value = getattr(settings, name, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            messages.append(
                Error(
                    f"{name} is {value!r}; it must be a positive integer.",
                    hint=f"Set {name} = {default} (the default) or remove it.",
                    id=id_,
                )
            )
    messages.extend(_check_edge())
    if _settings.secret() is not None and _settings.redis_url():
        messages.extend(_check_redis(_settings.redis_url()))
    return messages


def _check_edge() -> list[CheckMessage]:
    edge: Any = getattr(settings, "MIZAN_CACHE_EDGE", None)
    if edge is not None and not isinstance(edge, bool):
        return [
            Error(
                f"MIZAN_CACHE_EDGE is {edge!r}; it must be True, False or unset.",
                hint="Remove it to let the middleware decide (the default), set it to True to answer cached "
                "anonymous reads before Django whatever the middleware, or False to never do so.",
                id="mizan.E023",
            )
        ]
    if edge is not None or _settings.secret() is None:
        return []
    blockers = edge_blockers()
    if not blockers:
        return []
    return [
        Info(
            "Cached anonymous reads are answered inside Django, not before it (the edge is off), because this "
            f"middleware has not said it treats every anonymous GET alike: {', '.join(blockers)}.",
            hint="If it neither refuses nor changes such requests beyond fixed headers, give its class "
            "`mizan_edge_safe = True`, or set MIZAN_CACHE_EDGE = True; set MIZAN_CACHE_EDGE = False to silence "
            "this. See docs/cache.md, 'The edge'.",
            id="mizan.I020",
        )
    ]


def _check_redis(url: str) -> list[CheckMessage]:
    try:
        from ._redis import RedisBackend
    except ImportError:
        return [
            Warning(
                "MIZAN_CACHE_REDIS_URL (or REDIS_URL) is set but redis-py is not installed, so the cache cannot "
                "use Redis and every read runs its function.",
                hint="Install it with pip install 'mizan[redis]', or set MIZAN_CACHE_REDIS_URL = '' for the "
                "in-process cache.",
                id="mizan.W020",
            )
        ]
    probe = RedisBackend(url, ttl=1)
    try:
        probe.ping()
    except Exception as exc:
        return [
            Warning(
                f"Redis at {probe._safe_url()} does not answer ({exc}); the Mizan cache stays off (reads run "
                "their function) until it does, then turns on by itself.",
                hint="Start Redis, or fix MIZAN_CACHE_REDIS_URL / REDIS_URL; set MIZAN_CACHE_REDIS_URL = '' to use "
                "the in-process cache instead.",
                id="mizan.W020",
            )
        ]
    finally:
        probe.close()
    return []
