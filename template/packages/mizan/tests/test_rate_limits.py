"""`@client(rate=...)`: counted per key over Django's cache, refused with 429 RATE_LIMITED and Retry-After."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.http import HttpRequest
from django.test import Client

from mizan.client import Rate, client
from mizan.errors import ValidationError
from mizan.setup import register


@client(affects="current_user", rate=[Rate.parse("3/m", key="username"), Rate.parse("5/m", key="ip")])
def try_login(request: HttpRequest, username: str, password: str) -> bool:
    """Fails unless the password is 'right': every attempt counts, failed or not."""
    if password != "right":
        raise ValidationError(fields={"password": ["Wrong username or password."]})
    return True


@client(rate="2/h")
async def ping(request: HttpRequest) -> str:
    """Per user when logged in, per address otherwise."""
    return "pong"


@client(rate="2/2s")
def burst(request: HttpRequest) -> str:
    """A short period, so a test can cross the edge of a clock-aligned window."""
    return "ok"


@pytest.fixture(autouse=True)
def limited(isolated_registry: None, db: None) -> Iterator[None]:
    register(try_login, "try_login")
    register(ping, "ping")
    register(burst, "burst")
    caches["default"].clear()
    yield
    caches["default"].clear()


def call(http: Client, fn: str, ip: str = "10.0.0.1", **args: Any) -> Any:
    return http.post(f"/api/mizan/call/{fn}/", args, content_type="application/json", REMOTE_ADDR=ip)


def test_the_calls_over_the_rate_are_refused_with_retry_after(client: Client) -> None:
    answers = [call(client, "try_login", username="ada", password="wrong").status_code for _ in range(4)]
    assert answers == [422, 422, 422, 429]

    refused = call(client, "try_login", username="ada", password="right")
    assert refused.status_code == 429
    error = refused.json()["error"]
    assert error["code"] == "RATE_LIMITED"
    assert error["details"]["limit"] == "3/m"
    assert 1 <= error["details"]["retry_after"] <= 60
    assert refused["Retry-After"] == str(error["details"]["retry_after"])
    assert "per username" in error["message"]


def test_each_username_has_its_own_count_and_the_address_has_one_for_all(client: Client) -> None:
    for name in ("ada", "grace"):
        assert [call(client, "try_login", username=name, password="wrong").status_code for _ in range(2)] == [422] * 2
    # Five attempts from 10.0.0.1 so far this minute would be the sixth: the per-address rate refuses it.
    assert call(client, "try_login", username="alan", password="right").status_code == 200
    assert call(client, "try_login", username="alan", password="right").status_code == 429
    assert call(client, "try_login", ip="10.0.0.2", username="edsger", password="right").status_code == 200


def test_the_window_opens_at_the_first_call_not_at_an_edge_of_the_clock(client: Client) -> None:
    time.sleep(2 - time.time() % 2 + 1.7)  # 0.3 s before an even second, where a clock-aligned window would end
    assert [call(client, "burst").status_code for _ in range(2)] == [200, 200]
    time.sleep(max(0.0, 2 - time.time() % 2) + 0.1)  # now past that edge, well within 2 s of the first call
    refused = call(client, "burst")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "2"  # 1.6 s or so left of the caller's window, rounded up


def test_usernames_are_counted_without_case(client: Client) -> None:
    for name in ("Ada", "ADA", "ada"):
        call(client, "try_login", username=name, password="wrong")
    assert call(client, "try_login", ip="10.0.0.9", username="aDa", password="right").status_code == 429


@pytest.mark.django_db
def test_the_user_key_counts_a_logged_in_user_apart_from_the_anonymous_address(client: Client) -> None:
    assert [call(client, "ping").status_code for _ in range(3)] == [200, 200, 429]
    User.objects.create_user("ada", password="pw")
    client.login(username="ada", password="pw")
    assert [call(client, "ping").status_code for _ in range(3)] == [200, 200, 429]


def test_a_batch_refuses_the_call_over_the_rate_alone(client: Client) -> None:
    body = {"calls": [{"fn": "ping", "args": {}}] * 3}
    results = client.post("/api/mizan/batch/", body, content_type="application/json").json()["results"]
    assert [result.get("error", {}).get("code") for result in results] == [None, None, "RATE_LIMITED"]


def test_a_failing_cache_lets_calls_through_and_warns_once(client: Client, settings: Any, caplog: Any) -> None:
    settings.CACHES = {
        **settings.CACHES,
        "dead": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"},
    }
    settings.MIZAN_RATE_CACHE = "dead"
    with caplog.at_level(logging.WARNING, logger="mizan"):
        answers = [call(client, "ping").status_code for _ in range(4)]
    assert answers == [200] * 4
    warnings = [r for r in caplog.records if "rate limits are not enforced" in r.getMessage()]
    assert len(warnings) == 1
    assert "'dead'" in warnings[0].getMessage()


@pytest.mark.parametrize(
    ("text", "count", "seconds", "shown"),
    [("10/15m", 10, 900, "10/15m"), ("100/h", 100, 3600, "100/h"), ("5 / 30s", 5, 30, "5/30s"), ("1/d", 1, 86400, "1/d")],
)
def test_rates_parse_and_print(text: str, count: int, seconds: int, shown: str) -> None:
    rate = Rate.parse(text)
    assert (rate.count, rate.seconds, str(rate)) == (count, seconds, shown)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"rate": "ten/m"}, "is not COUNT/PERIOD such as '10/15m'"),
        ({"rate": "0/m"}, "at least 1 call"),
        ({"rate": "3/m", "rate_key": "email"}, "rate key 'email' is not 'ip', 'user', a callable or one of"),
        ({"rate_key": "ip"}, "rate_key= needs rate= as well"),
        ({"rate": [3]}, "rate= takes '10/15m', Rate(...) or a list of them"),
    ],
)
def test_a_bad_rate_is_a_type_error_at_decoration(options: dict[str, Any], message: str) -> None:
    with pytest.raises(TypeError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):

        @client(**options)
        def limited_fn(request: HttpRequest, username: str) -> None: ...
