"""The socket hub on a real Redis: an outage of the channel layer is logged once, not once a retry; once Redis
is back the hub reads and delivers again, and says so."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from channels_redis.core import RedisChannelLayer

from mizan._socket._hub import Hub
from tests.redis_server import RedisServer, redis_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.asyncio


async def _until(condition: Any, seconds: float = 15.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "not within the time"
        await asyncio.sleep(0.05)


async def test_a_layer_outage_is_logged_once_and_delivery_resumes(
    redis_server: RedisServer,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="mizan")
    layer = RedisChannelLayer(hosts=[redis_server.url])
    hub = Hub(layer)
    got: list[dict[str, Any]] = []
    await hub.join("g", 1, got.append)
    await layer.group_send("g", {"type": "t", "group": "g", "n": 1})
    await _until(lambda: len(got) == 1)

    redis_server.kill()
    await asyncio.sleep(3.5)  # several retries while Redis is gone
    down = [r for r in caplog.records if "cannot read from the channel layer" in r.getMessage()]
    assert len(down) == 1, [r.getMessage() for r in caplog.records]

    redis_server.start()
    # A sender of its own (the hub's pool still holds connections to the Redis that went): the hub reads again.
    sender = RedisChannelLayer(hosts=[redis_server.url])
    assert hub.channel is not None
    await sender.send(hub.channel, {"type": "t", "group": "g", "n": 2})
    await _until(lambda: len(got) == 2)
    assert got[1]["n"] == 2
    assert any("reads from the channel layer again" in r.getMessage() for r in caplog.records)
    assert len([r for r in caplog.records if "cannot read from the channel layer" in r.getMessage()]) == 1
    hub.close()
