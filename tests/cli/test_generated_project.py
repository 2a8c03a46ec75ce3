"""mizan-dev on a real generated project: `new` once per session, then `up` serves the page and stops clean,
and saving a backend file regenerates the client."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from mizan_dev._tools import find_uv

from .conftest import has, run_mizan_dev
from .test_up import READY, _alive, _listening

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.project,
    pytest.mark.skipif(
        not (has("node") and has("npm")), reason="node and npm are needed to install a generated project"
    ),
    pytest.mark.skipif(
        not (ROOT / "copier.yml").is_file(), reason="the template (copier.yml) is not in this checkout"
    ),
]


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One project made by `mizan-dev new --defaults` (render, uv sync, npm install, migrate, generate)."""
    target = tmp_path_factory.mktemp("generated") / "demo"
    began = time.monotonic()
    result = run_mizan_dev("new", str(target), "--defaults", timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    print(f"\nmizan-dev new took {time.monotonic() - began:.1f} s")
    yield target


def test_new_leaves_a_runnable_project(generated: Path) -> None:
    assert (generated / ".venv").is_dir()
    assert (generated / "node_modules" / ".bin" / "mizan-generate").exists()
    assert (generated / "frontend" / "src" / "api" / "index.ts").is_file()
    check = run_mizan_dev("generate", "--check", cwd=generated, timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr


def test_up_serves_the_page_regenerates_on_save_and_stops_clean(start, generated: Path) -> None:
    began = time.monotonic()
    running = start("up", cwd=generated)
    ready = running.wait_for(READY, timeout=180)
    print(f"\nup -> ready line: {time.monotonic() - began:.1f} s (it said {ready.group(1)} s)")
    web_port = int(ready.group(2))
    with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/", timeout=30) as response:
        page = response.read().decode()
    assert response.status == 200 and 'id="root"' in page
    vite_port = int(running.wait_for(r"--port (\d+) --strictPort").group(1))

    clients = generated / "backend" / "example" / "clients.py"
    calls = generated / "frontend" / "src" / "api" / "calls.ts"
    original = clients.read_text()
    try:
        saved = time.monotonic()
        clients.write_text(
            original
            + '\n\n@client\ndef added_on_save(request: HttpRequest) -> str:\n    """Added by a test."""\n'
            '    return "ok"\n'
        )
        deadline = saved + 120
        while "added_on_save" not in calls.read_text():
            assert time.monotonic() < deadline, running.output
            time.sleep(0.05)
        print(f"save -> regenerated client: {time.monotonic() - saved:.2f} s")
        assert "added_on_save" in _served_inputs(web_port), "the client was written before the web served it"

        # A renamed argument: the client that sends `words` appears only once the web takes `words`.
        clients.write_text(
            original
            + '\n\n@client\ndef added_on_save(request: HttpRequest, words: str) -> str:\n    """Renamed."""\n'
            "    return words\n"
        )
        types = generated / "frontend" / "src" / "api" / "types.ts"
        while "words" not in types.read_text():
            assert time.monotonic() < deadline, running.output
            time.sleep(0.05)
        assert "words" in _served_inputs(web_port)["added_on_save"]["properties"], running.output

        clients.write_text(original + "\ndef broken(:\n")
        running.wait_for(r"codegen +\| SyntaxError", timeout=120)
        running.wait_for(r"generation failed", timeout=120)
        assert running.process.poll() is None, "a syntax error leaves the stack running"
    finally:
        clients.write_text(original)
    deadline = time.monotonic() + 120
    while "added_on_save" in calls.read_text():
        assert time.monotonic() < deadline, running.output
        time.sleep(0.1)

    tree = psutil.Process(running.process.pid).children(recursive=True)
    stopping = time.monotonic()
    running.signal(signal.SIGINT)
    assert running.wait(timeout=15) == 130
    assert time.monotonic() - stopping < 5.0
    assert _alive(tree) == []
    assert not _listening(web_port) and not _listening(vite_port)


def test_e2e_suite_runs_against_a_throwaway_stack(generated: Path) -> None:
    began = time.monotonic()
    result = run_mizan_dev("test", "--e2e", cwd=generated, timeout=900)
    print(f"\nmizan-dev test --e2e took {time.monotonic() - began:.1f} s")
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr
    assert "stack ready in" in result.stdout and "passed  e2e (playwright)" in result.stdout
    assert not any((generated / ".mizan").glob("e2e-*")), "the throwaway database is removed"
    port = int(re.search(r"stack ready in [\d.]+ s at http://127\.0\.0\.1:(\d+)/", result.stdout).group(1))
    assert not _listening(port)


def _served_inputs(port: int) -> dict[str, Any]:
    """The input schema of each function the web serves now, from its `GET schema/` (DEBUG)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/mizan/schema/", timeout=10) as response:
        functions = json.load(response)["functions"]
    return {name: entry["input"] for name, entry in functions.items()}


def test_the_first_commit_holds_the_client_and_mizan_dev_is_the_projects_own(generated: Path) -> None:
    tracked = git(generated, "ls-files").splitlines()
    assert "frontend/src/api/index.ts" in tracked, "the generated client is committed"
    assert {"uv.lock", "package-lock.json", "packages/mizan-dev/pyproject.toml"} <= set(tracked)
    assert git(generated, "status", "--porcelain") == ""
    own = subprocess.run(
        [str(generated / ".venv" / "bin" / "mizan-dev"), "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert own.returncode == 0 and own.stdout.startswith("mizan-dev "), own.stdout + own.stderr


def test_a_fresh_clone_installs_type_checks_and_has_a_current_client(generated: Path, tmp_path: Path) -> None:
    """A teammate's first minutes, as the project's README says: clone, uv sync, npm ci, .env; then tsc passes
    and the project's own mizan-dev (from uv sync) finds the committed client current."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(generated), str(clone)], check=True, timeout=120)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT"}
    }
    uv = find_uv()
    assert uv is not None
    steps = [
        [uv, "sync", "--locked"],
        ["npm", "ci", "--no-audit", "--no-fund"],
        [".venv/bin/python", "backend/config/env_file.py"],
        ["node_modules/.bin/tsc", "--noEmit", "-p", "frontend"],
        [".venv/bin/mizan-dev", "generate", "--check"],
    ]
    for command in steps:
        began = time.monotonic()
        result = subprocess.run(
            command, cwd=clone, env=env, capture_output=True, text=True, timeout=900, check=False
        )
        assert result.returncode == 0, f"{command}:\n{result.stdout[-4000:]}{result.stderr[-4000:]}"
        print(f"\nclone: {' '.join(command[:2])} took {time.monotonic() - began:.1f} s")


def test_lint_passes_on_a_new_project_and_fixes_what_it_finds(generated: Path) -> None:
    clean = run_mizan_dev("lint", cwd=generated, timeout=300)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "lint passed: ruff check, ruff format, biome check" in clean.stdout

    python_file = generated / "backend" / "lint_sample.py"
    typescript_file = generated / "frontend" / "src" / "lintSample.ts"
    python_file.write_text("import os\nanswer=42\n")
    typescript_file.write_text("export const answer = 42;\n")
    try:
        dirty = run_mizan_dev("lint", cwd=generated, timeout=300)
        assert dirty.returncode == 1
        output = dirty.stdout + dirty.stderr
        assert "F401" in output and "lint_sample.py" in output and "lintSample.ts" in output
        assert "lint failed: ruff check, ruff format, biome check; `mizan-dev lint --fix`" in dirty.stdout

        fixed = run_mizan_dev("lint", "--fix", cwd=generated, timeout=300)
        assert fixed.returncode == 0, fixed.stdout + fixed.stderr
        assert python_file.read_text() == "answer = 42\n"
        assert typescript_file.read_text() == "export const answer = 42\n"
    finally:
        python_file.unlink(missing_ok=True)
        typescript_file.unlink(missing_ok=True)


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout
