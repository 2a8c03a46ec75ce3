"""The multiplexed socket at /ws/mizan/ (PROTOCOL §6): calls, channel subscriptions and watched keys on one socket.

Frames are read one at a time; calls run as tasks (at most `MIZAN_SOCKET_INFLIGHT` at once, then reading
pauses). Replies are sent as they finish. Pushes (channel messages, invalidations) go through a bounded queue
drained by one writer task: when a slow client lets it fill, further pushes are dropped and, once it drains,
the client gets `{"resync": true}` and refetches instead of the server holding unbounded memory.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import time
from collections import Counter, deque
from dataclasses import dataclass
from typing import Any

import pydantic
from channels.generic.websocket import AsyncWebsocketConsumer
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest

from .._dispatch import Failure, Success, call, resolve
from .._exceptions import from_exception, from_input_errors
from .._responses import error_body, success_body
from ..channels._channel import CHANNEL_EVENT, ReactChannel, call_hook
from ..channels._layer import channel_group, key_group
from ..core import BadRequest, Forbidden, MizanError, NotFound, Unauthorized, channel_registry
from ._frames import Frame, FrameError, field, parse_frame
from ._hub import hub_for
from ._limits import Limits, limits
from ._watch import WatchRefused, authorize_watch

__all__ = ["BAD_FRAMES_CLOSE_CODE", "INVALIDATE_EVENT", "MizanConsumer"]

BAD_FRAMES_CLOSE_CODE = 4400
INVALIDATE_EVENT = "mizan.invalidate"
_BAD_FRAME_WINDOW = 60.0
_log = logging.getLogger("mizan")


@dataclass
class _Subscription:
    id: int
    channel: ReactChannel
    params: pydantic.BaseModel
    group: str


class MizanConsumer(AsyncWebsocketConsumer):  # type: ignore[misc]
    """One socket per tab; everything it does is keyed by the client's frame ids."""

    async def connect(self) -> None:
        self.limits: Limits = limits()
        self.user: Any = self.scope.get("user")
        self.subs: dict[int, _Subscription] = {}
        self.joined_after_reply: dict[int, _Subscription] = {}
        self.group_refs: Counter[str] = Counter()
        self.watched: dict[str, list[str]] = {}  # watched key -> the layer groups it joined
        self.bad_frames: deque[float] = deque()
        self.outbox: asyncio.Queue[str] = asyncio.Queue(self.limits.queue)
        self.dropped = False
        self.inflight = asyncio.Semaphore(self.limits.inflight)
        self.tasks: set[asyncio.Task[None]] = set()
        self.writer = asyncio.create_task(self._write())
        self.request = _request_of(self.scope)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        for task in list(self.tasks):
            task.cancel()
        for sub in list(self.subs.values()):
            await self._close_subscription(sub)
        if self.channel_layer is not None:
            hub = hub_for(self.channel_layer)
            for group in list(self.group_refs):
                await hub.leave(group, id(self))
        self.group_refs.clear()
        self.writer.cancel()

    # --- frames from the client ---

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            frame = parse_frame(text_data, bytes_data, self.limits.max_frame_bytes)
        except FrameError as exc:
            await self._reply(error_body(exc.error), exc.id)
            await self._count_bad_frame()
            return
        await self.inflight.acquire()
        task = asyncio.create_task(self._run(frame))
        self.tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        self.inflight.release()

    async def _run(self, frame: Frame) -> None:
        try:
            body = await getattr(self, f"_{frame.action}")(frame)
        except FrameError as exc:
            body = error_body(exc.error)
            if exc.error.code == "BAD_REQUEST":
                await self._count_bad_frame()
        except MizanError as exc:
            body = error_body(exc)
        except Exception as exc:
            body = error_body(from_exception(exc, request=self.request, function=frame.body.get("fn")))
        await self._reply(body, frame.id)
        joined = self.joined_after_reply.pop(frame.id, None) if frame.id is not None else None
        if joined is not None:
            # After the reply: the client hears of the subscription before its first push.
            await self._announce(joined, "joined")

    async def _announce(self, sub: _Subscription, hook: str) -> None:
        """Broadcast what the channel's `joined`/`left` hook returns; a failing hook is logged, not sent."""
        try:
            announced = await call_hook(getattr(sub.channel, hook), sub.params)
            if announced is not None:
                await type(sub.channel).abroadcast(sub.params, announced)
        except Exception:
            _log.exception("%s.%s failed", type(sub.channel).__qualname__, hook)

    async def _rpc(self, frame: Frame) -> bytes:
        name = field(frame, "fn", str, '"fn": the function name')
        args = field(frame, "args", dict, '"args": an object of arguments', default={})
        spec = resolve(name)
        if spec.view:
            raise BadRequest(f"{name!r} is a view-path function; call it over HTTP at call/{name}/.")
        outcome = await call(self.request, name, spec, args, self.user)
        if isinstance(outcome, Success):
            return success_body(outcome.result_json, outcome.invalidate)
        if isinstance(outcome, Failure):
            return error_body(outcome.error)
        raise BadRequest(f"{name!r} returned an HTTP response; call it over HTTP at call/{name}/.")

    async def _subscribe(self, frame: Frame) -> bytes:
        name = field(frame, "channel", str, '"channel": the channel name')
        raw_params = field(frame, "params", dict, '"params": an object', default={})
        if frame.id in self.subs:
            raise FrameError(frame.id, BadRequest(f"Subscription {frame.id} is already open; use a new frame id."))
        spec = channel_registry.get(name)
        if spec is None:
            raise NotFound(f"No channel is registered as {name!r}.")
        try:
            params = spec.params.model_validate(raw_params)
        except pydantic.ValidationError as exc:
            raise from_input_errors(exc, message=f"Invalid params for channel {name!r}.") from None
        channel: ReactChannel = spec.cls(self.scope)
        if not await call_hook(channel.authorize, params):
            if not getattr(self.user, "is_authenticated", False):
                raise Unauthorized(f"Log in to subscribe to {name!r}.")
            raise Forbidden(f"You may not subscribe to {name!r} with these params.")
        group = channel_group(spec.name, str(await call_hook(channel.group, params)))
        sub = _Subscription(frame.id, channel, params, group)
        await self._join(group)
        self.subs[frame.id] = sub
        self.joined_after_reply[frame.id] = sub
        return b'{"subscribed":true}'

    async def _send(self, frame: Frame) -> bytes:
        sub = self._subscription(frame)
        spec_cls = type(sub.channel)
        if spec_cls.ReactMessage is None:
            raise BadRequest(f"Channel {spec_cls.name!r} takes no messages from clients (it has no ReactMessage).")
        try:
            message = spec_cls.ReactMessage.model_validate(field(frame, "message", dict, '"message": an object'))
        except pydantic.ValidationError as exc:
            raise from_input_errors(exc, message=f"Invalid message for channel {spec_cls.name!r}.") from None
        reply = await call_hook(sub.channel.receive, sub.params, message)
        if reply is not None:
            await spec_cls.abroadcast(sub.params, reply)
        return b'{"ok":true}'

    async def _unsubscribe(self, frame: Frame) -> bytes:
        sub = self._subscription(frame)
        await self._close_subscription(sub)
        return b'{"ok":true}'

    async def _watch(self, frame: Frame) -> bytes:
        keys = field(frame, "keys", list, '"keys": a list of invalidation keys')
        if len(self.watched) + len(keys) > self.limits.max_watched:
            raise BadRequest(f"A socket may watch at most {self.limits.max_watched} keys; unwatch some first.")
        refused: dict[str, str] = {}
        first: MizanError | None = None
        for key in keys:
            try:
                canonical, scopes = await authorize_watch(key, self.request, self.user, self.limits.watch_check)
            except WatchRefused as exc:
                refused[str(key)] = exc.error.code
                first = first or exc.error
                continue
            if canonical in self.watched:
                continue
            groups = [key_group(scope) for scope in scopes]
            self.watched[canonical] = groups
            for group in groups:
                await self._join(group)
        if first is not None:
            # The allowed keys are watched all the same; the reply names each refused one and why.
            raise MizanError(first.code, first.message, {**first.details, "keys": refused})
        return b'{"ok":true}'

    async def _unwatch(self, frame: Frame) -> bytes:
        keys = field(frame, "keys", list, '"keys": a list of invalidation keys')
        for key in keys:
            for canonical in _canonical_or_none(key):
                for group in self.watched.pop(canonical, []):
                    await self._leave(group)
        return b'{"ok":true}'

    # --- pushes to the client ---

    def _push_invalidate(self, keys: list[str]) -> None:
        self._enqueue(json.dumps({"invalidate": keys}, separators=(",", ":"), ensure_ascii=False))

    def _push_channel(self, group: str, message: str) -> None:
        for sub in self.subs.values():
            if sub.group == group:
                self._enqueue(f'{{"sub":{sub.id},"message":{message}}}')

    def _enqueue(self, text: str) -> None:
        if self.dropped:
            return
        try:
            self.outbox.put_nowait(text)
        except asyncio.QueueFull:
            # Everything after this is dropped until the writer has caught up; then the client resyncs.
            self.dropped = True

    async def _write(self) -> None:
        while True:
            text = await self.outbox.get()
            invalidate: set[str] = set()
            # Invalidations waiting together go out as one frame: one refetch per key set on the client.
            while text.startswith('{"invalidate":'):
                invalidate.update(json.loads(text)["invalidate"])
                if self.outbox.empty():
                    text = ""
                    break
                text = self.outbox.get_nowait()
            if invalidate:
                await self.send(text_data=json.dumps({"invalidate": sorted(invalidate)}, ensure_ascii=False))
            if text:
                await self.send(text_data=text)
            if self.dropped and self.outbox.empty():
                self.dropped = False
                await self.send(text_data='{"resync":true}')

    async def _reply(self, body: bytes, frame_id: int | None) -> None:
        head = b"null" if frame_id is None else str(frame_id).encode()
        # Every body is a JSON object; the id goes in front of its members.
        await self.send(text_data=(b'{"id":' + head + b"," + body[1:]).decode())

    # --- bookkeeping ---

    def _subscription(self, frame: Frame) -> _Subscription:
        sub_id = field(frame, "sub", int, '"sub": the id of the subscribe frame')
        sub = self.subs.get(sub_id)
        if sub is None:
            raise NotFound(f"No open subscription {sub_id} on this socket; subscribe first.")
        return sub

    async def _close_subscription(self, sub: _Subscription) -> None:
        self.subs.pop(sub.id, None)
        await self._leave(sub.group)
        await self._announce(sub, "left")

    async def _join(self, group: str) -> None:
        if self.channel_layer is None:
            raise MizanError("NOT_IMPLEMENTED", "No channel layer is configured; set CHANNEL_LAYERS in settings.")
        if self.group_refs[group] == 0:
            await hub_for(self.channel_layer).join(group, id(self), self._take)
        self.group_refs[group] += 1

    async def _leave(self, group: str) -> None:
        self.group_refs[group] -= 1
        if self.group_refs[group] <= 0:
            del self.group_refs[group]
            if self.channel_layer is not None:
                await hub_for(self.channel_layer).leave(group, id(self))

    def _take(self, message: dict[str, Any]) -> None:
        """A layer message of a group this socket joined, handed over by the process's hub."""
        kind = message.get("type")
        if kind == INVALIDATE_EVENT:
            self._push_invalidate(message["keys"])
        elif kind == CHANNEL_EVENT:
            self._push_channel(message["group"], message["message"])

    async def _count_bad_frame(self) -> None:
        now = time.monotonic()
        self.bad_frames.append(now)
        while self.bad_frames and self.bad_frames[0] < now - _BAD_FRAME_WINDOW:
            self.bad_frames.popleft()
        if len(self.bad_frames) > self.limits.bad_frames:
            await self.close(BAD_FRAMES_CLOSE_CODE)


def _request_of(scope: dict[str, Any]) -> HttpRequest:
    """The `request` a server function receives over the socket: the handshake's headers, user and session."""
    http_scope = {**scope, "type": "http", "method": "POST"}
    request = ASGIRequest(http_scope, io.BytesIO(b""))
    request.user = scope.get("user")
    session = scope.get("session")
    if session is not None:
        request.session = session
    return request


def _canonical_or_none(key: Any) -> list[str]:
    from ..core import decode_key, encode_key

    try:
        name, params = decode_key(key)
    except MizanError:
        return []
    return [encode_key(name, params)]
