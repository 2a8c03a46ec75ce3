"""A mutation runs inside transaction.atomic(): an exception leaves no partial write."""

from __future__ import annotations

import logging

import pytest
from django.test import AsyncClient

from tests.conftest import Api
from tests.testapp.models import Todo


@pytest.mark.django_db(transaction=True)
def test_a_failing_mutation_leaves_no_write(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="mizan"):
        response = api.call("add_todo_then_fail", {"list_id": 1, "title": "ghost"})
    assert response.status_code == 500
    assert not Todo.objects.filter(title="ghost").exists()


@pytest.mark.django_db(transaction=True)
def test_a_successful_mutation_commits(api: Api) -> None:
    assert api.call("add_todo", {"list_id": 1, "title": "kept"}).status_code == 200
    assert Todo.objects.filter(title="kept").exists()


@pytest.mark.django_db(transaction=True)
def test_only_mutations_are_wrapped(api: Api) -> None:
    assert api.call("in_atomic_read").json()["result"] is False
    assert api.call("in_atomic_mutation").json()["result"] is True


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_failing_async_mutation_leaves_no_write(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="mizan"):
        response = await AsyncClient().post(
            "/api/mizan/call/add_todo_then_fail_async/",
            {"list_id": 1, "title": "ghost"},
            content_type="application/json",
        )
    assert response.status_code == 500
    assert not await Todo.objects.filter(title="ghost").aexists()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_an_async_mutation_is_atomic_and_still_awaited_on_the_event_loop() -> None:
    response = await AsyncClient().post(
        "/api/mizan/call/in_atomic_mutation_async/", {}, content_type="application/json"
    )
    assert response.json()["result"] == {"in_atomic_block": True, "in_event_loop": True}
