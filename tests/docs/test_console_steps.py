"""The comparison rules the guide's tests rely on: a lenient matcher would let a wrong example pass."""

from __future__ import annotations

import pytest
from console_steps import lines_match, parse_curl, value_matches


def test_curl_post_json() -> None:
    request = parse_curl('curl -s localhost:8000/api/mizan/call/echo/ --json \'{"text": "hi"}\'')
    assert (request.method, request.url, request.body) == (
        "POST",
        "localhost:8000/api/mizan/call/echo/",
        '{"text": "hi"}',
    )
    assert request.headers["Content-Type"] == "application/json"


def test_curl_get_urlencodes_args() -> None:
    request = parse_curl("curl -si -G localhost:8000/x/ --data-urlencode 'args={\"a\": 1}'")
    assert request.method == "GET" and request.include
    assert request.urlencoded == ["args=%7B%22a%22%3A%201%7D"]


def test_curl_unknown_option_is_an_error() -> None:
    with pytest.raises(ValueError, match="--compressed"):
        parse_curl("curl --compressed localhost:8000/")


def test_value_wildcard_and_strictness() -> None:
    assert value_matches({"a": "...", "b": [1]}, {"a": {"x": 1}, "b": [1]})
    assert not value_matches({"a": 1}, {"a": 1, "b": 2})
    assert not value_matches({"a": 1}, {"a": True})
    assert not value_matches([1, 2], [1])


def test_lines_wildcard() -> None:
    assert lines_match(["a", "...", "d"], ["a", "b", "c", "d"])
    assert lines_match(["a", "..."], ["a"])
    assert not lines_match(["a", "d"], ["a", "b", "d"])
