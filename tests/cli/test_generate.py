"""`mizan-dev generate` on projects that cannot generate yet: the error says what to run."""

from __future__ import annotations

from pathlib import Path

from .conftest import app, make_project, run_mizan_dev


def test_without_node_modules_it_names_npm_install(tmp_path: Path) -> None:
    project = make_project(tmp_path / "proj", {"web": app("http_app.py", "MIZAN_WEB_PORT")})
    result = run_mizan_dev("generate", cwd=project)
    assert result.returncode == 1
    assert "mizan-generate is not installed" in result.stderr and "npm install" in result.stderr


def test_watch_and_check_together_are_refused(tmp_path: Path) -> None:
    result = run_mizan_dev("generate", "--watch", "--check", cwd=tmp_path)
    assert result.returncode == 2
    assert "not allowed with argument" in result.stderr


def test_outside_a_project_says_so(tmp_path: Path) -> None:
    result = run_mizan_dev("generate", cwd=tmp_path)
    assert result.returncode == 1
    assert "is not inside a Mizan project" in result.stderr
