"""The default project, installed from the registries, runs its own full suite: backend, frontend and E2E.

Slow (minutes): it installs the project with `uv sync` and `npm install`, then runs `mizan-dev test`, which
generates the client, runs pytest, vitest and tsc, and drives the real stack in Chromium with Playwright.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .rendering import REPO_ROOT, git, render

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def find_uv() -> str:
    """uv from PATH, beside this interpreter, or from the `uv` Python package."""
    found = shutil.which("uv") or shutil.which("uv", path=str(Path(sys.executable).parent))
    if not found:
        try:
            from uv import find_uv_bin
        except ImportError:
            pytest.fail("uv is needed to install the generated project: pip install uv")
        found = find_uv_bin()
    return found


def require_platform() -> None:
    """Node with npm and a Chromium are optional platforms here; without them the reason is given."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            pytest.skip(
                f"{tool} is not installed: the generated project's frontend needs Node 20.19+ with npm"
            )
    playwright_cache = Path(
        os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright"
    )
    has_own = playwright_cache.is_dir() and any(playwright_cache.glob("chromium-*"))
    if not has_own and not any(shutil.which(name) for name in CHROMIUM_NAMES):
        pytest.skip("no Chromium: install one (apt-get install chromium, or npx playwright install chromium)")


def mizan_dev_env(project: Path) -> dict[str, str]:
    """This environment, with this checkout importable when mizan-dev is not installed, and no REDIS_URL."""
    # nox points VIRTUAL_ENV and UV_PROJECT_ENVIRONMENT at its own venv: `uv sync` must make the project's .venv.
    leave_out = {"REDIS_URL", "DATABASE_URL", "VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT"}
    env = {key: value for key, value in os.environ.items() if key not in leave_out}
    env["NO_COLOR"] = "1"
    probe = subprocess.run(
        [sys.executable, "-c", "import mizan_dev"], cwd=project, env=env, check=False, capture_output=True
    )
    if probe.returncode != 0:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: float) -> tuple[int, str, float]:
    began = time.monotonic()
    result = subprocess.run(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        check=False,
    )
    return result.returncode, result.stdout, time.monotonic() - began


@pytest.mark.project
def test_the_default_project_installs_and_passes_its_own_suite(
    template_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    require_platform()
    project = render(template_repo, tmp_path / "my_project")
    env = mizan_dev_env(project)

    code, output, uv_seconds = run([find_uv(), "sync"], project, env, timeout=600)
    assert code == 0, output
    code, output, npm_seconds = run(
        [shutil.which("npm") or "npm", "install", "--no-audit", "--no-fund"], project, env, timeout=900
    )
    assert code == 0, output
    assert (project / "packages" / "mizan-js" / "dist").is_dir(), "mizan-js's prepare script did not build it"

    code, unit_output, unit_seconds = run(
        [sys.executable, "-m", "mizan_dev", "test", "--unit"], project, env, timeout=900
    )
    assert code == 0, unit_output
    code, e2e_output, e2e_seconds = run(
        [sys.executable, "-m", "mizan_dev", "test", "--e2e"], project, env, timeout=900
    )
    assert code == 0, e2e_output

    build_seconds = renders_through_the_built_bundle(project, env, tmp_path)

    assert re.search(r"=+ \d+ passed in ", unit_output), unit_output
    assert re.search(r"Tests\s+\d+ passed", unit_output), unit_output
    # Playwright writes its total as "850ms", "45.3s" or, past a minute, "1.2m".
    playwright = re.search(r"^\s*(\d+) passed \(([\d.]+(?:ms|s|m))\)", e2e_output, re.MULTILINE)
    assert playwright is not None and int(playwright.group(1)) >= 4, e2e_output
    assert "failed" not in playwright.group(0)

    # The project's own checks, with its own tools: mizan-dev from `uv sync`, the linters, the pre-commit hooks.
    own = str(project / ".venv" / "bin" / "mizan-dev")
    code, lint_output, lint_seconds = run([own, "lint"], project, env, timeout=300)
    assert code == 0, lint_output
    assert "lint passed: ruff check, ruff format, biome check" in lint_output
    code, output, _ = run([own, "generate", "--check"], project, env, timeout=300)
    assert code == 0, output
    git(project, "init", "-q")
    git(project, "add", "-A")
    hooks_env = {**env, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    pre_commit = [str(project / ".venv" / "bin" / "pre-commit"), "run", "--all-files", "--color=never"]
    code, hooks_output, hooks_seconds = run(pre_commit, project, hooks_env, timeout=300)
    assert code == 0, hooks_output
    assert re.findall(r"^(ruff check|ruff format|biome check)\.+Passed$", hooks_output, re.MULTILINE) == [
        "ruff check",
        "ruff format",
        "biome check",
    ], hooks_output
    with capsys.disabled():
        print(
            f"\n[generated project] install: uv sync {uv_seconds:.1f} s, npm install {npm_seconds:.1f} s; "
            f"unit suites {unit_seconds:.1f} s; e2e {e2e_seconds:.1f} s; npm run build {build_seconds:.1f} s "
            f"(Playwright's own count: {playwright.group(0).strip()}); mizan-dev lint {lint_seconds:.1f} s, "
            f"pre-commit run --all-files {hooks_seconds:.1f} s"
        )


PRODUCTION_PAGE = """
from django.test import Client
response = Client().get("/", secure=True)
print(response.status_code)
print(response.content.decode())
"""


def renders_through_the_built_bundle(project: Path, env: dict[str, str], tmp_path: Path) -> float:
    """`npm run build` writes the client bundle with Vite's manifest and the SSR bundle; the SSR bundle, copied
    away from the sources and node_modules, serves a production Django (DEBUG off) its page. The build's time."""
    code, output, seconds = run([shutil.which("npm") or "npm", "run", "build"], project, env, timeout=600)
    assert code == 0, output
    assert (project / "frontend" / "dist" / "manifest.json").is_file(), output
    bundle = tmp_path / "ssr-bundle" / "ssr-worker.js"
    bundle.parent.mkdir()
    shutil.copy(project / "frontend" / "dist-ssr" / "ssr-worker.js", bundle)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{probe.getsockname()[1]}"
    production = {
        **env,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "MIZAN_SSR_ADDRESS": address,
    }
    with subprocess.Popen(
        [str(project / "node_modules" / ".bin" / "bun"), str(bundle)],
        cwd=bundle.parent,
        env=production,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as worker:
        try:
            assert worker.stdout is not None
            ready = worker.stdout.readline()
            assert ready.startswith(f"mizan-ssr: listening on {address}"), ready + worker.stdout.read()
            python = str(project / ".venv" / "bin" / "python")
            code, output, _ = run(
                [python, "backend/manage.py", "migrate", "-v0"], project, production, timeout=300
            )
            assert code == 0, output
            code, page, _ = run(
                [python, "backend/manage.py", "shell", "-c", PRODUCTION_PAGE],
                project,
                production,
                timeout=300,
            )
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    assert code == 0 and "\n200\n" in f"\n{page}", page
    # The server's HTML from the bundle, the page data saying so, and the built assets' tags from the manifest.
    assert '<p data-testid="current-user">Not logged in</p>' in page, page
    assert '"rendered": true' in page, page
    assert re.search(r'<script type="module" [^>]*src="/static/assets/main-[\w-]+\.js"', page), page
    assert "@vite/client" not in page, page
    return seconds
