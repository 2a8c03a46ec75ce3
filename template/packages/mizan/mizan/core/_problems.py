"""Cross-function problems in a registry, each with a stable id and the fix (the adapter turns them into checks)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._contexts import contexts_of
from ._invalidation import unresolved_affects
from ._registry import Registry

__all__ = ["Problem", "find_problems"]


@dataclass(frozen=True)
class Problem:
    """One problem: id (`E001`), what is wrong, the fix, and the object it is about."""

    id: str
    message: str
    hint: str
    obj: str


def find_problems(registry: Registry) -> list[Problem]:
    """Every cross-function problem: context param conflicts (E001), unknown affects (E002), duplicates (E003)."""
    problems: list[Problem] = []
    for context in contexts_of(registry).values():
        for conflict in context.conflicts:
            by_type: dict[str, list[str]] = {}
            for member, annotation in conflict.members:
                by_type.setdefault(_type_name(annotation), []).append(repr(member))
            described = "; ".join(f"{type_name} in {', '.join(members)}" for type_name, members in by_type.items())
            problems.append(
                Problem(
                    "E001",
                    f"Context {context.name!r}: parameter {conflict.param!r} has different types: {described}.",
                    f"Members of a context share its params: give {conflict.param!r} the same type in every "
                    f"function with context={context.name!r}, or rename it in the odd one out.",
                    context.name,
                )
            )
    contexts = contexts_of(registry)
    for unresolved in unresolved_affects(registry):
        item = unresolved.item
        if isinstance(item, str):
            known = ", ".join(sorted(contexts)) or "none"
            problems.append(
                Problem(
                    "E002",
                    f"{unresolved.function!r} has affects={item!r}, which is neither a context nor a registered "
                    "function.",
                    f"Use a context name (known: {known}) or a registered function name; check the spelling, or "
                    f"register the function that {item!r} should refer to.",
                    unresolved.function,
                )
            )
        else:
            label = getattr(item, "__qualname__", repr(item))
            problems.append(
                Problem(
                    "E002",
                    f"{unresolved.function!r} has affects={label}, a function that is not registered.",
                    f"Register {label} with register(fn, name) or mizan_clients(app), or remove it from affects=.",
                    unresolved.function,
                )
            )
    for duplicate in registry.duplicates():
        problems.append(
            Problem(
                "E003",
                f"The name {duplicate.name!r} is registered to {duplicate.kept.describe()} and again to "
                f"{duplicate.refused.describe()}; the second registration was ignored.",
                f"Give one of them another name: register({duplicate.refused.python_name}, "
                f"'<app>.{duplicate.refused.python_name}').",
                duplicate.name,
            )
        )
    return problems


def _type_name(annotation: Any) -> str:
    if isinstance(annotation, type):
        return annotation.__name__
    return repr(annotation).replace("typing.", "")
