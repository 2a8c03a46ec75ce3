"""The Redis backend (redis-py): one cache and one reverse index shared by every process on the same Redis.

Each operation is one Lua script, so a lookup, a fill or a purge is atomic and one round trip. When Redis does
not answer, the backend degrades to no caching: the read runs the function, nothing raises, one warning is
logged per outage, and Redis is tried again after `retry_seconds`. A purge that could not reach Redis is not
lost: the first operation after the outage empties this cache's namespace before anything is read from it.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from ._backend import Lookup

__all__ = ["RedisBackend"]

_log = logging.getLogger("mizan.cache")

_LOOKUP = """
local value = redis.call('GET', KEYS[1])
if value then return {1, value} end
for i = 3, #KEYS do
  redis.call('SADD', KEYS[i], ARGV[1])
  redis.call('EXPIRE', KEYS[i], ARGV[2])
end
return {0, redis.call('GET', KEYS[2]) or '0'}
"""

_FILL = """
if (redis.call('GET', KEYS[2]) or '0') == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0
"""

_PURGE = """
local members
if #KEYS == 1 then members = redis.call('SMEMBERS', KEYS[1]) else members = redis.call('SINTER', unpack(KEYS)) end
for _, member in ipairs(members) do
  redis.call('INCR', ARGV[1] .. 'n:' .. member)
  redis.call('EXPIRE', ARGV[1] .. 'n:' .. member, ARGV[2])
  redis.call('DEL', ARGV[1] .. 'v:' .. member)
  for i = 1, #KEYS do redis.call('SREM', KEYS[i], member) end
end
return #members
"""

# Connection errors are what an outage looks like; a script or type error is a bug and still raises.
_OUTAGE = (redis.ConnectionError, redis.TimeoutError, redis.exceptions.BusyLoadingError, OSError)


class RedisBackend:
    """Entries `<prefix>v:<key>`, versions `<prefix>n:<key>`, index sets `<prefix>i:<tag hash>`."""

    blocking = True

    def __init__(
        self,
        url: str,
        *,
        ttl: int,
        prefix: str = "mizan:cache:",
        timeout: float = 0.5,
        retry_seconds: float = 1.0,
    ) -> None:
        self.url = url
        self.ttl = ttl
        self.prefix = prefix
        self.retry_seconds = retry_seconds
        self._client: redis.Redis = redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout, retry=Retry(NoBackoff(), 0)
        )
        self._lookup = self._client.register_script(_LOOKUP)
        self._fill = self._client.register_script(_FILL)
        self._purge = self._client.register_script(_PURGE)
        self._lock = threading.Lock()
        self._down_until: float | None = None
        self._lost_purge = False

    @property
    def available(self) -> bool:
        """False during an outage (until the next retry succeeds)."""
        return self._down_until is None

    def lookup(self, key: str, tags: list[str]) -> Lookup:
        keys = [self._value(key), self._version(key), *(self._tag(tag) for tag in tags)]
        answer = self._run(partial(self._lookup, keys=keys, args=[key, self.ttl * 2]))
        if answer is None:
            return Lookup(None, None)
        hit, payload = answer
        if hit == 1:
            return Lookup(bytes(payload), None)
        return Lookup(None, payload.decode() if isinstance(payload, bytes) else str(payload))

    def peek(self, key: str) -> bytes | None:
        value = self._run(partial(self._client.get, self._value(key)))
        return None if value is None else bytes(value)

    def fill(self, key: str, ticket: str, value: bytes) -> None:
        keys = [self._value(key), self._version(key)]
        self._run(partial(self._fill, keys=keys, args=[ticket, value, self.ttl]))

    def purge(self, tag_sets: list[list[str]]) -> int:
        found = 0
        for tags in tag_sets:
            keys = [self._tag(tag) for tag in tags]
            count = self._run(partial(self._purge, keys=keys, args=[self.prefix, self.ttl + 60]), purge=True)
            found += int(count or 0)
        return found

    def ping(self) -> None:
        """Raises redis.RedisError when Redis does not answer (for the start-up check)."""
        self._client.ping()

    def close(self) -> None:
        self._client.close()

    def _run(self, command: Callable[[], Any], *, purge: bool = False) -> Any:
        if not self._usable():
            if purge:
                self._lost_purge = True
            return None
        try:
            return command()
        except _OUTAGE as exc:
            if purge:
                self._lost_purge = True
            self._went_down(exc)
            return None

    def _usable(self) -> bool:
        down_until = self._down_until
        if down_until is None:
            return not self._lost_purge or self._recover()
        if time.monotonic() < down_until:
            return False
        return self._recover()

    def _recover(self) -> bool:
        """Empty the namespace if a purge was lost, then serve again; False if Redis is still away."""
        with self._lock:
            try:
                if self._lost_purge:
                    self._flush()
                    self._lost_purge = False
                else:
                    self._client.ping()
            except _OUTAGE as exc:
                self._went_down(exc)
                return False
            if self._down_until is not None:
                self._down_until = None
                _log.warning("Redis at %s answers again; the Mizan cache is back on", self._safe_url())
            return True

    def _flush(self) -> None:
        batch: list[bytes] = []
        for name in self._client.scan_iter(match=self.prefix + "*", count=500):
            batch.append(name)
            if len(batch) >= 500:
                self._client.unlink(*batch)
                batch = []
        if batch:
            self._client.unlink(*batch)

    def _went_down(self, exc: BaseException) -> None:
        first = self._down_until is None
        self._down_until = time.monotonic() + self.retry_seconds
        if first:
            # One warning per outage, not one per request.
            _log.warning(
                "Redis at %s does not answer (%s); the Mizan cache is off, every read runs its function, "
                "until Redis is back",
                self._safe_url(),
                exc,
            )

    def _safe_url(self) -> str:
        kwargs = self._client.connection_pool.connection_kwargs
        return f"{kwargs.get('host', '?')}:{kwargs.get('port', '?')}/{kwargs.get('db', 0)}"

    def _value(self, key: str) -> str:
        return f"{self.prefix}v:{key}"

    def _version(self, key: str) -> str:
        return f"{self.prefix}n:{key}"

    def _tag(self, tag: str) -> str:
        return f"{self.prefix}i:{hashlib.sha256(tag.encode()).hexdigest()[:32]}"
