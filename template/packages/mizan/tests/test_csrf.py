"""CSRF: Django's own check, enforced for session users; anonymous JSON calls need no token."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.conftest import Api

pytestmark = pytest.mark.django_db


def test_anonymous_json_calls_need_no_token(csrf_api: Api) -> None:
    assert csrf_api.call("echo", {"text": "hi"}).status_code == 200


@pytest.mark.parametrize(
    ("path", "body"), [("call/echo/", {"text": "x"}), ("call/", {"fn": "echo"}), ("batch/", {"calls": []})]
)
def test_session_post_without_token_is_forbidden(
    csrf_api: Api, alice: User, path: str, body: dict[str, object]
) -> None:
    csrf_api.client.force_login(alice)
    response = csrf_api.post(path, body)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "FORBIDDEN"
    assert "CSRF verification failed" in error["message"]
    assert "X-CSRFToken" in error["message"]
    assert "/api/mizan/session/" in error["message"]


def test_session_post_with_a_wrong_token_is_forbidden(csrf_api: Api, alice: User) -> None:
    csrf_api.client.force_login(alice)
    csrf_api.client.get("/api/mizan/session/")
    response = csrf_api.call("whoami", headers={"X-CSRFToken": "x" * 32})
    assert response.status_code == 403
    assert response.json()["error"]["details"]["reason"]


def test_session_post_with_the_token_passes(csrf_api: Api, alice: User) -> None:
    csrf_api.client.force_login(alice)
    token = csrf_api.client.get("/api/mizan/session/").json()["csrfToken"]
    response = csrf_api.call("whoami", headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert response.json()["result"] == "alice"


def test_session_get_reads_need_no_token(csrf_api: Api, alice: User) -> None:
    csrf_api.client.force_login(alice)
    response = csrf_api.client.get("/api/mizan/call/current_user/")
    assert response.status_code == 200
    assert response.json()["result"]["username"] == "alice"


def test_the_function_does_not_run_when_csrf_fails(csrf_api: Api, alice: User) -> None:
    from tests.testapp.models import Todo

    csrf_api.client.force_login(alice)
    assert csrf_api.call("add_todo", {"list_id": 1, "title": "x"}).status_code == 403
    assert not Todo.objects.exists()
