"""Who may watch a key: a watcher learns when a matching write commits, so watching is a read permission.

A key reveals the function name and the scope params of a committed mutation (never its result or other
arguments). By default (`MIZAN_WATCH_CHECK = "call"`) a watch is allowed only if this user's call of that
context read with those params succeeds right now, so per-object rules inside the function (a list owned by
someone else raises NotFound/PermissionDenied) hold for watching too. `"auth"` checks only the `auth=` rule.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .._auth import acheck_auth
from .._dispatch import Failure, call
from ..core import BadRequest, MizanError, NotFound, decode_key, encode_key, key_scopes, registry

__all__ = ["WatchRefused", "authorize_watch"]


class WatchRefused(Exception):
    def __init__(self, error: MizanError) -> None:
        super().__init__(error.message)
        self.error = error


async def authorize_watch(key: Any, request: HttpRequest, user: Any, check: str) -> tuple[str, list[str]]:
    """The canonical key and every key scope whose invalidation reaches it, or WatchRefused saying why not."""
    try:
        name, params = decode_key(key)
        spec = registry.get(name)
        if spec is None:
            raise NotFound(f"No server function is registered as {name!r}.")
        if spec.context is None:
            raise BadRequest(f"{name!r} is not a context function; only context reads can be watched.")
        unknown = sorted(set(params) - set(spec.params))
        if unknown:
            raise BadRequest(f"Key {key!r} names params {name!r} does not take: {', '.join(unknown)}.")
        if check == "call":
            outcome = await call(request, name, spec, params, user)
            if isinstance(outcome, Failure):
                raise outcome.error
        else:
            await acheck_auth(spec, request, user)
    except MizanError as exc:
        raise WatchRefused(exc) from None
    except Exception as exc:  # an auth rule that raised PermissionDenied, ...
        from .._exceptions import from_exception

        raise WatchRefused(from_exception(exc, request=request, function=None)) from None
    return encode_key(name, params), key_scopes(name, params)
