"""`mizan-dev serve` on a real generated project: the built frontend, DEBUG off, two uvicorn workers, Redis and
the SSR worker; an invalidation from one worker reaches a WebSocket client held by the other. And its errors."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path

import psutil
import pytest
from websockets.sync.client import ClientConnection, connect

from .conftest import app, has, make_project, run_mizan_dev
from .test_up import _alive, _listening

ROOT = Path(__file__).resolve().parents[2]
SERVING = r"serving in ([\d.]+) s: http://127\.0\.0\.1:(\d+)/ \((.*)\)"
# Production settings over plain HTTP on 127.0.0.1 (the test has no TLS proxy).
PLAIN_HTTP = {
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_SECURE_COOKIES": "false",
    "DJANGO_SECURE_HSTS_SECONDS": "0",
}
KEY = "todo_list?list_id=1"

WORKERS = 2


@pytest.fixture(scope="module")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """test_generated_project's project when this session made one (this module runs after it), else a new
    one; built with `npm run build`, the build and collected files removed afterwards."""
    made = [
        p
        for p in sorted(tmp_path_factory.getbasetemp().glob("generated*/demo"))
        if (p / "frontend" / "src" / "api" / "index.ts").is_file()
    ]
    if made:
        project = made[0]
    else:
        project = tmp_path_factory.mktemp("served") / "demo"
        result = run_mizan_dev("new", str(project), "--defaults", timeout=900)
        assert result.returncode == 0, result.stdout + result.stderr
    began = time.monotonic()
    build = subprocess.run(
        ["npm", "run", "build"], cwd=project, capture_output=True, text=True, timeout=600, check=False
    )
    assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-4000:]
    print(f"\nnpm run build took {time.monotonic() - began:.1f} s")
    yield project
    for folder in ("frontend/dist", "frontend/dist-ssr", "staticfiles"):
        shutil.rmtree(project / folder, ignore_errors=True)


class Session:
    """Keep-alive HTTP connections to one site sharing a login: each connection is served by one worker."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def connection(self) -> http.client.HTTPConnection:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.connect()
        return conn

    def request(
        self, conn: http.client.HTTPConnection, method: str, path: str, body: object = None
    ) -> tuple[int, http.client.HTTPMessage, str]:
        headers = {"Cookie": self.cookie_header(), "Origin": f"http://127.0.0.1:{self.port}"}
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        if body is not None:
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, text

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


