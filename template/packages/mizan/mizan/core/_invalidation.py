"""Invalidation: what a mutation affects, and the keys (`name` or `name?p=v`) that tell clients to refetch."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from ._contexts import contexts_of
from ._function import ServerFunction, spec_of
from ._registry import Registry

__all__ = ["UnresolvedAffects", "affected_functions", "encode_key", "invalidation_keys", "unresolved_affects"]


@dataclass(frozen=True)
class UnresolvedAffects:
    """An `affects=` item that names no registered context or function."""

    function: str
    item: str | Callable[..., Any]


def encode_key(name: str, params: Mapping[str, Any] | None = None) -> str:
    """`name`, or `name?p1=v1&p2=v2` with params sorted and each value its compact JSON text, form-urlencoded."""
    if not params:
        return name
    pairs = [
        (key, json.dumps(params[key], separators=(",", ":"), sort_keys=True, ensure_ascii=False))
        for key in sorted(params)
    ]
    return f"{name}?{urlencode(pairs)}"


def affected_functions(registry: Registry, name: str) -> list[str]:
    """The registered function names that the mutation registered as `name` invalidates, sorted."""
    return registry.derived("affects", _resolve_all).get(name, ([], []))[0]


def unresolved_affects(registry: Registry) -> list[UnresolvedAffects]:
    """`affects=` items across the registry that resolve to nothing (for the system check)."""
    found: list[UnresolvedAffects] = []
    for name, (_targets, missing) in registry.derived("affects", _resolve_all).items():
        found.extend(UnresolvedAffects(name, item) for item in missing)
    return found


def invalidation_keys(registry: Registry, name: str, spec: ServerFunction, kwargs: Mapping[str, Any]) -> list[str]:
    """The keys a successful call of mutation `name` with validated `kwargs` produces, sorted.

    Auto-scoping: a target whose own params include an argument of the mutation by the same name is scoped to
    that argument's value, so only the matching context instances refetch.
    """
    keys: set[str] = set()
    for target_name in affected_functions(registry, name):
        target = registry.get(target_name)
        if target is None:
            continue
        scope = {
            param: spec.json_value(param, kwargs[param])
            for param in target.params
            if param in kwargs and param in spec.params
        }
        keys.add(encode_key(target_name, scope))
    return sorted(keys)


def _resolve_all(registry: Registry) -> dict[str, tuple[list[str], list[str | Callable[..., Any]]]]:
    contexts = contexts_of(registry)
    resolved: dict[str, tuple[list[str], list[str | Callable[..., Any]]]] = {}
    for name, spec in registry.items():
        if not spec.affects:
            continue
        targets: set[str] = set()
        missing: list[str | Callable[..., Any]] = []
        for item in spec.affects:
            found = _resolve(registry, contexts, item)
            if found:
                targets.update(found)
            else:
                missing.append(item)
        resolved[name] = (sorted(targets), missing)
    return resolved


def _resolve(registry: Registry, contexts: Mapping[str, Any], item: str | Callable[..., Any]) -> Iterable[str]:
    if isinstance(item, str):
        if item in contexts:
            return list(contexts[item].functions)
        return [item] if item in registry else []
    target = spec_of(item)
    return registry.names_of(target) if target is not None else []
