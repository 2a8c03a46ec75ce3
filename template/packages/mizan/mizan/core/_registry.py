"""The registry: which server functions are exposed, under which dotted names."""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from ._function import ServerFunction, spec_of

__all__ = ["Duplicate", "Registry", "registry"]

T = TypeVar("T")
_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


@dataclass(frozen=True)
class Duplicate:
    """A registration refused because the name already belongs to another function."""

    name: str
    kept: ServerFunction
    refused: ServerFunction


class Registry:
    """Registered server functions by name; `version` changes on every change so derived data can be cached."""

    def __init__(self) -> None:
        self._entries: dict[str, ServerFunction] = {}
        self._duplicates: list[Duplicate] = []
        self._lock = threading.Lock()
        self._derived: dict[str, tuple[int, Any]] = {}
        self.version = 0

    def register(self, fn: Callable[..., Any], name: str) -> None:
        """Expose the `@client` function `fn` under the dotted `name` (e.g. "todos.add")."""
        spec = spec_of(fn)
        if spec is None:
            raise TypeError(f"register({fn!r}, {name!r}): decorate the function with @client first")
        if not isinstance(name, str) or not _DOTTED.match(name):
            raise ValueError(
                f"register(..., {name!r}): a name is dotted Python identifiers such as 'echo' or 'todos.add'"
            )
        with self._lock:
            current = self._entries.get(name)
            if current is not None and current is not spec and current.describe() != spec.describe():
                # Reported by the system check mizan.E003; the first registration stays in force.
                self._duplicates.append(Duplicate(name, current, spec))
                return
            self._entries[name] = spec
            self.version += 1

    def mizan_clients(self, app: str) -> list[str]:
        """Import `<app>.clients` and register each `@client` function defined there, not yet registered, by name."""
        module_name = f"{app}.clients"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name not in (module_name, app):
                raise
            raise ModuleNotFoundError(
                f"mizan_clients({app!r}) found no module {module_name!r}; create {app.replace('.', '/')}/clients.py "
                "with your @client functions, or pass the app's import path",
                name=module_name,
            ) from exc
        registered = {id(spec) for spec in self._entries.values()}
        names: list[str] = []
        for value in list(vars(module).values()):
            spec = spec_of(value)
            if spec is None or spec.fn.__module__ != module.__name__ or id(spec) in registered:
                continue
            self.register(spec.fn, spec.python_name)
            registered.add(id(spec))
            names.append(spec.python_name)
        return names

    def get(self, name: str) -> ServerFunction | None:
        """The function registered under `name`, or None."""
        return self._entries.get(name)

    def names_of(self, target: Callable[..., Any] | ServerFunction) -> list[str]:
        """Every name a function is registered under, sorted."""
        spec = target if isinstance(target, ServerFunction) else spec_of(target)
        if spec is None:
            return []
        return sorted(name for name, entry in self._entries.items() if entry is spec)

    def items(self) -> Iterator[tuple[str, ServerFunction]]:
        """(name, function) pairs sorted by name."""
        return iter(sorted(self._entries.items()))

    def duplicates(self) -> list[Duplicate]:
        """Refused registrations (for the system check)."""
        return list(self._duplicates)

    def derived(self, key: str, compute: Callable[[Registry], T]) -> T:
        """`compute(self)`, cached until the registry changes (contexts, affects expansion, ...)."""
        cached = self._derived.get(key)
        if cached is not None and cached[0] == self.version:
            value: T = cached[1]
            return value
        value = compute(self)
        self._derived[key] = (self.version, value)
        return value

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __len__(self) -> int:
        return len(self._entries)


registry = Registry()
"""The process-wide registry that `register`, `mizan_clients` and the HTTP endpoints use."""
