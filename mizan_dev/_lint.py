"""`mizan-dev lint`: the project's own linters and formatters, ruff for the backend and Biome for the frontend.

The tools are the project's (ruff from `.venv`, a dev dependency; Biome from `node_modules`), so the versions
and configs (`pyproject.toml`'s `[tool.ruff]`, `biome.json`) are the ones CI and the pre-commit hooks use too.
Every check runs even when one fails, so one run shows all there is to fix.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import TextIO

from ._errors import MizanDevError
from ._project import find_project

__all__ = ["lint"]

#: Each tool: where it comes from, for the error when it is missing.
TOOLS = {
    "ruff": "ruff is a dev dependency of the project: run `uv sync`",
    "biome": "Biome (@biomejs/biome) is a dev dependency of the project: run `npm install`",
}


def lint(*, project_dir: Path | None = None, fix: bool = False, output: TextIO | None = None) -> int:
    """ruff check, ruff format and biome check; with `fix` they rewrite what they can. 0 when all pass."""
    out = output or sys.stdout
    project = find_project(project_dir)
    ruff, biome = _tool(project.venv_bin, "ruff"), _tool(project.node_bin, "biome")
    checks = [
        ("ruff check", [ruff, "check", *(["--fix"] if fix else []), "."]),
        ("ruff format", [ruff, "format", *([] if fix else ["--check"]), "."]),
        ("biome check", [biome, "check", *(["--write"] if fix else [])]),
    ]
    failed: list[str] = []
    for label, command in checks:
        out.write(f"== {label}\n")
        out.flush()
        code = project.run(command).returncode
        if code != 0:
            failed.append(label)
            out.write(f"== {label}: FAILED (exit status {code})\n")
        out.flush()
    if failed:
        hint = "fix what is left by hand" if fix else "`mizan-dev lint --fix` fixes what it can"
        out.write(f"lint failed: {', '.join(failed)}; {hint}, then run it again\n")
    else:
        out.write(f"lint passed: {', '.join(label for label, _ in checks)}\n")
    out.flush()
    return 1 if failed else 0


def _tool(folder: Path, name: str) -> str:
    """The project's own copy of a tool, never one elsewhere on PATH whose version or defaults differ."""
    found = shutil.which(name, path=str(folder))
    if found is None:
        raise MizanDevError(f"{name} is not installed in {folder}. {TOOLS[name]}, then run it again.")
    return found
