"""An HTTP client on the project's ASGI app, as uvicorn would drive it, that counts the requests Django saw."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from django.core.asgi import get_asgi_application
from django.core.signals import request_started

from mizan import wrap_asgi

__all__ = ["Visitor", "fresh_visitor"]


class Visitor:
    """An HTTP client on the ASGI app that counts how many of its requests reached Django."""

    def __init__(self, http: httpx.AsyncClient, reached: list[int]) -> None:
        self.http = http
        self._reached = reached

    @property
    def reached_django(self) -> int:
        return len(self._reached)

    async def read(self, fn: str, args: dict[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
        params = {} if args is None else {"args": json.dumps(args)}
        return await self.http.get(f"/api/mizan/call/{fn}/", params=params, **kwargs)


@asynccontextmanager
async def fresh_visitor() -> AsyncIterator[Visitor]:
    """A new app (it reads the settings at its first request) and a client on it."""
    reached: list[int] = []

    def count(**kwargs: Any) -> None:
        reached.append(1)

    request_started.connect(count)
    transport = httpx.ASGITransport(app=wrap_asgi(get_asgi_application()))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield Visitor(http, reached)
    finally:
        request_started.disconnect(count)
