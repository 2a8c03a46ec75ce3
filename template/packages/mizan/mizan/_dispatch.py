"""Running one call: auth, input validation, the function (in a transaction for a mutation), output, invalidation.

Sync functions run in Django's thread-sensitive worker (`sync_to_async`) so they never block the event loop;
`async def` functions are awaited on the loop. Mutations, async ones included, run inside `transaction.atomic()`
(see `_call_async_atomically`), and their invalidation keys are announced (`mizan.signals`) once it commits.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, TypeAlias

import pydantic
from asgiref.sync import async_to_sync, sync_to_async
from django.db import transaction
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from pydantic import TypeAdapter

from . import _settings, cache
from .signals import announce
from ._auth import acheck_auth, check_auth
from ._rate_limits import acheck_rates, check_rates
from ._exceptions import from_exception, from_input_errors, internal_error
from .core import MizanError, NotFound, ServerFunction, invalidation_keys, registry

__all__ = ["Failure", "Outcome", "Passthrough", "Success", "call", "resolve"]

_ANY: TypeAdapter[Any] = TypeAdapter(Any)


@dataclass(frozen=True)
class Success:
    """The RPC path: the serialized result and the invalidation keys."""

    result_json: bytes
    invalidate: list[str]


@dataclass(frozen=True)
class Passthrough:
    """The view path: the function's own response, and the invalidation keys to add to it."""

    response: HttpResponseBase
    invalidate: list[str]


@dataclass(frozen=True)
class Failure:
    """A protocol error to answer with."""

    error: MizanError


Outcome: TypeAlias = Success | Passthrough | Failure


class _OutputMismatch(Exception):
    """The function returned something its return annotation does not describe (a server bug: logged, 500)."""


def resolve(name: str) -> ServerFunction:
    """The registered function, or NOT_FOUND (the same answer for every caller)."""
    spec = registry.get(name)
    if spec is None:
        details = None
        if _settings.debug():
            # Only in DEBUG: outside it, the answer must not list what exists.
            names = [known for known, _ in registry.items()]
            details = {"did_you_mean": difflib.get_close_matches(name, names, n=3)}
        raise NotFound(f"No server function is registered as {name!r}.", details)
    return spec


async def call(request: HttpRequest, name: str, spec: ServerFunction, args: dict[str, Any], user: Any) -> Outcome:
    """Run `spec` registered as `name` with the raw JSON `args`, for `user`; never raises for the caller's input."""
    if not spec.is_async:
        outcome: Outcome = await sync_to_async(_call_sync, thread_sensitive=True)(request, name, spec, args, user)
        return outcome
    try:
        await acheck_auth(spec, request, user)
    except Exception as exc:
        return Failure(from_exception(exc, request=request, function=name))
    try:
        kwargs = spec.validate(args)
    except pydantic.ValidationError as exc:
        return Failure(from_input_errors(exc))
    try:
        if spec.rates:
            await acheck_rates(name, spec, request, kwargs)
        if spec.is_mutation:
            outcome = await sync_to_async(_call_async_atomically, thread_sensitive=True)(request, name, spec, kwargs)
            return outcome
        hit, pending = await cache.alookup(name, spec, kwargs, user)
        if hit is not None:
            return Success(hit, [])
        done = _finish(name, spec, kwargs, await spec.fn(request, **kwargs))
        if isinstance(done, Success):
            await cache.astore(pending, done.result_json)
        return done
    except Exception as exc:
        return Failure(_map(exc, request, name))


def _call_async_atomically(request: HttpRequest, name: str, spec: ServerFunction, kwargs: dict[str, Any]) -> Outcome:
    # Django has no async transactions. This thread opens the atomic block, and async_to_sync hands the coroutine
    # back to the event loop that called us while this thread runs the coroutine's thread-sensitive ORM calls
    # (Django's async ORM methods are such calls): the function is still awaited on the loop, and its writes share
    # one transaction.
    with transaction.atomic():
        outcome = _finish(name, spec, kwargs, async_to_sync(spec.fn)(request, **kwargs))
        _announce_on_commit(name, spec, outcome)
        return outcome


def _call_sync(request: HttpRequest, name: str, spec: ServerFunction, args: dict[str, Any], user: Any) -> Outcome:
    try:
        check_auth(spec, request, user)
    except Exception as exc:
        return Failure(from_exception(exc, request=request, function=name))
    try:
        kwargs = spec.validate(args)
    except pydantic.ValidationError as exc:
        return Failure(from_input_errors(exc))
    try:
        if spec.rates:
            check_rates(name, spec, request, kwargs)
        if spec.is_mutation:
            # The output is serialized inside the transaction too: a result that fails leaves no write behind.
            with transaction.atomic():
                outcome = _finish(name, spec, kwargs, spec.fn(request, **kwargs))
                _announce_on_commit(name, spec, outcome)
                return outcome
        hit, pending = cache.lookup(name, spec, kwargs, user)
        if hit is not None:
            return Success(hit, [])
        done = _finish(name, spec, kwargs, spec.fn(request, **kwargs))
        if isinstance(done, Success):
            cache.store(pending, done.result_json)
        return done
    except Exception as exc:
        return Failure(_map(exc, request, name))


def _finish(name: str, spec: ServerFunction, kwargs: dict[str, Any], result: Any) -> Success | Passthrough:
    keys = invalidation_keys(registry, name, spec, kwargs) if spec.is_mutation else []
    if isinstance(result, HttpResponseBase):
        return Passthrough(result, keys)
    adapter = spec.output_adapter or _ANY
    try:
        value = adapter.validate_python(result, from_attributes=True)
    except pydantic.ValidationError as exc:
        raise _OutputMismatch(
            f"{spec.describe()} returned a {type(result).__name__} that does not match its return annotation; "
            f"fix the function or its annotation:\n{exc}"
        ) from exc
    return Success(adapter.dump_json(value), keys)


def _announce_on_commit(name: str, spec: ServerFunction, outcome: Success | Passthrough) -> None:
    # After the outermost commit, so receivers (live invalidation, cache purge) never act on a rolled-back write.
    # The cache is also purged now, inside the transaction: a read later in the same transaction (an enclosing
    # atomic block, ATOMIC_REQUESTS, a Django TestCase that never commits) must not be answered from before the
    # write. A reader that refills in between is purged again on commit.
    if outcome.invalidate:
        keys = list(outcome.invalidate)
        cache.purge_keys(keys)
        transaction.on_commit(lambda: announce(spec, name, keys))


def _map(exc: Exception, request: HttpRequest, name: str) -> MizanError:
    if isinstance(exc, _OutputMismatch):
        return internal_error(exc, request=request, function=name)
    return from_exception(exc, request=request, function=name)
