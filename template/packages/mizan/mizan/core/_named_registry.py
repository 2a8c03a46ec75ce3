"""A registry of declarations by name, where a reload may redefine an entry but another class may not take it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, Protocol, TypeVar

__all__ = ["NamedRegistry"]


class Named(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def qualname(self) -> str: ...


E = TypeVar("E", bound=Named)


class NamedRegistry(Generic[E]):
    """Entries by name. Redefining one (same module and qualname, e.g. on reload) replaces it; a different
    declaration under a taken name is a TypeError at import, naming both and how to rename one.

    `version` grows on every change, so codegen's watcher can tell that the manifest must be rebuilt.
    """

    #: What an entry is, in the duplicate-name error ("Channel name 'chat' of ...").
    kind = "Name"
    #: How to give one of two clashing declarations another name.
    rename_hint = "rename one of them"

    def __init__(self) -> None:
        self._entries: dict[str, E] = {}
        self.version = 0

    def add(self, entry: E) -> None:
        current = self._entries.get(entry.name)
        if current is not None and current.qualname != entry.qualname:
            raise TypeError(
                f"{self.kind} {entry.name!r} of {entry.qualname} is already taken by {current.qualname}; "
                f"{self.rename_hint}."
            )
        self._entries[entry.name] = entry
        self.version += 1

    def get(self, name: str) -> E | None:
        return self._entries.get(name)

    def remove(self, name: str) -> None:
        self._entries.pop(name, None)
        self.version += 1

    def items(self) -> Iterator[tuple[str, E]]:
        return iter(sorted(self._entries.items()))

    def __contains__(self, name: object) -> bool:
        return name in self._entries
