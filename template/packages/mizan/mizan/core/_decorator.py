"""`@client`: turn a typed Python function into a server function (it does not register it)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, overload

from ._function import Affects, AuthRule, ServerFunction
from ._rate import RateKey, RateSpec

__all__ = ["client"]

F = TypeVar("F", bound=Callable[..., Any])


@overload
def client(fn: F, /) -> F: ...


@overload
def client(
    *,
    context: str | None = None,
    affects: Affects | None = None,
    auth: AuthRule = False,
    websocket: bool = False,
    route: str | None = None,
    rev: int = 1,
    cache: bool = True,
    rate: RateSpec | None = None,
    rate_key: RateKey | None = None,
) -> Callable[[F], F]: ...


def client(
    fn: F | None = None,
    /,
    *,
    context: str | None = None,
    affects: Affects | None = None,
    auth: AuthRule = False,
    websocket: bool = False,
    route: str | None = None,
    rev: int = 1,
    cache: bool = True,
    rate: RateSpec | None = None,
    rate_key: RateKey | None = None,
) -> F | Callable[[F], F]:
    """Mark `fn(request, **params)` as a server function; bare (`@client`) or with options (`@client(...)`).

    The input model and output adapter are built here, once; a bad annotation or option raises TypeError now.
    `cache=False` keeps a context function's results out of the origin cache (see docs/cache.md).
    `rate="10/15m"` (with `rate_key=`) refuses calls over the rate with RATE_LIMITED (see docs/security.md).
    Register the function with `register(fn, name)` or `mizan_clients("app")` to expose it.
    """

    # Names local to the defining scope (types declared in a function) resolve string annotations too.
    local_names: Mapping[str, Any] = sys._getframe(1).f_locals

    def decorate(target: F) -> F:
        if not callable(target):
            raise TypeError(f"@client decorates a function, not {target!r}")
        spec = ServerFunction.build(
            target,
            context=context,
            affects=affects,
            auth=auth,
            websocket=websocket,
            route=route,
            rev=rev,
            local_names=local_names,
            cache=cache,
            rate=rate,
            rate_key=rate_key,
        )
        spec.attach()
        return target

    if isinstance(fn, str):
        raise TypeError(f"@client({fn!r}) takes options by keyword: @client(context={fn!r}) or @client(affects={fn!r})")
    if fn is not None:
        return decorate(fn)
    return decorate
