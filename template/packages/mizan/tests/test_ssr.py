"""mizan.ssr against a real Bun worker process: the template API, hydration, safe page data, the fallback."""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.checks import run_checks
from django.template import TemplateDoesNotExist, engines
from django.test import AsyncClient, Client

from mizan.ssr import PropsNotSerializable, find_bun

from .servers import PACKAGE_DIR

MIZAN_JS = PACKAGE_DIR.parent / "mizan-js"
WORKER = MIZAN_JS / "src" / "ssr" / "__tests__" / "fixtures" / "worker.tsx"
BUN = find_bun(MIZAN_JS)
COMPONENTS = "Big, Contexts, Echo, Exits, Hello, Slow, Throws"

pytestmark = [
    pytest.mark.urls("tests.ssr_urls"),
    pytest.mark.skipif(BUN is None, reason="Bun is not installed: run `npm ci` in mizan-js (its devDependency `bun`)"),
]


class Worker:
    """The fixture SSR worker as a real process on a Unix socket, restartable like mizan-dev restarts it."""

    def __init__(self, folder: Path) -> None:
        self.address = f"unix:{folder / 'ssr.sock'}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "MIZAN_SSR_ADDRESS": self.address, "MIZAN_SSR_RENDERERS": "2"}
        process = subprocess.Popen([str(BUN), str(WORKER)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        assert process.stdout is not None
        line = process.stdout.readline().decode()
        assert "mizan-ssr: listening on" in line, line
        self.drain = threading.Thread(target=process.stdout.read, daemon=True)  # keep the pipe drained
        self.drain.start()
        self.process = process

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self._reap()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self._reap()

    def _reap(self) -> None:
        assert self.process is not None
        assert self.process.stdout is not None
        self.process.wait(10)
        self.drain.join(10)
        self.process.stdout.close()


@pytest.fixture(scope="module")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worker]:
    running = Worker(tmp_path_factory.mktemp("ssr"))
    running.start()
    yield running
    running.stop()


def templates(address: str, timeout: float = 2.0) -> dict[str, Any]:
    return {
        "TEMPLATES": [
            {"BACKEND": "mizan.ssr.MizanTemplates", "OPTIONS": {"worker_path": str(WORKER)}},
            {"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True},
        ],
        "MIZAN_SSR_ADDRESS": address,
        "MIZAN_SSR_TIMEOUT": timeout,
    }


@pytest.fixture
def ssr(settings: Any, worker: Worker) -> Worker:
    for name, value in templates(worker.address).items():
        setattr(settings, name, value)
    return worker


def page_data(html: str) -> dict[str, Any]:
    found = re.search(r'<script id="mizan-page" type="application/json">(.*?)</script>', html, re.S)
    assert found, html
    data: dict[str, Any] = json.loads(found[1])
    return data


def root_html(html: str) -> str:
    found = re.search(r'<div id="root">(.*?)</div>\n', html, re.S)
    assert found, html
    return found[1]


def test_get_template_renders_the_component_with_its_props(ssr: Worker) -> None:
    template = engines["ssr"].get_template("Hello")
    assert template is not None
    html = template.render({"name": "Ada"})
    assert root_html(html) == '<p class="hello">Hello, <!-- -->Ada<!-- -->!</p>'
    assert page_data(html)["props"] == {"name": "Ada"}
    assert page_data(html)["rendered"] is True


def test_an_unknown_component_lists_the_registered_ones(ssr: Worker) -> None:
    with pytest.raises(TemplateDoesNotExist) as raised:
        engines["ssr"].get_template("ProfilePage")
    assert f"registered: {COMPONENTS}" in str(raised.value)
    assert "worker.tsx" in str(raised.value)


def test_props_that_json_cannot_carry_name_the_key(ssr: Worker) -> None:
    template = engines["ssr"].get_template("Echo")
    with pytest.raises(PropsNotSerializable, match=r"props\['rows'\]\[1\]\['when'\] is a datetime"):
        template.render({"rows": [{"when": "today"}, {"when": __import__("datetime").datetime(2024, 1, 1)}]})
    with pytest.raises(PropsNotSerializable, match=r"props\['ratio'\] is a float"):
        template.render({"ratio": float("nan")})


@pytest.mark.django_db
def test_wsgi_page_is_server_rendered_with_the_global_context_and_preloads(ssr: Worker, alice: Any) -> None:
    client = Client()
    client.force_login(alice)
    response = client.get("/contexts/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<p data-testid="user">alice</p>' in root_html(html)
    queries = page_data(html)["hydration"]["queries"]
    assert {"fn": "current_user", "args": {}, "result": {"authenticated": True, "username": "alice"}} in queries
    assert {"fn": "todo_list", "args": {"list_id": 1}, "result": []} in queries
    assert {"fn": "todo_count", "args": {"list_id": 1}, "result": 0} in queries


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_asgi_page_is_server_rendered(ssr: Worker) -> None:
    response = await AsyncClient().get("/hello/", {"name": "over ASGI"})
    assert response.status_code == 200
    assert "over ASGI" in root_html(response.content.decode())


HOSTILE = ["</script><script>alert(1)</script>", "<!--<script>", "</SCRIPT >", "\u2028\u2029", "&lt;/script&gt;"]


@pytest.mark.django_db
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_in_props_cannot_close_the_script(ssr: Worker, text: str) -> None:
    html = Client().get("/echo/", {"text": text}).content.decode()
    data_script = re.search(r'<script id="mizan-page" type="application/json">(.*?)</script>', html, re.S)
    assert data_script is not None
    assert "<" not in data_script[1]
    assert ">" not in data_script[1]
    assert page_data(html)["props"] == {"text": text, "nested": {"list": [text]}}
    assert html.count("<script") == 2  # the data and the module: nothing injected
    assert "<script>alert" not in root_html(html)


@pytest.mark.django_db
def test_a_csp_nonce_reaches_the_page_template(ssr: Worker, settings: Any) -> None:
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.ssr_urls.with_nonce"]
    html = Client().get("/hello/", {"nonce": "abc123"}).content.decode()
    assert 'nonce="n0nce-abc123"' in html


@pytest.mark.django_db
def test_a_failing_render_serves_the_shell_with_the_same_data_logged_once(
    ssr: Worker, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    template = engines["ssr"].get_template("Throws")
    with caplog.at_level(logging.ERROR, logger="mizan.ssr"):
        pages = [template.render({"message": "no data"}) for _ in range(3)]
    for html in pages:
        assert root_html(html) == ""
        assert page_data(html) == {
            "component": "Throws",
            "props": {"message": "no data"},
            "hydration": {"queries": []},
            "rendered": False,
        }
    failures = [record.getMessage() for record in caplog.records]
    assert failures == [
        "SSR of Throws failed (render_error): Error: no data. Serving the client-rendered page until it renders again."
    ]


@pytest.mark.django_db
def test_a_render_past_the_timeout_falls_back_and_the_next_render_works(ssr: Worker, settings: Any) -> None:
    settings.MIZAN_SSR_TIMEOUT = 0.3
    template = engines["ssr"].get_template("Slow")
    started = time.monotonic()
    html = template.render({"ms": 3000})
    assert time.monotonic() - started < 1.5
    assert page_data(html)["rendered"] is False
    assert page_data(engines["ssr"].get_template("Hello").render({"name": "next"}))["rendered"] is True


@pytest.mark.django_db
def test_no_worker_at_the_address_serves_client_rendered_pages(settings: Any, tmp_path: Path) -> None:
    for name, value in templates(f"unix:{tmp_path / 'nobody.sock'}").items():
        setattr(settings, name, value)
    response = Client().get("/hello/")
    assert response.status_code == 200
    assert page_data(response.content.decode()) == {
        "component": "Hello",
        "props": {"name": "world"},
        "hydration": {
            "queries": [{"fn": "current_user", "args": {}, "result": {"authenticated": False, "username": None}}]
        },
        "rendered": False,
    }


@pytest.mark.django_db(transaction=True)
def test_worker_killed_during_concurrent_requests_every_page_is_served(settings: Any, tmp_path: Path) -> None:
    worker = Worker(tmp_path)
    worker.start()
    for name, value in templates(worker.address).items():
        setattr(settings, name, value)
    results: list[tuple[int, dict[str, Any]]] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def load(index: int) -> None:
        client = Client()
        try:
            while not done.is_set():
                response = client.get("/hello/", {"name": f"u{index}"})
                results.append((response.status_code, page_data(response.content.decode())))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=load, args=(index,)) for index in range(6)]
    try:
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        worker.kill()
        time.sleep(0.3)
        worker.start()
        time.sleep(0.5)
        done.set()
        for thread in threads:
            thread.join(60)
        assert errors == []
        assert len(results) > 50
        assert all(status == 200 for status, _ in results)
        assert {data["rendered"] for _, data in results} == {True, False}, "the kill landed outside the load"
        for _, data in results:
            assert data["hydration"]["queries"][0]["fn"] == "current_user"
        html = Client().get("/hello/", {"name": "after"}).content.decode()
        assert page_data(html)["rendered"] is True
        assert "after" in root_html(html)
    finally:
        worker.stop()


def test_no_bun_is_a_warning_saying_how_to_get_it(
    settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    worker_path = tmp_path / "ssr-worker.tsx"
    worker_path.write_text("")
    settings.TEMPLATES = [
        {"BACKEND": "mizan.ssr.MizanTemplates", "OPTIONS": {"worker_path": str(worker_path)}},
        {"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True},
    ]
    monkeypatch.setenv("PATH", str(tmp_path))
    messages = [message for message in run_checks() if message.id == "mizan.W040"]
    assert len(messages) == 1
    assert "npm install" in (messages[0].hint or "")
    assert "bun.sh" in (messages[0].hint or "")
