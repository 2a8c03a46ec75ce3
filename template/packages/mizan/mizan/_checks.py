"""Django system checks (`manage.py check`): registry problems and settings, each with the fix as its hint."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.urls import get_resolver

from . import _settings
from .core import find_problems, registry
from .tokens import MIN_SECRET_BYTES

__all__ = ["check_databases", "check_registry", "check_settings"]

_AUTH_MIDDLEWARE = "django.contrib.auth.middleware.AuthenticationMiddleware"


@register("mizan")
def check_registry(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """E001 context param conflict, E002 unknown affects, E003 duplicate name, W001 auth without users, W002 routes."""
    messages: list[CheckMessage] = [
        Error(problem.message, hint=problem.hint, obj=problem.obj, id=f"mizan.{problem.id}")
        for problem in find_problems(registry)
    ]
    with_auth = [name for name, spec in registry.items() if spec.auth is not False]
    if with_auth and _AUTH_MIDDLEWARE not in settings.MIDDLEWARE:
        messages.append(
            Warning(
                f"Functions {', '.join(with_auth)} use auth=, but {_AUTH_MIDDLEWARE} is not in MIDDLEWARE, so every "
                "caller is anonymous and gets UNAUTHORIZED.",
                hint=f"Add {_AUTH_MIDDLEWARE!r} to MIDDLEWARE (after SessionMiddleware).",
                id="mizan.W001",
            )
        )
    messages.extend(_unmounted_routes())
    return messages


def _unmounted_routes() -> list[CheckMessage]:
    routed = [name for name, spec in registry.items() if spec.route is not None]
    if not routed:
        return []
    mounted = {key for key in get_resolver().reverse_dict if isinstance(key, str)}
    missing = [name for name in routed if f"mizan-route-{name}" not in mounted]
    if not missing:
        return []
    return [
        Warning(
            f"Functions {', '.join(missing)} declare route=, but no URL pattern mounts them.",
            hint="Add path('', include('mizan.routes')) to ROOT_URLCONF, after the functions are registered "
            "(register them in AppConfig.ready()).",
            id="mizan.W002",
        )
    ]


@register("mizan")
def check_settings(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """mizan.E010 MIZAN_MAX_BODY_BYTES, E011 MIZAN_EXPOSE_SCHEMA, E012 MIZAN_MAX_BATCH_CALLS, E013 MIZAN_MWT_SECRET."""
    messages: list[CheckMessage] = [
        *_positive_int("MIZAN_MAX_BODY_BYTES", "bytes", _settings.DEFAULT_MAX_BODY_BYTES, "the 1 MiB default", "E010"),
        *_positive_int("MIZAN_MAX_BATCH_CALLS", "calls", _settings.DEFAULT_MAX_BATCH_CALLS, "the default", "E012"),
    ]
    mwt = _settings.raw("MIZAN_MWT_SECRET")
    if not _settings.is_unset(mwt) and mwt and (not isinstance(mwt, str) or len(mwt.encode()) < MIN_SECRET_BYTES):
        messages.append(
            Error(
                "MIZAN_MWT_SECRET is set but shorter than 32 bytes: bearer tokens signed with it are refused.",
                hint="Set it to python -c 'import secrets; print(secrets.token_urlsafe(50))', or remove it.",
                id="mizan.E013",
            )
        )
    expose = _settings.raw("MIZAN_EXPOSE_SCHEMA")
    if not _settings.is_unset(expose) and not isinstance(expose, bool):
        messages.append(
            Error(
                f"MIZAN_EXPOSE_SCHEMA is {expose!r}; it must be True or False.",
                hint="Set MIZAN_EXPOSE_SCHEMA = True to serve schema/ outside DEBUG, or remove it.",
                id="mizan.E011",
            )
        )
    return messages


def _positive_int(name: str, unit: str, default: int, default_note: str, code: str) -> list[CheckMessage]:
    """An error when the setting `name` is present and not a positive int (a bool is not one)."""
    value = _settings.raw(name)
    if _settings.is_unset(value) or (isinstance(value, int) and not isinstance(value, bool) and value >= 1):
        return []
    return [
        Error(
            f"{name} is {value!r}; it must be a positive number of {unit}.",
            hint=f"Set {name} = {default} ({default_note}) or remove it.",
            id=f"mizan.{code}",
        )
    ]


@register("mizan")
def check_databases(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """mizan.W003: a SQLite database whose transactions take the write lock only when they first write.

    Every mutation runs in a transaction; on SQLite a read-then-write transaction upgrades its lock at the first
    write, and two of them at once fail with "database is locked" (a 500) instead of waiting their turn.
    """
    messages: list[CheckMessage] = []
    for alias, database in settings.DATABASES.items():
        if not str(database.get("ENGINE", "")).endswith("sqlite3"):
            continue
        mode = str(database.get("OPTIONS", {}).get("transaction_mode", "")).upper()
        if mode not in ("IMMEDIATE", "EXCLUSIVE"):
            messages.append(
                Warning(
                    f"The SQLite database {alias!r} does not set transaction_mode IMMEDIATE: concurrent mutations "
                    "that read before they write fail with 'database is locked' instead of waiting.",
                    hint=f'Add "OPTIONS": {{"transaction_mode": "IMMEDIATE", "timeout": 20}} to DATABASES[{alias!r}].',
                    id="mizan.W003",
                )
            )
    return messages
