"""`mizan-dev new`: what it refuses before rendering, a render without install, the first commit, progress on
long steps and the clean-up when a step fails."""

from __future__ import annotations

import io
import os
import pty
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from mizan_dev.scaffolding.progress import timed_step

from .conftest import run_mizan_dev

ROOT = Path(__file__).resolve().parents[2]
needs_template = pytest.mark.skipif(
    not (ROOT / "copier.yml").is_file(), reason="the template (copier.yml) is not in this checkout"
)


def with_fake_tools(tmp_path: Path, **scripts: str) -> dict[str, str]:
    """This environment with shell scripts named like the tools (`node`, `uv`, `npm`) first on PATH."""
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir()
    for name, script in scripts.items():
        fake = bin_dir / name
        fake.write_text(f"#!/bin/sh\n{script}\n")
        fake.chmod(0o755)
    return {**os.environ, "NO_COLOR": "1", "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}


def test_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    result = run_mizan_dev("new", str(target), "--defaults", timeout=120)
    assert result.returncode == 1
    assert "is not empty" in result.stderr and "--force" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]


@needs_template
def test_renders_without_install(tmp_path: Path) -> None:
    target = tmp_path / "shop-front"
    result = run_mizan_dev("new", str(target), "--defaults", "--no-install", timeout=300)
    assert result.returncode == 0, result.stderr + result.stdout
    assert (target / "Procfile").is_file()
    assert (target / "copier.yml").exists() is False
    assert "next: cd" in result.stdout and "mizan-dev up" in result.stdout
    answers = (target / ".copier-answers.yml").read_text()
    assert "project_name: shop-front" in answers, "the folder name is the default project name"
    assert not (target / "node_modules").exists() and not (target / ".venv").exists()


@needs_template
def test_force_renders_into_a_non_empty_folder_keeping_other_files(tmp_path: Path) -> None:
    target = tmp_path / "existing"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    result = run_mizan_dev("new", str(target), "--defaults", "--no-install", "--force", timeout=300)
    assert result.returncode == 0, result.stderr
    assert (target / "notes.txt").read_text() == "mine"
    assert (target / "Procfile").is_file()


@needs_template
def test_a_render_is_committed_and_the_next_line_quotes_the_path(tmp_path: Path) -> None:
    target = tmp_path / "my shop"
    result = run_mizan_dev(
        "new", str(target), "--defaults", "--no-install", "--data", "project_slug=shop", timeout=300
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert f"next: cd {shlex.quote(str(target))} &&" in result.stdout
    log = subprocess.run(
        ["git", "log", "--format=%s"], cwd=target, capture_output=True, text=True, check=True
    )
    assert log.stdout.strip() == "New Mizan project"
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=target, capture_output=True, text=True, check=True
    )
    assert status.stdout == "", "the first commit holds every rendered file that is not ignored"


@pytest.mark.parametrize(
    ("data", "said"),
    [
        pytest.param(["oops"], ["--data 'oops' is not KEY=VALUE"], id="not-key-value"),
        pytest.param(
            ["projet_name=x"], ["--data projet_name: no such question", "project_name"], id="unknown-key"
        ),
        pytest.param(["project_slug=9 lives"], ["not a valid slug"], id="slug-breaks-the-rule"),
    ],
)
@needs_template
def test_a_bad_answer_is_refused_with_the_rule_and_no_folder(
    tmp_path: Path, data: list[str], said: list[str]
) -> None:
    target = tmp_path / "p"
    options = [arg for pair in data for arg in ("--data", pair)]
    result = run_mizan_dev("new", str(target), "--defaults", "--no-install", *options, timeout=300)
    assert result.returncode == 1
    for text in said:
        assert text in result.stderr
    assert "Traceback" not in result.stderr
    assert not target.exists()


def test_an_old_node_is_refused_before_anything_is_rendered(tmp_path: Path) -> None:
    env = with_fake_tools(tmp_path, node="echo v20.10.0")
    result = run_mizan_dev("new", str(tmp_path / "p"), "--defaults", env=env, timeout=120)
    assert result.returncode == 1
    assert "Node.js 20.10.0" in result.stderr and "20.19 or newer" in result.stderr
    assert not (tmp_path / "p").exists()


@needs_template
def test_a_failing_install_step_removes_the_folder_and_says_how_to_resume(tmp_path: Path) -> None:
    """uv sync passes (a stand-in) and npm install fails: plain progress lines (no terminal), then the clean-up."""
    env = with_fake_tools(tmp_path, uv="echo synced", npm="echo 'npm ERR! registry unreachable' >&2; exit 7")
    target = tmp_path / "p"
    result = run_mizan_dev("new", str(target), "--defaults", env=env, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "uv sync ..." in lines and "npm install ..." in lines
    assert any(line.startswith("uv sync done in ") for line in lines), result.stdout
    assert f"removed the half-made {target}" in lines
    assert "`npm install` failed" in result.stderr and "exit status 7" in result.stderr
    assert "npm ERR! registry unreachable" in result.stderr
    assert "run `mizan-dev new` again" in result.stderr
    assert not target.exists()


def test_a_long_step_shows_a_spinner_with_the_elapsed_time_on_a_terminal() -> None:
    leader, follower = pty.openpty()
    terminal = open(follower, "w", encoding="utf-8", closefd=True)  # noqa: SIM115 (closed below)
    env_before = {name: os.environ.pop(name, None) for name in ("NO_COLOR", "TERM")}
    os.environ["TERM"] = "xterm"
    try:
        result, seconds = timed_step(
            "npm install",
            lambda: subprocess.run([sys.executable, "-c", "import time; time.sleep(1.6)"], check=False),
            terminal,
        )
    finally:
        for name, value in env_before.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value
        terminal.close()
    shown = _drain(leader)
    assert result.returncode == 0 and seconds >= 1.6
    assert "npm install" in shown
    assert "0:00:01" in shown, f"the elapsed time counts up while the step runs: {shown!r}"
    assert "npm install ..." not in shown, "a terminal gets the live line, not the plain one"


def test_a_long_step_is_two_plain_lines_without_a_terminal() -> None:
    out = io.StringIO()
    _, seconds = timed_step("uv sync", lambda: None, out)
    assert out.getvalue() == "uv sync ...\n"
    assert seconds < 1


def _drain(fd: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the other end is closed and everything was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks).decode("utf-8", errors="replace")
