"""The channel registry: every `ReactChannel` subclass by its name, and its models for the manifest.

Framework-free: the Django side (`mizan.channels.ReactChannel`) registers its subclasses here, and the manifest
reads their `Params`, `ReactMessage` and `DjangoMessage` models from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ._named_registry import NamedRegistry

__all__ = ["ChannelSpec", "ChannelRegistry", "channel_name_of", "channel_registry"]

_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")


@dataclass(frozen=True)
class ChannelSpec:
    """One channel: its registered name, its class, and its three message models."""

    name: str
    cls: type[Any]
    params: type[BaseModel]
    client_message: type[BaseModel] | None
    server_message: type[BaseModel]

    @property
    def qualname(self) -> str:
        return f"{self.cls.__module__}.{self.cls.__qualname__}"


class ChannelRegistry(NamedRegistry[ChannelSpec]):
    """Channels by name. Redefining a class (same module and qualname, e.g. on reload) replaces it."""

    kind = "Channel name"
    rename_hint = 'set name = "..." on one of the classes'


channel_registry = ChannelRegistry()


def channel_name_of(cls_name: str, explicit: object = None) -> str:
    """`ChatChannel` -> `chat`, `TodoPresenceChannel` -> `todo_presence`, or the class's own `name`."""
    if explicit is not None:
        if not isinstance(explicit, str) or not _NAME.match(explicit):
            raise TypeError(
                f"{cls_name}.name = {explicit!r} must be lowercase letters, digits and underscores "
                "(dots between parts), e.g. 'chat' or 'todos.presence'."
            )
        return explicit
    base = cls_name[: -len("Channel")] if cls_name.endswith("Channel") and cls_name != "Channel" else cls_name
    return re.sub(r"(?<!^)(?=[A-Z])", "_", base).lower()
