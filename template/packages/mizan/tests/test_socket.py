"""The socket at /ws/mizan/ in process: RPC, bad frames, channels, watching keys (PROTOCOL §6)."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import httpx
import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.test import Client

from mizan.client import client
from mizan.core import channel_registry, registry
from tests.project.asgi import application
from tests.socket_helpers import Socket
from tests.testapp.channels import ChatChannel, TickerChannel

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def _open(cookie: str | None = None) -> Socket:
    socket = Socket(application, cookie=cookie)
    assert (await socket.connect())["type"] == "websocket.accept"
    return socket


async def _login(username: str, *, staff: bool = False) -> str:
    def make() -> str:
        User.objects.create_user(username, password="pw", is_staff=staff)
        client = Client()
        assert client.login(username=username, password="pw")
        return f"sessionid={client.cookies['sessionid'].value}"

    cookie: str = await sync_to_async(make)()
    return cookie


# --- RPC ---


async def test_rpc_answers_with_the_http_envelope_on_the_frame_id() -> None:
    socket = await _open()
    reply = await socket.ask("rpc", fn="echo", args={"text": "over the socket"})
    assert reply == {"id": 1, "result": {"message": "over the socket"}, "invalidate": []}
    await socket.close()


async def test_rpc_errors_carry_their_codes_and_the_socket_stays_usable() -> None:
    socket = await _open()
    assert (await socket.ask("rpc", fn="nope"))["error"]["code"] == "NOT_FOUND"
    invalid = await socket.ask("rpc", fn="echo", args={"text": 5})
    assert invalid["error"]["code"] == "VALIDATION_ERROR"
    assert "text" in invalid["error"]["details"]["fields"]
    assert (await socket.ask("rpc", fn="whoami"))["error"]["code"] == "UNAUTHORIZED"
    assert (await socket.ask("rpc", fn="profile_page", args={"id": 1}))["error"]["code"] == "BAD_REQUEST"
    assert (await socket.ask("rpc", fn="echo", args={"text": "still here"}))["result"] == {"message": "still here"}
    await socket.close()


async def test_rpc_carries_the_session_user_and_mutation_keys() -> None:
    socket = await _open(await _login("alice"))
    assert (await socket.ask("rpc", fn="whoami"))["result"] == "alice"
    assert (await socket.ask("rpc", fn="move_cursor", args={"x": 1, "y": 2}))["result"] == "alice at 1,2"
    added = await socket.ask("rpc", fn="add_todo", args={"list_id": 7, "title": "socket todo"})
    assert added["result"]["title"] == "socket todo"
    assert added["invalidate"] == ["todo_count?list_id=7", "todo_list?list_id=7"]
    await socket.close()


async def test_calls_run_concurrently_replies_in_completion_order() -> None:
    socket = await _open()
    slow = await socket.frame("rpc", fn="async_probe", args={"sleep": 0.5})
    fast = await socket.frame("rpc", fn="echo", args={"text": "fast"})
    first, second = await socket.recv(), await socket.recv()
    assert (first["id"], second["id"]) == (fast, slow)
    await socket.close()


# --- bad frames ---


async def test_malformed_frames_get_bad_request_and_the_socket_stays_open() -> None:
    socket = await _open()
    for text, frame_id in [
        ("not json", None),
        ("[1, 2]", None),
        ('{"action": "rpc"}', None),
        ('{"id": 4, "action": "dance"}', 4),
        ('{"id": 5, "action": "rpc"}', 5),
        ('{"id": 6, "action": "rpc", "fn": "echo", "args": []}', 6),
        ('{"id": 7, "action": "send", "sub": "x"}', 7),
    ]:
        await socket.raw(text)
        reply = await socket.recv()
        assert reply["id"] == frame_id, (text, reply)
        assert reply["error"]["code"] == "BAD_REQUEST", (text, reply)
        assert reply["error"]["message"]
    socket.next_id = 100
    assert (await socket.ask("rpc", fn="echo", args={"text": "ok"}))["result"] == {"message": "ok"}
    await socket.close()


async def test_a_frame_over_the_size_limit_is_refused_by_id_unparsed(settings: Any) -> None:
    settings.MIZAN_SOCKET_MAX_FRAME_BYTES = 1000
    socket = await _open()
    await socket.raw(json.dumps({"id": 9, "action": "rpc", "fn": "echo", "args": {"text": "x" * 2000}}))
    reply = await socket.recv()
    assert reply["id"] == 9
    assert reply["error"]["code"] == "BAD_REQUEST"
    assert reply["error"]["details"] == {"limit": 1000}
    assert "MIZAN_SOCKET_MAX_FRAME_BYTES" in reply["error"]["message"]
    await socket.close()


async def test_a_socket_that_keeps_sending_garbage_is_closed_with_4400(settings: Any) -> None:
    settings.MIZAN_SOCKET_BAD_FRAMES = 3
    socket = await _open()
    for _ in range(4):
        await socket.raw("garbage")
        assert (await socket.recv())["error"]["code"] == "BAD_REQUEST"
    closed = await socket.output()
    assert closed == {"type": "websocket.close", "code": 4400}
    await socket.close()


# --- channels ---


async def test_channel_messages_reach_the_group_and_no_other() -> None:
    alice = await _open(await _login("alice"))
    bob = await _open(await _login("bob"))
    other_room = await _open(await _login("carol"))
    assert await alice.ask("subscribe", channel="chat", params={"room": "general"}) == {"id": 1, "subscribed": True}
    assert (await alice.recv()) == {"sub": 1, "message": {"kind": "joined", "text": "", "user": "alice"}}
    await bob.ask("subscribe", channel="chat", params={"room": "general"})
    assert (await bob.recv())["message"]["user"] == "bob"
    assert (await alice.recv())["message"] == {"kind": "joined", "text": "", "user": "bob"}
    await other_room.ask("subscribe", channel="chat", params={"room": "random"})
    assert (await other_room.recv())["message"]["user"] == "carol"

    sent = await bob.frame("send", sub=1, message={"text": "hello"})
    pushes = [await bob.recv(), await bob.recv()]
    assert {"id": sent, "ok": True} in pushes
    assert {"sub": 1, "message": {"kind": "text", "text": "hello", "user": "bob"}} in pushes
    assert await alice.recv() == {"sub": 1, "message": {"kind": "text", "text": "hello", "user": "bob"}}

    # carol's room heard nothing of it: her next push is her own room's message.
    await ChatChannel.abroadcast({"room": "random"}, ChatChannel.DjangoMessage(text="only random", user="server"))
    assert (await other_room.recv())["message"]["text"] == "only random"
    for socket in (alice, bob, other_room):
        await socket.close()


async def test_broadcast_from_sync_code_in_another_thread() -> None:
    socket = await _open()
    await socket.ask("subscribe", channel="ticker", params={"symbol": "ACME"})

    def from_a_management_command() -> None:
        assert TickerChannel.broadcast({"symbol": "ACME"}, {"price": 12.5}) is None

    thread = threading.Thread(target=from_a_management_command)
    await asyncio.get_running_loop().run_in_executor(None, lambda: (thread.start(), thread.join()))
    assert await socket.recv() == {"sub": 1, "message": {"price": 12.5}}
    task = TickerChannel.broadcast({"symbol": "ACME"}, {"price": 13})
    assert task is not None
    await task
    assert await socket.recv() == {"sub": 1, "message": {"price": 13.0}}
    await socket.close()


async def test_channel_bad_input_gets_its_code_on_the_frame() -> None:
    anonymous = await _open()
    assert (await anonymous.ask("subscribe", channel="nope"))["error"]["code"] == "NOT_FOUND"
    assert (await anonymous.ask("subscribe", channel="chat", params={"room": ""}))["error"]["code"] == "VALIDATION_ERROR"
    assert (await anonymous.ask("subscribe", channel="chat", params={"room": "a"}))["error"]["code"] == "UNAUTHORIZED"
    assert (await anonymous.ask("send", sub=42, message={"text": "x"}))["error"]["code"] == "NOT_FOUND"
    ticker = await anonymous.ask("subscribe", channel="ticker", params={"symbol": "X"})
    assert ticker["subscribed"] is True
    assert (await anonymous.ask("send", sub=ticker["id"], message={}))["error"]["code"] == "BAD_REQUEST"
    await anonymous.close()

    alice = await _open(await _login("alice"))
    assert (await alice.ask("subscribe", channel="chat", params={"room": "staff"}))["error"]["code"] == "FORBIDDEN"
    sub = await alice.ask("subscribe", channel="chat", params={"room": "general"})
    await alice.recv()  # her own "joined"
    bad = await alice.ask("send", sub=sub["id"], message={"text": ""})
    assert bad["error"]["code"] == "VALIDATION_ERROR"
    assert "text" in bad["error"]["details"]["fields"]
    assert await alice.ask("unsubscribe", sub=sub["id"]) == {"id": alice.next_id, "ok": True}
    assert (await alice.ask("send", sub=sub["id"], message={"text": "gone"}))["error"]["code"] == "NOT_FOUND"
    await alice.close()


async def test_channels_are_in_the_manifest() -> None:
    from mizan.core import build_manifest, registry

    channels = build_manifest(registry)["channels"]
    assert sorted(channels) == ["chat", "ticker"]
    assert channels["chat"]["params"]["required"] == ["room"]
    assert channels["chat"]["client_message"]["properties"]["text"]["type"] == "string"
    assert set(channels["chat"]["server_message"]["properties"]) == {"kind", "text", "user"}
    assert channels["ticker"]["client_message"] is None
    assert channel_registry.get("chat") is not None


# --- watching keys: live invalidation ---


async def test_watchers_hear_only_their_scope_from_http_and_socket_mutations() -> None:
    seven = await _open()
    eight = await _open()
    everyone = await _open()
    assert await seven.ask("watch", keys=["todo_list?list_id=7"]) == {"id": 1, "ok": True}
    await eight.ask("watch", keys=["todo_list?list_id=8"])
    await everyone.ask("watch", keys=["current_user"])

    transport = httpx.ASGITransport(app=application)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.post("/api/mizan/call/add_todo/", json={"list_id": 8, "title": "for eight"})
        assert response.status_code == 200
        assert await eight.recv() == {"invalidate": ["todo_list?list_id=8"]}
        response = await http.post("/api/mizan/call/add_todo/", json={"list_id": 7, "title": "for seven"})
        # seven's first push is its own list: the list-8 key never reached it.
        assert await seven.recv() == {"invalidate": ["todo_list?list_id=7"]}

    writer = await _open()
    todo_id = response.json()["result"]["id"]
    done = await writer.ask("rpc", fn="complete_todo", args={"list_id": 7, "todo_id": todo_id})
    assert done["invalidate"] == ["current_user", "todo_count?list_id=7"]
    assert await everyone.recv() == {"invalidate": ["current_user"]}
    for socket in (seven, eight, everyone, writer):
        await socket.close()


async def test_an_unscoped_key_reaches_every_instance() -> None:
    socket = await _open()
    await socket.ask("watch", keys=["todo_count?done=true&list_id=3"])
    from mizan._socket import publish

    await asyncio.get_running_loop().run_in_executor(None, publish, ["todo_count"])
    assert await socket.recv() == {"invalidate": ["todo_count"]}
    await asyncio.get_running_loop().run_in_executor(None, publish, ["todo_count?list_id=3"])
    assert await socket.recv() == {"invalidate": ["todo_count?list_id=3"]}
    await socket.close()


@client(context="notes")
def private_notes(request: HttpRequest, owner: str) -> list[str]:
    """Only the owner may read (or watch) their notes."""
    if request.user.get_username() != owner:
        raise PermissionDenied("These are someone else's notes.")
    return [f"a note of {owner}"]


@client(affects="notes")
def touch_notes(request: HttpRequest, owner: str) -> None:
    """A mutation of one owner's notes (anyone may call it, to test who hears about it)."""


