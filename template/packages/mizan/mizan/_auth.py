"""The `auth=` rules: UNAUTHORIZED for an anonymous caller, FORBIDDEN for a known one who fails the check."""

from __future__ import annotations

import inspect
from typing import Any

from asgiref.sync import async_to_sync, sync_to_async
from django.http import HttpRequest

from .core import Forbidden, ServerFunction, Unauthorized

__all__ = ["acheck_auth", "check_auth", "is_authenticated"]


def is_authenticated(user: Any) -> bool:
    """True for a logged-in Django user (False when there is no user at all)."""
    return bool(getattr(user, "is_authenticated", False))


def check_auth(spec: ServerFunction, request: HttpRequest, user: Any) -> None:
    """Raise Unauthorized/Forbidden unless `user` passes `spec.auth` (sync; a coroutine rule is run to completion)."""
    rule = spec.auth
    if rule is False:
        return
    if callable(rule):
        allowed = rule(request)
        if inspect.isawaitable(allowed):
            allowed = async_to_sync(_await)(allowed)
        _decide(bool(allowed), user)
        return
    _check_builtin(rule, user)


async def acheck_auth(spec: ServerFunction, request: HttpRequest, user: Any) -> None:
    """`check_auth` for the event loop: a sync custom rule runs in a worker thread (it may query the database)."""
    rule = spec.auth
    if rule is False:
        return
    if callable(rule):
        if inspect.iscoroutinefunction(rule):
            allowed = await rule(request)
        else:
            allowed = await sync_to_async(rule, thread_sensitive=True)(request)
            if inspect.isawaitable(allowed):
                allowed = await allowed
        _decide(bool(allowed), user)
        return
    _check_builtin(rule, user)


def _check_builtin(rule: Any, user: Any) -> None:
    if not is_authenticated(user):
        raise Unauthorized("Log in to call this function.")
    if rule == "staff" and not getattr(user, "is_staff", False):
        raise Forbidden("This function is for staff users only.")
    if rule == "superuser" and not getattr(user, "is_superuser", False):
        raise Forbidden("This function is for superusers only.")


def _decide(allowed: bool, user: Any) -> None:
    if allowed:
        return
    if not is_authenticated(user):
        raise Unauthorized("Log in to call this function.")
    raise Forbidden()


async def _await(awaitable: Any) -> Any:
    return await awaitable
