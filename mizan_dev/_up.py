"""`mizan-dev up`: the whole stack of a generated project, one URL printed when everything is ready."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from honcho.printer import Printer

from ._console import colour_enabled
from ._process_tree import become_subreaper
from ._project import find_project
from ._signals import stop_on_signals
from ._stack import build_stack
from ._supervisor import Supervisor

__all__ = ["up"]


def up(*, project_dir: Path | None = None, port: int | None = None, output: TextIO | None = None) -> int:
    """Run the Procfile's processes (and Redis) until Ctrl-C or SIGTERM; returns the exit status."""
    out = output or sys.stdout
    project = find_project(project_dir)
    notes: list[str] = []
    stack = build_stack(project, say=notes.append, port=port)
    printer = Printer(output=out, colour=colour_enabled(out))
    supervisor = Supervisor(
        stack.specs,
        printer=printer,
        ready_line=lambda seconds: (
            f"ready in {seconds:.1f} s: open {stack.url} (edit backend/ and frontend/; Ctrl-C stops everything)"
        ),
        reap_orphans=become_subreaper(),
    )
    for note in notes:
        supervisor.say(note)
    names = ", ".join(spec.name for spec in stack.specs)
    supervisor.say(f"starting {names} in {project.root}")
    with stop_on_signals(supervisor.request_stop):
        code = supervisor.run()
    supervisor.say("stopped" if code in (130, 143) else f"stopped (exit status {code})")
    return code
