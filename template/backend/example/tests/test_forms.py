from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from example.models import Todo
from example.tests.api import call

pytestmark = pytest.mark.django_db

PASSWORD = "plum-Orbit-7741-lantern"


@pytest.fixture
def ada(client: Client) -> Client:
    get_user_model().objects.create_user("ada", password=PASSWORD)
    client.login(username="ada", password=PASSWORD)
    return client


def test_the_form_schema_carries_django_rules(ada: Client) -> None:
    status, body = call(ada, "new_todo.schema")
    assert status == 200
    fields = body["result"]["fields"]
    assert fields["title"]["rules"] == {"max_length": 200, "min_length": 3, "no_null_characters": True}
    assert fields["list_id"]["widget"] == "hidden"
    assert fields["list_id"]["rules"]["min_value"] == 0


def test_submit_saves_and_refreshes_the_list(ada: Client) -> None:
    status, body = call(ada, "new_todo.submit", list_id=3, title="  Buy milk ")
    assert status == 200, body
    assert body["result"]["title"] == "Buy milk"
    assert body["invalidate"] == ["todo_list?list_id=3", "todo_stats?list_id=3"]
    todo = Todo.objects.get(pk=body["result"]["id"])
    assert (todo.list_id, todo.title, todo.author.username) == (3, "Buy milk", "ada")


def test_a_duplicate_title_is_a_server_only_error_at_the_field(ada: Client) -> None:
    call(ada, "new_todo.submit", list_id=3, title="Buy milk")
    status, body = call(ada, "new_todo.submit", list_id=3, title="buy MILK")
    assert status == 422
    assert body["error"]["details"]["fields"] == {"title": ["This list already has an item with that title."]}
    assert Todo.objects.count() == 1


def test_a_short_title_is_refused_and_anonymous_callers_are_not_served(ada: Client) -> None:
    status, body = call(ada, "new_todo.submit", list_id=3, title="ab")
    assert status == 422
    too_short = "Ensure this value has at least 3 characters (it has 2)."
    assert body["error"]["details"]["fields"] == {"title": [too_short]}
    assert call(Client(), "new_todo.submit", list_id=3, title="Buy milk")[0] == 401
