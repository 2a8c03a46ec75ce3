"""`mizan-dev up` without redis-server but with a Docker engine: Redis runs as a container, removed on exit.

Run by `nox -s docker` (after the stand-in images exist), not by the cli session: it needs an engine and the
redis image (a stand-in here, tests/template/standins.py; the official one elsewhere).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from mizan_dev._docker_services import OWNER_LABEL, REDIS_IMAGE, docker_engine
from mizan_dev._stack import redis_answers

from .conftest import app, make_project
from .test_up import READY

ENGINE, SAID = docker_engine()


def _owned_containers() -> list[object]:
    assert ENGINE is not None
    return list(ENGINE.containers.list(all=True, filters={"label": OWNER_LABEL}))


@pytest.fixture
def without_redis_server(tmp_path: Path) -> dict[str, str]:
    """PATH without redis-server, Docker allowed (the engine answers)."""
    if ENGINE is None:
        if os.environ.get("CI"):
            pytest.fail(SAID)
        pytest.skip(SAID)
    path = [
        p
        for p in os.environ.get("PATH", "").split(os.pathsep)
        if p and not (Path(p) / "redis-server").exists()
    ]
    return {"PATH": os.pathsep.join(path), "MIZAN_DEV_DOCKER": "1", "REDIS_URL": ""}


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
