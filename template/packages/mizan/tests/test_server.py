"""End to end over real HTTP: the test project under uvicorn (the ASGI server a generated project runs)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.project.settings",
        "MIZAN_TEST_DATABASE": str(tmp_path_factory.mktemp("db") / "db.sqlite3"),
    }
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--run-syncdb", "--verbosity", "0"],
        cwd=PACKAGE_DIR,
        env=env,
        check=True,
        timeout=120,
    )
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.contrib.auth.models import User; "
            "User.objects.create_user('alice', password='pw-alice')",
        ],
        cwd=PACKAGE_DIR,
        env=env,
        check=True,
        timeout=120,
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "tests.project.asgi:application", "--host", "127.0.0.1", "--port", str(port)],
        cwd=PACKAGE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/api/mizan/session/", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    pytest.fail(f"uvicorn did not start:\n{output}")
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


def test_echo_over_http(server: str) -> None:
    response = httpx.post(f"{server}/api/mizan/call/echo/", json={"text": "hi"})
    assert response.status_code == 200
    assert response.json() == {"result": {"message": "hi"}, "invalidate": []}


def test_async_function_over_http(server: str) -> None:
    response = httpx.post(f"{server}/api/mizan/call/async_probe/", json={})
    assert response.json()["result"]["in_event_loop"] is True


def test_chunked_oversize_body_is_refused(server: str) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(40):
            yield b"x" * 32 * 1024
        yield b'"}'

    response = httpx.post(
        f"{server}/api/mizan/call/echo/", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"


def test_oversize_content_length_is_refused(server: str) -> None:
    response = httpx.post(
        f"{server}/api/mizan/call/echo/",
        content=b'{"text": "' + b"y" * (1024 * 1024 + 1) + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413


def test_login_then_csrf_protected_calls(server: str) -> None:
    with httpx.Client(base_url=server) as client:
        session = client.get("/api/mizan/session/")
        assert session.json()["authenticated"] is False
        assert "csrftoken" in client.cookies
        login = client.post("/api/mizan/call/login/", json={"username": "alice", "password": "pw-alice"})
        assert login.status_code == 200
        assert login.headers["X-Mizan-Invalidate"] == "current_user"

        refused = client.post("/api/mizan/call/whoami/", json={})
        assert refused.status_code == 403
        assert "CSRF" in refused.json()["error"]["message"]

        token = client.get("/api/mizan/session/").json()["csrfToken"]
        allowed = client.post("/api/mizan/call/whoami/", json={}, headers={"X-CSRFToken": token})
        assert allowed.json() == {"result": "alice", "invalidate": []}
        assert client.get("/api/mizan/call/current_user/").json()["result"]["username"] == "alice"
