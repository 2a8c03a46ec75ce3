"""The supervisor's policies with its injectable clock and process factory (real processes: test_up.py)."""

from __future__ import annotations

import datetime
import io
import itertools
import re
import signal
from pathlib import Path
from queue import SimpleQueue

from honcho.printer import Message, Printer

from mizan_dev._readiness import LineProbe
from mizan_dev._supervisor import ProcessSpec, Supervisor


class CrashingProcess:
    """Starts, prints one line, exits with status 1 at once."""

    def __init__(self, name: str) -> None:
        self.name = name

    def run(self, events: SimpleQueue[Message]) -> None:
        now = datetime.datetime.now()
        events.put(Message("start", {"pid": 0}, now, self.name, None))
        events.put(Message("line", b"boom\n", now, self.name, None))
        events.put(Message("stop", {"returncode": 1}, now, self.name, None))

    def track(self) -> None: ...
    def signal(self, sig: signal.Signals) -> None: ...
    def abandon(self) -> None: ...
    def lingering(self) -> bool:
        return False


class SteppingClock:
    """A clock that moves 0.1 s each time it is read, so backoff delays pass without real waiting."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 0.1
        return self.now


def test_a_crashing_codegen_is_restarted_with_growing_backoff() -> None:
    out = io.StringIO()
    starts: list[float] = []
    clock = SteppingClock()
    spec = ProcessSpec(
        name="codegen", command="-", env={}, cwd=Path("."), probe=LineProbe("never"), restart=True
    )

    def factory(spec: ProcessSpec, colour: str | None) -> CrashingProcess:
        starts.append(clock.now)
        if len(starts) == 7:
            supervisor.request_stop(0)
        return CrashingProcess(spec.name)

    supervisor = Supervisor(
        [spec],
        printer=Printer(output=out, colour=False),
        ready_line=str,
        clock=clock,
        process_factory=factory,
    )
    assert supervisor.run() == 0
    delays = [
        float(d) for d in re.findall(r"codegen exited with code 1; restarting in ([\d.]+) s", out.getvalue())
    ]
    assert delays[:6] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert all(gap >= delay for gap, delay in zip(gaps, delays, strict=False))
    assert "ready in" not in out.getvalue(), "a codegen that never generated is never ready"


def test_a_crash_before_ready_fails_a_test_run() -> None:
    out = io.StringIO()
    spec = ProcessSpec(name="web", command="-", env={}, cwd=Path("."), probe=LineProbe("never"))
    supervisor = Supervisor(
        [spec],
        printer=Printer(output=out, colour=False),
        ready_line=str,
        on_ready=lambda: 0,
        process_factory=lambda spec, colour: CrashingProcess(spec.name),
    )
    assert supervisor.run() == 1
    text = out.getvalue()
    assert "web crashed with exit code 1. Its last lines:" in text
    assert "web | boom" in text
    assert "web stopped before the stack was ready" in text
