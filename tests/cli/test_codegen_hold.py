"""The watcher's hold: a new client is written only once the web serves its new functions (codegen/served.py),
checked against a real HTTP server that answers like the old and then the reloaded web worker."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mizan_dev.codegen import manifest_functions, wait_until_served


class _Web(http.server.ThreadingHTTPServer):
    known: set[str]
    methods: list[str]


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Web

    def _answer(self) -> None:
        self.server.methods.append(self.command)
        name = self.path.removeprefix("/api/mizan/call/").strip("/")
        known = name in self.server.known
        body = json.dumps({"error": {"code": "METHOD_NOT_ALLOWED" if known else "NOT_FOUND"}}).encode()
        self.send_response(405 if known else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_PUT = do_GET = do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def web() -> Iterator[_Web]:
    server = _Web(("127.0.0.1", 0), _Handler)
    server.known, server.methods = set(), []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_hold_ends_when_the_reloaded_web_knows_every_new_function(web: _Web) -> None:
    def reload_later() -> None:
        time.sleep(0.3)
        web.known.add("added")
        time.sleep(0.3)
        web.known.add("also_added")

    threading.Thread(target=reload_later, daemon=True).start()
    served, seconds = wait_until_served(web.server_address[1], ["added", "also_added"], at_most=5)
    assert served and 0.55 < seconds < 3
    assert set(web.methods) == {"PUT"}, "the check never calls a function (GET and POST do)"


def test_the_hold_is_bounded_when_the_web_never_reloads(web: _Web) -> None:
    served, seconds = wait_until_served(web.server_address[1], ["never"], at_most=0.4)
    assert not served and 0.4 <= seconds < 2


def test_the_functions_are_read_from_the_manifest(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"functions": {"a": {}, "b": {}}, "contexts": {}}))
    assert manifest_functions(manifest) == {"a", "b"}
    manifest.write_text("{not json")
    assert manifest_functions(manifest) is None
