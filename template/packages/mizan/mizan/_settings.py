"""Mizan's Django settings, each read here with its default (at call time, so `override_settings` works)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

__all__ = [
    "DEFAULT_MAX_BATCH_CALLS",
    "DEFAULT_MAX_BODY_BYTES",
    "debug",
    "expose_schema",
    "is_unset",
    "max_batch_calls",
    "max_body_bytes",
    "raw",
]

DEFAULT_MAX_BODY_BYTES = 1024 * 1024
DEFAULT_MAX_BATCH_CALLS = 100
_UNSET = object()


def raw(name: str) -> Any:
    """The setting's value as configured, or a sentinel when absent (for the system checks)."""
    return getattr(settings, name, _UNSET)


def is_unset(value: object) -> bool:
    """True for `raw()`'s absent-setting sentinel."""
    return value is _UNSET


def max_body_bytes() -> int:
    """MIZAN_MAX_BODY_BYTES: the largest request body accepted (default 1 MiB); larger gives PAYLOAD_TOO_LARGE."""
    value = getattr(settings, "MIZAN_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES)
    return int(value)


def max_batch_calls() -> int:
    """MIZAN_MAX_BATCH_CALLS: the most calls one batch/ request may carry (default 100); more is refused unrun."""
    return int(getattr(settings, "MIZAN_MAX_BATCH_CALLS", DEFAULT_MAX_BATCH_CALLS))


def expose_schema() -> bool:
    """Serve GET schema/ when DEBUG or MIZAN_EXPOSE_SCHEMA is true."""
    return bool(settings.DEBUG or getattr(settings, "MIZAN_EXPOSE_SCHEMA", False))


def debug() -> bool:
    """Django's DEBUG: error responses carry the exception and traceback only then."""
    return bool(settings.DEBUG)
