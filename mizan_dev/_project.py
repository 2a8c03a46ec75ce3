"""A generated Mizan project on disk: where its root is and the environment its processes run with."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from honcho import environ

from ._errors import MizanDevError

__all__ = ["Project", "find_project"]


@dataclass(frozen=True)
class Project:
    """The root of a generated project: the folder with its Procfile and a pyproject.toml that uses mizan."""

    root: Path

    @property
    def procfile(self) -> Path:
        return self.root / "Procfile"

    @property
    def venv_bin(self) -> Path:
        return self.root / ".venv" / ("Scripts" if os.name == "nt" else "bin")

    @property
    def node_bin(self) -> Path:
        return self.root / "node_modules" / ".bin"

    @property
    def state_dir(self) -> Path:
        """`.mizan/`: files mizan-dev makes while running (Redis's folder, throwaway databases); git-ignored."""
        return self.root / ".mizan"

    def python(self) -> str:
        """The project's own interpreter once `uv sync` made it, else the one running mizan-dev."""
        candidate = self.venv_bin / ("python.exe" if os.name == "nt" else "python")
        return str(candidate) if candidate.exists() else sys.executable

    def processes(self) -> dict[str, str]:
        """The Procfile's processes, in file order."""
        try:
            text = self.procfile.read_text(encoding="utf-8")
        except OSError as error:
            raise MizanDevError(
                f"Cannot read {self.procfile}: {error.strerror}. Restore it from the template."
            )
        processes: dict[str, str] = dict(environ.parse_procfile(text).processes)
        if not processes:
            raise MizanDevError(
                f"{self.procfile} names no process. Each line reads `name: command`, e.g. "
                "`web: python -m uvicorn config.asgi:application --app-dir backend --port $MIZAN_WEB_PORT`."
            )
        return processes

    def dotenv(self) -> dict[str, str]:
        """The project's `.env` (settings and per-project secrets), empty when there is none."""
        path = self.root / ".env"
        if not path.is_file():
            return {}
        values: dict[str, str] = environ.parse(path.read_text(encoding="utf-8"))
        return values

    def environment(self, extra: Mapping[str, str] = {}) -> dict[str, str]:
        """os.environ, then `.env`, then `extra`; the project's `.venv/bin` and `node_modules/.bin` first on PATH.

        mizan-dev's own folder goes last on PATH so a Procfile line `mizan-dev ...` works even when mizan-dev
        was started by its full path from a virtual environment that is not activated.
        """
        env = dict(os.environ)
        env.update(self.dotenv())
        env.update(extra)
        path = [str(self.venv_bin), str(self.node_bin), *env.get("PATH", os.defpath).split(os.pathsep)]
        path.append(str(Path(sys.executable).parent))
        env["PATH"] = os.pathsep.join(dict.fromkeys(p for p in path if p))
        # An outer environment (an activated venv, a nox or CI session's uv settings) must not take the place of
        # the project's own `.venv`: `uv sync` would otherwise install the project into it, removing the rest.
        for name in ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT"):
            env.pop(name, None)
        env["PYTHONUNBUFFERED"] = "1"  # logs arrive line by line through the pipes
        return env

    def run(
        self, command: Sequence[str], *, extra_env: Mapping[str, str] = {}, capture: bool = False
    ) -> subprocess.CompletedProcess[str]:
        """Run `command` to its end in the project's folder and environment (plus `extra_env`); with `capture`
        its stdout and stderr come back together as text, otherwise they go to ours. The one place `new`,
        `generate` and `test` run the project's tools."""
        output = subprocess.PIPE if capture else None
        return subprocess.run(
            list(command),
            cwd=self.root,
            env=self.environment(extra_env),
            stdout=output,
            stderr=subprocess.STDOUT if capture else None,
            text=True,
            check=False,
        )


def find_project(start: Path | None = None) -> Project:
    """The project containing `start` (default: the current folder), searching upwards."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "Procfile").is_file() and _uses_mizan(folder / "pyproject.toml"):
            return Project(folder)
    raise MizanDevError(
        f"{here} is not inside a Mizan project (no folder from here up has a Procfile and a pyproject.toml "
        "that depends on mizan). Create one with `mizan-dev new myproj`, then `cd myproj && mizan-dev up`."
    )


def _uses_mizan(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return False
    project = data.get("project", {})
    deps = [*project.get("dependencies", [])]
    for group in data.get("dependency-groups", {}).values():
        deps.extend(d for d in group if isinstance(d, str))
    sources = data.get("tool", {}).get("uv", {}).get("sources", {})
    return "mizan" in sources or any(_requirement_name(d) == "mizan" for d in deps)


def _requirement_name(requirement: str) -> str:
    name = requirement.strip()
    for stop in "[<>=!~;@ (":
        name = name.split(stop, 1)[0]
    return name.strip().lower().replace("_", "-")
