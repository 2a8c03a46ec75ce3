"""Rich consoles for results (stdout) and diagnostics (stderr); rich decides about colour (a terminal, and
`NO_COLOR` unset, https://no-color.org; `FORCE_COLOR` honoured), and honcho's printer follows its answer."""

from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console

__all__ = ["colour_enabled", "make_console"]


def colour_enabled(stream: TextIO) -> bool:
    """Whether rich would colour `stream`: the answer honcho's printer is given, so both agree."""
    console = Console(file=stream)
    return console.color_system is not None and not console.no_color


def make_console(*, stderr: bool = False) -> Console:
    """A console that never wraps lines (logs are read by people and by tests alike)."""
    return Console(file=sys.stderr if stderr else sys.stdout, soft_wrap=True, highlight=False)
