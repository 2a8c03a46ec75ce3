"""`auth=`: True, "staff", "superuser", callables (sync and async); 401 for anonymous, 403 for known users."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

from tests.conftest import Api

pytestmark = pytest.mark.django_db

FUNCTIONS = [
    "whoami",
    "staff_report",
    "superuser_report",
    "alice_only",
    "alice_only_async",
    "alice_only_sync_with_async_rule",
    "alice_only_async_with_sync_rule",
]


@pytest.mark.parametrize("fn", FUNCTIONS)
def test_anonymous_gets_unauthorized(api: Api, fn: str) -> None:
    response = api.call(fn)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHORIZED"


@pytest.mark.parametrize(
    ("username", "password", "allowed"),
    [
        (
            "alice",
            "pw-alice",
            {
                "whoami",
                "alice_only",
                "alice_only_async",
                "alice_only_sync_with_async_rule",
                "alice_only_async_with_sync_rule",
            },
        ),
        ("sam", "pw-sam", {"whoami", "staff_report"}),
        ("root", "pw-root", {"whoami", "staff_report", "superuser_report"}),
    ],
)
def test_known_users_get_forbidden_or_the_result(
    client: Client, alice: User, staff: User, root: User, username: str, password: str, allowed: set[str]
) -> None:
    assert client.login(username=username, password=password)
    api = Api(client)
    for fn in FUNCTIONS:
        response = api.call(fn)
        if fn in allowed:
            assert response.status_code == 200, (fn, response.content)
        else:
            assert response.status_code == 403, (fn, response.content)
            assert response.json()["error"]["code"] == "FORBIDDEN"


def test_the_result_sees_the_user(client: Client, alice: User) -> None:
    client.login(username="alice", password="pw-alice")
    assert Api(client).call("whoami").json()["result"] == "alice"


def test_auth_is_checked_before_validation(api: Api) -> None:
    # An anonymous caller learns nothing about the arguments of a protected function.
    assert api.call("whoami", {"unexpected": 1}).status_code == 401


def test_login_then_logout_through_functions(api: Api, alice: User) -> None:
    wrong = api.call("login", {"username": "alice", "password": "nope"})
    assert wrong.status_code == 422
    assert wrong.json()["error"]["details"]["fields"] == {"": ["Wrong username or password."]}

    response = api.call("login", {"username": "alice", "password": "pw-alice"})
    assert response.status_code == 200
    assert response.json() == {"result": {"authenticated": True, "username": "alice"}, "invalidate": ["current_user"]}
    assert response["X-Mizan-Invalidate"] == "current_user"
    assert api.client.get("/api/mizan/call/current_user/").json()["result"]["username"] == "alice"

    token = api.client.get("/api/mizan/session/").json()["csrfToken"]
    out = api.call("logout", headers={"X-CSRFToken": token})
    assert out.status_code == 200
    assert out.json()["invalidate"] == ["current_user"]
    assert api.call("whoami").status_code == 401


@override_settings(
    MIDDLEWARE=["django.contrib.sessions.middleware.SessionMiddleware", "django.middleware.common.CommonMiddleware"]
)
def test_without_authentication_middleware_every_caller_is_anonymous(api: Api) -> None:
    assert api.call("echo", {"text": "x"}).status_code == 200
    assert api.call("whoami").status_code == 401
