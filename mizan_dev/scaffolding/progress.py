"""Long steps of `mizan-dev new` (uv sync, npm install: 20 to 90 s) shown while they run.

On a terminal a rich spinner counts the seconds, so a silent `npm install` does not look hung; elsewhere (CI,
a pipe, a test) one plain line when the step starts and one when it ends, since redrawn lines would only
clutter a log.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO, TypeVar

from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

__all__ = ["timed_step"]

T = TypeVar("T")


def timed_step(label: str, work: Callable[[], T], out: TextIO) -> tuple[T, float]:
    """Run `work()` under `label`, with a live elapsed time on a terminal; its result and its seconds."""
    console = Console(file=out, soft_wrap=True, highlight=False)
    began = time.monotonic()
    if console.is_terminal:
        columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as progress:
            progress.add_task(escape(label), total=None)
            result = work()
    else:
        out.write(f"{label} ...\n")
        out.flush()
        result = work()
    return result, time.monotonic() - began
