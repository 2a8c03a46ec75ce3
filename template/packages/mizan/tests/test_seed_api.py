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
