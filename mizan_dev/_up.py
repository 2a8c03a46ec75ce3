"""`mizan-dev up`: the whole stack of a generated project, one URL printed when everything is ready."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from ._project import find_project
from ._stack import build_stack, run_stack
from ._up_lock import hold_up_lock

__all__ = ["up"]


def up(*, project_dir: Path | None = None, port: int | None = None, output: TextIO | None = None) -> int:
    """Run the Procfile's processes (and Redis) until Ctrl-C, SIGTERM or SIGHUP; returns the exit status."""
    out = output or sys.stdout
    project = find_project(project_dir)
    with hold_up_lock(project) as lock:
        notes: list[str] = []
        stack = build_stack(project, say=notes.append, port=port)
        lock.publish(stack.url)
        names = ", ".join(spec.name for spec in stack.specs)
        notes.append(f"starting {names} in {project.root}")

        def ready_line(seconds: float, said: Sequence[str]) -> str:
            extra = "; ".join([*said, "edit backend/ and frontend/", "Ctrl-C stops everything"])
            return f"ready in {seconds:.1f} s: open {stack.url} ({extra})"

        return run_stack(stack, output=out, ready_line=ready_line, notes=notes)
