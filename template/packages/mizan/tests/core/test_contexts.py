"""Contexts: members, merged params, conflicts."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

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
    assert (conflict.param, conflict.members) == ("x", [("a", int), ("b", str)])


def test_equal_annotations_written_twice_do_not_conflict() -> None:
    registry = Registry()

    @client(context="c")
    def a(request: Any, x: Annotated[int, Field(ge=0)]) -> int:
        return x

    @client(context="c")
    def b(request: Any, x: Annotated[int, Field(ge=0)]) -> int:
        return x

    @client(context="d")
    def c(request: Any, x: Annotated[int, Field(ge=0)]) -> int:
        return x

    @client(context="d")
    def d(request: Any, x: Annotated[int, Field(ge=1)]) -> int:
        return x

    for fn in (a, b, c, d):
        registry.register(fn, fn.__name__)
    contexts = contexts_of(registry)
    assert contexts["c"].conflicts == []
    assert [conflict.param for conflict in contexts["d"].conflicts] == ["x"]


def test_functions_without_context_form_none() -> None:
    registry = Registry()

    @client
    def plain(request: Any) -> None: ...

    registry.register(plain, "plain")
    assert contexts_of(registry) == {}
