"""`mizan-dev doctor`: every tool and install step a project needs, each missing one with its fix."""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from ._docker_services import docker_engine
from ._errors import MizanDevError
from ._postgres import planned_database
from ._project import Project, find_project
from ._tools import CHROMIUM_FIX, find_chromium, find_uv, tool_version

__all__ = ["Check", "doctor"]

NODE_FIX = (
    "install Node.js 20+ from https://nodejs.org/ (Debian/Ubuntu: `apt-get install nodejs npm`, if 20+)"
)


@dataclass(frozen=True)
class Check:
    """One line of the report: what, whether it is fine, what was found, and the command that fixes it."""

    name: str
    ok: bool
    found: str
    fix: str = ""
    required: bool = True


def doctor(*, project_dir: Path | None = None) -> list[Check]:
    """Check the machine, and the project when run inside one."""
    checks = [_python(), _uv(), *_node_and_npm(), _redis(), _docker(), _chromium()]
    try:
        project = find_project(project_dir)
    except MizanDevError:
        return checks
    return checks + _project(project)


def _python() -> Check:
    version = ".".join(str(p) for p in sys.version_info[:3])
    return Check(
        "python >= 3.11",
        sys.version_info >= (3, 11),
        f"{version} ({sys.executable})",
        "install Python 3.11+ (`uv python install 3.12`), then reinstall mizan-dev with it",
    )


def _uv() -> Check:
    uv = find_uv()
    return Check("uv", uv is not None, uv or "not found", "`pip install uv`")


def _node_and_npm() -> list[Check]:
    node = shutil.which("node")
    version = tool_version(node) if node else None
    shown = "not found" if node is None else f"{'.'.join(map(str, version or ()))} ({node})"
    npm = shutil.which("npm")
    return [
        Check("node >= 20", version is not None and version >= (20,), shown, NODE_FIX),
        Check("npm", npm is not None, npm or "not found", NODE_FIX),
    ]


def _redis() -> Check:
    server = shutil.which("redis-server")
    return Check(
        "redis-server (optional: without it `up` uses in-memory defaults)",
        server is not None,
        server or "not found",
        "`apt-get install redis-server` (macOS: `brew install redis`)",
        required=False,
    )


def _docker() -> Check:
    client, said = docker_engine()
    return Check(
        "Docker engine (optional: runs Redis, and a postgres project's PostgreSQL, in containers when not installed)",
        client is not None,
        said,
        "install and start Docker (Debian: `apt-get install docker.io`), or install redis-server",
        required=False,
    )


def _chromium() -> Check:
    chromium = find_chromium()
    return Check(
        "chromium (for `mizan-dev test --e2e`)",
        chromium is not None,
        chromium.source if chromium else "not found",
        CHROMIUM_FIX,
    )


def _project(project: Project) -> list[Check]:
    root = project.root
    api = root / "frontend" / "src" / "api" / "index.ts"
    return [
        Check(
            "project Python env (.venv)",
            (root / ".venv").is_dir(),
            str(root / ".venv"),
            f"`cd {root} && uv sync`",
        ),
        Check(
            "project node_modules",
            (root / "node_modules").is_dir(),
            str(root / "node_modules"),
            f"`cd {root} && npm install`",
        ),
        Check(
            "generated client (frontend/src/api)",
            api.is_file(),
            str(api),
            f"`cd {root} && mizan-dev generate`",
        ),
        _bun(root),
        *_database(project),
    ]


def _database(project: Project) -> list[Check]:
    """For a postgres project, the database `up` and `test` will use (see _postgres.py for the order)."""
    planned = planned_database(project, project.environment())
    if planned is None:
        return []
    return [
        Check(
            "database (postgres project)",
            not planned.startswith(("no DATABASE_URL", "DATABASE_URL is not set")),
            planned,
            "set DATABASE_URL in .env, or start a Docker engine so `up` and `test` run PostgreSQL in it",
            required=False,
        )
    ]


def _bun(root: Path) -> Check:
    """Bun runs the SSR worker: the project's own (npm package `bun`), else one on PATH. Without it pages are
    rendered in the browser, so it is not required."""
    local = root / "node_modules" / ".bin" / "bun"
    bun = str(local) if local.is_file() else shutil.which("bun")
    return Check(
        "bun (optional: runs the SSR worker; without it pages are rendered in the browser)",
        bun is not None,
        bun or "not found",
        f"`cd {root} && npm install --save-dev bun` (the npm package ships Bun), or install it from https://bun.sh",
        required=False,
    )
