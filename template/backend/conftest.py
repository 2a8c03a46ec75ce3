"""Fixtures every backend test gets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from mizan import cache


@pytest.fixture(autouse=True)
def fresh_origin_cache() -> Iterator[None]:
    """Each test starts with an empty in-process origin cache.

    The database is rolled back after every test and ids are reused, so an entry cached by one test (user 1 is
    "grace") would otherwise answer the next (user 1 is "ada").
    """
    cache.reset()
    yield
    cache.reset()
