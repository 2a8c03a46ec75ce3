"""Bearer tokens (mizan.tokens): signed with MIZAN_MWT_SECRET, act as their user, need no CSRF, revocable."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from mizan.core import FeatureDisabled, Unauthorized
from mizan.tokens import issue_token, user_for_token

SECRET = "mwt-tests-secret-0123456789abcdefghijklmnopqrstuvwxyz"


@pytest.fixture(autouse=True)
def mwt_secret(settings: Any) -> None:
    settings.MIZAN_MWT_SECRET = SECRET


@pytest.fixture
def ada(db: None) -> User:
    return User.objects.create_user("ada", password="pw")


def whoami(token: str, **extra: Any) -> Any:
    browser = Client(enforce_csrf_checks=True)  # as strict as a browser's requests are checked
    return browser.post(
        "/api/mizan/call/whoami/", {}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}", **extra
    )


def test_a_token_acts_as_its_user_without_a_csrf_token(ada: User) -> None:
    issued = issue_token(ada)
    response = whoami(issued.token)
    assert response.status_code == 200, response.content
    assert response.json()["result"] == "ada"


def test_a_get_read_with_a_token_varies_on_authorization(ada: User) -> None:
    token = issue_token(ada).token
    response = Client().get("/api/mizan/call/current_user/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.json()["result"]["username"] == "ada"
    assert "Authorization" in response["Vary"]


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "not valid"),
        (lambda token: "not-a-token", "not valid"),
    ],
)
def test_a_forged_token_is_unauthorized(ada: User, spoil: Any, message: str) -> None:
    response = whoami(spoil(issue_token(ada).token))
    assert response.status_code == 401
    assert message in response.json()["error"]["message"]


def test_an_expired_token_is_unauthorized(ada: User) -> None:
    response = whoami(issue_token(ada, ttl=-1).token)
    assert response.status_code == 401
    assert "expired" in response.json()["error"]["message"]


def test_rotating_the_secret_revokes_every_token(ada: User, settings: Any) -> None:
    token = issue_token(ada).token
    settings.MIZAN_MWT_SECRET = SECRET[::-1]
    response = whoami(token)
    assert response.status_code == 401
    assert "rotated MIZAN_MWT_SECRET" in response.json()["error"]["message"]


def test_an_inactive_user_loses_access_at_the_next_request(ada: User) -> None:
    token = issue_token(ada).token
    User.objects.filter(pk=ada.pk).update(is_active=False)
    assert whoami(token).status_code == 401


def test_an_empty_bearer_header_is_unauthorized(db: None) -> None:
    response = Client().post("/api/mizan/call/echo/", {"text": "x"}, content_type="application/json", HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 401


def test_tokens_are_off_without_a_long_secret(ada: User, settings: Any) -> None:
    settings.MIZAN_MWT_SECRET = "short"
    with pytest.raises(FeatureDisabled, match="MIZAN_MWT_SECRET"):
        issue_token(ada)


def test_only_a_logged_in_user_gets_a_token(db: None) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Unauthorized):
        issue_token(AnonymousUser())
    assert user_for_token(issue_token(User.objects.create_user("grace")).token).username == "grace"