@pytest.mark.usefixtures("isolated_registry")
async def test_a_user_may_watch_only_what_they_may_read() -> None:
    registry.register(private_notes, "private_notes")
    registry.register(touch_notes, "touch_notes")
    alice = await _open(await _login("alice"))
    refused = await alice.ask("watch", keys=["private_notes?owner=%22bob%22", "private_notes?owner=%22alice%22"])
    assert refused["error"]["code"] == "FORBIDDEN"
    assert refused["error"]["details"]["keys"] == {"private_notes?owner=%22bob%22": "FORBIDDEN"}
    for bad, code in [("nope", "NOT_FOUND"), ("echo", "BAD_REQUEST"), ("todo_list?list_id=x", "BAD_REQUEST")]:
        assert (await alice.ask("watch", keys=[bad]))["error"]["code"] == code, bad
    # bob's notes change: alice (refused) hears nothing; a change of hers arrives first.
    writer = await _open()
    await writer.ask("rpc", fn="touch_notes", args={"owner": "bob"})
    await writer.ask("rpc", fn="touch_notes", args={"owner": "alice"})
    assert await alice.recv() == {"invalidate": ["private_notes?owner=%22alice%22"]}
    await alice.close()
    await writer.close()


async def test_unwatch_stops_the_pushes() -> None:
    socket = await _open()
    await socket.ask("watch", keys=["todo_list?list_id=1", "todo_list?list_id=2"])
    await socket.ask("unwatch", keys=["todo_list?list_id=1"])
    from mizan._socket import publish

    await asyncio.get_running_loop().run_in_executor(None, publish, ["todo_list?list_id=1"])
    await asyncio.get_running_loop().run_in_executor(None, publish, ["todo_list?list_id=2"])
    assert await socket.recv() == {"invalidate": ["todo_list?list_id=2"]}
    await socket.close()