def _worker_of(tree: list[psutil.Process], client: tuple[str, int]) -> int:
    """The pid of the process holding the server end of the TCP connection whose client end is `client`: the
    test reads the workers' sockets from outside (as `ss -tp` would); nothing in a response names a pid."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for process in tree:
            try:
                connections = process.net_connections(kind="tcp")
            except psutil.NoSuchProcess:
                continue
            if any(c.raddr and (c.raddr.ip, c.raddr.port) == client for c in connections):
                return process.pid
        time.sleep(0.1)
    raise AssertionError(f"no process of the stack holds the connection from {client}")


@pytest.mark.project
@pytest.mark.skipif(
    not (has("node") and has("npm")), reason="node and npm are needed to install a generated project"
)
@pytest.mark.skipif(
    not (ROOT / "copier.yml").is_file(), reason="the template (copier.yml) is not in this checkout"
)
@pytest.mark.skipif(not has("redis-server"), reason="redis-server carries invalidations between the workers")
def test_an_invalidation_from_one_worker_reaches_a_socket_on_the_other(start, built_project: Path) -> None:
    running = start("serve", "--workers", str(WORKERS), cwd=built_project, env=PLAIN_HTTP)
    ready = running.wait_for(SERVING, timeout=240)
    port = int(ready.group(2))
    assert f"{WORKERS} web workers" in ready.group(3)
    assert "redis" in running.output and "ssr" in running.output
    site = Session(port)

    page_conn = site.connection()
    status, headers, page = site.request(page_conn, "GET", "/")
    assert status == 200, page
    assert "script-src 'self'" in headers["Content-Security-Policy"]  # production's, not DEBUG's
    data = re.search(r'<script id="mizan-page" type="application/json">(.*?)</script>', page, re.DOTALL)
    assert data is not None and json.loads(data.group(1))["rendered"] is True, "rendered by the SSR worker"
    script = re.search(r'<script type="module"[^>]* src="(/static/assets/[^"]+\.js)"', page)
    assert script is not None, page
    assert site.request(page_conn, "GET", script.group(1))[0] == 200  # the built asset, collected

    site.request(page_conn, "GET", "/api/mizan/session/")
    credentials = {"username": "ada", "password": "plum-Orbit-7741-lantern"}
    status, _, body = site.request(page_conn, "POST", "/api/mizan/call/sign_up/", credentials)
    assert status == 200, body

    tree = psutil.Process(running.process.pid).children(recursive=True)
    sockets: list[tuple[ClientConnection, int]] = []
    calls: list[tuple[http.client.HTTPConnection, int]] = []
    with contextlib.ExitStack() as held:
        pair = None
        for attempt in range(1, 41):
            socket = held.enter_context(
                connect(
                    f"ws://127.0.0.1:{port}/ws/mizan/",
                    origin=f"http://127.0.0.1:{port}",
                    additional_headers={"Cookie": site.cookie_header()},
                    open_timeout=30,
                )
            )
            sockets.append((socket, _worker_of(tree, socket.socket.getsockname()[:2])))
            conn = site.connection()
            site.request(conn, "GET", "/api/mizan/session/")
            calls.append((conn, _worker_of(tree, conn.sock.getsockname()[:2])))
            pair = next(((s, c) for s, a in sockets for c, b in calls if a != b), None)
            if pair is not None:
                print(f"a socket and a connection on different workers after {attempt} pair(s)")
                break
        assert pair is not None, "40 sockets and connections, all on one worker"
        watcher, caller = pair

        watcher.send(json.dumps({"id": 1, "action": "watch", "keys": [KEY]}))
        assert json.loads(watcher.recv(timeout=30)) == {"id": 1, "ok": True}
        status, _, body = site.request(
            caller, "POST", "/api/mizan/call/add_todo/", {"list_id": 1, "title": "from the other worker"}
        )
        assert status == 200, body
        assert KEY in json.loads(body)["invalidate"]
        assert json.loads(watcher.recv(timeout=30)) == {"invalidate": [KEY]}
        for conn, _ in calls:
            conn.close()
    page_conn.close()

    running.signal(signal.SIGINT)
    assert running.wait(timeout=30) == 130
    assert _alive(tree) == []
    assert not _listening(port)


def test_serve_without_a_build_says_how_to_make_it(tmp_path: Path) -> None:
    project = make_project(tmp_path / "proj", {"web": app("http_app.py", "MIZAN_WEB_PORT")})
    result = run_mizan_dev("serve", cwd=project)
    assert result.returncode == 1
    assert (
        "frontend/dist/manifest.json" in result.stderr and "frontend/dist-ssr/ssr-worker.js" in result.stderr
    )
    assert "run `npm run build`" in result.stderr and "Traceback" not in result.stderr


def test_serve_without_secrets_names_them(tmp_path: Path) -> None:
    project = make_project(tmp_path / "proj", {"web": app("http_app.py", "MIZAN_WEB_PORT")})
    for built in ("frontend/dist/manifest.json", "frontend/dist-ssr/ssr-worker.js"):
        (project / built).parent.mkdir(parents=True, exist_ok=True)
        (project / built).write_text("{}")
    (project / ".env").write_text("DJANGO_SECRET_KEY=set-in-dotenv\n")
    env = {**os.environ, "MIZAN_CACHE_SECRET": "", "MIZAN_MWT_SECRET": ""}
    result = run_mizan_dev("serve", cwd=project, env=env)
    assert result.returncode == 1
    assert "MIZAN_CACHE_SECRET, MIZAN_MWT_SECRET are not set" in result.stderr, result.stderr
    assert "DJANGO_SECRET_KEY" not in result.stderr.split("are not set")[0]
    assert "python backend/config/env_file.py" in result.stderr


def test_serve_rejects_zero_workers(tmp_path: Path) -> None:
    project = make_project(tmp_path / "proj", {"web": app("http_app.py", "MIZAN_WEB_PORT")})
    result = run_mizan_dev("serve", "--workers", "0", cwd=project)
    assert result.returncode == 1 and "--workers 0: pass 1 or more" in result.stderr
