"""What the supervisor runs: one spec per process, and the restart policy every process shares."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .readiness import Probe, StartedProbe

__all__ = ["ProcessSpec", "RestartPolicy"]


@dataclass(frozen=True)
class RestartPolicy:
    """How a process that exits on its own is started again: after its tree is stopped, with growing delays.

    `limit` restarts in a row are made; the next exit gives up and stops the stack. A run that lasted
    `healthy_after` seconds starts the count over, so a process that crashes once a day is never given up on.
    """

    backoff: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0, 8.0)
    limit: int = 5
    healthy_after: float = 30.0

    def delay(self, restart: int) -> float:
        """The wait before restart number `restart` (1-based)."""
        return self.backoff[min(restart, len(self.backoff)) - 1]


@dataclass(frozen=True)
class ProcessSpec:
    """What to run and how to tell it is ready; `after` names processes that must be ready first.

    `fatal_before_ready`: exiting before the first readiness fails the whole run at once (a server that cannot
    start will not start by being retried); otherwise such an exit is restarted like any later one.
    """

    name: str
    command: str
    env: Mapping[str, str]
    cwd: Path
    probe: Probe = field(default_factory=StartedProbe)
    after: tuple[str, ...] = ()
    fatal_before_ready: bool = True
