"""Registry: register under dotted names, mizan_clients(app), duplicates."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mizan.core import Registry, client


@client
def alpha(request: Any) -> int:
    return 1


@client
def beta(request: Any) -> int:
    return 2


def test_register_under_a_dotted_name() -> None:
    registry = Registry()
    registry.register(alpha, "tools.alpha")
    spec = registry.get("tools.alpha")
    assert spec is not None
    assert spec.fn is alpha
    assert "tools.alpha" in registry
    assert registry.names_of(alpha) == ["tools.alpha"]
    assert [name for name, _ in registry.items()] == ["tools.alpha"]


@pytest.mark.parametrize("name", ["", "1abc", "a..b", "a.", "with space", "a/b", "a-b"])
def test_invalid_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="dotted Python identifiers"):
        Registry().register(alpha, name)


def test_undecorated_functions_are_refused() -> None:
    def plain(request: Any) -> None: ...

    with pytest.raises(TypeError, match="decorate the function with @client first"):
        Registry().register(plain, "plain")


def test_registering_the_same_function_again_is_harmless() -> None:
    registry = Registry()
    registry.register(alpha, "alpha")
    registry.register(alpha, "alpha")
    assert registry.duplicates() == []
    assert len(registry) == 1


def test_a_taken_name_keeps_the_first_function_and_records_the_duplicate() -> None:
    registry = Registry()
    registry.register(alpha, "thing")
    registry.register(beta, "thing")
    spec = registry.get("thing")
    assert spec is not None
    assert spec.fn is alpha
    [duplicate] = registry.duplicates()
    assert duplicate.name == "thing"
    assert duplicate.refused.fn is beta


def test_version_changes_on_registration_and_derived_values_follow() -> None:
    registry = Registry()
    calls: list[int] = []

    def count(reg: Registry) -> int:
        calls.append(1)
        return len(reg)

    assert registry.derived("n", count) == 0
    assert registry.derived("n", count) == 0
    registry.register(alpha, "alpha")
    assert registry.derived("n", count) == 1
    assert len(calls) == 2


@pytest.fixture
def fake_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    package = tmp_path / "fakeapp"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "helpers.py").write_text(
        textwrap.dedent(
            """
            from mizan.core import client

            @client
            def imported_helper(request) -> int:
                return 0
            """
        )
    )
    (package / "clients.py").write_text(
        textwrap.dedent(
            """
            from mizan.core import client
            from .helpers import imported_helper

            @client
            def first(request) -> int:
                return 1

            @client(context="global")
            def second(request) -> int:
                return 2

            @client
            def already(request) -> int:
                return 3

            def not_a_server_function(request):
                return 4
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "fakeapp"
    for name in [name for name in sys.modules if name == "fakeapp" or name.startswith("fakeapp.")]:
        del sys.modules[name]


def test_mizan_clients_registers_the_apps_functions_by_python_name(fake_app: str) -> None:
    import importlib

    registry = Registry()
    module = importlib.import_module(f"{fake_app}.clients")
    registry.register(module.already, "custom.already")
    names = registry.mizan_clients(fake_app)
    assert names == ["first", "second"]
    assert [name for name, _ in registry.items()] == ["custom.already", "first", "second"]
    assert "imported_helper" not in registry
    assert registry.mizan_clients(fake_app) == []


def test_mizan_clients_without_a_clients_module_says_what_to_create(fake_app: str, tmp_path: Path) -> None:
    (tmp_path / "emptyapp").mkdir()
    (tmp_path / "emptyapp" / "__init__.py").write_text("")
    with pytest.raises(ModuleNotFoundError, match=r"no module 'emptyapp.clients'; create emptyapp/clients.py"):
        Registry().mizan_clients("emptyapp")
    del sys.modules["emptyapp"]


def test_mizan_clients_does_not_hide_an_import_error_inside_clients(fake_app: str, tmp_path: Path) -> None:
    (tmp_path / "brokenapp").mkdir()
    (tmp_path / "brokenapp" / "__init__.py").write_text("")
    (tmp_path / "brokenapp" / "clients.py").write_text("import module_that_does_not_exist_anywhere\n")
    with pytest.raises(ModuleNotFoundError) as info:
        Registry().mizan_clients("brokenapp")
    assert info.value.name == "module_that_does_not_exist_anywhere"
    del sys.modules["brokenapp"]
