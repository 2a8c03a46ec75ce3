"""A postgres project's database in `up`, `test` and `doctor` when mizan-dev cannot or need not run PostgreSQL:
an explicit DATABASE_URL wins, and without a server or an engine one line says what to do (_postgres.py).
The container path itself needs an engine: tests/cli/test_docker_services.py, in `nox -s docker`."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from .conftest import app, path_without, postgres_project, run_mizan_dev
from .test_up import READY


@pytest.fixture
def no_server_no_engine(tmp_path: Path) -> dict[str, str]:
    """PATH without a `postgres` server, and a DOCKER_HOST where no engine answers."""
    return {
        "PATH": path_without("postgres"),
        "DOCKER_HOST": f"unix://{tmp_path / 'no-engine.sock'}",
        "MIZAN_DEV_DOCKER": "1",
        "DATABASE_URL": "",
    }


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A postgres project whose `env` process prints the DATABASE_URL it was given."""
    return postgres_project(
        tmp_path / "proj",
        {"web": app("http_app.py", "MIZAN_WEB_PORT"), "env": app("print_env.py", "DATABASE_URL")},
    )


def test_without_server_or_engine_up_says_what_to_do_and_uses_sqlite(
    start, project: Path, no_server_no_engine: dict[str, str]
) -> None:
    running = start("up", cwd=project, env=no_server_no_engine)

    running.wait_for(READY, timeout=60)
    running.wait_for(
        r"PostgreSQL: no DATABASE_URL, no PostgreSQL server and no Docker, so SQLite \(backend/db\.sqlite3\); "
        r"set DATABASE_URL in \.env, or install PostgreSQL or Docker \(no Docker engine answers"
    )
    running.wait_for(r"DATABASE_URL=$")
    assert "manage.py migrate" not in running.output  # nothing made, nothing migrated


def test_a_database_url_in_dotenv_wins_and_is_checked(
    start, project: Path, no_server_no_engine: dict[str, str]
) -> None:
    port = _closed_port()
    url = f"postgres://someone:secret@127.0.0.1:{port}/somedb"
    (project / ".env").write_text(f"DATABASE_URL={url}\n")
    running = start("up", cwd=project, env=no_server_no_engine)  # its DATABASE_URL is empty: .env fills it

    running.wait_for(READY, timeout=60)
    running.wait_for(
        rf"PostgreSQL: using DATABASE_URL from \.env, but 127\.0\.0\.1:{port} does not take logins \(.+\); "
        "start that server, or unset DATABASE_URL so mizan-dev runs one in Docker"
    )
    running.wait_for(rf"DATABASE_URL={url}$")


def test_doctor_says_what_a_postgres_project_will_use(
    project: Path, no_server_no_engine: dict[str, str]
) -> None:
    result = run_mizan_dev("doctor", cwd=project, env={**os.environ, **no_server_no_engine}, timeout=120)
    assert "database (postgres project): no DATABASE_URL, no PostgreSQL server and no Docker" in result.stdout

    (project / ".env").write_text("DATABASE_URL=postgres://u:p@db.example:5433/app\n")
    result = run_mizan_dev("doctor", cwd=project, env={**os.environ, **no_server_no_engine}, timeout=120)
    assert "ok       database (postgres project): DATABASE_URL (postgres://db.example:5433)" in result.stdout
