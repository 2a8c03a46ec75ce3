"""Fixtures for mizan-dev as a process: small projects made in temp dirs, and a handle on a running command."""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import psutil
import pytest

APPS = Path(__file__).parent / "apps"
PYTHON = shlex.quote(sys.executable)


def app(name: str, *args: str) -> str:
    """A Procfile command running one of the fixture apps with this interpreter."""
    return " ".join([PYTHON, shlex.quote(str(APPS / name)), *map(shlex.quote, args)])


def make_project(root: Path, processes: Mapping[str, str]) -> Path:
    """A minimal Mizan project: a Procfile and a pyproject.toml that depends on mizan."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "fixture"\nversion = "0"\ndependencies = ["mizan"]\n'
    )
    (root / "Procfile").write_text("".join(f"{name}: {command}\n" for name, command in processes.items()))
    return root


# A stand-in for the project's manage.py: `up` runs `manage.py migrate` before web on a database it made; this one
# says which DATABASE_URL it was given and whether that server takes logins.
MANAGE_PY = """import os, sys
from urllib.parse import urlsplit
from mizan_dev.supervision.readiness import postgres_accepts
url = os.environ["DATABASE_URL"]
parts = urlsplit(url)
print("manage.py", " ".join(sys.argv[1:]), url, postgres_accepts(parts.hostname, parts.port, parts.username) or "ok", flush=True)
"""


def postgres_project(root: Path, processes: dict[str, str]) -> Path:
    """A fixture project whose Copier answers say `database: postgres`."""
    project = make_project(root, processes)
    (project / ".copier-answers.yml").write_text("_commit: v0\ndatabase: postgres\n")
    (project / "backend").mkdir()
    (project / "backend" / "manage.py").write_text(MANAGE_PY)
    return project


def mizan_dev(*args: str) -> list[str]:
    return [sys.executable, "-m", "mizan_dev", *args]


def run_mizan_dev(
    *args: str, cwd: Path | None = None, env: Mapping[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Runs a mizan-dev command to its end, its output captured as text; the exit status is for the test to check."""
    return subprocess.run(
        mizan_dev(*args), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


class Running:
    """A mizan-dev command started in the background; its output is collected line by line."""

    def __init__(self, args: list[str], cwd: Path, env: Mapping[str, str] | None = None) -> None:
        full_env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
        full_env.update({"NO_COLOR": "1", **(env or {})})
        self.process = subprocess.Popen(
            args,
            cwd=cwd,
            env=full_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._eof = False
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._eof = True
            self._changed.notify_all()

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, pattern: str, timeout: float = 30.0) -> re.Match[str]:
        """The first output line matching `pattern`; fails with the whole output when none comes in time."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        with self._changed:
            while True:
                for line in self.lines:
                    if match := regex.search(line):
                        return match
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._eof:
                    pytest.fail(f"no line matching {pattern!r} within {timeout} s; output:\n{self.output}")
                self._changed.wait(min(remaining, 0.2))

    def signal(self, sig: signal.Signals) -> None:
        self.process.send_signal(sig)

    def wait(self, timeout: float) -> int:
        return self.process.wait(timeout=timeout)

    def kill_tree(self) -> None:
        """Test cleanup: whatever happened, leave nothing running. The supervised processes run in sessions of
        their own, so killing mizan-dev's group alone would leave them serving: ask mizan-dev to stop them
        first, then kill whatever of its tree is left."""
        if self.process.poll() is None:
            try:
                tree = psutil.Process(self.process.pid).children(recursive=True)
            except psutil.NoSuchProcess:
                tree = []
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            for process in tree:
                with contextlib.suppress(psutil.NoSuchProcess):
                    process.kill()
        self._reader.join(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


@pytest.fixture
def start() -> Iterator[object]:
    """Start `mizan-dev ARGS` in a folder; everything started is killed at the end of the test."""
    started: list[Running] = []

    def _start(*args: str, cwd: Path, env: Mapping[str, str] | None = None) -> Running:
        running = Running(mizan_dev(*args), cwd, env)
        started.append(running)
        return running

    yield _start
    for running in started:
        running.kill_tree()


@pytest.fixture
def no_redis_env(tmp_path: Path) -> dict[str, str]:
    """PATH without redis-server and no Docker, so `up` takes the in-memory branch (fixtures need no Redis)."""
    folder = tmp_path / "bin-without-redis"
    folder.mkdir()
    path = [
        p
        for p in os.environ.get("PATH", "").split(os.pathsep)
        if p and not (Path(p) / "redis-server").exists()
    ]
    # And no Docker, which would otherwise run Redis in a container (tests/template/test_docker_services.py).
    return {"PATH": os.pathsep.join([str(folder), *path]), "MIZAN_DEV_DOCKER": "0"}


def path_without(program: str) -> str:
    """This PATH without the folders that hold `program` (a machine that lacks it)."""
    folders = os.environ.get("PATH", "").split(os.pathsep)
    return os.pathsep.join(p for p in folders if p and not (Path(p) / program).exists())


def has(program: str) -> bool:
    return shutil.which(program) is not None
