"""The Redis backend against a real redis-server: shared across processes, TTL, the race, outages."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.http import HttpRequest
from django.test import Client

from mizan import cache
from mizan.cache import entry_tags, purge_tags
from mizan.cache._redis import RedisBackend
from mizan.client import client
from mizan.setup import register
from tests.asgi_visitor import fresh_visitor
from tests.redis_server import RedisServer, free_port, redis_server  # noqa: F401  (fixture)

pytest.importorskip("redis")

PACKAGE_DIR = Path(__file__).resolve().parent.parent
SECRET = "cache-tests-secret-0123456789abcdefghijklmnop"
runs: list[int] = []


@client(context="global")
def counted(request: HttpRequest) -> int:
    """How many times it has run (so a cached answer shows an old count)."""
    runs.append(1)
    return len(runs)


@pytest.fixture
def on_redis(settings: Any, isolated_registry: None, redis_server: RedisServer) -> Iterator[RedisServer]:
    settings.MIZAN_CACHE_SECRET = SECRET
    settings.MIZAN_CACHE_REDIS_URL = redis_server.url
    register(counted, "counted")
    runs.clear()
    yield redis_server
    cache.reset()


def read(http: Client | None = None) -> int:
    response = (http or Client()).get("/api/mizan/call/counted/")
    assert response.status_code == 200
    value: int = response.json()["result"]
    return value


def test_redis_backend_forces_the_interleaving(redis_server: RedisServer) -> None:
    backend = RedisBackend(redis_server.url, ttl=60)
    try:
        tags = entry_tags("f", {"a": 1})
        miss = backend.lookup("k", tags)
        assert miss.value is None and miss.ticket is not None
        assert backend.purge([purge_tags("f?a=1")]) == 1
        backend.fill("k", miss.ticket, b"old")
        assert backend.lookup("k", tags).value is None
        fresh = backend.lookup("k", tags)
        assert fresh.ticket is not None
        backend.fill("k", fresh.ticket, b"new")
        assert backend.lookup("k", tags).value == b"new"
        assert backend.purge([purge_tags("f?a=2")]) == 0
        assert backend.lookup("k", tags).value == b"new"
    finally:
        backend.close()


def test_entries_expire_after_the_ttl(redis_server: RedisServer) -> None:
    import redis

    backend = RedisBackend(redis_server.url, ttl=120)
    raw = redis.Redis.from_url(redis_server.url)
    try:
        ticket = backend.lookup("k", ["f"]).ticket
        assert ticket is not None
        backend.fill("k", ticket, b"v")
        assert 0 < raw.ttl("mizan:cache:v:k") <= 120
    finally:
        backend.close()
        raw.close()


def test_reads_are_cached_in_redis(on_redis: RedisServer, db: None) -> None:
    assert [read(), read(), read()] == [1, 1, 1]
    assert isinstance(cache.backend(), RedisBackend)


def test_an_outage_degrades_to_no_caching_and_recovers(
    on_redis: RedisServer, db: None, caplog: pytest.LogCaptureFixture
) -> None:
    assert [read(), read()] == [1, 1]
    backend = cache.backend()
    assert isinstance(backend, RedisBackend)
    backend.retry_seconds = 0.2
    caplog.set_level(logging.WARNING, logger="mizan.cache")

    on_redis.kill()
    assert [read(), read(), read()] == [2, 3, 4]  # correct answers, no error: every read runs the function
    time.sleep(0.3)
    assert read() == 5  # a retry that finds Redis still down stays quiet
    down = [r for r in caplog.records if "does not answer" in r.getMessage()]
    assert len(down) == 1, [r.getMessage() for r in caplog.records]

    on_redis.start()
    time.sleep(0.3)
    assert [read(), read()] == [6, 6]  # caching is back
    assert any("answers again" in r.getMessage() for r in caplog.records)


@pytest.mark.asyncio
async def test_the_edge_reads_redis_and_steps_aside_in_an_outage(
    on_redis: RedisServer, transactional_db: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="mizan.cache")
    async with fresh_visitor() as visitor:

        async def reads(count: int) -> list[int]:
            return [(await visitor.read("counted")).json()["result"] for _ in range(count)]

        assert await reads(3) == [1, 1, 1]
        assert visitor.reached_django == 1  # the 2nd and 3rd were answered from Redis before Django
        backend = cache.backend()
        assert isinstance(backend, RedisBackend)
        backend.retry_seconds = 0.2

        on_redis.kill()
        assert await reads(3) == [2, 3, 4]  # every read goes to Django, which runs the function; no error
        assert visitor.reached_django == 4
        assert len([r for r in caplog.records if "does not answer" in r.getMessage()]) == 1

        on_redis.start()
        await asyncio.sleep(0.3)
        assert await reads(3) == [5, 5, 5]  # refilled by Django, then answered at the edge again
        assert visitor.reached_django == 5


def test_a_purge_lost_in_an_outage_empties_the_cache_when_redis_returns(
    on_redis: RedisServer, transactional_db: None
) -> None:
    """Redis paused (the data survives, like a partition): a purge that could not land must not leave stale data."""
    assert read() == 1
    backend = cache.backend()
    assert isinstance(backend, RedisBackend)
    backend.retry_seconds = 0.2
    on_redis.pause()
    try:
        assert cache.purge_keys(["counted"]) == 0  # times out: lost for now
        assert not backend.available
    finally:
        on_redis.resume()
    time.sleep(0.3)
    assert read() == 2  # not the stale 1: the namespace was emptied before the first read
    assert read() == 2


def test_purge_across_two_processes_on_one_redis(redis_server: RedisServer, tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.project.settings_cache",
        "MIZAN_TEST_DATABASE": str(database),
        "MIZAN_CACHE_REDIS_URL": redis_server.url,
    }
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--run-syncdb", "--verbosity", "0"],
        cwd=PACKAGE_DIR, env=env, check=True, timeout=120,
    )
    servers = [_uvicorn(env) for _ in range(2)]
    try:
        first, second = (_wait(process, base) for process, base in servers)

        def titles(base: str, list_id: int) -> list[str]:
            answer = httpx.get(f"{base}/api/mizan/call/todo_list/", params={"args": f'{{"list_id":{list_id}}}'}, timeout=30)
            assert answer.status_code == 200, answer.text
            return [todo["title"] for todo in answer.json()["result"]]

        httpx.post(f"{first}/api/mizan/call/add_todo/", json={"list_id": 7, "title": "a"}, timeout=30).raise_for_status()
        httpx.post(f"{first}/api/mizan/call/add_todo/", json={"list_id": 8, "title": "b"}, timeout=30).raise_for_status()
        assert titles(first, 7) == ["a"]
        assert titles(first, 8) == ["b"]
        with sqlite3.connect(database) as connection:  # writes that bypass Mizan
            connection.execute("INSERT INTO testapp_todo (list_id, title, done) VALUES (7, 'bypass', 0)")
            connection.execute("INSERT INTO testapp_todo (list_id, title, done) VALUES (8, 'bypass', 0)")
        assert titles(second, 7) == ["a"]  # the other process reads the shared entry
        assert titles(first, 7) == ["a"]  # and this one too, now at its edge: Django answered the route before
        httpx.post(f"{second}/api/mizan/call/add_todo/", json={"list_id": 7, "title": "c"}, timeout=30).raise_for_status()
        assert titles(first, 7) == ["a", "bypass", "c"]  # the purge in the second process reached the first
        assert titles(first, 8) == ["b"]  # list 8 kept
    finally:
        for process, _ in servers:
            process.terminate()
            process.wait(10)


def _uvicorn(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "tests.project.asgi:application", "--host", "127.0.0.1", "--port", str(port)],
        cwd=PACKAGE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    return process, f"http://127.0.0.1:{port}"


def _wait(process: subprocess.Popen[bytes], base: str) -> str:
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"{base}/api/mizan/session/", timeout=1)
            return base
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"uvicorn at {base} did not start")
            time.sleep(0.1)
