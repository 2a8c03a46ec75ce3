"""The in-process backend: bounded, least recently used first out, each entry with a TTL. One per process."""

from __future__ import annotations

import itertools
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from ._backend import Lookup

__all__ = ["MemoryBackend"]


@dataclass
class _Slot:
    version: int
    tags: list[str]
    value: bytes | None = None
    expires: float = 0.0


class MemoryBackend:
    """`max_entries` slots at most (a slot is an entry, or a fill in flight); the oldest used is evicted."""

    blocking = False

    def __init__(self, *, ttl: float, max_entries: int) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._slots: OrderedDict[str, _Slot] = OrderedDict()
        self._index: dict[str, set[str]] = {}
        self._lock = threading.Lock()
        # Versions come from one counter, so a slot evicted and made again never reuses a ticket's version.
        self._versions = itertools.count(1)

    def lookup(self, key: str, tags: list[str]) -> Lookup:
        now = time.monotonic()
        with self._lock:
            slot = self._slots.get(key)
            if slot is not None:
                self._slots.move_to_end(key)
                if slot.value is not None and slot.expires > now:
                    return Lookup(slot.value, None)
                return Lookup(None, str(slot.version))
            slot = _Slot(version=next(self._versions), tags=list(tags))
            self._slots[key] = slot
            for tag in tags:
                self._index.setdefault(tag, set()).add(key)
            while len(self._slots) > self.max_entries:
                self._evict_oldest()
            return Lookup(None, str(slot.version))

    def peek(self, key: str) -> bytes | None:
        now = time.monotonic()
        with self._lock:
            slot = self._slots.get(key)
            if slot is None or slot.value is None or slot.expires <= now:
                return None
            self._slots.move_to_end(key)
            return slot.value

    def fill(self, key: str, ticket: str, value: bytes) -> None:
        with self._lock:
            slot = self._slots.get(key)
            if slot is not None and str(slot.version) == ticket:
                slot.value = value
                slot.expires = time.monotonic() + self.ttl

    def purge(self, tag_sets: list[list[str]]) -> int:
        with self._lock:
            found: set[str] = set()
            for tags in tag_sets:
                members = [self._index.get(tag, set()) for tag in tags]
                if members:
                    found |= set.intersection(*members)
            for key in found:
                slot = self._slots[key]
                slot.version = next(self._versions)
                slot.value = None
            return len(found)

    def close(self) -> None:
        with self._lock:
            self._slots.clear()
            self._index.clear()

    def __len__(self) -> int:
        with self._lock:
            return sum(1 for slot in self._slots.values() if slot.value is not None)

    def _evict_oldest(self) -> None:
        key, slot = self._slots.popitem(last=False)
        for tag in slot.tags:
            keys = self._index.get(tag)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._index[tag]
