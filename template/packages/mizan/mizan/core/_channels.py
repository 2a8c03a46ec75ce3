"""The channel registry: every `ReactChannel` subclass by its name, and its models for the manifest.

Framework-free: the Django side (`mizan.channels.ReactChannel`) registers its subclasses here, and the manifest
reads their `Params`, `ReactMessage` and `DjangoMessage` models from here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

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


class ChannelRegistry:
    """Channels by name. Redefining a class (same module and qualname, e.g. on reload) replaces it."""

    def __init__(self) -> None:
        self._entries: dict[str, ChannelSpec] = {}
        self.version = 0

    def add(self, spec: ChannelSpec) -> None:
        current = self._entries.get(spec.name)
        if current is not None and current.qualname != spec.qualname:
            raise TypeError(
                f"Channel name {spec.name!r} of {spec.qualname} is already taken by {current.qualname}; "
                f'set name = "..." on one of the classes.'
            )
        self._entries[spec.name] = spec
        self.version += 1

    def get(self, name: str) -> ChannelSpec | None:
        return self._entries.get(name)

    def remove(self, name: str) -> None:
        self._entries.pop(name, None)
        self.version += 1

    def items(self) -> Iterator[tuple[str, ChannelSpec]]:
        return iter(sorted(self._entries.items()))

    def __contains__(self, name: object) -> bool:
        return name in self._entries


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
