"""Cache keys (PROTOCOL §7) and the tags of the reverse index that lets an invalidation key find its entries.

An entry of `fn` called with `args` is tagged `fn` (every entry of the function) and `fn?p=v` for each argument
(the invalidation key of that one-param scope, `encode_key`'s exact text). An invalidation key `fn?a=1&b=2` then
matches the entries carrying both `fn?a=1` and `fn?b=2`, and `fn` alone matches them all.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

from ..core import encode_key

__all__ = ["entry_key", "entry_tags", "purge_tags", "user_scope"]


def user_scope(user: Any) -> str:
    """The user id for an authenticated user, `anon` otherwise: one user's entries never answer another."""
    if user is not None and getattr(user, "is_authenticated", False) is True:
        return f"user:{user.pk}"
    return "anon"


def entry_key(secret: bytes, fn: str, rev: int, scope: str, args: Mapping[str, Any]) -> str:
    """`HMAC-SHA256(secret, fn | rev | user scope | canonical args)`, hex: no reader can guess or forge a key."""
    canonical = json.dumps(args, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    message = f"{fn}|{rev}|{scope}|{canonical}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def entry_tags(fn: str, args: Mapping[str, Any]) -> list[str]:
    """The reverse-index tags of an entry of `fn` with JSON-form `args`: `fn`, and `fn?p=v` per argument."""
    return [fn, *(encode_key(fn, {param: args[param]}) for param in sorted(args))]


def purge_tags(key: str) -> list[str]:
    """The tags whose intersection is what the invalidation key `key` purges."""
    fn, _, query = key.partition("?")
    if not query:
        return [fn]
    return [f"{fn}?{urlencode([pair])}" for pair in parse_qsl(query, keep_blank_values=True)]
