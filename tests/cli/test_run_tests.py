"""`mizan-dev test` before it runs anything: a missing browser is said up front, with the fix."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import app, make_project, run_mizan_dev


@pytest.mark.skipif(
    any(Path.home().joinpath(".cache", "ms-playwright").glob("chromium-*")),
    reason="Playwright's own Chromium is installed here, so no PATH can hide a browser",
)
def test_e2e_without_a_browser_names_the_fix(tmp_path: Path) -> None:
    project = make_project(tmp_path / "proj", {"web": app("http_app.py", "MIZAN_WEB_PORT")})
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty), "NO_COLOR": "1"}
    result = run_mizan_dev("test", "--e2e", cwd=project, env=env)
    assert result.returncode == 1
    assert "No Chromium for the E2E tests" in result.stderr
    assert "apt-get install chromium" in result.stderr and "npx playwright install chromium" in result.stderr
    assert "Traceback" not in result.stderr


def test_outside_a_project_says_so(tmp_path: Path) -> None:
    result = run_mizan_dev("test", cwd=tmp_path)
    assert result.returncode == 1
    assert "is not inside a Mizan project" in result.stderr
