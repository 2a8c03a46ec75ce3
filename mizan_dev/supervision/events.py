"""What happens to a supervised stack, as typed events: the only input of `apply` (state.py).

Reader threads, probe threads and signal handlers put these on one queue; the supervisor's loop takes them off
in order. `run` numbers each start of a process, so an event from a run that has since been replaced is
recognised and ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AllStopped",
    "Event",
    "Exited",
    "Line",
    "Notice",
    "Ready",
    "Started",
    "StopRequested",
    "Tick",
    "TreeStopped",
]


@dataclass(frozen=True)
class Started:
    """A process was spawned (its shell's pid, which is also its process group)."""

    name: str
    run: int
    pid: int


@dataclass(frozen=True)
class Line:
    """One line of a process's output (stdout and stderr together), without its newline."""

    name: str
    run: int
    text: str


@dataclass(frozen=True)
class Ready:
    """A polled readiness probe succeeded (line probes are matched in `apply` itself)."""

    name: str
    run: int


@dataclass(frozen=True)
class Exited:
    """The process mizan-dev spawned has exited; its output pipe has been read to the end (or given up on)."""

    name: str
    run: int
    code: int


@dataclass(frozen=True)
class TreeStopped:
    """Everything a crashed run had started is gone: it may now be started again."""

    name: str
    run: int


@dataclass(frozen=True)
class StopRequested:
    """Stop everything and exit with `code` (a signal: 128 + its number; `on_ready` finishing: its status)."""

    code: int


@dataclass(frozen=True)
class AllStopped:
    """Every process of the stack, and everything they started, is gone."""


@dataclass(frozen=True)
class Notice:
    """Something mizan-dev's own helpers (a stopping thread) want said, in order with everything else."""

    text: str


@dataclass(frozen=True)
class Tick:
    """Time passed: backoff delays may have run out."""


Event = Started | Line | Ready | Exited | TreeStopped | StopRequested | AllStopped | Notice | Tick
