"""Contexts: the global context and named contexts, whose params are the union of their members' params."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ._function import ServerFunction
from ._registry import Registry

__all__ = ["Context", "ContextParam", "ParamConflict", "contexts_of"]


@dataclass(frozen=True)
class ContextParam:
    """One param of a context: its annotation, whether any member requires it, and the member it was taken from."""

    name: str
    annotation: Any
    required: bool
    source: str


@dataclass(frozen=True)
class ParamConflict:
    """Members of one context give the same param different types: (member name, annotation) for every member."""

    context: str
    param: str
    members: list[tuple[str, Any]]


@dataclass(frozen=True)
class Context:
    """A context: its member function names (sorted) and their merged params."""

    name: str
    functions: list[str] = field(default_factory=list)
    params: dict[str, ContextParam] = field(default_factory=dict)
    conflicts: list[ParamConflict] = field(default_factory=list)


def contexts_of(registry: Registry) -> dict[str, Context]:
    """Every context with at least one registered member, by name (cached per registry version)."""
    return registry.derived("contexts", _compute)


def _compute(registry: Registry) -> dict[str, Context]:
    result: dict[str, Context] = {}
    for name, spec in registry.items():
        if spec.context is None:
            continue
        context = result.setdefault(spec.context, Context(spec.context))
        context.functions.append(name)
        _merge_params(context, name, spec)
    for context in result.values():
        _find_conflicts(context, registry)
    return dict(sorted(result.items()))


def _merge_params(context: Context, name: str, spec: ServerFunction) -> None:
    for param, annotation in spec.params.items():
        required = param in spec.required
        known = context.params.get(param)
        if known is None:
            context.params[param] = ContextParam(param, annotation, required, name)
        elif required and not known.required:
            context.params[param] = ContextParam(param, known.annotation, True, known.source)


def _find_conflicts(context: Context, registry: Registry) -> None:
    for param in context.params:
        members: list[tuple[str, Any]] = []
        shapes: set[str] = set()
        for name in context.functions:
            spec = registry.get(name)
            if spec is not None and param in spec.params:
                members.append((name, spec.params[param]))
                shapes.add(_wire_shape(spec, param))
        if len(shapes) > 1:
            context.conflicts.append(ParamConflict(context.name, param, members))


def _wire_shape(spec: ServerFunction, param: str) -> str:
    """Params agree when they accept the same JSON: equal annotations written twice compare unequal in Python."""
    try:
        return json.dumps(spec.param_adapters[param].json_schema(), sort_keys=True)
    except Exception:
        return repr(spec.params[param])
