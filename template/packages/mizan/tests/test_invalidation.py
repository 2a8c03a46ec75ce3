"""Invalidation over HTTP: keys in the body and header, view-path pass-through, `route=` mounting."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import Api
from tests.testapp.models import Todo

pytestmark = pytest.mark.django_db


def test_mutation_returns_auto_scoped_keys_in_body_and_header(api: Api) -> None:
    response = api.call("add_todo", {"list_id": 7, "title": "milk"})
    assert response.status_code == 200
    body = response.json()
    assert body["result"]["title"] == "milk"
    assert body["invalidate"] == ["todo_count?list_id=7", "todo_list?list_id=7"]
    assert response["X-Mizan-Invalidate"] == "todo_count?list_id=7,todo_list?list_id=7"
    assert Todo.objects.filter(list_id=7).count() == 1


def test_affects_a_function_and_a_name(api: Api) -> None:
    todo = Todo.objects.create(list_id=3, title="a")
    response = api.call("complete_todo", {"list_id": 3, "todo_id": todo.id})
    assert response.json() == {"result": None, "invalidate": ["current_user", "todo_count?list_id=3"]}


def test_failed_mutation_invalidates_nothing(api: Api) -> None:
    response = api.call("complete_todo", {"list_id": 3, "todo_id": 999})
    assert response.status_code == 404
    assert "X-Mizan-Invalidate" not in response
    assert "invalidate" not in response.json()


def test_reads_invalidate_nothing(api: Api) -> None:
    assert api.call("todo_list", {"list_id": 1}).json() == {"result": [], "invalidate": []}


def test_view_path_response_passes_through_with_header_and_no_store(api: Api) -> None:
    Todo.objects.create(list_id=5, title="a")
    response = api.call("clear_list_page", {"list_id": 5})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    assert response.content == b"cleared 1"
    assert response["X-Mizan-Invalidate"] == "todo_count?list_id=5,todo_list?list_id=5"
    assert response["Cache-Control"] == "no-store"


def test_route_mounts_the_view_at_its_url(client: Client) -> None:
    response = client.get("/profile/42/")
    assert response.status_code == 200
    assert response.content == b"<h1>Profile 42</h1>"
    assert response["Cache-Control"] == "no-store"
    assert "X-Mizan-Invalidate" not in response
    assert client.get("/profile/nope/").status_code == 404


def test_route_function_is_callable_through_the_api_too(api: Api) -> None:
    response = api.call("profile_page", {"id": 9})
    assert response.content == b"<h1>Profile 9</h1>"
    assert response["Cache-Control"] == "no-store"
