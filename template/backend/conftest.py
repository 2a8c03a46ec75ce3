"""Fixtures every backend test gets."""

from __future__ import annotations

import uuid
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def fresh_caches(settings: Any) -> None:
    """Each test gets empty caches of its own, in this process, even when `.env` points REDIS_URL at a server.

    The database is rolled back after every test and ids are reused, so an origin-cache entry of one test
    (user 1 is "grace") would otherwise answer the next (user 1 is "ada"), and rate-limit counters (`rate=` on
    `login` and `sign_up`) would add up across tests. The settings fixture restores both afterwards.
    """
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }
    settings.MIZAN_CACHE_REDIS_URL = ""  # changing it gives the origin cache a fresh in-process backend
