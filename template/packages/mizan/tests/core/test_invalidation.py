"""Invalidation keys: encoding, affects expansion, auto-scoping."""

from __future__ import annotations

from typing import Any

import pytest

from mizan.core import (
    Registry,
    affected_functions,
    client,
    encode_key,
    invalidation_keys,
    spec_of,
    unresolved_affects,
)


@pytest.mark.parametrize(
    ("params", "key"),
    [
        (None, "todo_list"),
        ({}, "todo_list"),
        ({"list_id": 7}, "todo_list?list_id=7"),
        ({"room": "general"}, "todo_list?room=%22general%22"),
        ({"b": 2, "a": 1}, "todo_list?a=1&b=2"),
        ({"flag": True, "none": None}, "todo_list?flag=true&none=null"),
        ({"x": 1.5}, "todo_list?x=1.5"),
        ({"q": "a b,c&d"}, "todo_list?q=%22a+b%2Cc%26d%22"),
        ({"q": "é"}, "todo_list?q=%22%C3%A9%22"),
        ({"f": {"b": 1, "a": [1, 2]}}, "todo_list?f=%7B%22a%22%3A%5B1%2C2%5D%2C%22b%22%3A1%7D"),
    ],
)
def test_encode_key(params: dict[str, Any] | None, key: str) -> None:
    assert encode_key("todo_list", params) == key


def test_numbers_and_strings_never_collide() -> None:
    assert encode_key("f", {"id": 7}) != encode_key("f", {"id": "7"})


def _todo_registry() -> Registry:
    registry = Registry()

    @client(context="todo")
    def todo_list(request: Any, list_id: int) -> list[str]:
        return []

    @client(context="todo")
    def todo_stats(request: Any, list_id: int, verbose: bool = False) -> int:
        return 0

    @client(context="global")
    def current_user(request: Any) -> str:
        return ""

    @client(affects="todo")
    def add_todo(request: Any, list_id: int, title: str) -> None: ...

    @client(affects="todo")
    def wipe_everything(request: Any) -> None: ...

    @client(affects=[todo_stats, "current_user"])
    def toggle(request: Any, list_id: int, verbose: bool) -> None: ...

    @client(affects="global")
    def logout(request: Any) -> None: ...

    for fn in (todo_list, todo_stats, current_user, add_todo, wipe_everything, toggle, logout):
        registry.register(fn, fn.__name__)
    return registry


def _keys(registry: Registry, name: str, args: dict[str, Any]) -> list[str]:
    spec = registry.get(name)
    assert spec is not None
    return invalidation_keys(registry, name, spec, spec.validate(args))


def test_context_name_expands_to_every_member() -> None:
    registry = _todo_registry()
    assert affected_functions(registry, "add_todo") == ["todo_list", "todo_stats"]
    assert affected_functions(registry, "logout") == ["current_user"]
    assert affected_functions(registry, "toggle") == ["current_user", "todo_stats"]
    assert affected_functions(registry, "todo_list") == []


def test_auto_scoping_by_shared_param_name() -> None:
    registry = _todo_registry()
    assert _keys(registry, "add_todo", {"list_id": 7, "title": "x"}) == [
        "todo_list?list_id=7",
        "todo_stats?list_id=7",
    ]


def test_no_shared_param_means_unscoped_keys() -> None:
    registry = _todo_registry()
    assert _keys(registry, "wipe_everything", {}) == ["todo_list", "todo_stats"]
    assert _keys(registry, "logout", {}) == ["current_user"]


def test_scoping_uses_each_targets_own_params() -> None:
    registry = _todo_registry()
    assert _keys(registry, "toggle", {"list_id": 3, "verbose": True}) == [
        "current_user",
        "todo_stats?list_id=3&verbose=true",
    ]


def test_unresolved_affects_are_reported_not_raised() -> None:
    registry = Registry()

    @client
    def unregistered(request: Any) -> None: ...

    @client(affects=["nowhere", unregistered])
    def broken(request: Any) -> None: ...

    registry.register(broken, "broken")
    assert affected_functions(registry, "broken") == []
    missing = unresolved_affects(registry)
    assert [item.item for item in missing] == ["nowhere", unregistered]
    spec = spec_of(broken)
    assert spec is not None
    assert invalidation_keys(registry, "broken", spec, {}) == []
