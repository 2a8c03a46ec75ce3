"""`mizan-dev doctor`: each tool found, or missing with the command that fixes it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from .conftest import app, has, make_project, run_mizan_dev


def _doctor(cwd: Path, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    if path is not None:
        env["PATH"] = path
    return run_mizan_dev("doctor", cwd=cwd, env=env, timeout=120)


def test_missing_node_npm_and_chromium_come_with_their_fix(tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    result = _doctor(tmp_path, path=str(empty))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    node = next(line for line in lines if "node >= 20" in line)
    assert node.startswith("MISSING") and "https://nodejs.org/" in node
    npm = next(line for line in lines if line.startswith("MISSING") and " npm:" in line)
    assert "fix:" in npm
    redis = next(line for line in lines if "redis-server" in line)
    assert redis.startswith("optional") and "apt-get install redis-server" in redis
    if not any(Path.home().joinpath(".cache", "ms-playwright").glob("chromium-*")):
        chromium = next(line for line in lines if "chromium" in line)
        assert chromium.startswith("MISSING")
        assert "apt-get install chromium" in chromium and "npx playwright install chromium" in chromium
    assert "required item(s) missing" in lines[-1]


@pytest.mark.skipif(not (has("node") and has("npm")), reason="node and npm are not installed")
def test_found_tools_are_listed_ok(tmp_path: Path) -> None:
    result = _doctor(tmp_path)
    ok = [line for line in result.stdout.splitlines() if line.startswith("ok")]
    assert any("python >= 3.11" in line for line in ok)
    assert any("node >= 20" in line for line in ok)
    assert any(" npm:" in line for line in ok)


def test_in_a_project_not_installed_it_says_how(tmp_path: Path) -> None:
    project = make_project(tmp_path / "proj", {"web": app("http_app.py", "MIZAN_WEB_PORT")})
    result = _doctor(project)
    assert result.returncode == 1
    out = result.stdout
    assert f"`cd {project} && uv sync`" in out
    assert f"`cd {project} && npm install`" in out
    assert f"`cd {project} && mizan-dev generate`" in out


def test_bun_for_server_rendering_is_reported_with_its_fix(tmp_path: Path) -> None:
    project = make_project(tmp_path / "proj", {"web": app("http_app.py", "MIZAN_WEB_PORT")})
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    missing = next(
        line for line in _doctor(project, path=str(empty)).stdout.splitlines() if "bun (optional" in line
    )
    assert (
        missing.startswith("optional")
        and "npm install --save-dev bun" in missing
        and "https://bun.sh" in missing
    )
    bun = project / "node_modules" / ".bin" / "bun"
    bun.parent.mkdir(parents=True)
    bun.write_text("#!/bin/sh\n")
    found = next(line for line in _doctor(project).stdout.splitlines() if "bun (optional" in line)
    assert found.startswith("ok") and str(bun) in found


def test_no_docker_engine_is_one_optional_line(tmp_path: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1", "DOCKER_HOST": f"unix://{tmp_path}/no-engine.sock"}
    result = run_mizan_dev("doctor", cwd=tmp_path, env=env, timeout=120)

    [line] = [line for line in result.stdout.splitlines() if "Docker engine" in line]
    assert line.startswith("optional") and "no Docker engine answers" in line
    assert "apt-get install docker.io" in line


def test_an_answering_docker_engine_is_reported(tmp_path: Path) -> None:
    from mizan_dev._docker_services import docker_engine

    if docker_engine()[0] is None:
        pytest.skip("no Docker engine answers here")
    result = _doctor(tmp_path)

    [line] = [line for line in result.stdout.splitlines() if "Docker engine" in line]
    assert line.startswith("ok") and "Docker Engine " in line
