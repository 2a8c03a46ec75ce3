"""Shared fixtures: HTTP helpers, users, and an isolated registry for tests that register their own functions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from mizan.core import registry


class Api:
    """Posts JSON to the Mizan endpoints through a Django test client."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def post(self, path: str, body: Any, **extra: Any) -> Any:
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.post(f"/api/mizan/{path}", data=data, content_type="application/json", **extra)

    def call(self, fn: str, args: dict[str, Any] | None = None, **extra: Any) -> Any:
        return self.post(f"call/{fn}/", args or {}, **extra)


@pytest.fixture
def api(client: Client) -> Api:
    return Api(client)


@pytest.fixture
def csrf_api() -> Api:
    """A client that enforces CSRF, as a browser's requests are checked."""
    return Api(Client(enforce_csrf_checks=True))


@pytest.fixture
def alice(db: None) -> User:
    return User.objects.create_user("alice", password="pw-alice")


@pytest.fixture
def staff(db: None) -> User:
    return User.objects.create_user("sam", password="pw-sam", is_staff=True)


@pytest.fixture
def root(db: None) -> User:
    return User.objects.create_superuser("root", password="pw-root")


@pytest.fixture
def isolated_registry() -> Iterator[None]:
    """Restore the registry after a test that registers functions of its own."""
    entries = dict(registry._entries)
    duplicates = list(registry._duplicates)
    yield
    registry._entries = entries
    registry._duplicates = duplicates
    registry.version += 1
