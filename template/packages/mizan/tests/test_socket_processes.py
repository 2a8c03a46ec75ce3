"""Live invalidation and channels across processes: two uvicorn servers on one real Redis."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from tests.servers import PACKAGE_DIR, migrate, project_env, redis_server, uvicorn_server

LAYERS = ["channels_redis.core.RedisChannelLayer", "channels_redis.pubsub.RedisPubSubChannelLayer"]


@pytest.fixture(scope="module", params=LAYERS, ids=["RedisChannelLayer", "RedisPubSubChannelLayer"])
def two_servers(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    tmp = tmp_path_factory.mktemp("processes")
    with redis_server(tmp) as redis_url:
        env = project_env(tmp / "db.sqlite3", redis_url, request.param)
        migrate(env)
        with uvicorn_server(env) as a, uvicorn_server(env) as b:
            yield a, b, env


async def _recv(ws: Any) -> Any:
    return json.loads(await asyncio.wait_for(ws.recv(), 20))


async def _ask(ws: Any, frame: dict[str, Any]) -> Any:
    await ws.send(json.dumps(frame))
    reply = await _recv(ws)
    assert reply.get("id") == frame["id"], reply
    return reply


def _ws(base: str) -> str:
    return base.replace("http://", "ws://") + "/ws/mizan/"


@pytest.mark.asyncio
async def test_a_mutation_through_one_server_reaches_watchers_on_the_other(two_servers: Any) -> None:
    a, b, _env = two_servers
    async with websockets.connect(_ws(b), origin=b) as on_b, websockets.connect(_ws(a), origin=a) as on_a:
        assert await _ask(on_b, {"id": 1, "action": "watch", "keys": ["todo_list?list_id=5"]}) == {"id": 1, "ok": True}
        await _ask(on_b, {"id": 2, "action": "watch", "keys": ["todo_list?list_id=6"]})
        async with httpx.AsyncClient() as http:
            response = await http.post(f"{a}/api/mizan/call/add_todo/", json={"list_id": 5, "title": "from A"})
        assert response.status_code == 200, response.text
        assert await _recv(on_b) == {"invalidate": ["todo_list?list_id=5"]}
        # Over the socket of server A too; list 6 this time.
        added = await _ask(on_a, {"id": 1, "action": "rpc", "fn": "add_todo", "args": {"list_id": 6, "title": "ws"}})
        assert added["invalidate"] == ["todo_count?list_id=6", "todo_list?list_id=6"]
        assert await _recv(on_b) == {"invalidate": ["todo_list?list_id=6"]}


@pytest.mark.asyncio
async def test_broadcast_from_another_process_reaches_subscribers_of_both_servers(two_servers: Any) -> None:
    a, b, env = two_servers
    async with websockets.connect(_ws(a), origin=a) as on_a, websockets.connect(_ws(b), origin=b) as on_b:
        for ws in (on_a, on_b):
            frame = {"id": 1, "action": "subscribe", "channel": "ticker", "params": {"symbol": "X"}}
            assert await _ask(ws, frame) == {"id": 1, "subscribed": True}
        code = (
            "import django; django.setup()\n"
            "from tests.testapp.channels import TickerChannel\n"
            "TickerChannel.broadcast({'symbol': 'X'}, {'price': 99.5})\n"
        )
        await asyncio.to_thread(
            subprocess.run, [sys.executable, "-c", code], cwd=PACKAGE_DIR, env=env, check=True, timeout=60
        )
        assert await _recv(on_a) == {"sub": 1, "message": {"price": 99.5}}
        assert await _recv(on_b) == {"sub": 1, "message": {"price": 99.5}}


@pytest.mark.asyncio
async def test_the_socket_refuses_foreign_origins_and_carries_the_session(two_servers: Any) -> None:
    a, _b, env = two_servers
    with pytest.raises(websockets.exceptions.InvalidStatus):
        async with websockets.connect(_ws(a), origin="http://evil.example"):
            pass
    code = (
        "import django; django.setup()\n"
        "from django.contrib.auth.models import User\n"
        "User.objects.filter(username='pat').delete()\n"
        "User.objects.create_user('pat', password='pw-pat')\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=PACKAGE_DIR, env=env, check=True, timeout=60)
    async with httpx.AsyncClient(base_url=a) as http:
        token = (await http.get("/api/mizan/session/")).json()["csrfToken"]
        login = await http.post(
            "/api/mizan/call/login/", json={"username": "pat", "password": "pw-pat"}, headers={"X-CSRFToken": token}
        )
        assert login.status_code == 200, login.text
        cookie = "; ".join(f"{name}={value}" for name, value in http.cookies.items())
    async with websockets.connect(_ws(a), origin=a, additional_headers={"Cookie": cookie}) as ws:
        assert (await _ask(ws, {"id": 1, "action": "rpc", "fn": "whoami"}))["result"] == "pat"
