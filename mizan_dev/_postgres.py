"""The database of a project made with `database=postgres`, for `up` and `test`.

Precedence, first match wins:
1. `DATABASE_URL` in the environment or `.env`: used as it is (`up` says whether it takes logins).
2. A PostgreSQL server on PATH (`postgres`): it is the user's to run, so mizan-dev starts nothing and says to set
   `DATABASE_URL` to a database of it; SQLite until then.
3. A Docker engine: PostgreSQL as a container on a free port of 127.0.0.1, its data in a named volume of the
   project (kept between runs; the container is removed on exit), migrated before `web` starts.
4. Otherwise SQLite (`backend/db.sqlite3`), with one line saying what to do.
A SQLite project gets none of this: SQLite unless `DATABASE_URL` says otherwise.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import sys
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from ._docker_services import POSTGRES_IMAGE, docker_engine, ensure_image
from ._ports import free_port
from ._project import Project
from .supervision import PostgresProbe, ProcessSpec
from .supervision.readiness import postgres_accepts

__all__ = ["DEV_PASSWORD", "is_postgres_project", "planned_database", "postgres_service", "volume_name"]

# The container's superuser password: the server listens on 127.0.0.1 only and holds development data.
DEV_PASSWORD = "mizan-dev"
ANSWER = re.compile(r"^database:\s*['\"]?postgres['\"]?\s*$", re.MULTILINE)


def is_postgres_project(project: Project) -> bool:
    """True when the project was made with `database=postgres` (its Copier answers say so)."""
    try:
        return bool(ANSWER.search((project.root / ".copier-answers.yml").read_text(encoding="utf-8")))
    except OSError:
        return False


def _slug(project: Project) -> str:
    """A name for the database and its user: the project folder's, in the characters PostgreSQL likes."""
    return re.sub(r"[^a-z0-9_]+", "_", project.root.name.lower()).strip("_") or "app"


def volume_name(project: Project) -> str:
    """The project's own volume: its folder name and a hash of its path, so two checkouts never share one."""
    digest = hashlib.sha256(str(project.root).encode()).hexdigest()[:10]
    return f"mizan-dev-{_slug(project)}-{digest}-postgres"


def _sqlite_fallback(problem: str) -> str:
    return (
        "no DATABASE_URL, no PostgreSQL server and no Docker, so SQLite (backend/db.sqlite3); set DATABASE_URL "
        f"in .env, or install PostgreSQL or Docker ({problem})"
    )


def _plan(project: Project, env: dict[str, str]) -> tuple[str, str, Any | None]:
    """Which rule of the module's precedence applies: ("none"|"url"|"server"|"sqlite"|"docker", a detail, the
    engine's client for "docker")."""
    if not is_postgres_project(project):
        return "none", "", None
    if env.get("DATABASE_URL"):
        return "url", env["DATABASE_URL"], None
    server = shutil.which("postgres", path=env.get("PATH"))
    if server is not None:
        said = (
            f"DATABASE_URL is not set and a PostgreSQL server is installed ({server}), which mizan-dev leaves to "
            "you; using SQLite until you set DATABASE_URL in .env to a database of it (.env.example shows the form)"
        )
        return "server", said, None
    client, engine = docker_engine(env)
    if client is None:
        return "sqlite", _sqlite_fallback(engine), None
    return "docker", engine, client


def planned_database(project: Project, env: dict[str, str]) -> str | None:
    """What `up` and `test` will use for a postgres project, in one line (for `doctor`); None for others."""
    kind, detail, _client = _plan(project, env)
    if kind == "none":
        return None
    if kind == "url":
        parts = urlsplit(detail)
        return f"DATABASE_URL ({parts.scheme}://{parts.hostname or 'localhost'}:{parts.port or 5432})"
    if kind == "docker":
        return f"{POSTGRES_IMAGE} in a container of {detail} (volume {volume_name(project)})"
    return detail


def postgres_service(
    project: Project, env: dict[str, str], taken: list[int], say: Callable[[str], None]
) -> ProcessSpec | None:
    """The PostgreSQL container to supervise, with DATABASE_URL in its `env`, or None (said why)."""
    kind, detail, client = _plan(project, env)
    if kind == "url":
        _say_configured(detail, say)
    elif kind in ("server", "sqlite"):
        say(f"PostgreSQL: {detail}")
    if client is None:
        return None
    engine = detail
    problem = ensure_image(client, POSTGRES_IMAGE)
    if problem is not None:
        say(f"PostgreSQL: {_sqlite_fallback(problem)}")
        return None
    port = free_port(avoid=taken)
    taken.append(port)
    name = _slug(project)
    volume = volume_name(project)
    say(
        f"PostgreSQL: no DATABASE_URL and no PostgreSQL server; running {POSTGRES_IMAGE} on {engine}, on "
        f"127.0.0.1:{port} (data in the volume {volume}; the container is removed on exit)"
    )
    settings = {"POSTGRES_USER": name, "POSTGRES_PASSWORD": DEV_PASSWORD, "POSTGRES_DB": name}
    command = " ".join(
        [
            f"exec {shlex.quote(sys.executable)} -m mizan_dev._docker_services",
            *(f"--env {shlex.quote(f'{key}={value}')}" for key, value in settings.items()),
            f"--volume {shlex.quote(f'{volume}:/var/lib/postgresql/data')}",
            f"{POSTGRES_IMAGE} {port} 5432 -- postgres",
        ]
    )
    url = f"postgres://{name}:{DEV_PASSWORD}@127.0.0.1:{port}/{name}"
    return ProcessSpec(
        name="postgres",
        command=command,
        env={**env, "DATABASE_URL": url},
        cwd=project.root,
        probe=PostgresProbe(port, name),
    )


def _say_configured(url: str, say: Callable[[str], None]) -> None:
    source = "the environment" if os.environ.get("DATABASE_URL") else ".env"
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        say(f"database: using DATABASE_URL from {source} ({parts.scheme}://)")
        return
    shown = f"{parts.hostname or 'localhost'}:{parts.port or 5432}"
    problem = postgres_accepts(
        parts.hostname or "localhost", parts.port or 5432, parts.username or "postgres"
    )
    if problem is None:
        say(f"PostgreSQL: using DATABASE_URL from {source} ({shown} takes logins)")
    else:
        say(
            f"PostgreSQL: using DATABASE_URL from {source}, but {shown} does not take logins ({problem}); start "
            "that server, or unset DATABASE_URL so mizan-dev runs one in Docker"
        )
