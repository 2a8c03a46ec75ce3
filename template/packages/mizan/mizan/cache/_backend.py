"""What a cache backend does; the memory and Redis backends implement it the same way.

A read is `lookup` then, on a miss, `fill`. `lookup` indexes the entry under its tags *before* the caller runs
the function and hands back a version ticket; `purge` gives every matching entry a new version and drops its
value; `fill` stores only if the version is still the ticket's. So a purge that lands while a fill computes
makes that fill a no-op, and the value computed from the old data is never stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

__all__ = ["Backend", "Lookup"]


@dataclass(frozen=True)
class Lookup:
    """A hit (`value`) or a miss with the ticket that `fill` needs (`ticket` is None: do not fill)."""

    value: bytes | None
    ticket: str | None


class Backend(Protocol):
    """An origin cache store."""

    #: True when calls block on I/O (async callers move them off the event loop).
    blocking: bool

    def lookup(self, key: str, tags: list[str]) -> Lookup:
        """The entry's value, or a miss after indexing `key` under `tags`."""
        ...

    def peek(self, key: str) -> bytes | None:
        """The entry's value, or None; changes nothing (the edge's read: a miss goes on to Django's `lookup`)."""
        ...

    def fill(self, key: str, ticket: str, value: bytes) -> None:
        """Store `value` unless `key` was purged since the `lookup` that gave `ticket`."""
        ...

    def purge(self, tag_sets: list[list[str]]) -> int:
        """Purge the entries carrying every tag of any one set; returns how many were found."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...
