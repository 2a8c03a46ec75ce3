"""Runs the guide's console commands for real and compares what happens with what the guide shows.

`$ curl ...` goes through Django's test client (with CSRF checks on, as a real curl gets them): the URL,
method, headers and body are taken from the curl options. Its shown output may start with curl's `-i` status
line and a subset of the headers; the body is compared as JSON when it is JSON. `$ python manage.py ...`
runs as a subprocess in the example project. In expected output, a line `...` stands for any number of lines
and the JSON string `"..."` for any value.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from django.test import Client

__all__ = ["CurlRequest", "check_curl", "check_manage", "lines_match", "parse_curl", "value_matches"]

WILDCARD = "..."
_STATUS_LINE = re.compile(r"^HTTP/[\d.]+ (\d{3})\b")


@dataclass
class CurlRequest:
    """What a curl command line sends."""

    method: str = "GET"
    url: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    data: list[str] = field(default_factory=list)
    urlencoded: list[str] = field(default_factory=list)
    get: bool = False
    include: bool = False

    @property
    def body(self) -> str:
        return "&".join(self.data)


def parse_curl(command: str) -> CurlRequest:
    """Read the curl options the guide uses; any other option is an error naming it."""
    words = shlex.split(command)
    if not words or words[0] != "curl":
        raise ValueError(f"not a curl command: {command!r}")
    request = CurlRequest()
    explicit_method: str | None = None
    items = iter(words[1:])
    for word in items:
        if word in ("-s", "--silent", "-S", "--show-error", "-sS"):
            continue
        if word in ("-i", "--include", "-si", "-is", "-sSi"):
            request.include = True
        elif word in ("-G", "--get"):
            request.get = True
        elif word in ("-X", "--request"):
            explicit_method = next(items)
        elif word in ("-H", "--header"):
            name, _, value = next(items).partition(":")
            request.headers[name.strip()] = value.strip()
        elif word in ("-d", "--data", "--data-raw"):
            request.data.append(next(items))
        elif word == "--data-urlencode":
            name, _, value = next(items).partition("=")
            request.urlencoded.append(f"{name}={quote(value, safe='')}")
        elif word == "--json":
            request.data.append(next(items))
            request.headers.setdefault("Content-Type", "application/json")
            request.headers.setdefault("Accept", "application/json")
        elif word.startswith("-"):
            raise ValueError(f"the docs test does not understand curl option {word!r} in {command!r}")
        else:
            request.url = word
    if request.get:
        request.urlencoded[:0] = request.data
        request.data = []
    request.method = explicit_method or ("POST" if request.data else "GET")
    return request


def check_curl(client: Client, command: str, shown: list[str]) -> None:
    """Send the curl request through `client` and assert the answer is what the guide shows."""
    request = parse_curl(command)
    url = urlsplit(request.url if "://" in request.url else f"http://{request.url}")
    query = "&".join(filter(None, [url.query, *request.urlencoded]))
    headers = {name: value for name, value in request.headers.items() if name.lower() != "content-type"}
    content_type = request.headers.get("Content-Type", "application/x-www-form-urlencoded")
    response = client.generic(
        request.method,
        f"{url.path}?{query}" if query else url.path,
        data=request.body.encode(),
        content_type=content_type,
        headers={"host": url.netloc, **headers},
    )
    body = response.content.decode()
    if os.environ.get("MIZAN_DOCS_PRINT"):  # for guide writers: see what to paste, with pytest -s
        print(f"\n$ {command}\n{response.status_code} {dict(response.headers)}\n{body}")
    status, shown_headers, shown_body = _split_shown(shown, request.include)
    where = f"`{command}` answered {response.status_code} {body[:2000]}"
    if status is not None:
        assert response.status_code == status, f"expected status {status}; {where}"
    for name, value in shown_headers:
        actual = response.headers.get(name)
        assert actual is not None, f"expected header {name!r}; got {dict(response.headers)}; {where}"
        assert value == WILDCARD or actual == value, f"header {name!r} is {actual!r}, not {value!r}; {where}"
    _assert_body(shown_body, body, where)


def check_manage(project: Path, command: str, shown: list[str]) -> None:
    """Run `python manage.py ...` in `project` and compare its output (stdout then stderr) with `shown`."""
    words = shlex.split(command)
    if words[:2] != ["python", "manage.py"]:
        raise ValueError(f"the docs test runs `python manage.py ...` commands only, not {command!r}")
    done = subprocess.run(
        [sys.executable, *words[1:]], cwd=project, capture_output=True, text=True, timeout=120, check=False
    )
    actual = (done.stdout + done.stderr).rstrip("\n").splitlines()
    assert lines_match(_trim(shown), actual), (
        f"`{command}` (exit {done.returncode}) printed:\n{done.stdout}{done.stderr}\nthe guide shows:\n"
        + "\n".join(shown)
    )


def value_matches(expected: Any, actual: Any) -> bool:
    """JSON equality where the string `"..."` in `expected` matches any value."""
    if expected == WILDCARD:
        return True
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and expected.keys() == actual.keys()
            and all(value_matches(expected[key], actual[key]) for key in expected)
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(value_matches(e, a) for e, a in zip(expected, actual, strict=True))
        )
    return type(expected) is type(actual) and expected == actual


def lines_match(expected: list[str], actual: list[str]) -> bool:
    """Line equality (runs of spaces and tabs count as one) where a line `...` matches any number of lines."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head.strip() == WILDCARD:
        return any(lines_match(rest, actual[start:]) for start in range(len(actual) + 1))
    return bool(actual) and head.split() == actual[0].split() and lines_match(rest, actual[1:])


def _split_shown(shown: list[str], include: bool) -> tuple[int | None, list[tuple[str, str]], str]:
    lines = _trim(shown)
    if not include:
        return None, [], "\n".join(lines)
    if not lines or not (status := _STATUS_LINE.match(lines[0])):
        raise ValueError(f"a `curl -i` example must show the status line first, not {lines[:1]}")
    headers: list[tuple[str, str]] = []
    index = 1
    while index < len(lines) and lines[index].strip():
        name, _, value = lines[index].partition(":")
        headers.append((name.strip(), value.strip()))
        index += 1
    return int(status.group(1)), headers, "\n".join(lines[index + 1 :])


def _assert_body(shown: str, actual: str, where: str) -> None:
    if shown.strip() == WILDCARD:
        return
    try:
        expected_json = json.loads(shown) if shown.strip() else None
    except ValueError:
        expected_json = None
    if expected_json is not None:
        try:
            actual_json = json.loads(actual)
        except ValueError:
            raise AssertionError(f"expected a JSON body {shown}; {where}") from None
        assert value_matches(expected_json, actual_json), f"expected body {shown}; {where}"
    else:
        assert lines_match(shown.splitlines(), actual.splitlines()), f"expected body {shown!r}; {where}"


def _trim(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]
