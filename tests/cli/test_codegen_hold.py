"""The watcher's hold (codegen/served.py): a client whose calls changed is written only once the web serves the
same calls, checked against an HTTP server that answers `GET schema/` like the old and then the reloaded web
worker. The real dev loop (uvicorn's reloader under `up`) is in test_generated_project.py."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mizan_dev.codegen import changed_calls, read_call_surface, wait_until_served


def manifest(functions: dict[str, Any], defs: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"mizan": 1, "functions": functions, "contexts": {}, "forms": {}, "$defs": defs or {}}


def echo(*params: str) -> dict[str, Any]:
    return {
        "input": {"type": "object", "properties": {name: {"type": "string"} for name in params}},
        "output": {},
    }


OLD = manifest({"echo": echo("text"), "ping": echo()})


class _Web(http.server.ThreadingHTTPServer):
    manifest: dict[str, Any] | None  # None: answers 404, as the schema endpoint does outside DEBUG
    requests: list[str]


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Web

    def _answer(self) -> None:
        self.server.requests.append(f"{self.command} {self.path}")
        found = self.server.manifest is not None and self.path == "/api/mizan/schema/"
        body = json.dumps(self.server.manifest if found else {"error": {"code": "NOT_FOUND"}}).encode()
        self.send_response(200 if found else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_PUT = do_GET = do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def web() -> Iterator[_Web]:
    server = _Web(("127.0.0.1", 0), _Handler)
    server.manifest, server.requests = OLD, []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_hold_ends_when_the_reloaded_web_serves_the_renamed_argument(web: _Web) -> None:
    renamed = manifest({"echo": echo("words"), "ping": echo()})

    def reload_later() -> None:
        time.sleep(0.4)
        web.manifest = renamed

    threading.Thread(target=reload_later, daemon=True).start()
    surface = read_call_surface_of(renamed)
    served, seconds = wait_until_served(web.server_address[1], surface, at_most=5)
    assert served and 0.35 < seconds < 3
    assert set(web.requests) == {"GET /api/mizan/schema/"}, "the check reads the schema and calls no function"


def test_the_hold_is_bounded_when_the_web_never_reloads_or_serves_no_schema(web: _Web) -> None:
    added = read_call_surface_of(manifest({"echo": echo("text"), "ping": echo(), "added": echo()}))
    served, seconds = wait_until_served(web.server_address[1], added, at_most=0.4)
    assert not served and 0.4 <= seconds < 2
    web.manifest = None
    served, seconds = wait_until_served(web.server_address[1], added, at_most=0.3)
    assert not served


@pytest.mark.parametrize(
    ("after", "changed"),
    [
        (manifest({"echo": echo("text"), "ping": echo(), "added": echo()}), ["added"]),
        (manifest({"echo": echo("words"), "ping": echo()}), ["echo"]),
        (manifest({"ping": echo()}), []),  # a removal: the new client calls nothing the web lacks
        (OLD, []),
    ],
    ids=["added", "argument renamed", "removed", "unchanged"],
)
def test_changed_calls_names_what_the_new_client_calls_differently(
    after: dict[str, Any], changed: list[str]
) -> None:
    assert changed_calls(read_call_surface_of(OLD), read_call_surface_of(after)) == changed


def test_a_changed_model_changes_every_function_that_refers_to_it() -> None:
    uses = {"input": {"$ref": "#/$defs/Todo"}, "output": {}}
    before = manifest({"add": uses, "ping": echo()}, {"Todo": {"properties": {"title": {}}}})
    after = manifest({"add": uses, "ping": echo()}, {"Todo": {"properties": {"name": {}}}})
    assert changed_calls(read_call_surface_of(before), read_call_surface_of(after)) == ["add"]


def test_the_calls_are_read_from_the_manifest_file(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(OLD))
    assert read_call_surface(path) == {"functions": OLD["functions"], "$defs": {}}
    path.write_text("{not json")
    assert read_call_surface(path) is None


def read_call_surface_of(document: dict[str, Any]) -> dict[str, Any]:
    return {"functions": document["functions"], "$defs": document["$defs"]}
