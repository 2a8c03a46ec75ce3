"""`ReactChannel`: a typed pub/sub channel; defining a subclass registers it under its name."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any, ClassVar

from pydantic import BaseModel

from ..core import ChannelSpec, channel_name_of, channel_registry
from ._layer import channel_group, group_send

__all__ = ["ReactChannel"]

CHANNEL_EVENT = "mizan.channel"


class ReactChannel:
    """Subclass with `Params`, `DjangoMessage` (server to clients), optionally `ReactMessage` (client to server).

    One instance serves one subscription of one socket: `self.user` and `self.scope` are that socket's.
    Override `authorize` (run on every subscribe), `group` (who shares messages), `receive` (a client's message;
    its return value is broadcast to the group) and `joined` / `left` (broadcast on subscribe / unsubscribe).
    """

    name: ClassVar[str]
    Params: ClassVar[type[BaseModel]]
    DjangoMessage: ClassVar[type[BaseModel]]
    ReactMessage: ClassVar[type[BaseModel] | None] = None

    def __init__(self, scope: dict[str, Any] | None = None) -> None:
        self.scope: dict[str, Any] = scope or {}
        self.user: Any = self.scope.get("user")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("abstract", False):
            return
        cls.name = channel_name_of(cls.__name__, cls.__dict__.get("name"))
        for attr in ("Params", "DjangoMessage"):
            model = getattr(cls, attr, None)
            if not (isinstance(model, type) and issubclass(model, BaseModel)):
                raise TypeError(f"{cls.__qualname__}.{attr} must be a pydantic BaseModel subclass (class {attr}(BaseModel): ...).")
        if cls.ReactMessage is not None and not issubclass(cls.ReactMessage, BaseModel):
            raise TypeError(f"{cls.__qualname__}.ReactMessage must be a pydantic BaseModel subclass, or left out.")
        channel_registry.add(ChannelSpec(cls.name, cls, cls.Params, cls.ReactMessage, cls.DjangoMessage))

    # --- what a subclass overrides ---

    def authorize(self, params: Any) -> bool:
        """May this socket's user subscribe with `params`? Default: anyone who may open the socket."""
        return True

    def group(self, params: Any) -> str:
        """The group a subscription with `params` belongs to. Default: one group per distinct params."""
        return params.model_dump_json()

    def receive(self, params: Any, message: Any) -> BaseModel | None:
        """A client sent `message`; return a `DjangoMessage` to broadcast it to the group, or None."""
        return None

    def joined(self, params: Any) -> BaseModel | None:
        """This socket subscribed; return a `DjangoMessage` to announce it to the group, or None."""
        return None

    def left(self, params: Any) -> BaseModel | None:
        """This socket unsubscribed or disconnected; return a `DjangoMessage` to announce it, or None."""
        return None

    # --- server side, from anywhere ---

    @classmethod
    def broadcast(cls, params: Any, message: Any) -> asyncio.Task[None] | None:
        """Send `message` to every subscriber of the group of `params`, from sync or async code, any process.

        From sync code it returns once the layer has it; on an event loop it returns a task (await it to wait).
        """
        parsed = params if isinstance(params, cls.Params) else cls.Params.model_validate(params)
        return group_send(*cls._event(cls().group(parsed), message))

    @classmethod
    async def abroadcast(cls, params: Any, message: Any) -> None:
        """`broadcast` for async code, awaited."""
        task = cls.broadcast(params, message)
        if task is not None:
            await task

    @classmethod
    def _event(cls, group: str, message: Any) -> tuple[str, dict[str, Any]]:
        value = message if isinstance(message, cls.DjangoMessage) else cls.DjangoMessage.model_validate(message)
        layer_group = channel_group(cls.name, group)
        return layer_group, {"type": CHANNEL_EVENT, "group": layer_group, "message": value.model_dump_json()}


async def call_hook(fn: Any, *args: Any) -> Any:
    """Run a channel hook that may be sync (in Django's worker thread: it may query the database) or async."""
    from asgiref.sync import sync_to_async

    if inspect.iscoroutinefunction(fn):
        return await fn(*args)
    result = await sync_to_async(fn, thread_sensitive=True)(*args)
    if inspect.isawaitable(result):
        result = await result
    return result
