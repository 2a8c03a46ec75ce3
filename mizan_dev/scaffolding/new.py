"""`mizan-dev new`: copier copy of the bundled template, then install, migrate and generate so `up` works."""

from __future__ import annotations

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
from .._tools import find_uv, require
from ..codegen.generate import generate_once
from .template import template_root

__all__ = ["new_project", "parse_data"]


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
    answers = dict(data or {})
    answers.setdefault("project_name", target.name)
    began = time.monotonic()
    out.write(f"rendering the Mizan template into {target}\n")
    out.flush()
    with warnings.catch_warnings():
        # A checkout with uncommitted template edits is the normal state while developing the template.
        warnings.simplefilter("ignore", DirtyLocalWarning)
        try:
            copier.run_copy(
                str(source),
                target,
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
    if install:
        _install(Project(target), out)
        out.write(f"installed in {time.monotonic() - began:.1f} s\n")
        out.write(f"next: cd {_shown(target)} && mizan-dev up\n")
    else:
        out.write(
            f"next: cd {_shown(target)} && uv sync && npm install && "
            "uv run python backend/manage.py migrate && mizan-dev generate && mizan-dev up\n"
        )
    out.flush()
    return target


def _install(project: Project, out: TextIO) -> None:
    uv = find_uv()
    if uv is None:
        raise MizanDevError(
            "uv is not installed. Install it with `pip install uv`, then `uv sync` in the project."
        )
    npm = require("npm", "Node.js 20 or newer from https://nodejs.org/ (npm comes with it)")
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
    out.write(f"{label} ...\n")
    out.flush()
    began = time.monotonic()
    result = project.run(command, capture=True)
    if result.returncode != 0:
        tail = "\n".join(result.stdout.splitlines()[-30:])
        raise MizanDevError(
            f"`{label}` failed in {project.root} (exit status {result.returncode}):\n{tail}\n"
            f"Fix that, then rerun it there by hand, or run `mizan-dev new {project.root} --force` again."
        )
    out.write(f"{label} done in {time.monotonic() - began:.1f} s\n")


def _shown(target: Path) -> str:
    try:
        return str(target.relative_to(Path.cwd()))
    except ValueError:
        return str(target)
