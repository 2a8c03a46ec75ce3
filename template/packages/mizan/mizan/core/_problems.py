"""Cross-function problems in a registry, each with a stable id and the fix (the adapter turns them into checks)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._compositions import CompositionRegistry, composition_registry, describe_member, member_context
from ._contexts import Context, _wire_shape, contexts_of
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


def find_problems(registry: Registry, compositions: CompositionRegistry = composition_registry) -> list[Problem]:
    """Every cross-function problem: context param conflicts (E001), unknown affects (E002), duplicates (E003),
    and `@compose` members naming no context (E004), disagreeing on a param (E005) or a name taken (E006)."""
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
    problems.extend(_composition_problems(registry, compositions))
    return problems


def _composition_problems(registry: Registry, compositions: CompositionRegistry) -> list[Problem]:
    contexts = contexts_of(registry)
    named = sorted(name for name in contexts if name != "global")
    problems: list[Problem] = []
    for name, composition in compositions.items():
        members: list[Context] = []
        for member in composition.members:
            context = member_context(member)
            if context is not None and context in contexts and context != "global":
                members.append(contexts[context])
                continue
            if context == "global":
                why = "the global context, which MizanContext already provides everywhere"
            elif context is None:
                why = "a function without context=, or not an @client function"
            else:
                why = f"the context {context!r}, which has no registered function"
            problems.append(
                Problem(
                    "E004",
                    f"@compose {name!r} ({composition.qualname}): the member {describe_member(member)} is {why}.",
                    f"Members are named contexts (known: {', '.join(named) or 'none'}), their functions or "
                    "context classes; remove this one or register its functions.",
                    name,
                )
            )
        problems.extend(_param_conflicts(registry, name, members))
        if name in contexts:
            problems.append(
                Problem(
                    "E006",
                    f"@compose {name!r} ({composition.qualname}) has the name of a context, so both would generate "
                    f"the same provider.",
                    f"Pass @compose(..., name='{name}_page') or rename the class/function.",
                    name,
                )
            )
    return problems


def _param_conflicts(registry: Registry, name: str, members: list[Context]) -> list[Problem]:
    """One combined provider holds one value per param: members must accept the same JSON for a shared name."""
    shapes: dict[str, dict[str, list[str]]] = {}
    for context in members:
        for param in context.params.values():
            spec = registry.get(param.source)
            if spec is not None:
                shapes.setdefault(param.name, {}).setdefault(_wire_shape(spec, param.name), []).append(context.name)
    problems: list[Problem] = []
    for param, by_shape in sorted(shapes.items()):
        if len(by_shape) > 1:
            owners = " and ".join(", ".join(repr(c) for c in group) for group in by_shape.values())
            problems.append(
                Problem(
                    "E005",
                    f"@compose {name!r}: the contexts {owners} give the parameter {param!r} different types.",
                    f"A combined provider passes one {param!r} to every member: give it one type, or rename it in "
                    "one context, or compose them separately.",
                    name,
                )
            )
    return problems


def _type_name(annotation: Any) -> str:
    if isinstance(annotation, type):
        return annotation.__name__
    return repr(annotation).replace("typing.", "")
