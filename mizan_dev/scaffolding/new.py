"""`mizan-dev new`: copier copy of the bundled template, then install, migrate and generate so `up` works."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

import copier
from copier.errors import CopierError, DirtyLocalWarning

from .._errors import MizanDevError
from .._project import Project
from .._tools import find_uv, require, tool_version
from ..codegen.generate import generate_once
from .progress import timed_step
from .template import template_root
from .template_history import template_source

__all__ = ["MIN_NODE", "check_prerequisites", "new_project", "parse_data"]

# Vite 8 needs Node 20.19+ (it crashes on 20.10 with an unhelpful stack).
MIN_NODE = (20, 19)
NODE_FIX = "install Node.js 20.19 or newer from https://nodejs.org/ (or `nvm install 22`)"


def parse_data(pairs: Sequence[str]) -> dict[str, str]:
    """`KEY=VALUE` strings from `--data` as a mapping (the value may itself contain `=`)."""
    data: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise MizanDevError(
                f'--data {pair!r} is not KEY=VALUE; write it like `--data project_name="My shop"`.'
            )
        data[key.strip()] = value
    return data


def new_project(
    path: Path,
    *,
    defaults: bool = False,
    data: Mapping[str, str] | None = None,
    install: bool = True,
    force: bool = False,
    output: TextIO | None = None,
) -> Path:
    """Render the template into `path` (refusing a non-empty folder unless `force`) and make it runnable."""
    out = output or sys.stdout
    target = path.resolve()
    if target.exists() and not target.is_dir():
        raise MizanDevError(f"{target} is a file; pass a new folder name, e.g. `mizan-dev new myproj`.")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise MizanDevError(
            f"{target} is not empty; pick a new folder, or pass --force to render into it "
            "(files the template also has are overwritten)."
        )
    source = template_root()
    _refuse_unknown_keys(source, data or {})
    tools = check_prerequisites() if install else None
    answers = dict(data or {})
    answers.setdefault("project_name", target.name)
    existed = target.exists()
    try:
        _render_and_install(target, answers, defaults, force, install, tools, out)
    except BaseException:
        if not existed and target.exists():
            shutil.rmtree(target, ignore_errors=True)
            out.write(f"removed the half-made {target}\n")
            out.flush()
        raise
    return target


def _render_and_install(
    target: Path,
    answers: dict[str, str],
    defaults: bool,
    force: bool,
    install: bool,
    tools: dict[str, str] | None,
    out: TextIO,
) -> None:
    began = time.monotonic()
    out.write(f"rendering the Mizan template into {target}\n")
    out.flush()
    origin = template_source()
    with warnings.catch_warnings():
        # A checkout with uncommitted template edits is the normal state while developing the template.
        warnings.simplefilter("ignore", DirtyLocalWarning)
        try:
            copier.run_copy(
                origin.src_path,
                target,
                vcs_ref=origin.commit or "HEAD",  # HEAD of a folder: its working tree, edits included
                data=answers,
                defaults=defaults,
                overwrite=force,
                unsafe=True,  # the template's one task writes .env with fresh secrets
                quiet=True,
            )
        except (CopierError, ValueError) as error:
            raise MizanDevError(f"copier could not render the template: {error}") from None
        except KeyboardInterrupt:
            raise MizanDevError("cancelled; nothing was kept") from None
    out.write(f"rendered in {time.monotonic() - began:.1f} s\n")
    if origin.not_updatable:
        out.write(
            f"note: `mizan-dev update` will not be able to update this project: {origin.not_updatable}\n"
        )
    if install:
        assert tools is not None
        _install(Project(target), tools, out)
        out.write(f"installed in {time.monotonic() - began:.1f} s\n")
    _first_commit(target, out)
    shown = shlex.quote(_shown(target))
    if install:
        out.write(f"next: cd {shown} && mizan-dev up\n")
    else:
        out.write(
            f"next: cd {shown} && uv sync && npm install && "
            "uv run python backend/manage.py migrate && mizan-dev generate && mizan-dev up\n"
        )
    out.flush()


def check_prerequisites() -> dict[str, str]:
    """uv, npm and a Node.js >= 20.19, found before anything is rendered (so a failure leaves no folder)."""
    uv = find_uv()
    if uv is None:
        raise MizanDevError(
            "uv is not installed. Install it (`pipx install uv`, `uv` from https://docs.astral.sh/uv/, or "
            "`pip install uv` in a venv), or pass --no-install to only render."
        )
    node = require("node", NODE_FIX)
    version = tool_version(node)
    if version is None or version[:2] < MIN_NODE:
        shown = "unknown" if version is None else ".".join(map(str, version))
        raise MizanDevError(
            f"Node.js {shown} at {node} is too old: Vite needs {'.'.join(map(str, MIN_NODE))} or newer; "
            f"{NODE_FIX}."
        )
    npm = require("npm", "npm comes with Node.js from https://nodejs.org/")
    return {"uv": uv, "npm": npm}


def _refuse_unknown_keys(source: Path, data: Mapping[str, str]) -> None:
    import yaml

    questions = yaml.safe_load((source / "copier.yml").read_text(encoding="utf-8")) or {}
    known = sorted(key for key in questions if not key.startswith("_"))
    unknown = sorted(key for key in data if key not in known)
    if unknown:
        raise MizanDevError(
            f"--data {', '.join(unknown)}: no such question in the template. The questions are: "
            f"{', '.join(known)}."
        )


def _first_commit(target: Path, out: TextIO) -> None:
    """`git init` and a first commit, so `mizan-dev update` has a clean tree to merge into."""
    git = shutil.which("git")
    if git is None:
        out.write("git is not installed; the project is not a git repository (mizan-dev update needs one)\n")
        return
    if (target / ".git").exists():
        return
    env = {
        "GIT_AUTHOR_NAME": "mizan-dev",
        "GIT_AUTHOR_EMAIL": "mizan-dev@localhost",
        "GIT_COMMITTER_NAME": "mizan-dev",
        "GIT_COMMITTER_EMAIL": "mizan-dev@localhost",
    }

    def run(*args: str, identity: bool = False) -> subprocess.CompletedProcess[str]:
        merged = {**os.environ, **env} if identity else None
        return subprocess.run(
            [git, *args], cwd=target, capture_output=True, text=True, check=False, env=merged
        )

    run("init", "--quiet", "--initial-branch=main")
    run("add", "--all")
    named = run("config", "user.email").returncode == 0
    result = run("commit", "--quiet", "--no-verify", "-m", "New Mizan project", identity=not named)
    if result.returncode != 0:
        out.write(f"git commit failed; commit the project yourself:\n{result.stderr.strip()}\n")
    else:
        out.write("git: initialised, first commit made\n")


def _install(project: Project, tools: Mapping[str, str], out: TextIO) -> None:
    uv, npm = tools["uv"], tools["npm"]
    steps: list[tuple[str, list[str]]] = [
        ("uv sync", [uv, "sync"]),
        ("npm install", [npm, "install", "--no-audit", "--no-fund"]),
    ]
    for label, command in steps:
        _step(project, label, command, out)
    _step(project, "migrate", [project.python(), "backend/manage.py", "migrate", "--noinput"], out)
    if generate_once(project, output=out) != 0:
        raise MizanDevError(
            f"generating the client failed (output above). Fix it, then `cd {project.root} && mizan-dev generate`."
        )


def _step(project: Project, label: str, command: list[str], out: TextIO) -> None:
    result, seconds = timed_step(label, lambda: project.run(command, capture=True), out)
    if result.returncode != 0:
        tail = "\n".join(result.stdout.splitlines()[-30:])
        raise MizanDevError(
            f"`{label}` failed in {project.root} (exit status {result.returncode}):\n{tail}\n"
            f"Fix that, then run `mizan-dev new` again (a folder it created is removed on failure; "
            "into an existing folder, pass --force)."
        )
    out.write(f"{label} done in {seconds:.1f} s\n")
    out.flush()


def _shown(target: Path) -> str:
    try:
        return str(target.relative_to(Path.cwd()))
    except ValueError:
        return str(target)
