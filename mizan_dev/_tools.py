"""Finding the external tools mizan-dev drives: uv, node, npm and a Chromium for the E2E tests."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from ._errors import MizanDevError

__all__ = [
    "CHROMIUM_FIX",
    "Chromium",
    "find_chromium",
    "find_uv",
    "no_chromium_error",
    "require",
    "tool_version",
]

CHROMIUM_FIX = "`apt-get install chromium` (or `npx playwright install chromium` in the project)"
SYSTEM_CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def find_uv() -> str | None:
    """uv from PATH, else the one the `uv` Python package ships."""
    found = shutil.which("uv")
    if found:
        return found
    try:
        import uv  # type: ignore[import-not-found,unused-ignore]

        path = str(uv.find_uv_bin())
    except (ImportError, FileNotFoundError):
        return None
    return path


def require(name: str, fix: str, *, path: str | None = None) -> str:
    """The full path of a program, or an error naming the command that installs it."""
    found = shutil.which(name, path=path)
    if found is None:
        raise MizanDevError(f"{name} is not installed (not on PATH). Install it: {fix}")
    return found


def tool_version(program: str) -> tuple[int, ...] | None:
    """The first dotted version number `program --version` prints, or None when it cannot run."""
    try:
        result = subprocess.run(
            [program, "--version"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", result.stdout + result.stderr)
    if result.returncode != 0 or match is None:
        return None
    return tuple(int(part) for part in match.groups() if part is not None)


class Chromium:
    """The browser the E2E tests drive: Playwright's own (path empty: Playwright finds it) or a system one."""

    def __init__(self, *, path: str, source: str) -> None:
        self.path = path
        self.source = source


def find_chromium(project_root: Path | None = None) -> Chromium | None:
    """Playwright's downloaded Chromium when present, else a system Chromium or Chrome, else None."""
    for folder in _playwright_browser_dirs(project_root):
        if folder.is_dir() and any(folder.glob("chromium-*")):
            return Chromium(path="", source=f"Playwright's own ({folder})")
    for name in SYSTEM_CHROMIUMS:
        found = shutil.which(name)
        if found:
            return Chromium(path=found, source=found)
    return None


def _playwright_browser_dirs(project_root: Path | None) -> list[Path]:
    configured = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    if configured == "0" and project_root is not None:
        return [project_root / "node_modules" / "playwright-core" / ".local-browsers"]
    if configured:
        return [Path(configured)]
    home = Path.home()
    return [home / ".cache" / "ms-playwright", home / "Library" / "Caches" / "ms-playwright"]


def no_chromium_error() -> MizanDevError:
    """The error shown when no browser is found, with the two ways to get one."""
    return MizanDevError(
        f"No Chromium for the E2E tests. Install one: {CHROMIUM_FIX}; or run `mizan-dev test --unit`."
    )