async def test_the_sockets_of_a_process_share_one_layer_membership_per_key() -> None:
    """The process's hub is the only member of a key's layer group, however many of its sockets watch the key;
    one layer message reaches all of them, and the membership goes with the last watcher."""
    from channels.layers import get_channel_layer

    from mizan._socket import publish
    from mizan.channels._layer import key_group

    layer = get_channel_layer()
    group = key_group("todo_list?list_id=4")
    sockets = [await _open() for _ in range(3)]
    for socket in sockets:
        await socket.ask("watch", keys=["todo_list?list_id=4"])
    assert len(layer.groups[group]) == 1

    await asyncio.get_running_loop().run_in_executor(None, publish, ["todo_list?list_id=4"])
    for socket in sockets:
        assert await socket.recv() == {"invalidate": ["todo_list?list_id=4"]}

    await sockets[0].ask("unwatch", keys=["todo_list?list_id=4"])
    await sockets[1].close()
    assert len(layer.groups[group]) == 1, "two sockets left, one watching: the hub stays"
    await asyncio.get_running_loop().run_in_executor(None, publish, ["todo_list?list_id=4"])
    assert await sockets[2].recv() == {"invalidate": ["todo_list?list_id=4"]}
    await sockets[2].close()
    await asyncio.sleep(0.05)  # the disconnect runs on the app's side of the communicator
    assert group not in layer.groups
    await sockets[0].close()


