"""`from mizan_core.registry import register`: register a `@client` function under a name, framework-free."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mizan.core import Duplicate, Registry, registry

__all__ = ["Duplicate", "Registry", "register", "registry"]


def register(fn: Callable[..., Any], name: str) -> None:
    """Expose the `@client` function `fn` under the dotted `name` (what `mizan.setup.register` does)."""
    registry.register(fn, name)
