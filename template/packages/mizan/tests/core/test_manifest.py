"""The manifest: exact shape, shared `$defs` with stable names, deterministic text."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, create_model

from mizan.core import MANIFEST_VERSION, ChannelRegistry, CompositionRegistry, Registry, build_manifest, client, render_json


class EchoOutput(BaseModel):
    message: str


class Todo(BaseModel):
    id: int
    title: str


def _registry() -> Registry:
    registry = Registry()

    @client
    def echo(request: Any, text: str) -> EchoOutput:
        """first line of the docstring

        More text that the manifest leaves out.
        """
        return EchoOutput(message=text)

    @client(context="todo")
    def todo_list(request: Any, list_id: int) -> list[Todo]:
        return []

    @client(context="global")
    def current_user(request: Any) -> str | None:
        return None

    @client(affects="todo", auth=True, websocket=True, rev=2)
    def add_todo(request: Any, list_id: int, title: str) -> Todo:
        return Todo(id=1, title=title)

    for fn in (echo, todo_list, current_user, add_todo):
        registry.register(fn, fn.__name__)
    return registry


def test_function_entries_have_the_documented_shape() -> None:
    manifest = build_manifest(_registry())
    assert manifest["functions"]["echo"] == {
        "input": {
            "type": "object",
            "properties": {"text": {"type": "string"}},
            "required": ["text"],
            "additionalProperties": False,
        },
        "output": {"$ref": "#/$defs/EchoOutput"},
        "context": None,
        "affects": [],
        "auth": False,
        "websocket": False,
        "rev": 1,
        "view": False,
        "route": None,
        "doc": "first line of the docstring",
    }
    add = manifest["functions"]["add_todo"]
    assert (add["affects"], add["auth"], add["websocket"], add["rev"]) == (["todo_list"], True, True, 2)
    assert manifest["functions"]["todo_list"]["output"] == {
        "type": "array",
        "items": {"$ref": "#/$defs/Todo"},
    }


def test_top_level_keys_and_contexts() -> None:
    manifest = build_manifest(_registry(), ChannelRegistry(), CompositionRegistry())
    assert sorted(manifest) == ["$defs", "channels", "compositions", "contexts", "forms", "functions", "mizan"]
    assert manifest["compositions"] == {}
    assert manifest["mizan"] == MANIFEST_VERSION == 1
    assert manifest["forms"] == {}
    assert manifest["channels"] == {}
    assert manifest["contexts"] == {
        "global": {"functions": ["current_user"], "params": {"type": "object", "properties": {}}},
        "todo": {
            "functions": ["todo_list"],
            "params": {
                "type": "object",
                "properties": {"list_id": {"type": "integer"}},
                "required": ["list_id"],
            },
        },
    }


def test_defs_are_shared_and_named_after_the_model() -> None:
    manifest = build_manifest(_registry())
    assert sorted(manifest["$defs"]) == ["EchoOutput", "Todo"]
    assert manifest["$defs"]["Todo"]["properties"]["title"] == {"title": "Title", "type": "string"}


def test_auth_kinds() -> None:
    registry = Registry()
    for name, rule in [
        ("a", False),
        ("b", True),
        ("c", "staff"),
        ("d", "superuser"),
        ("e", lambda request: True),
    ]:

        def fn(request: Any) -> None: ...

        fn.__name__ = fn.__qualname__ = name
        registry.register(client(auth=rule)(fn), name)
    auth = {name: entry["auth"] for name, entry in build_manifest(registry)["functions"].items()}
    assert auth == {"a": False, "b": True, "c": "staff", "d": "superuser", "e": "custom"}


def test_clashing_model_names_are_module_qualified() -> None:
    shop_item = create_model("Item", __module__="shop.models", price=(int, ...))
    blog_item = create_model("Item", __module__="blog.models", body=(str, ...))
    registry = Registry()

    @client
    def shop(request: Any) -> shop_item:  # type: ignore[valid-type]
        return None

    @client
    def blog(request: Any) -> blog_item:  # type: ignore[valid-type]
        return None

    registry.register(shop, "shop")
    registry.register(blog, "blog")
    manifest = build_manifest(registry)
    refs = {name: entry["output"]["$ref"] for name, entry in manifest["functions"].items()}
    assert refs["shop"] != refs["blog"]
    assert all("Item" in ref for ref in refs.values())
    assert sorted(ref.removeprefix("#/$defs/") for ref in refs.values()) == sorted(manifest["$defs"])


def test_rendering_is_deterministic_sorted_and_ends_with_a_newline() -> None:
    first = render_json(build_manifest(_registry()))
    second = render_json(build_manifest(_registry()))
    assert first == second
    assert first.endswith("}\n")
    assert json.loads(first) == build_manifest(_registry())
    keys = list(json.loads(first))
    assert keys == sorted(keys)


def test_empty_registry() -> None:
    manifest = build_manifest(Registry())
    assert manifest["functions"] == {}
    assert manifest["$defs"] == {}
