"""Reading an invalidation key back (`name?p=v`) and the scopes a watcher of one context instance listens on."""

from __future__ import annotations

import json
from itertools import combinations
from typing import Any
from urllib.parse import parse_qsl

from ._errors import BadRequest
from ._invalidation import encode_key

__all__ = ["MAX_KEY_PARAMS", "decode_key", "key_scopes"]

MAX_KEY_PARAMS = 6
"""A watched key names at most this many params: a watcher joins one group per subset of them (2**n)."""


def decode_key(key: str) -> tuple[str, dict[str, Any]]:
    """`("todo_list", {"list_id": 7})` from `todo_list?list_id=7`; BAD_REQUEST naming what is wrong."""
    if not isinstance(key, str) or not key:
        raise BadRequest(f"An invalidation key must be a non-empty string like 'todo_list?list_id=7', not {key!r}.")
    name, _, query = key.partition("?")
    params: dict[str, Any] = {}
    for param, text in parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query)):
        try:
            params[param] = json.loads(text)
        except ValueError:
            raise BadRequest(
                f"In key {key!r}, the value of {param!r} must be JSON text (strings quoted: {param}=%22x%22)."
            ) from None
    if len(params) > MAX_KEY_PARAMS:
        raise BadRequest(f"Key {key!r} has more than {MAX_KEY_PARAMS} params.")
    return name, params


def key_scopes(name: str, params: dict[str, Any]) -> list[str]:
    """Every key whose invalidation reaches the instance `name(**params)`: `name` and each scoped subset."""
    names = sorted(params)
    return [
        encode_key(name, {param: params[param] for param in subset})
        for size in range(len(names) + 1)
        for subset in combinations(names, size)
    ]
