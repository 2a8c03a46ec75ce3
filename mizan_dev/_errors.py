"""The one error type mizan-dev shows to users: printed to stderr without a traceback, exit status 1."""

from __future__ import annotations

__all__ = ["MizanDevError"]


class MizanDevError(Exception):
    """Something the user can fix; the message says what went wrong and the command or setting that fixes it."""
