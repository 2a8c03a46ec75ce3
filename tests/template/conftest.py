"""Fixtures: the template as a temp git repository (tagged v1), and the project its defaults give."""

from __future__ import annotations

from pathlib import Path

import pytest

from .rendering import copy_template, render


@pytest.fixture(scope="session")
def template_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_template(tmp_path_factory.mktemp("template") / "repo")


@pytest.fixture(scope="session")
def default_project(template_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project every default answer gives; shared, so tests must not change it."""
    return render(template_repo, tmp_path_factory.mktemp("default") / "my_project")
