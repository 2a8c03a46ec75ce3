"""`mizan-dev new`: refusing a non-empty folder, bad --data, and a render without install."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import run_mizan_dev

ROOT = Path(__file__).resolve().parents[2]


def test_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    result = run_mizan_dev("new", str(target), "--defaults", timeout=120)
    assert result.returncode == 1
    assert "is not empty" in result.stderr and "--force" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]


def test_refuses_data_that_is_not_key_value(tmp_path: Path) -> None:
    result = run_mizan_dev("new", str(tmp_path / "p"), "--defaults", "--data", "oops", timeout=120)
    assert result.returncode == 1
    assert "--data 'oops' is not KEY=VALUE" in result.stderr
    assert not (tmp_path / "p").exists()


@pytest.mark.skipif(
    not (ROOT / "copier.yml").is_file(), reason="the template (copier.yml) is not in this checkout"
)
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


@pytest.mark.skipif(
    not (ROOT / "copier.yml").is_file(), reason="the template (copier.yml) is not in this checkout"
)
def test_invalid_slug_is_refused_with_the_rule(tmp_path: Path) -> None:
    target = tmp_path / "p"
    result = run_mizan_dev(
        "new", str(target), "--defaults", "--no-install", "--data", "project_slug=9 lives", timeout=300
    )
    assert result.returncode == 1
    assert "not a valid slug" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(
    not (ROOT / "copier.yml").is_file(), reason="the template (copier.yml) is not in this checkout"
)
def test_force_renders_into_a_non_empty_folder_keeping_other_files(tmp_path: Path) -> None:
    target = tmp_path / "existing"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    result = run_mizan_dev("new", str(target), "--defaults", "--no-install", "--force", timeout=300)
    assert result.returncode == 0, result.stderr
    assert (target / "notes.txt").read_text() == "mine"
    assert (target / "Procfile").is_file()


def test_refuses_an_unknown_data_key(tmp_path: Path) -> None:
    result = run_mizan_dev(
        "new", str(tmp_path / "p"), "--defaults", "--no-install", "--data", "projet_name=x", timeout=120
    )
    assert result.returncode == 1
    assert "--data projet_name: no such question" in result.stderr
    assert "project_name" in result.stderr, "the message lists the questions there are"
    assert not (tmp_path / "p").exists()


@pytest.mark.skipif(
    not (ROOT / "copier.yml").is_file(), reason="the template (copier.yml) is not in this checkout"
)
def test_a_render_is_committed_and_the_next_line_quotes_the_path(tmp_path: Path) -> None:
    import shlex
    import subprocess

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


def test_an_old_node_is_refused_before_anything_is_rendered(tmp_path: Path) -> None:
    import os
    import sys

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "node"
    fake.write_text("#!/bin/sh\necho v20.10.0\n")
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    import subprocess

    result = subprocess.run(
        [sys.executable, "-m", "mizan_dev", "new", str(tmp_path / "p"), "--defaults"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == 1
    assert "Node.js 20.10.0" in result.stderr and "20.19 or newer" in result.stderr
    assert not (tmp_path / "p").exists()
