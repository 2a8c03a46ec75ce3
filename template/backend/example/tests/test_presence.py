"""The example's presence channel over the project's real ASGI application and socket (PROTOCOL §6)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator

from config.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


class Viewer:
    """One browser tab's socket at /ws/mizan/."""

    def __init__(self) -> None:
        scope = {
            "type": "websocket",
            "path": "/ws/mizan/",
            "raw_path": b"/ws/mizan/",
            "query_string": b"",
            # An origin the project allows (DJANGO_ALLOWED_HOSTS): the socket refuses others.
            "headers": [(b"host", b"localhost"), (b"origin", b"http://localhost")],
            "subprotocols": [],
            "client": ("127.0.0.1", 5000),
            "server": ("localhost", 80),
        }
        self.socket = ApplicationCommunicator(application, scope)
        self.next_id = 0

    async def open(self) -> None:
        await self.socket.send_input({"type": "websocket.connect"})
        assert (await self.socket.receive_output(5))["type"] == "websocket.accept"

    async def send(self, action: str, **body: Any) -> int:
        self.next_id += 1
        frame = {"id": self.next_id, "action": action, **body}
        await self.socket.send_input({"type": "websocket.receive", "text": json.dumps(frame)})
        return self.next_id

    async def receive(self) -> dict[str, Any]:
        message = await self.socket.receive_output(5)
        assert message["type"] == "websocket.send", message
        frame: dict[str, Any] = json.loads(message["text"])
        return frame

    async def frames(self, count: int) -> list[dict[str, Any]]:
        return [await self.receive() for _ in range(count)]

    async def close(self) -> None:
        await self.socket.send_input({"type": "websocket.disconnect", "code": 1000})
        await self.socket.wait(5)


def _events(frames: list[dict[str, Any]]) -> list[str]:
    return sorted(frame["message"]["event"] for frame in frames if "message" in frame)


def test_viewers_of_one_list_see_each_other_join_answer_and_leave() -> None:
    async_to_sync(_join_answer_leave)()


def test_a_bad_list_id_is_refused_with_the_field() -> None:
    async_to_sync(_bad_list_id)()


async def _join_answer_leave() -> None:
    ada, grace, other_list = Viewer(), Viewer(), Viewer()
    for viewer in (ada, grace, other_list):
        await viewer.open()

    await ada.send("subscribe", channel="todo_presence", params={"list_id": 1})
    first = await ada.frames(2)  # the subscribe reply and ada's own "joined"
    assert {"id": 1, "subscribed": True} in first and _events(first) == ["joined"]
    ada_id = next(frame["message"]["viewer"] for frame in first if "message" in frame)
    await other_list.send("subscribe", channel="todo_presence", params={"list_id": 2})
    assert len(await other_list.frames(2)) == 2

    await grace.send("subscribe", channel="todo_presence", params={"list_id": 1})
    assert _events(await grace.frames(2)) == ["joined"]
    joined = await ada.receive()
    assert joined["sub"] == 1 and joined["message"]["event"] == "joined"
    assert joined["message"]["name"] == "a visitor" and joined["message"]["viewer"] != ada_id

    await ada.send("send", sub=1, message={"here": True})
    answered = await ada.frames(2)  # the send's ok and the broadcast "here"
    assert {"id": 2, "ok": True} in answered and _events(answered) == ["here"]
    here = await grace.receive()
    assert here["message"]["event"] == "here" and here["message"]["viewer"] == ada_id

    await grace.close()
    left = await ada.receive()
    assert left["message"]["event"] == "left"
    assert await other_list.socket.receive_nothing(0.3)  # list 2 heard nothing of list 1
    await ada.close()
    await other_list.close()


async def _bad_list_id() -> None:
    viewer = Viewer()
    await viewer.open()
    await viewer.send("subscribe", channel="todo_presence", params={"list_id": "one"})
    reply = await viewer.receive()
    assert reply["id"] == 1 and reply["error"]["code"] == "VALIDATION_ERROR", reply
    await viewer.close()
