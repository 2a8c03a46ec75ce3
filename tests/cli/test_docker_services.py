"""`mizan-dev up` and `test` without redis-server (or, for a postgres project, a PostgreSQL server) but with a
Docker engine: the service runs as a container, removed on exit.

Run by `nox -s docker` (after the stand-in images exist), not by the cli session: it needs an engine and the
redis image (a stand-in here, tests/template/standins.py; the official one elsewhere).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import time
import urllib.request
from pathlib import Path

import docker.errors  # type: ignore[import-untyped]
import pytest

from mizan_dev._docker_services import OWNER_LABEL, POSTGRES_IMAGE, REDIS_IMAGE, docker_engine
from mizan_dev._postgres import volume_name
from mizan_dev._project import Project
from mizan_dev._stack import redis_answers
from mizan_dev.supervision.readiness import postgres_accepts

from .conftest import app, make_project, path_without, postgres_project, run_mizan_dev
from .test_up import READY

ENGINE, SAID = docker_engine()


def _owned_containers() -> list[object]:
    assert ENGINE is not None
    return list(ENGINE.containers.list(all=True, filters={"label": OWNER_LABEL}))


def _require_engine() -> None:
    if ENGINE is None:
        if os.environ.get("CI"):
            pytest.fail(SAID)
        pytest.skip(SAID)


@pytest.fixture
def without_redis_server() -> dict[str, str]:
    """PATH without redis-server, Docker allowed (the engine answers)."""
    _require_engine()
    return {"PATH": path_without("redis-server"), "MIZAN_DEV_DOCKER": "1", "REDIS_URL": ""}


def test_redis_runs_in_a_container_and_is_removed_on_ctrl_c(
    start, tmp_path: Path, without_redis_server: dict[str, str]
) -> None:
    project = make_project(tmp_path / "proj", {"web": app("http_app.py", "MIZAN_WEB_PORT")})
    running = start("up", cwd=project, env=without_redis_server)

    said = running.wait_for(
        rf"Redis: redis-server not found; running {REDIS_IMAGE} on Docker Engine .* on 127\.0\.0\.1:(\d+)"
    )
    running.wait_for(READY, timeout=60)
    url = f"redis://127.0.0.1:{said.group(1)}/0"
    assert redis_answers(url) is None
    assert len(_owned_containers()) == 1

    running.signal(signal.SIGINT)
    assert running.wait(timeout=20) == 130
    assert _owned_containers() == []
    assert redis_answers(url) is not None


def test_the_container_goes_when_mizan_dev_is_killed_outright(
    start, tmp_path: Path, without_redis_server: dict[str, str]
) -> None:
    """kill -9: mizan-dev's watchdog stops the service process, which removes its container."""
    project = make_project(tmp_path / "proj", {"web": app("http_app.py", "MIZAN_WEB_PORT")})
    running = start("up", cwd=project, env=without_redis_server)
    running.wait_for(READY, timeout=60)
    assert len(_owned_containers()) == 1

    running.signal(signal.SIGKILL)
    running.wait(timeout=10)
    deadline = time.monotonic() + 30
    while _owned_containers() and time.monotonic() < deadline:
        time.sleep(0.5)

    assert _owned_containers() == []


@pytest.fixture
def without_postgres_server() -> dict[str, str]:
    """PATH without a `postgres` server, Docker allowed, no DATABASE_URL."""
    _require_engine()
    return {"PATH": path_without("postgres"), "MIZAN_DEV_DOCKER": "1", "DATABASE_URL": ""}


def _containers_of(image: str, volume: str) -> list[object]:
    """This test's containers (another run may share the engine): of `image`, mounting `volume`."""
    assert ENGINE is not None
    return [
        c
        for c in ENGINE.containers.list(all=True, filters={"label": OWNER_LABEL, "volume": volume})
        if image in c.image.tags
    ]


@pytest.fixture
def postgres_volume(tmp_path: Path) -> object:
    """The volume `up` will make for the project at tmp_path/proj, removed at the end."""
    volume = volume_name(Project((tmp_path / "proj").resolve()))
    yield volume
    assert ENGINE is not None
    for container in _containers_of(POSTGRES_IMAGE, volume):
        container.remove(force=True)  # type: ignore[attr-defined]
    with contextlib.suppress(docker.errors.NotFound):
        ENGINE.volumes.get(volume).remove(force=True)


