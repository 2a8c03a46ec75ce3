"""The Docker files, checked statically; `nox -s docker` (test_docker_stack.py) builds and runs them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from .rendering import render

# Made by `uv sync` and `npm install` in the project: in a real checkout, but not right after the copy.
MADE_BY_INSTALL = {"uv.lock", "package-lock.json"}


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def project(
    request: pytest.FixtureRequest, template_repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    data = {"docker": True, "database": request.param, "project_slug": "shop"}
    return render(template_repo, tmp_path_factory.mktemp(request.param) / "shop", data, skip_tasks=True)


def compose(project: Path) -> dict:  # type: ignore[type-arg]
    loaded = yaml.safe_load((project / "docker" / "compose.yml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_compose_runs_web_and_redis_and_postgres_when_chosen(project: Path) -> None:
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    services = compose(project)["services"]

    databases = {"postgres"} if answers["database"] == "postgres" else set()
    assert set(services) == {"web", "migrate", "ssr", "redis"} | databases
    assert services["web"]["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert services["web"]["environment"]["MIZAN_SSR_ADDRESS"] == "ssr:4100"
    assert services["ssr"]["build"] == {**services["web"]["build"], "target": "ssr"}
    assert services["web"]["depends_on"] == {
        "migrate": {"condition": "service_completed_successfully"},
        "redis": {"condition": "service_healthy"},
        "ssr": {"condition": "service_healthy"},
        **{name: {"condition": "service_healthy"} for name in databases},
    }
    assert services["migrate"]["command"] == ["python", "backend/manage.py", "migrate", "--noinput"]
    assert services["migrate"]["environment"] == services["web"]["environment"]
    assert set(services["migrate"].get("depends_on", {})) == databases
    database_url = services["web"]["environment"]["DATABASE_URL"]
    assert database_url.startswith(
        "postgres://shop:" if answers["database"] == "postgres" else "sqlite:////data/"
    )
    assert "uvicorn config.asgi:application" in services["web"]["command"]
    assert "--workers ${WEB_WORKERS:-2}" in services["web"]["command"]
    assert "http://127.0.0.1:8000/healthz/" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["web"]["ports"] == ["127.0.0.1:${WEB_PORT-8000}:8000"]
    assert services["web"]["image"] == services["migrate"]["image"] == "${WEB_IMAGE:-shop-web}"


def test_every_named_volume_is_declared(project: Path) -> None:
    loaded = compose(project)
    used = {
        mount.split(":", 1)[0]
        for service in loaded["services"].values()
        for mount in service.get("volumes", [])
        if not mount.startswith((".", "/"))
    }

    assert used and used == set(loaded["volumes"])


def test_the_build_points_at_files_that_exist(project: Path) -> None:
    build = compose(project)["services"]["web"]["build"]
    context = (project / "docker" / build["context"]).resolve()
    dockerfile = context / build["dockerfile"]

    assert context == project.resolve()
    assert dockerfile.is_file()
    # At the context's root: the legacy builder reads no docker/Dockerfile.dockerignore.
    assert ".venv" in (context / ".dockerignore").read_text().split()
    sources = [
        source
        for line in dockerfile.read_text().splitlines()
        if line.startswith("COPY ") and "--from=" not in line
        for source in line.split()[1:-1]
    ]
    assert sources
    assert [
        source for source in sources if source not in MADE_BY_INSTALL and not (context / source).exists()
    ] == []


def test_the_image_is_built_in_stages_and_served_by_uvicorn(project: Path) -> None:
    dockerfile = (project / "docker" / "Dockerfile").read_text()

    stages = re.findall(r"^FROM \S+ AS (\w+)$", dockerfile, re.MULTILINE)
    assert stages == ["backend", "manifest", "frontend", "ssr", "runtime"]
    assert 'CMD ["python", "-m", "uvicorn", "config.asgi:application"' in dockerfile
