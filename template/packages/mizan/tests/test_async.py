"""Under ASGI: async functions are awaited on the event loop; sync ones run in a worker thread and never block it."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import User
from django.test import AsyncClient


async def _call(client: AsyncClient, fn: str, args: dict[str, Any] | None = None) -> Any:
    return await client.post(f"/api/mizan/call/{fn}/", args or {}, content_type="application/json")


@pytest.mark.asyncio
async def test_async_functions_run_on_the_event_loop() -> None:
    response = await _call(AsyncClient(), "async_probe")
    assert response.status_code == 200
    result = response.json()["result"]
    assert result == {"thread": threading.get_ident(), "in_event_loop": True}


@pytest.mark.asyncio
async def test_sync_functions_run_in_a_worker_thread() -> None:
    response = await _call(AsyncClient(), "sync_probe")
    result = response.json()["result"]
    assert result["in_event_loop"] is False
    assert result["thread"] != threading.get_ident()


@pytest.mark.asyncio
async def test_a_slow_sync_function_does_not_block_the_loop() -> None:
    ticks = 0
    done = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not done.is_set():
            await asyncio.sleep(0.02)
            ticks += 1

    async def slow_call() -> Any:
        try:
            return await _call(AsyncClient(), "sync_probe", {"sleep": 0.4})
        finally:
            done.set()

    response, _ = await asyncio.gather(slow_call(), ticker())
    assert response.status_code == 200
    # A blocked loop would tick once or not at all while the function sleeps for 0.4 s.
    assert ticks >= 10


@pytest.mark.asyncio
async def test_async_functions_run_concurrently() -> None:
    client = AsyncClient()
    started = time.monotonic()
    responses = await asyncio.gather(*(_call(client, "async_probe", {"sleep": 0.3}) for _ in range(4)))
    elapsed = time.monotonic() - started
    assert all(response.status_code == 200 for response in responses)
    assert elapsed < 1.0, f"4 x 0.3 s took {elapsed:.2f} s: the calls ran one after another"


@pytest.mark.asyncio
async def test_batch_and_envelope_through_asgi() -> None:
    client = AsyncClient()
    batch = await client.post(
        "/api/mizan/batch/",
        {"calls": [{"fn": "echo", "args": {"text": "a"}}, {"fn": "async_probe"}]},
        content_type="application/json",
    )
    results = batch.json()["results"]
    assert results[0]["result"] == {"message": "a"}
    assert results[1]["result"]["in_event_loop"] is True
    envelope = await client.post(
        "/api/mizan/call/", {"fn": "echo", "args": {"text": "b"}}, content_type="application/json"
    )
    assert envelope.json()["result"] == {"message": "b"}


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_auth_under_asgi_for_sync_and_async_rules() -> None:
    user: User = await sync_to_async(User.objects.create_user)("alice", password="pw")
    client = AsyncClient()
    assert (await _call(client, "alice_only_async")).status_code == 401
    assert (await _call(client, "whoami")).status_code == 401
    await client.aforce_login(user)
    assert (await _call(client, "alice_only_async")).json()["result"] == "hello alice (async)"
    assert (await _call(client, "alice_only")).json()["result"] == "hello alice"
    assert (await _call(client, "whoami")).json()["result"] == "alice"
    assert (await _call(client, "staff_report")).status_code == 403