def test_postgres_runs_in_a_container_migrated_before_web_and_removed_on_ctrl_c(
    start, tmp_path: Path, without_postgres_server: dict[str, str], postgres_volume: str
) -> None:
    project = postgres_project(
        tmp_path / "proj",
        {"web": app("http_app.py", "MIZAN_WEB_PORT"), "env": app("print_env.py", "DATABASE_URL")},
    )
    running = start("up", cwd=project, env=without_postgres_server)

    said = running.wait_for(
        rf"PostgreSQL: no DATABASE_URL and no PostgreSQL server; running {POSTGRES_IMAGE} on Docker Engine .*"
        rf"on 127\.0\.0\.1:(\d+) \(data in the volume {postgres_volume};"
    )
    running.wait_for(READY, timeout=120)
    port = int(said.group(1))
    url = f"postgres://proj:mizan-dev@127.0.0.1:{port}/proj"
    running.wait_for(rf"manage\.py migrate --noinput {re.escape(url)} ok")
    running.wait_for(rf"DATABASE_URL={re.escape(url)}$")
    assert postgres_accepts("127.0.0.1", port, "proj") is None
    assert len(_containers_of(POSTGRES_IMAGE, postgres_volume)) == 1

    running.signal(signal.SIGINT)
    assert running.wait(timeout=30) == 130
    assert _containers_of(POSTGRES_IMAGE, postgres_volume) == []
    assert postgres_accepts("127.0.0.1", port, "proj") is not None
    assert ENGINE is not None and ENGINE.volumes.get(postgres_volume)  # the data is kept for the next run


def test_the_postgres_container_goes_when_mizan_dev_is_killed_outright(
    start, tmp_path: Path, without_postgres_server: dict[str, str], postgres_volume: str
) -> None:
    project = postgres_project(tmp_path / "proj", {"web": app("http_app.py", "MIZAN_WEB_PORT")})
    running = start("up", cwd=project, env=without_postgres_server)
    running.wait_for(READY, timeout=120)
    assert len(_containers_of(POSTGRES_IMAGE, postgres_volume)) == 1

    running.signal(signal.SIGKILL)
    running.wait(timeout=10)
    deadline = time.monotonic() + 30
    while _containers_of(POSTGRES_IMAGE, postgres_volume) and time.monotonic() < deadline:
        time.sleep(0.5)

    assert _containers_of(POSTGRES_IMAGE, postgres_volume) == []


BACKEND_TEST = """import os
from urllib.parse import urlsplit
from mizan_dev.supervision.readiness import postgres_accepts

def test_the_database_is_the_container():
    parts = urlsplit(os.environ["DATABASE_URL"])
    assert parts.scheme == "postgres" and parts.hostname == "127.0.0.1"
    assert postgres_accepts(parts.hostname, parts.port, parts.username) is None
"""


def test_the_backend_suite_of_mizan_dev_test_runs_on_the_container(
    tmp_path: Path, without_postgres_server: dict[str, str], postgres_volume: str
) -> None:
    """`test --unit`: the container lives while the suites run; pytest gets its DATABASE_URL; then it goes."""
    project = postgres_project(tmp_path / "proj", {"web": app("http_app.py", "MIZAN_WEB_PORT")})
    (project / "test_database.py").write_text(BACKEND_TEST)
    generator = project / "node_modules" / ".bin" / "mizan-generate"  # the client step, a no-op here
    generator.parent.mkdir(parents=True)
    generator.write_text("#!/bin/sh\nexit 0\n")
    generator.chmod(0o755)
    result = run_mizan_dev(
        "test", "--unit", cwd=project, env={**os.environ, **without_postgres_server}, timeout=300
    )

    assert f"running {POSTGRES_IMAGE} on Docker Engine" in result.stdout, result.stdout + result.stderr
    assert "PostgreSQL ready in" in result.stdout
    assert "passed  backend (pytest)" in result.stdout, result.stdout + result.stderr
    assert _containers_of(POSTGRES_IMAGE, postgres_volume) == []


@pytest.mark.project
def test_up_of_a_generated_postgres_project_migrates_and_serves_from_the_container(
    start, tmp_path: Path, without_postgres_server: dict[str, str], postgres_volume: str
) -> None:
    """A real project made with `database=postgres`: `up` runs PostgreSQL in Docker, migrates it, serves."""
    project = tmp_path / "proj"
    made = run_mizan_dev("new", str(project), "--defaults", "--data", "database=postgres", timeout=900)
    assert made.returncode == 0, made.stdout + made.stderr
    running = start("up", cwd=project, env=without_postgres_server)

    ready = running.wait_for(READY, timeout=300)
    running.wait_for(rf"running {POSTGRES_IMAGE} on Docker Engine")
    assert re.search(r"web +\| +Applying accounts\.0001_initial\.\.\. OK", running.output), running.output
    with urllib.request.urlopen(f"http://127.0.0.1:{ready.group(2)}/", timeout=30) as response:
        assert response.status == 200 and 'id="root"' in response.read().decode()

    running.signal(signal.SIGINT)
    assert running.wait(timeout=30) == 130
    assert _containers_of(POSTGRES_IMAGE, postgres_volume) == []
