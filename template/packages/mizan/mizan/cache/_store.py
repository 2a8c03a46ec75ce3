"""The configured cache: which backend, and the read-through and purge steps the call pipeline uses.

A read runs auth and input validation first (a cached answer is never given to a caller the function would
refuse), then `lookup`; on a miss the function runs and `store` fills the entry. Mutations reach `purge`
through `mizan.signals.keys_invalidated`, after their transaction commits.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from typing import Any

from asgiref.sync import sync_to_async

from ..core import ServerFunction
from . import _settings
from ._backend import Backend
from ._keys import entry_key, entry_tags, purge_tags, user_scope
from ._memory import MemoryBackend

__all__ = [
    "Pending",
    "alookup",
    "apeek_anonymous",
    "astore",
    "backend",
    "is_cached",
    "lookup",
    "purge_keys",
    "reset",
    "store",
]

_lock = threading.Lock()
_current: tuple[tuple[Any, ...], Backend | None] | None = None


@dataclass(frozen=True)
class Pending:
    """A miss to fill: where, and the version ticket that a purge in the meantime invalidates."""

    backend: Backend
    key: str
    ticket: str


def backend() -> Backend | None:
    """The backend the settings describe (built once per configuration), or None when caching is off."""
    global _current
    config = (_settings.secret(), _settings.redis_url(), _settings.ttl(), _settings.max_entries())
    current = _current
    if current is not None and current[0] == config:
        return current[1]
    with _lock:
        if _current is not None and _current[0] == config:
            return _current[1]
        if _current is not None and _current[1] is not None:
            _current[1].close()
        _current = (config, _build(*config))
        return _current[1]


def reset() -> None:
    """Forget the backend (tests, settings changes); the next read builds it again."""
    global _current
    with _lock:
        if _current is not None and _current[1] is not None:
            _current[1].close()
        _current = None


def _build(secret: bytes | None, url: str, ttl: int, max_entries: int) -> Backend | None:
    if secret is None:
        return None
    if url:
        from ._redis import RedisBackend  # redis-py is an optional dependency: mizan[redis]

        return RedisBackend(url, ttl=ttl)
    return MemoryBackend(ttl=ttl, max_entries=max_entries)


def is_cached(spec: ServerFunction) -> bool:
    """True for a context function whose results the cache keeps (not `cache=False`, not a view-path one)."""
    return spec.context is not None and spec.cache and not spec.view


def _entry(
    secret: bytes, name: str, spec: ServerFunction, kwargs: dict[str, Any], scope: str
) -> tuple[str, dict[str, Any]]:
    """The entry's key, and the arguments in JSON form that its tags are made of."""
    args = {param: spec.json_value(param, value) for param, value in kwargs.items()}
    return entry_key(secret, name, spec.rev, scope, args), args


def lookup(name: str, spec: ServerFunction, kwargs: dict[str, Any], user: Any) -> tuple[bytes | None, Pending | None]:
    """A cached result (`bytes`), or None and what to fill after running the function (None: do not fill)."""
    store_ = backend() if is_cached(spec) else None
    secret = _settings.secret()
    if store_ is None or secret is None:
        return None, None
    key, args = _entry(secret, name, spec, kwargs, user_scope(user))
    found = store_.lookup(key, entry_tags(name, args))
    if found.value is not None:
        return found.value, None
    return None, None if found.ticket is None else Pending(store_, key, found.ticket)


async def apeek_anonymous(name: str, spec: ServerFunction, kwargs: dict[str, Any]) -> bytes | None:
    """The anonymous entry's value, or None; fills nothing and indexes nothing (the edge's read)."""
    store_ = backend() if is_cached(spec) else None
    secret = _settings.secret()
    if store_ is None or secret is None:
        return None
    key, _ = _entry(secret, name, spec, kwargs, user_scope(None))
    if store_.blocking:
        return await asyncio.to_thread(store_.peek, key)
    return store_.peek(key)


def store(pending: Pending | None, result_json: bytes) -> None:
    """Fill the entry a miss left, unless it was purged while the function ran."""
    if pending is not None:
        pending.backend.fill(pending.key, pending.ticket, result_json)


async def alookup(
    name: str, spec: ServerFunction, kwargs: dict[str, Any], user: Any
) -> tuple[bytes | None, Pending | None]:
    """`lookup` for the event loop: a backend that blocks on I/O runs in a worker thread."""
    store_ = backend() if is_cached(spec) else None
    if store_ is None:
        return None, None
    if store_.blocking:
        return await sync_to_async(lookup, thread_sensitive=False)(name, spec, kwargs, user)
    return lookup(name, spec, kwargs, user)


async def astore(pending: Pending | None, result_json: bytes) -> None:
    """`store` for the event loop."""
    if pending is None:
        return
    if pending.backend.blocking:
        await sync_to_async(store, thread_sensitive=False)(pending, result_json)
    else:
        store(pending, result_json)


def purge_keys(keys: list[str]) -> int:
    """Purge the entries that the invalidation keys match; returns how many were found."""
    store_ = backend()
    if store_ is None or not keys:
        return 0
    return store_.purge([purge_tags(key) for key in keys])
