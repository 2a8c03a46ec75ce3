"""`wrap_asgi`: Channels in front of Django when installed (HTTP to Django, sockets with session and origin check)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgiref.testing import ApplicationCommunicator
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.routing import ProtocolTypeRouter
from django.core.asgi import get_asgi_application
from django.urls import path

from mizan import wrap_asgi

PACKAGE_DIR = Path(__file__).resolve().parent.parent


class WhoAmI(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    async def connect(self) -> None:
        await self.accept()
        await self.send_json({"authenticated": bool(self.scope["user"].is_authenticated)})


def _socket(app: Any, origin: bytes) -> ApplicationCommunicator:
    """An ASGI WebSocket connection to /ws/whoami/ (channels.testing needs daphne; asgiref's driver does not)."""
    scope = {
        "type": "websocket",
        "path": "/ws/whoami/",
        "raw_path": b"/ws/whoami/",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"origin", origin)],
        "subprotocols": [],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    return ApplicationCommunicator(app, scope)


def _app() -> Any:
    return wrap_asgi(get_asgi_application(), websocket_urlpatterns=[path("ws/whoami/", WhoAmI.as_asgi())])


@pytest.mark.asyncio
async def test_http_goes_to_django() -> None:
    app = _app()
    assert isinstance(app, ProtocolTypeRouter)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.post("/api/mizan/call/echo/", json={"text": "over asgi"})
    assert response.status_code == 200
    assert response.json() == {"result": {"message": "over asgi"}, "invalidate": []}


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)  # Channels' auth middleware resolves the user through the database layer
async def test_websockets_carry_the_session_user_from_allowed_origins() -> None:
    socket = _socket(_app(), b"http://testserver")
    await socket.send_input({"type": "websocket.connect"})
    assert (await socket.receive_output(5))["type"] == "websocket.accept"
    message = await socket.receive_output(5)
    assert message["type"] == "websocket.send"
    assert json.loads(message["text"]) == {"authenticated": False}
    await socket.send_input({"type": "websocket.disconnect", "code": 1000})
    await socket.wait(5)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_websockets_from_other_origins_are_refused() -> None:
    socket = _socket(_app(), b"http://evil.example")
    await socket.send_input({"type": "websocket.connect"})
    message = await socket.receive_output(5)
    assert message["type"] == "websocket.close"
    await socket.send_input({"type": "websocket.disconnect", "code": 1006})
    await socket.wait(5)


def test_without_channels_the_app_is_the_edge_in_front_of_django() -> None:
    code = (
        "import sys\n"
        "sys.modules['channels'] = None  # as if Channels were not installed\n"
        "import django\n"
        "from django.core.asgi import get_asgi_application\n"
        "from mizan import wrap_asgi\n"
        "from mizan.cache import EdgeCache\n"
        "app = get_asgi_application()\n"
        "wrapped = wrap_asgi(app)\n"
        "assert isinstance(wrapped, EdgeCache) and wrapped.app is app, wrapped\n"
        "print('edge, then django')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PACKAGE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "tests.project.settings_without_channels", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "edge, then django"
