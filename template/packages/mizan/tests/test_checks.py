"""System checks: registry problems and settings, with ids and hints that say the fix."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.checks import Error, run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from mizan.client import client
from mizan.setup import register


def _mizan_messages() -> list[Any]:
    return [message for message in run_checks(tags=["mizan"]) if message.id.startswith("mizan.")]


def test_the_test_project_is_clean() -> None:
    assert _mizan_messages() == []


@pytest.mark.usefixtures("isolated_registry")
def test_conflicting_context_param_types() -> None:
    @client(context="todo")
    def todo_by_name(request: Any, list_id: str) -> int:
        return 0

    register(todo_by_name, "todo_by_name")
    [message] = _mizan_messages()
    assert isinstance(message, Error)
    assert message.id == "mizan.E001"
    assert message.msg.startswith("Context 'todo': parameter 'list_id' has different types: str in 'todo_by_name'; ")
    assert "int, FieldInfo(" in message.msg
    assert message.msg.endswith("in 'todo_count', 'todo_list'.")
    assert "same type in every function with context='todo'" in message.hint


@pytest.mark.usefixtures("isolated_registry")
def test_affects_naming_an_unknown_context() -> None:
    @client(affects="todos")
    def typo(request: Any) -> None: ...

    register(typo, "typo")
    [message] = _mizan_messages()
    assert message.id == "mizan.E002"
    assert "affects='todos'" in message.msg
    assert "known: global, todo" in message.hint


@pytest.mark.usefixtures("isolated_registry")
def test_affects_naming_an_unregistered_function() -> None:
    @client(context="todo")
    def hidden(request: Any, list_id: int) -> int:
        return 0

    @client(affects=hidden)
    def touches_hidden(request: Any) -> None: ...

    register(touches_hidden, "touches_hidden")
    [message] = _mizan_messages()
    assert message.id == "mizan.E002"
    assert "not registered" in message.msg
    assert "register(fn, name)" in message.hint


@pytest.mark.usefixtures("isolated_registry")
def test_duplicate_registered_name() -> None:
    @client
    def echo(request: Any) -> str:
        return "another echo"

    register(echo, "echo")
    [message] = _mizan_messages()
    assert message.id == "mizan.E003"
    assert "'echo' is registered to tests.testapp.clients.echo and again to" in message.msg
    assert "register(echo, '<app>.echo')" in message.hint


@pytest.mark.usefixtures("isolated_registry")
def test_manage_py_check_fails_with_the_message() -> None:
    @client(affects="nowhere")
    def lost(request: Any) -> None: ...

    register(lost, "lost")
    with pytest.raises(SystemCheckError, match=r"mizan.E002"):
        call_command("check")


@override_settings(ROOT_URLCONF="tests.project.urls_without_routes")
def test_route_functions_that_no_url_mounts() -> None:
    [message] = _mizan_messages()
    assert message.id == "mizan.W002"
    assert "profile_page" in message.msg
    assert "include('mizan.routes')" in message.hint


@override_settings(MIDDLEWARE=["django.contrib.sessions.middleware.SessionMiddleware"])
def test_auth_without_authentication_middleware() -> None:
    [message] = _mizan_messages()
    assert message.id == "mizan.W001"
    assert "AuthenticationMiddleware" in message.hint


@pytest.mark.parametrize("value", [0, -1, "1MB", 1.5, True])
def test_bad_body_limit_setting(value: object) -> None:
    with override_settings(MIZAN_MAX_BODY_BYTES=value):
        [message] = _mizan_messages()
    assert message.id == "mizan.E010"
    assert "MIZAN_MAX_BODY_BYTES = 1048576" in message.hint


def test_bad_expose_schema_setting() -> None:
    with override_settings(MIZAN_EXPOSE_SCHEMA="yes"):
        [message] = _mizan_messages()
    assert message.id == "mizan.E011"


@pytest.mark.parametrize("value", [0, -5, "100", True])
def test_bad_batch_limit_setting(value: object) -> None:
    with override_settings(MIZAN_MAX_BATCH_CALLS=value):
        [message] = _mizan_messages()
    assert message.id == "mizan.E012"
    assert "MIZAN_MAX_BATCH_CALLS = 100" in message.hint


def test_sqlite_without_immediate_transactions(monkeypatch: pytest.MonkeyPatch) -> None:
    # Overriding DATABASES itself would reset Django's connections; one more alias is all the check reads.
    from django.conf import settings

    monkeypatch.setitem(settings.DATABASES, "other", {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"})
    [message] = _mizan_messages()
    assert message.id == "mizan.W003"
    assert "'other'" in message.msg and "database is locked" in message.msg
    assert '"transaction_mode": "IMMEDIATE"' in message.hint


def test_a_short_token_secret() -> None:
    with override_settings(MIZAN_MWT_SECRET="short"):
        [message] = _mizan_messages()
    assert message.id == "mizan.E013"
    assert "token_urlsafe" in message.hint
