"""The original Mizan's public names and behaviours (SEED-API), running unchanged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mizan.core import Registry, build_manifest, client, invalidation_keys, spec_of

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def test_the_seeds_import_paths() -> None:
    from mizan.client import ServerFunction
    from mizan.setup import register as setup_register
    from mizan.setup.registry import register
    from mizan_core.client.function import is_framework_response, set_framework_response_base
    from mizan_core.registry import register as core_register

    import mizan.core

    assert register is setup_register
    assert ServerFunction is mizan.core.ServerFunction
    assert set_framework_response_base is mizan.core.set_framework_response_base
    assert is_framework_response is mizan.core.is_framework_response
    assert callable(core_register)


def test_mizan_core_registers_without_django() -> None:
    code = (
        "import sys\n"
        "from mizan_core.client import client\n"
        "from mizan_core.registry import register, registry\n"
        "@client\n"
        "def hello(request, name: str) -> str:\n"
        "    return name\n"
        "register(hello, 'hello')\n"
        "assert registry.get('hello').python_name == 'hello'\n"
        "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=PACKAGE_DIR, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


class Reply:
    """A second framework's response class (module level: the core finds it through sys.modules)."""


class Redirect(Reply):
    pass


def test_a_framework_response_base_makes_the_view_path() -> None:
    from mizan_core.client.function import is_framework_response, set_framework_response_base

    assert not is_framework_response(Reply)
    set_framework_response_base(Reply)
    assert is_framework_response(Reply) and is_framework_response(Redirect) and is_framework_response(Redirect())
    assert not is_framework_response("text")

    @client
    def moved(request: Any) -> Redirect:
        return Redirect()

    spec = spec_of(moved)
    assert spec is not None and spec.view
    with pytest.raises(TypeError, match="takes a class"):
        set_framework_response_base(Reply())  # type: ignore[arg-type]


def test_a_local_context_is_named_after_its_function() -> None:
    @client(context="local")
    def greet(request: Any, name: str) -> str:
        return f"hello {name}"

    @client(context="local")
    def weather(request: Any, city: str) -> str:
        return "sunny"

    registry = Registry()
    registry.register(greet, "greet")
    registry.register(weather, "weather")
    contexts = build_manifest(registry)["contexts"]
    assert contexts["greet"]["params"]["properties"].keys() == {"name"}
    assert contexts["weather"]["params"]["properties"].keys() == {"city"}
    assert "local" not in contexts


def test_affects_takes_a_context_class() -> None:
    class UserContext:
        """The seeds' context classes: the name comes from the class."""

    class Board:
        context = "todo"

    @client(context="user")
    def profile(request: Any) -> str:
        return "ada"

    @client(context="todo")
    def todo_list(request: Any, list_id: int) -> list[str]:
        return []

    @client(affects=[UserContext, Board])
    def rename(request: Any, list_id: int) -> None: ...

    registry = Registry()
    for fn in (profile, todo_list, rename):
        registry.register(fn, fn.__name__)
    spec = spec_of(rename)
    assert spec is not None and spec.affects == ("user", "todo")
    assert invalidation_keys(registry, "rename", spec, {"list_id": 7}) == ["profile", "todo_list?list_id=7"]


@pytest.fixture
def compositions() -> Any:
    """A composition registry of the test's own (the process-wide one is restored after)."""
    from mizan.core import composition_registry

    saved = dict(composition_registry._entries)
    yield composition_registry
    composition_registry._entries = saved
    composition_registry.version += 1


def _board_registry() -> tuple[Registry, Any, Any]:
    @client(context="user")
    def profile(request: Any) -> str:
        return "ada"

    @client(context="todo")
    def todo_list(request: Any, list_id: int, done: bool = False) -> list[str]:
        return []

    @client(context="global")
    def current_user(request: Any) -> str:
        return "ada"

    registry = Registry()
    for fn in (profile, todo_list, current_user):
        registry.register(fn, fn.__name__)
    return registry, profile, todo_list


def test_compose_combines_contexts_into_one_provider(compositions: Any) -> None:
    from mizan.client import compose
    from mizan.core import find_problems

    registry, _profile, todo_list = _board_registry()

    class TodoContext:
        pass

    @compose("user", todo_list)
    class Dashboard:
        """Everything the dashboard reads."""

    @compose(TodoContext, "user", name="board_page")
    def board() -> None: ...

    assert Dashboard.__name__ == "Dashboard" and callable(board)  # returned unchanged
    manifest = build_manifest(registry, compositions=compositions)
    assert manifest["compositions"] == {
        "board_page": {"contexts": ["todo", "user"], "doc": None},
        "dashboard": {"contexts": ["user", "todo"], "doc": "Everything the dashboard reads."},
    }
    assert find_problems(registry, compositions) == []


def test_compose_reports_members_that_name_no_context(compositions: Any) -> None:
    from mizan.client import compose
    from mizan.core import find_problems

    registry, _profile, _todo_list = _board_registry()

    def plain(request: Any) -> None: ...

    @compose("user", "nope", "global", plain)
    class Broken:
        pass

    problems = [p for p in find_problems(registry, compositions) if p.obj == "broken"]
    assert [p.id for p in problems] == ["E004", "E004", "E004"]
    assert "'nope', which has no registered function" in problems[0].message
    assert "known: todo, user" in problems[0].hint
    assert "global context" in problems[1].message
    assert "without context=" in problems[2].message
    assert build_manifest(registry, compositions=compositions)["compositions"]["broken"]["contexts"] == ["user"]


def test_compose_reports_a_param_the_members_type_differently_and_a_taken_name(compositions: Any) -> None:
    from mizan.client import compose
    from mizan.core import find_problems

    @client(context="todo")
    def todo_list(request: Any, list_id: int) -> list[str]:
        return []

    @client(context="shop")
    def catalog(request: Any, list_id: str) -> list[str]:
        return []

    registry = Registry()
    registry.register(todo_list, "todo_list")
    registry.register(catalog, "catalog")

    @compose("todo", "shop")
    class Mixed:
        pass

    @compose("shop")
    class Todo:
        pass

    problems = {p.id: p for p in find_problems(registry, compositions)}
    assert "'list_id' different types" in problems["E005"].message.replace("parameter ", "")
    assert problems["E006"].obj == "todo" and "name='todo_page'" in problems["E006"].hint
    assert "todo" not in build_manifest(registry, compositions=compositions)["compositions"]


def test_compose_refuses_bad_input_at_decoration(compositions: Any) -> None:
    from mizan.client import compose

    with pytest.raises(TypeError, match="needs the contexts"):
        compose()
    with pytest.raises(TypeError, match="empty name"):
        compose("")
    with pytest.raises(TypeError, match="lowercase letters"):
        compose("todo", name="Bad-Name")(type("X", (), {}))

    @compose("todo")
    class Page:
        pass

    with pytest.raises(TypeError, match="already taken"):
        compose("user", name="page")(type("Other", (), {}))
