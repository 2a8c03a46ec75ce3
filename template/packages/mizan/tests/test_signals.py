"""`keys_invalidated` is sent after a mutation commits, with its keys, and never for a rolled-back one."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import AsyncClient

from mizan.signals import keys_invalidated
from tests.conftest import Api


@pytest.fixture
def received() -> Iterator[list[dict[str, Any]]]:
    seen: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        seen.append(kwargs)

    keys_invalidated.connect(receiver)
    yield seen
    keys_invalidated.disconnect(receiver)


@pytest.mark.django_db(transaction=True)
def test_a_committed_mutation_announces_its_keys(api: Api, received: list[dict[str, Any]]) -> None:
    response = api.call("add_todo", {"list_id": 1, "title": "kept"})
    assert response.status_code == 200
    assert received == [{"signal": keys_invalidated, "function": "add_todo", "keys": response.json()["invalidate"]}]
    assert received[0]["keys"]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_mutation_announces_nothing(
    api: Api, received: list[dict[str, Any]], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="mizan"):
        assert api.call("add_todo_then_fail", {"list_id": 1, "title": "ghost"}).status_code == 500
    assert received == []


@pytest.mark.django_db(transaction=True)
def test_a_read_announces_nothing(api: Api, received: list[dict[str, Any]]) -> None:
    assert api.call("todo_list", {"list_id": 1}).status_code == 200
    assert received == []


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_an_async_mutation_announces_after_commit(received: list[dict[str, Any]]) -> None:
    response = await AsyncClient().post(
        "/api/mizan/call/in_atomic_mutation_async/", {}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert [event["keys"] for event in received] == [response.json()["invalidate"]]


@pytest.mark.django_db(transaction=True)
def test_a_failing_receiver_is_logged_and_the_call_still_succeeds(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("receiver broke")

    keys_invalidated.connect(broken)
    try:
        with caplog.at_level(logging.ERROR, logger="mizan"):
            assert api.call("add_todo", {"list_id": 1, "title": "kept"}).status_code == 200
    finally:
        keys_invalidated.disconnect(broken)
    assert "receiver" in caplog.text and "committed" in caplog.text
