"""`from mizan.setup import register, mizan_clients`: expose `@client` functions over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core import registry

__all__ = ["mizan_clients", "register"]


def register(fn: Callable[..., Any], name: str) -> None:
    """Expose the `@client` function `fn` under the dotted `name`, e.g. `register(add_todo, "todos.add")`."""
    registry.register(fn, name)


def mizan_clients(app: str) -> list[str]:
    """Import `<app>.clients` and register each `@client` function there, not yet registered, under its name.

    Call it from the app's `AppConfig.ready()`. Returns the names it registered.
    """
    return registry.mizan_clients(app)
