"""`mizan-dev generate`: the project's mizan-generate, once, as a CI check, or on every backend change."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import TextIO

import watchfiles

from ._errors import MizanDevError
from ._project import Project, find_project

__all__ = ["generate", "generate_once"]

CONFIG = "mizan.config.mjs"
DEBOUNCE_MS = 1600  # the longest a burst of saves is grouped; a lone save is picked up after STEP_MS
STEP_MS = 50


def generate(
    *, project_dir: Path | None = None, watch: bool = False, check: bool = False, output: TextIO | None = None
) -> int:
    """Regenerate `frontend/src/api/` from the backend; with `watch`, keep doing it on every `.py` change."""
    out = output or sys.stdout
    if watch and check:
        raise MizanDevError("--watch and --check do not go together: --check is a one-off test for CI.")
    project = find_project(project_dir)
    if not watch:
        code = generate_once(project, check=check, output=out)
        if code == 0 and not check:
            out.write(
                "next: import the hooks from frontend/src/api; `mizan-dev up` regenerates on every save\n"
            )
        return code
    return _watch(project, out)


def generate_once(project: Project, *, check: bool = False, output: TextIO) -> int:
    """Run mizan-generate once and say how it went; returns its exit status."""
    command = [str(_generator(project)), "--config", CONFIG, *(["--check"] if check else [])]
    began = time.monotonic()
    result = subprocess.run(
        command,
        cwd=project.root,
        env=project.environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - began
    if result.stdout:
        output.write(result.stdout if result.stdout.endswith("\n") else result.stdout + "\n")
    if result.returncode == 0:
        verb = "checked" if check else "generated"
        output.write(f"client {verb} in {seconds:.2f} s\n")
    elif check:
        output.write("generated client is stale: run `mizan-dev generate` to update it\n")
    else:
        output.write(
            f"generation failed (exit status {result.returncode}) after {seconds:.2f} s: "
            "fix the error above and save; `mizan-dev generate` retries\n"
        )
    output.flush()
    return result.returncode


def _watch(project: Project, out: TextIO) -> int:
    backend = project.root / "backend"
    if not backend.is_dir():
        raise MizanDevError(
            f"{backend} does not exist; `generate --watch` watches the backend's .py files there."
        )
    generate_once(project, output=out)
    out.write(f"watching {backend.relative_to(project.root)}/**/*.py; Ctrl-C stops\n")
    out.flush()
    for changes in watchfiles.watch(
        backend,
        watch_filter=watchfiles.PythonFilter(),
        debounce=DEBOUNCE_MS,
        step=STEP_MS,
        raise_interrupt=False,
    ):
        changed = sorted({Path(path).relative_to(project.root).as_posix() for _, path in changes})
        out.write(f"changed: {', '.join(changed)}\n")
        generate_once(project, output=out)
    return 0


def _generator(project: Project) -> Path:
    for name in ("mizan-generate", "mizan-generate.cmd"):
        candidate = project.node_bin / name
        if candidate.exists():
            return candidate
    raise MizanDevError(
        f"mizan-generate is not installed in {project.root} (no node_modules/.bin/mizan-generate). "
        f"Run `npm install` there, then `mizan-dev generate`."
    )
