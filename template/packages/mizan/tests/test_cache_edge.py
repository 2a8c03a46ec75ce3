"""The edge (mizan.cache.EdgeCache) in front of the real Django app: what it answers, what it leaves to Django.

Each test drives `wrap_asgi(get_asgi_application())` over ASGI, as uvicorn would, and counts Django's requests with
its `request_started` signal: a read the edge answered never reaches Django.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from django.core.checks import run_checks
from django.http import HttpRequest
from django.middleware.csrf import get_token

from mizan import cache
from mizan.client import client
from mizan.setup import register
from tests.asgi_visitor import Visitor, fresh_visitor

SECRET = "cache-tests-secret-0123456789abcdefghijklmnop"
runs: Counter[str] = Counter()
shelves: dict[int, list[str]] = {}


@client(context="shelf")
def shelf(request: HttpRequest, shelf_id: int) -> list[str]:
    """What is on one shelf; counts its runs."""
    runs["shelf"] += 1
    return shelves.get(shelf_id, [])


@client(affects="shelf")
def restock(request: HttpRequest, shelf_id: int, item: str) -> None:
    """Adds an item: purges shelf?shelf_id=<id>."""
    shelves.setdefault(shelf_id, []).append(item)


@client(context="global", rate="2/m")
def limited(request: HttpRequest) -> int:
    """Cached, but rate-limited per caller: the edge must leave every read to Django."""
    runs["limited"] += 1
    return 1


@client(context="global", auth=True)
def members_only(request: HttpRequest) -> str:
    """Needs a login: an anonymous read is refused by Django, so there is nothing for the edge to replay."""
    return "members"


@client(context="global")
def sets_a_cookie(request: HttpRequest) -> str:
    """Its answer sets the csrftoken cookie: a cookie is per answer, so the edge must not replay it."""
    runs["sets_a_cookie"] += 1
    get_token(request)
    return "token set"


@pytest.fixture
def edge_on(settings: Any, isolated_registry: None, transactional_db: None) -> Iterator[None]:
    settings.MIZAN_CACHE_SECRET = SECRET
    settings.MIZAN_CACHE_REDIS_URL = ""
    for fn in (shelf, restock, limited, members_only, sets_a_cookie):
        register(fn, fn.__name__)
    runs.clear()
    shelves.clear()
    yield
    cache.reset()


@pytest_asyncio.fixture
async def visitor(edge_on: None) -> AsyncIterator[Visitor]:
    async with fresh_visitor() as made:
        yield made


def _headers(response: httpx.Response) -> list[tuple[str, str]]:
    return sorted((name, value) for name, value in response.headers.items() if name not in ("date", "server"))


@pytest.mark.asyncio
async def test_an_anonymous_hit_is_answered_before_django_with_djangos_answer(visitor: Visitor) -> None:
    shelves[1] = ["tea"]
    first = await visitor.read("shelf", {"shelf_id": 1})
    assert (first.status_code, first.json()) == (200, {"result": ["tea"], "invalidate": []})
    assert visitor.reached_django == 1

    again = await visitor.read("shelf", {"shelf_id": 1})
    assert visitor.reached_django == 1  # the edge answered
    assert runs["shelf"] == 1
    assert again.content == first.content
    assert _headers(again) == _headers(first)  # the middleware's headers too (Vary, nosniff, ...), and the ETag
    assert {"etag", "vary", "cache-control", "x-content-type-options"} <= {name for name, _ in _headers(again)}

    other = await visitor.read("shelf", {"shelf_id": 2})  # another entry: a miss, filled by Django
    assert other.json()["result"] == []
    assert visitor.reached_django == 2


@pytest.mark.asyncio
async def test_revalidation_and_head_at_the_edge_match_django(visitor: Visitor) -> None:
    shelves[1] = ["tea"]
    full = await visitor.read("shelf", {"shelf_id": 1})
    etag = full.headers["etag"]
    from_django = await visitor.read("shelf", {"shelf_id": 1}, headers={"If-None-Match": etag})
    assert (from_django.status_code, from_django.content) == (304, b"")
    reached = visitor.reached_django
    from_edge = await visitor.read("shelf", {"shelf_id": 1}, headers={"If-None-Match": f'"other", W/{etag}'})
    assert (from_edge.status_code, from_edge.content) == (304, b"")
    assert visitor.reached_django == reached
    assert _headers(from_edge) == _headers(from_django)

    head = await visitor.http.head("/api/mizan/call/shelf/", params={"args": '{"shelf_id": 1}'})
    assert visitor.reached_django == reached
    assert head.content == b""
    assert head.headers["content-length"] == str(len(full.content))
    assert _headers(head) == _headers(full)

    stale = await visitor.read("shelf", {"shelf_id": 1}, headers={"If-None-Match": '"not-it"'})
    assert (stale.status_code, stale.content) == (200, full.content)
    assert visitor.reached_django == reached


@pytest.mark.asyncio
async def test_a_purge_reaches_the_edge(visitor: Visitor) -> None:
    shelves[1] = ["tea"]
    await visitor.read("shelf", {"shelf_id": 1})
    await visitor.read("shelf", {"shelf_id": 2})
    stocked = await visitor.http.post("/api/mizan/call/restock/", json={"shelf_id": 1, "item": "cups"})
    assert stocked.json()["invalidate"] == ["shelf?shelf_id=1"]

    after = await visitor.read("shelf", {"shelf_id": 1})
    assert after.json()["result"] == ["tea", "cups"]  # purged: Django ran the function again
    assert runs["shelf"] == 3
    await visitor.read("shelf", {"shelf_id": 1})
    await visitor.read("shelf", {"shelf_id": 2})  # shelf 2 was kept, and both are answered at the edge again
    assert runs["shelf"] == 3


@pytest.mark.asyncio
async def test_whatever_django_might_answer_differently_goes_to_django(visitor: Visitor, settings: Any) -> None:
    settings.MIZAN_MWT_SECRET = "tokens-secret-0123456789abcdefghijklmnop"
    await visitor.read("shelf", {"shelf_id": 1})
    reached = visitor.reached_django

    visitor.http.cookies.set("sessionid", "not-a-session")  # a session: Django decides who this is
    assert (await visitor.read("shelf", {"shelf_id": 1})).status_code == 200
    visitor.http.cookies.clear()
    bearer = await visitor.read("shelf", {"shelf_id": 1}, headers={"Authorization": "Bearer nope"})
    assert (bearer.status_code, bearer.json()["error"]["code"]) == (401, "UNAUTHORIZED")  # a token: Django checks it
    extra = await visitor.http.get("/api/mizan/call/shelf/", params={"args": '{"shelf_id": 1}', "x": "1"})
    assert extra.status_code == 200
    other_host = await visitor.read("shelf", {"shelf_id": 1}, headers={"Host": "evil.example"})
    assert other_host.status_code == 400  # ALLOWED_HOSTS, checked by Django as always
    wrong_type = await visitor.read("shelf", {"shelf_id": "one"})
    assert (wrong_type.status_code, wrong_type.json()["error"]["code"]) == (422, "VALIDATION_ERROR")
    not_json = await visitor.http.get("/api/mizan/call/shelf/", params={"args": "{shelf"})
    assert (not_json.status_code, not_json.json()["error"]["code"]) == (400, "BAD_REQUEST")
    assert visitor.reached_django == reached + 6

    visitor.http.cookies.set("csrftoken", "x" * 32)  # other cookies change nothing for an anonymous read
    assert (await visitor.read("shelf", {"shelf_id": 1})).status_code == 200
    assert visitor.reached_django == reached + 6


@pytest.mark.asyncio
async def test_rate_limits_auth_rules_and_cookies_are_never_bypassed(visitor: Visitor) -> None:
    statuses = [(await visitor.read("limited")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]  # every read counted by Django, though the answer is cached
    assert runs["limited"] == 1
    assert [(await visitor.read("members_only")).status_code for _ in range(2)] == [401, 401]
    first = await visitor.read("sets_a_cookie")
    assert "csrftoken" in first.cookies
    visitor.http.cookies.clear()
    await visitor.read("sets_a_cookie")
    assert visitor.reached_django == 3 + 2 + 2  # an answer that set a cookie is not replayed: Django answered again
    assert runs["sets_a_cookie"] == 1  # still served from the cache, inside Django


@pytest.mark.asyncio
async def test_middleware_that_has_not_said_it_is_safe_keeps_the_edge_off(settings: Any, edge_on: None) -> None:
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.testapp.middleware.StampMiddleware"]
    assert cache.edge_blockers() == ["tests.testapp.middleware.StampMiddleware"]
    assert "mizan.I020" in [message.id for message in run_checks()]
    async with fresh_visitor() as off:
        answers = [await off.read("shelf", {"shelf_id": 1}) for _ in range(2)]
        assert off.reached_django == 2
        assert [answer.headers["x-stamp"] for answer in answers] == ["1", "2"]  # what the middleware does per request

    settings.MIZAN_CACHE_EDGE = True  # the project vouches for its middleware
    assert "mizan.I020" not in [message.id for message in run_checks()]
    async with fresh_visitor() as vouched:
        await vouched.read("shelf", {"shelf_id": 1})
        await vouched.read("shelf", {"shelf_id": 1})
        assert vouched.reached_django == 1

    settings.MIDDLEWARE = [*settings.MIDDLEWARE[:-1], "tests.testapp.middleware.DeclaredSafeMiddleware"]
    del settings.MIZAN_CACHE_EDGE
    assert cache.edge_blockers() == []
    settings.MIZAN_CACHE_EDGE = False
    async with fresh_visitor() as turned_off:
        await turned_off.read("shelf", {"shelf_id": 1})
        await turned_off.read("shelf", {"shelf_id": 1})
        assert turned_off.reached_django == 2


@pytest.mark.asyncio
async def test_an_answer_whose_body_middleware_rewrote_is_never_replayed(settings: Any, edge_on: None) -> None:
    settings.MIDDLEWARE = ["django.middleware.gzip.GZipMiddleware", *settings.MIDDLEWARE]
    settings.MIZAN_CACHE_EDGE = True  # vouched for, wrongly: GZip changes the body per Accept-Encoding
    shelves[1] = ["tea " * 100]
    async with fresh_visitor() as visitor:
        answers = [await visitor.read("shelf", {"shelf_id": 1}, headers={"Accept-Encoding": "gzip"}) for _ in range(2)]
        assert [answer.headers.get("content-encoding") for answer in answers] == ["gzip", "gzip"]
        assert answers[1].json()["result"] == ["tea " * 100]
        assert visitor.reached_django == 2  # the compressed body is not the entry: the edge did not learn it
    assert runs["shelf"] == 1


def test_a_bad_edge_setting_is_an_error_with_the_fix(settings: Any) -> None:
    settings.MIZAN_CACHE_SECRET = SECRET
    settings.MIZAN_CACHE_EDGE = "yes"
    errors = [message for message in run_checks() if message.id == "mizan.E023"]
    assert len(errors) == 1
    assert "True" in errors[0].hint
    assert "False" in errors[0].hint
