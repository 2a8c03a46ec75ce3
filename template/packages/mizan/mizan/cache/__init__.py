"""The origin-side cache of context results (PROTOCOL §7): keys, backends, read-through and purge.

On when MIZAN_CACHE_SECRET is set; Redis when MIZAN_CACHE_REDIS_URL (default REDIS_URL) is set, in-process
memory otherwise. `EdgeCache` answers anonymous hits before Django runs. See docs/cache.md.
"""

from ._backend import Backend, Lookup
from ._edge import EdgeCache, edge_blockers, edge_enabled
from ._keys import entry_key, entry_tags, purge_tags, user_scope
from ._memory import MemoryBackend
from ._settings import DEFAULT_MAX_ENTRIES, DEFAULT_TTL
from ._store import Pending, alookup, astore, backend, lookup, purge_keys, reset, store

__all__ = [
    "Backend",
    "DEFAULT_MAX_ENTRIES",
    "DEFAULT_TTL",
    "EdgeCache",
    "Lookup",
    "MemoryBackend",
    "Pending",
    "alookup",
    "astore",
    "backend",
    "edge_blockers",
    "edge_enabled",
    "entry_key",
    "entry_tags",
    "lookup",
    "purge_keys",
    "purge_tags",
    "reset",
    "store",
    "user_scope",
]
