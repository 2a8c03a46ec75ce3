"""Helpers for the template's tests: the template as a git repository of its own, projects rendered from it.

The template is copied out of the working tree into a temp repository (tagged `v1`), so rendering never sees
this checkout's uncommitted changes or build output, and `copier update` has versions to move between.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import copier

REPO_ROOT = Path(__file__).resolve().parents[2]
# Build output and caches in the working tree; never part of the template.
IGNORED = shutil.ignore_patterns(
    "node_modules",
    "dist",
    ".venv",
    "__pycache__",
    "*.py[co]",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    "*.egg-info",
    ".mizan",
    "test-results",
    "playwright-report",
    "*.tsbuildinfo",
)
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Template Tests",
    "GIT_AUTHOR_EMAIL": "template-tests@example.com",
    "GIT_COMMITTER_NAME": "Template Tests",
    "GIT_COMMITTER_EMAIL": "template-tests@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
SECRET_NAMES = ("DJANGO_SECRET_KEY", "MIZAN_CACHE_SECRET", "MIZAN_MWT_SECRET")


def git(cwd: Path, *args: str) -> str:
    """Run git in `cwd` with a fixed identity and no user config; its stdout."""
    result = subprocess.run(
        [
            "git",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false",
            *args,
        ],
        cwd=cwd,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed in {cwd}:\n{result.stdout}{result.stderr}")
    return result.stdout


def commit_all(cwd: Path, message: str) -> None:
    git(cwd, "add", "-A")
    git(cwd, "commit", "-q", "-m", message)


def copy_template(destination: Path) -> Path:
    """`copier.yml` and `template/` of this checkout, as a git repository tagged v1."""
    destination.mkdir(parents=True)
    shutil.copy2(REPO_ROOT / "copier.yml", destination / "copier.yml")
    shutil.copytree(REPO_ROOT / "template", destination / "template", ignore=IGNORED)
    git(destination, "init", "-q")
    commit_all(destination, "template v1")
    git(destination, "tag", "v1")
    return destination


def render(template: Path, destination: Path, data: Mapping[str, Any] | None = None, **options: Any) -> Path:
    """Render `template` into `destination` like `copier copy --trust --defaults`, with `data` answered."""
    copier.run_copy(
        str(template),
        destination,
        data=dict(data or {}),
        defaults=True,
        unsafe=True,
        quiet=True,
        **options,
    )
    return destination


def read_env(path: Path) -> dict[str, str]:
    """A `.env` file's assignments."""
    pairs = (
        line.split("=", 1)
        for line in path.read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    return {name.strip(): value.strip() for name, value in pairs}
