"""An in-process WebSocket client for the Mizan socket (asgiref's ASGI driver; Channels' own needs daphne)."""

from __future__ import annotations

import json
from typing import Any

from asgiref.testing import ApplicationCommunicator


class Socket:
    """One connection to /ws/mizan/ on an ASGI app, sending frames and reading JSON replies."""

    def __init__(self, app: Any, *, origin: bytes = b"http://testserver", cookie: str | None = None) -> None:
        headers = [(b"host", b"testserver"), (b"origin", origin)]
        if cookie:
            headers.append((b"cookie", cookie.encode()))
        scope = {
            "type": "websocket",
            "path": "/ws/mizan/",
            "raw_path": b"/ws/mizan/",
            "query_string": b"",
            "headers": headers,
            "subprotocols": [],
            "client": ("127.0.0.1", 5000),
            "server": ("testserver", 80),
        }
        self.driver = ApplicationCommunicator(app, scope)
        self.next_id = 0

    async def connect(self) -> dict[str, Any]:
        await self.driver.send_input({"type": "websocket.connect"})
        message: dict[str, Any] = await self.driver.receive_output(10)
        return message

    async def raw(self, text: str) -> None:
        await self.driver.send_input({"type": "websocket.receive", "text": text})

    async def frame(self, action: str, **body: Any) -> int:
        self.next_id += 1
        await self.raw(json.dumps({"id": self.next_id, "action": action, **body}))
        return self.next_id

    async def recv(self, timeout: float = 10) -> Any:
        message = await self.driver.receive_output(timeout)
        assert message["type"] == "websocket.send", message
        return json.loads(message["text"])

    async def output(self, timeout: float = 10) -> dict[str, Any]:
        message: dict[str, Any] = await self.driver.receive_output(timeout)
        return message

    async def ask(self, action: str, **body: Any) -> Any:
        """Send a frame and return the reply with its id (pushes arriving first are not expected here)."""
        frame_id = await self.frame(action, **body)
        reply = await self.recv()
        assert reply.get("id") == frame_id, reply
        return reply

    async def close(self) -> None:
        await self.driver.send_input({"type": "websocket.disconnect", "code": 1000})
        await self.driver.wait(10)
