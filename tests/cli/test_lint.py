"""`mizan-dev lint` outside a full install, and the project's own mizan-dev on the commands it cannot run.

A real project with its linters installed is linted in test_generated_project.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import make_project, run_mizan_dev

ROOT = Path(__file__).resolve().parents[2]


def test_a_project_without_its_tools_is_told_to_install_them(tmp_path: Path) -> None:
    project = make_project(tmp_path / "proj", {"web": "true"})
    result = run_mizan_dev("lint", cwd=project, timeout=60)
    assert result.returncode == 1
    assert f"ruff is not installed in {project / '.venv' / 'bin'}" in result.stderr
    assert "run `uv sync`" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(
    not (ROOT / "copier.yml").is_file(), reason="the template (copier.yml) is not in this checkout"
)
@pytest.mark.parametrize("command", [["update"], ["new", "another", "--defaults", "--no-install"]])
def test_the_projects_own_copy_sends_new_and_update_to_the_tool(tmp_path: Path, command: list[str]) -> None:
    project = tmp_path / "proj"
    made = run_mizan_dev("new", str(project), "--defaults", "--no-install", timeout=300)
    assert made.returncode == 0, made.stdout + made.stderr
    own_copy = project / "packages" / "mizan-dev"
    assert (own_copy / "mizan_dev" / "_cli.py").is_file(), "the project carries mizan-dev's source"
    env = {**os.environ, "PYTHONPATH": str(own_copy)}
    probe = run_mizan_dev(*command, cwd=project, env=env, timeout=120)
    assert probe.returncode == 1
    assert f"the project's own copy ({own_copy})" in probe.stderr
    assert "uv tool install" in probe.stderr and "Traceback" not in probe.stderr
    assert not (project / "another").exists()
