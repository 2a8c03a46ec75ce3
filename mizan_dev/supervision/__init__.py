"""Supervision: the processes of a stack started in order, watched, restarted and stopped as whole trees.

events.py says what can happen, state.py decides (one `apply` function), supervisor.py carries it out,
process.py and tree.py deal with real processes, and watchdog.py cleans up when mizan-dev itself is killed.
"""

from __future__ import annotations

from .readiness import (
    HttpProbe,
    LineProbe,
    PostgresProbe,
    Probe,
    RedisProbe,
    StartedProbe,
    TcpProbe,
    TypeCheckProbe,
)
from .signals import stop_on_signals
from .spec import ProcessSpec, RestartPolicy
from .supervisor import Supervisor
from .tree import become_subreaper

__all__ = [
    "HttpProbe",
    "LineProbe",
    "PostgresProbe",
    "Probe",
    "ProcessSpec",
    "RedisProbe",
    "RestartPolicy",
    "StartedProbe",
    "Supervisor",
    "TcpProbe",
    "TypeCheckProbe",
    "become_subreaper",
    "stop_on_signals",
]
