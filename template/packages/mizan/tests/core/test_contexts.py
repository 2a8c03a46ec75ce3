"""Contexts: members, merged params, conflicts."""

from __future__ import annotations

from typing import Any

from mizan.core import Registry, client, contexts_of


def test_params_are_the_union_of_members_params() -> None:
    registry = Registry()

    @client(context="shop")
    def cart(request: Any, shop_id: int) -> int:
        return 0

    @client(context="shop")
    def orders(request: Any, shop_id: int, page: int = 1) -> int:
        return 0

    registry.register(orders, "orders")
    registry.register(cart, "cart")
    context = contexts_of(registry)["shop"]
    assert context.functions == ["cart", "orders"]
    assert sorted(context.params) == ["page", "shop_id"]
    assert context.params["shop_id"].required
    assert not context.params["page"].required
    assert context.conflicts == []


def test_a_param_required_by_any_member_is_required() -> None:
    registry = Registry()

    @client(context="c")
    def a(request: Any, x: int = 0) -> int:
        return x

    @client(context="c")
    def b(request: Any, x: int) -> int:
        return x

    registry.register(a, "a")
    registry.register(b, "b")
    assert contexts_of(registry)["c"].params["x"].required


def test_conflicting_param_types_are_recorded() -> None:
    registry = Registry()

    @client(context="c")
    def a(request: Any, x: int) -> int:
        return x

    @client(context="c")
    def b(request: Any, x: str) -> str:
        return x

    registry.register(a, "a")
    registry.register(b, "b")
    [conflict] = contexts_of(registry)["c"].conflicts
    assert (conflict.param, conflict.first, conflict.second) == ("x", ("a", int), ("b", str))


def test_functions_without_context_form_none() -> None:
    registry = Registry()

    @client
    def plain(request: Any) -> None: ...

    registry.register(plain, "plain")
    assert contexts_of(registry) == {}
