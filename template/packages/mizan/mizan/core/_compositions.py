"""Compositions: `@compose(...)` names several contexts whose providers the frontend mounts as one.

A page that reads the `user` and the `todo` contexts would otherwise nest `<UserProvider>` and `<TodoProvider>`
and pass each its params. `@compose("user", "todo")` on a class or function `Dashboard` makes codegen emit one
`<DashboardProvider>` taking the union of both contexts' params and handing each member the params it takes.
It changes nothing on the server: the members are fetched, cached and invalidated as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from ._function import _context_name_of_class, spec_of

__all__ = ["Composition", "CompositionRegistry", "compose", "composition_registry"]

T = TypeVar("T")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

Member = str | Callable[..., Any]


@dataclass(frozen=True)
class Composition:
    """One composition: its name, its members as written (context names or context functions), its doc."""

    name: str
    members: tuple[Member, ...]
    doc: str | None
    qualname: str


class CompositionRegistry:
    """Compositions by name. Redefining one (same module and qualname, e.g. on reload) replaces it."""

    def __init__(self) -> None:
        self._entries: dict[str, Composition] = {}
        self.version = 0

    def add(self, composition: Composition) -> None:
        current = self._entries.get(composition.name)
        if current is not None and current.qualname != composition.qualname:
            raise TypeError(
                f"@compose name {composition.name!r} of {composition.qualname} is already taken by "
                f"{current.qualname}; pass name='...' to one of them."
            )
        self._entries[composition.name] = composition
        self.version += 1

    def get(self, name: str) -> Composition | None:
        return self._entries.get(name)

    def remove(self, name: str) -> None:
        self._entries.pop(name, None)
        self.version += 1

    def items(self) -> Iterator[tuple[str, Composition]]:
        return iter(sorted(self._entries.items()))

    def __contains__(self, name: object) -> bool:
        return name in self._entries


composition_registry = CompositionRegistry()


def compose(*members: Member | type, name: str | None = None) -> Callable[[T], T]:
    """Combine the providers of several contexts into one, named after the decorated class or function.

    Members are context names (`"todo"`), context functions (`todo_list`: its context) or context classes
    (`TodoContext` → `"todo"`, as for `affects=`). `Dashboard` becomes the composition `dashboard` and the
    generated `<DashboardProvider>`; `name=` overrides. The decorated object is returned unchanged.
    """
    if not members:
        raise TypeError("@compose() needs the contexts to combine, e.g. @compose('user', 'todo')")
    resolved: list[Member] = []
    for member in members:
        if isinstance(member, type):
            resolved.append(_context_name_of_class("@compose", member))
        elif isinstance(member, str):
            if not member:
                raise TypeError("@compose: a member is an empty name; give a context name such as 'todo'")
            resolved.append(member)
        elif callable(member):
            resolved.append(member)
        else:
            raise TypeError(f"@compose: {member!r} is neither a context name, a context function nor a class")

    def decorate(target: T) -> T:
        python_name = getattr(target, "__name__", None)
        if not isinstance(python_name, str):
            raise TypeError(f"@compose decorates a class or a function, not {target!r}")
        composition_name = name if name is not None else _snake_case(python_name)
        if not _NAME.match(composition_name):
            raise TypeError(
                f"@compose on {python_name}: the name {composition_name!r} must be lowercase letters, digits and "
                "underscores (it becomes <PascalCaseProvider>); pass name='dashboard'"
            )
        doc = (getattr(target, "__doc__", None) or "").strip().splitlines()
        qualname = f"{getattr(target, '__module__', '?')}.{getattr(target, '__qualname__', python_name)}"
        composition_registry.add(Composition(composition_name, tuple(resolved), doc[0] if doc else None, qualname))
        return target

    return decorate


def member_context(member: Member) -> str | None:
    """The context a member names: the name itself, or a registered-or-not `@client` function's context."""
    if isinstance(member, str):
        return member
    spec = spec_of(member)
    return spec.context if spec is not None else None


def describe_member(member: Member) -> str:
    return repr(member) if isinstance(member, str) else getattr(member, "__qualname__", repr(member))


def _snake_case(python_name: str) -> str:
    stem = python_name.removesuffix("Provider") or python_name
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", stem).lower()
