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
    """A client logged in as a fresh user."""
    get_user_model().objects.create_user("ada", password=PASSWORD)
    client.login(username="ada", password=PASSWORD)
    return client


def test_current_user_is_anonymous_before_logging_in(client: Client) -> None:
    assert call(client, "current_user") == (
        200,
        {"result": {"is_authenticated": False, "username": None}, "invalidate": []},
    )


def test_sign_up_logs_in_and_refreshes_the_global_context(client: Client) -> None:
    status, body = call(client, "sign_up", username="grace", password=PASSWORD)

    assert status == 200
    assert body["result"] == {"is_authenticated": True, "username": "grace"}
    assert body["invalidate"] == ["current_user"]
    assert call(client, "current_user")[1]["result"] == {"is_authenticated": True, "username": "grace"}


def test_sign_up_refuses_a_taken_username_at_its_field(ada: Client) -> None:
    status, body = call(Client(), "sign_up", username="ada", password=PASSWORD)

    assert status == 422
    assert body["error"]["code"] == "VALIDATION_ERROR"
    assert body["error"]["details"]["fields"] == {"username": ["This username is taken."]}


def test_sign_up_refuses_a_weak_password_with_django_s_validators(client: Client) -> None:
    status, body = call(client, "sign_up", username="alan", password="123")

    assert status == 422
    assert list(body["error"]["details"]["fields"]) == ["password"]
    assert any("too short" in message for message in body["error"]["details"]["fields"]["password"])
    assert not get_user_model().objects.filter(username="alan").exists()


def test_login_with_a_wrong_password_is_a_field_error(ada: Client) -> None:
    status, body = call(Client(), "login", username="ada", password="wrong")

    assert status == 422
    assert body["error"]["details"]["fields"] == {"password": ["Wrong username or password."]}


def test_login_and_logout_change_the_current_user(client: Client) -> None:
    get_user_model().objects.create_user("ada", password=PASSWORD)

    status, body = call(client, "login", username="ada", password=PASSWORD)
    assert (status, body["invalidate"]) == (200, ["current_user"])
    assert call(client, "current_user")[1]["result"]["username"] == "ada"

    status, body = call(client, "logout")
    assert (status, body) == (200, {"result": None, "invalidate": ["current_user"]})
    assert call(client, "current_user")[1]["result"]["is_authenticated"] is False


def test_adding_needs_a_logged_in_user(client: Client) -> None:
    status, body = call(client, "add_todo", list_id=1, title="Buy milk")

    assert status == 401
    assert body["error"]["code"] == "UNAUTHORIZED"
    assert not Todo.objects.exists()


def test_add_todo_refreshes_only_the_list_it_touched(ada: Client) -> None:
    status, body = call(ada, "add_todo", list_id=7, title="  Buy milk  ")

    assert status == 200
    assert body["result"] == {"id": body["result"]["id"], "title": "Buy milk", "done": False, "author": "ada"}
    # affects="todo" expands to the context's functions, scoped by the mutation's own list_id.
    assert body["invalidate"] == ["todo_list?list_id=7", "todo_stats?list_id=7"]


def test_a_short_title_is_a_validation_error_at_the_title_field(ada: Client) -> None:
    status, body = call(ada, "add_todo", list_id=1, title="ab")

    assert status == 422
    assert list(body["error"]["details"]["fields"]) == ["title"]
    assert "at least 3 characters" in body["error"]["details"]["fields"]["title"][0]
    assert not Todo.objects.exists()


def test_the_todo_context_reads_one_list(ada: Client) -> None:
    call(ada, "add_todo", list_id=1, title="First")
    call(ada, "add_todo", list_id=1, title="Second")
    call(ada, "add_todo", list_id=2, title="Elsewhere")
    first = Todo.objects.get(title="First")
    call(ada, "toggle_todo", list_id=1, todo_id=first.id)

    status, body = call(Client(), "todo_list", list_id=1)
    assert status == 200
    assert [(item["title"], item["done"], item["author"]) for item in body["result"]] == [
        ("First", True, "ada"),
        ("Second", False, "ada"),
    ]
    assert call(Client(), "todo_stats", list_id=1)[1]["result"] == {"total": 2, "done": 1}
    assert call(Client(), "todo_stats", list_id=3)[1]["result"] == {"total": 0, "done": 0}


def test_toggling_an_item_of_another_list_is_not_found(ada: Client) -> None:
    call(ada, "add_todo", list_id=1, title="Mine")
    todo = Todo.objects.get()

    status, body = call(ada, "toggle_todo", list_id=2, todo_id=todo.id)

    assert status == 404
    assert body["error"]["code"] == "NOT_FOUND"
    assert Todo.objects.get().done is False


def test_list_ids_start_at_one(client: Client) -> None:
    status, body = call(client, "todo_list", list_id=0)

    assert status == 422
    assert list(body["error"]["details"]["fields"]) == ["list_id"]


def test_login_is_rate_limited_per_username(client: Client) -> None:
    get_user_model().objects.create_user("ada", password=PASSWORD)
    attempts = [call(client, "login", username="ada", password="guess")[0] for _ in range(10)]
    assert attempts == [422] * 10

    status, body = call(client, "login", username="ada", password=PASSWORD)  # even the right password, now
    assert status == 429
    assert body["error"]["code"] == "RATE_LIMITED"
    assert body["error"]["details"]["limit"] == "10/15m"
    # another account is not locked
    assert call(client, "login", username="grace", password="guess")[0] == 422


def test_a_list_id_beyond_the_column_is_a_validation_error(client: Client) -> None:
    status, body = call(client, "todo_list", list_id=2**31)
    assert status == 422
    assert list(body["error"]["details"]["fields"]) == ["list_id"]


def test_an_api_token_acts_as_its_user_without_cookies_or_csrf(client: Client) -> None:
    get_user_model().objects.create_user("ada", password=PASSWORD)
    status, body = call(client, "issue_api_token", username="ada", password=PASSWORD)
    assert status == 200
    token = body["result"]["token"]

    desktop = Client(enforce_csrf_checks=True)  # no session, no cookie, checked like a browser
    answer = desktop.post(
        "/api/mizan/call/add_todo/",
        {"list_id": 1, "title": "from the desktop app"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200, answer.content
    assert Todo.objects.get().author.username == "ada"
    assert call(client, "issue_api_token", username="ada", password="wrong")[0] == 422
