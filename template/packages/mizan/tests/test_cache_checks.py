"""The cache's system checks: a short secret is an error with the fix, an unreachable Redis a warning only."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from mizan import cache
from mizan.cache._checks import check_cache
from tests.redis_server import RedisServer, free_port, redis_server  # noqa: F401  (fixture)

SECRET = "cache-tests-secret-0123456789abcdefghijklmnop"


def ids(messages: list[Any]) -> list[str]:
    return [message.id for message in messages]


def test_a_short_secret_is_an_error_with_the_fix(settings: Any) -> None:
    settings.MIZAN_CACHE_SECRET = "too-short"
    settings.MIZAN_CACHE_REDIS_URL = ""
    [message] = check_cache()
    assert message.id == "mizan.E020"
    assert "9 bytes" in message.msg
    assert "secrets.token_urlsafe" in message.hint
    assert cache.backend() is None  # and the cache stays off rather than keying with a weak secret
    with pytest.raises(SystemCheckError, match="mizan.E020"):
        call_command("check", stdout=StringIO(), stderr=StringIO())


def test_a_good_secret_and_no_redis_passes(settings: Any) -> None:
    settings.MIZAN_CACHE_SECRET = SECRET
    settings.MIZAN_CACHE_REDIS_URL = ""
    assert check_cache() == []


def test_bad_ttl_and_size(settings: Any) -> None:
    settings.MIZAN_CACHE_TTL = 0
    settings.MIZAN_CACHE_MAX_ENTRIES = "many"
    assert ids(check_cache()) == ["mizan.E021", "mizan.E022"]


def test_unreachable_redis_at_start_is_a_warning_not_a_crash(settings: Any) -> None:
    settings.MIZAN_CACHE_SECRET = SECRET
    settings.MIZAN_CACHE_REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    [message] = check_cache()
    assert message.id == "mizan.W020"
    assert "does not answer" in message.msg
    out = StringIO()
    call_command("check", stdout=out, stderr=out)  # does not raise
    assert "mizan.W020" in out.getvalue()


def test_reachable_redis_passes(settings: Any, redis_server: RedisServer) -> None:
    settings.MIZAN_CACHE_SECRET = SECRET
    settings.MIZAN_CACHE_REDIS_URL = redis_server.url
    assert check_cache() == []


def test_redis_url_defaults_to_redis_url(settings: Any, redis_server: RedisServer) -> None:
    settings.MIZAN_CACHE_SECRET = SECRET
    del settings.MIZAN_CACHE_REDIS_URL
    settings.REDIS_URL = redis_server.url
    from mizan.cache._redis import RedisBackend

    backend = cache.backend()
    assert isinstance(backend, RedisBackend) and backend.url == redis_server.url
    cache.reset()
