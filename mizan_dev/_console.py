"""Rich consoles for results (stdout) and diagnostics (stderr): colour only on a TTY, `NO_COLOR` honoured."""

from __future__ import annotations

import os
import sys
from typing import TextIO

from rich.console import Console

__all__ = ["colour_enabled", "make_console"]


def colour_enabled(stream: TextIO) -> bool:
    """Colour when the stream is a terminal and `NO_COLOR` is unset or empty (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def make_console(*, stderr: bool = False) -> Console:
    """A console that never wraps lines (logs are read by people and by tests alike)."""
    stream = sys.stderr if stderr else sys.stdout
    colour = colour_enabled(stream)
    return Console(
        file=stream,
        soft_wrap=True,
        highlight=False,
        no_color=not colour,
        color_system="auto" if colour else None,
        force_terminal=colour,
    )
