"""Builds a real Django project out of docs/server-functions.md and points pytest-django at it.

The guide's `<!-- file: ... -->` blocks are written to a temporary directory as the files they name (plus the
boilerplate a guide leaves out: `manage.py`, the base of `config/settings.py`, empty `__init__.py` files), that
directory goes first on `sys.path`, and Django is set up from its settings before any test is collected. So
the examples are imported by Django the way a user's app is, and a broken example fails the run.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from markdown_examples import DEFAULT_PROJECT, read_guide

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "server-functions.md"
# Guides whose files join the same example projects (a file named by several guides gets their blocks in order).
GUIDES = [GUIDE, GUIDE.with_name("forms.md")]
SETTINGS_MODULE = "config.settings"
_projects_key = pytest.StashKey[dict[str, Path]]()

_MANAGE = """\
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""

_SETTINGS_BASE = """\
# What every example project shares; the guide's own config/settings.py blocks follow and may override it.
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "docs-example-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
ROOT_URLCONF = "config.urls"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASES = {{
    "default": {{
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
        "OPTIONS": {{"transaction_mode": "IMMEDIATE", "timeout": 20}},
    }}
}}
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "mizan",
    {apps}
]
"""

_URLS = """\
from django.urls import include, path

urlpatterns = [path("api/mizan/", include("mizan.urls"))]
"""


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    if settings.configured:
        raise pytest.UsageError(
            "tests/docs sets up its own Django project from docs/server-functions.md; run it without --ds and "
            "without DJANGO_SETTINGS_MODULE: pytest tests/docs"
        )
    root = Path(tempfile.mkdtemp(prefix="mizan-docs-"))
    files: dict[str, dict[str, str]] = {DEFAULT_PROJECT: {}}
    for guide in map(read_guide, GUIDES):
        for project, project_files in guide.files.items():
            merged = files.setdefault(project, {})
            for name, content in project_files.items():
                merged[name] = merged[name] + "\n" + content if name in merged else content
    projects = {name: _write_project(root / name, project_files) for name, project_files in files.items()}
    config.stash[_projects_key] = projects
    sys.path.insert(0, str(projects[DEFAULT_PROJECT]))
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    settings.INSTALLED_APPS  # noqa: B018  (loads the settings now, so pytest-django sees them configured)

    import django

    django.setup()


def pytest_unconfigure(config: pytest.Config) -> None:
    projects = config.stash.get(_projects_key, {})
    if projects:
        shutil.rmtree(next(iter(projects.values())).parent, ignore_errors=True)


@pytest.fixture(scope="session")
def docs_projects(pytestconfig: pytest.Config) -> dict[str, Path]:
    """Example project directories by name (`default`, and any `<!-- file: name:... -->` project)."""
    return pytestconfig.stash[_projects_key]


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment: None, django_db_blocker: Any) -> Iterator[None]:
    """The test database, made whatever the tests' marks say: the guide's steps share it without a mark."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        databases = setup_databases(verbosity=0, interactive=False, aliases={"default": "default"})
    yield
    with django_db_blocker.unblock():
        teardown_databases(databases, verbosity=0)


@pytest.fixture(scope="module")
def docs_db(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """One database for a whole guide, not rolled back per step: its examples build on each other."""
    with django_db_blocker.unblock():
        yield


def _write_project(folder: Path, files: dict[str, str]) -> Path:
    apps = sorted({name.split("/")[0] for name in files if "/" in name} - {"config"})
    for name, content in files.items():
        if name != "config/settings.py":
            _write(folder / name, content)
    base = _SETTINGS_BASE.format(apps="".join(f'"{app}",\n    ' for app in apps).rstrip())
    _write(folder / "config" / "settings.py", base + "\n" + files.get("config/settings.py", ""))
    if "config/urls.py" not in files:
        _write(folder / "config" / "urls.py", _URLS)
    _write(folder / "manage.py", _MANAGE)
    for package in {path.parent for path in folder.rglob("*.py")} - {folder}:
        (package / "__init__.py").touch()
    return folder


def _write(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