# --- a slow client ---


class _HeldSends:
    """Wraps the ASGI app so one connection's pushes stall (a client that stopped reading) until released."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.held = asyncio.Event()
        self.release = asyncio.Event()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def slow_send(message: dict[str, Any]) -> None:
            if self.held.is_set() and message["type"] == "websocket.send":
                await self.release.wait()
            await send(message)

        await self.app(scope, receive, slow_send)


async def test_a_slow_client_drops_and_resyncs_and_does_not_stall_others(settings: Any) -> None:
    settings.MIZAN_SOCKET_QUEUE = 5
    held = _HeldSends(application)
    slow = Socket(held)
    assert (await slow.connect())["type"] == "websocket.accept"
    fast = await _open()
    await slow.ask("subscribe", channel="ticker", params={"symbol": "S"})
    await fast.ask("subscribe", channel="ticker", params={"symbol": "S"})
    held.held.set()
    for price in range(40):
        await TickerChannel.abroadcast({"symbol": "S"}, {"price": price})
    # The other socket got every message while the slow one was stuck.
    assert [(await fast.recv())["message"]["price"] for _ in range(40)] == [float(p) for p in range(40)]
    held.release.set()
    received = []
    while True:
        push = await slow.recv()
        if push == {"resync": True}:
            break
        received.append(push["message"]["price"])
    assert 0 < len(received) < 40, received
    assert received == [float(p) for p in range(len(received))]  # a prefix, in order, then the resync
    await slow.close()
    await fast.close()
