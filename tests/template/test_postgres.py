"""The postgres option works: the generated project, installed, passes `check` and its own backend suite on a
real PostgreSQL (Debian's `postgresql`; `.ci/run` installs it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .postgres import postgres_bin, running_postgres
from .rendering import render
from .test_generated_project import find_uv, mizan_dev_env, run


@pytest.mark.project
def test_a_postgres_project_passes_its_backend_suite_on_postgresql(
    template_repo: Path, tmp_path: Path
) -> None:
    bin_dir = postgres_bin()
    if bin_dir is None or shutil.which("runuser") is None:
        pytest.skip("PostgreSQL is not installed: apt-get install postgresql")
    project = render(template_repo, tmp_path / "shop", {"database": "postgres", "project_slug": "shop"})
    env = mizan_dev_env(project)
    code, output, _ = run([find_uv(), "sync"], project, env, timeout=600)
    assert code == 0, output
    python = str(project / ".venv" / "bin" / "python")

    with running_postgres(bin_dir) as url:
        env["DATABASE_URL"] = url
        code, output, _ = run(
            [python, "backend/manage.py", "check", "--database", "default"], project, env, 120
        )
        assert code == 0, output
        code, output, _ = run([python, "backend/manage.py", "migrate", "--noinput"], project, env, 300)
        assert code == 0, output
        assert "Applying auth.0001_initial... OK" in output
        vendor = "from django.db import connection; print(connection.vendor)"
        code, output, _ = run([python, "backend/manage.py", "shell", "-c", vendor], project, env, 120)
        assert (code, output.strip().splitlines()[-1]) == (0, "postgresql"), output
        code, output, _ = run([python, "-m", "pytest", "-q"], project, env, 600)

    assert code == 0, output
    assert " passed" in output and "failed" not in output, output
