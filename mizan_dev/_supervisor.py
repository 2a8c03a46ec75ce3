"""The supervisor behind `up` and `test`: start order, readiness, restarts, crash reports and a clean stop.

Built the way honcho's Manager is (processes send messages to one queue; one loop reads it; one printer
writes), with what Manager lacks: a process can wait for others to be ready, each process has a readiness
probe, a crashed codegen watcher is restarted with backoff, a crashed server is reported with its last lines
while the rest keep running, and stopping reaches grandchildren that left the process group.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from queue import Empty, SimpleQueue
from typing import Protocol

import psutil
from honcho.colour import get_colours
from honcho.printer import Message, Printer

from ._process_tree import signal_processes
from ._readiness import LineProbe, PolledProbe, Probe, StartedProbe
from ._supervised_process import SupervisedProcess

__all__ = ["ProcessSpec", "Supervisable", "Supervisor"]

SYSTEM = "mizan"
LAST_LINES = 20
PROBE_INTERVAL = 0.1
TRACK_INTERVAL = 2.0
BACKOFF = (0.5, 1.0, 2.0, 4.0, 8.0)
HEALTHY_AFTER = 30.0  # a restarted process that ran this long starts its backoff over


@dataclass(frozen=True)
class ProcessSpec:
    """What to run and how to tell it is ready; `after` names processes that must be ready first."""

    name: str
    command: str
    env: Mapping[str, str]
    cwd: Path
    probe: Probe = field(default_factory=StartedProbe)
    restart: bool = False
    after: tuple[str, ...] = ()


class Supervisable(Protocol):
    """What the supervisor needs of a process; `SupervisedProcess` is the real one, tests may pass fakes."""

    def run(self, events: SimpleQueue[Message]) -> None: ...
    def track(self) -> None: ...
    def signal(self, sig: signal.Signals) -> None: ...
    def lingering(self) -> bool: ...
    def abandon(self) -> None: ...


ProcessFactory = Callable[[ProcessSpec, str | None], Supervisable]
Clock = Callable[[], float]


class _State(Enum):
    WAITING = "waiting"
    RUNNING = "running"
    BACKOFF = "backoff"
    EXITED = "exited"


@dataclass
class _Slot:
    spec: ProcessSpec
    colour: str | None
    state: _State = _State.WAITING
    process: Supervisable | None = None
    ready: bool = False
    ever_ready: bool = False
    started_at: float = 0.0
    restart_at: float = 0.0
    failures: int = 0
    run_id: int = 0
    last_lines: deque[str] = field(default_factory=lambda: deque(maxlen=LAST_LINES))
    probe_stop: threading.Event = field(default_factory=threading.Event)


def _real_process(spec: ProcessSpec, colour: str | None) -> Supervisable:
    return SupervisedProcess(name=spec.name, command=spec.command, env=spec.env, cwd=spec.cwd, colour=colour)


class Supervisor:
    """Runs the processes until stopped; `run()` returns the exit status."""

    def __init__(
        self,
        specs: Sequence[ProcessSpec],
        *,
        printer: Printer,
        ready_line: Callable[[float], str],
        on_ready: Callable[[], int] | None = None,
        clock: Clock = time.monotonic,
        process_factory: ProcessFactory = _real_process,
        grace: float = 5.0,
        reap_orphans: bool = False,
    ) -> None:
        names = [spec.name for spec in specs]
        unknown = {dep for spec in specs for dep in spec.after if dep not in names}
        if unknown:
            raise ValueError(f"`after` names unknown processes: {sorted(unknown)}")
        colours: Iterator[str] = get_colours()
        self._slots = {spec.name: _Slot(spec, next(colours)) for spec in specs}
        self._printer = printer
        self._printer.width = max([len(SYSTEM), *(len(n) for n in names)])
        self._ready_line = ready_line
        self._on_ready = on_ready
        self._clock = clock
        self._factory = process_factory
        self._grace = grace
        self._reap_orphans = reap_orphans
        self._events: SimpleQueue[Message] = SimpleQueue()
        self._began = 0.0
        self._announced = False
        self._stop_code: int | None = None
        self._stop_deadline: float | None = None
        self._killed = False
        self._next_track = 0.0
        self._known_pids: set[int] = set()

    # -- public API ---------------------------------------------------------------------------------------

    def request_stop(self, code: int) -> None:
        """Ask the loop to stop everything and return `code`; safe to call from a signal handler."""
        self._events.put(Message("stop-request", code, datetime.datetime.now(), SYSTEM, None))

    def say(self, text: str) -> None:
        """Print a line from mizan-dev itself, in the same stream as the processes' lines."""
        self._printer.write(Message("line", text + "\n", datetime.datetime.now(), SYSTEM, None))

    def run(self) -> int:
        """Start, supervise, and on a stop request or when `on_ready` returns, stop everything."""
        self._began = self._clock()
        try:
            self._start_due()
            while True:
                try:
                    message = self._events.get(timeout=0.05)
                except Empty:
                    message = None
                if message is not None:
                    self._handle(message)
                if self._stop_code is None:
                    self._start_due()
                    self._announce_if_ready()
                    self._track_descendants()
                elif self._finish_stop():
                    return self._stop_code
        except BaseException:
            # A bug or a closed stdout (`mizan-dev up | head`) must not leave servers running behind us.
            self._kill_all()
            raise

    # -- messages -----------------------------------------------------------------------------------------

    def _handle(self, message: Message) -> None:
        if message.type == "stop-request":
            self._begin_stop(int(message.data))
            return
        slot = self._slots.get(message.name)
        if slot is None:
            return
        if message.type == "line":
            self._printer.write(message)
            text = (
                message.data.decode("utf-8", "replace") if isinstance(message.data, bytes) else message.data
            )
            slot.last_lines.append(text.rstrip("\n"))
            probe = slot.spec.probe
            if isinstance(probe, LineProbe) and not slot.ready and probe.matches(text):
                self._mark_ready(slot, slot.run_id)
        elif message.type == "start":
            self._known_pids.add(int(message.data["pid"]))
        elif message.type == "ready":
            self._mark_ready(slot, int(message.data))
        elif message.type == "stop":
            self._exited(slot, int(message.data["returncode"]))

    def _mark_ready(self, slot: _Slot, run_id: int) -> None:
        if run_id != slot.run_id or slot.state is not _State.RUNNING or slot.ready:
            return
        slot.ready = True
        first = not slot.ever_ready
        slot.ever_ready = True
        if not first and slot.spec.restart:
            self.say(f"{slot.spec.name} is back")

    def _exited(self, slot: _Slot, code: int) -> None:
        slot.probe_stop.set()
        slot.ready = False
        if self._stop_code is not None:
            slot.state = _State.EXITED
            return
        now = self._clock()
        if slot.spec.restart:
            if now - slot.started_at > HEALTHY_AFTER:
                slot.failures = 0
            delay = BACKOFF[min(slot.failures, len(BACKOFF) - 1)]
            slot.failures += 1
            slot.state = _State.BACKOFF
            slot.restart_at = now + delay
            self.say(f"{slot.spec.name} exited with code {code}; restarting in {delay:g} s")
            return
        slot.state = _State.EXITED
        if code == 0:
            self.say(f"{slot.spec.name} exited (code 0); the other processes keep running")
        else:
            self.say(f"{slot.spec.name} crashed with exit code {code}. Its last lines:")
            for line in slot.last_lines:
                self.say(f"  {slot.spec.name} | {line}")
            self.say(
                "Fix the error above, then restart: Ctrl-C and `mizan-dev up`. "
                "The other processes keep running."
            )
        if self._on_ready is not None and not self._announced:
            self.say(f"{slot.spec.name} stopped before the stack was ready")
            self._begin_stop(1)
        elif all(s.state is _State.EXITED for s in self._slots.values()):
            self.say("every process has exited")
            self._begin_stop(1)

    # -- starting -----------------------------------------------------------------------------------------

    def _start_due(self) -> None:
        now = self._clock()
        for slot in self._slots.values():
            if (
                slot.state is _State.WAITING
                and all(self._slots[d].ready for d in slot.spec.after)
                or slot.state is _State.BACKOFF
                and now >= slot.restart_at
            ):
                self._start(slot)

    def _start(self, slot: _Slot) -> None:
        slot.run_id += 1
        slot.state = _State.RUNNING
        slot.ready = False
        slot.started_at = self._clock()
        slot.probe_stop = threading.Event()
        process = self._factory(slot.spec, slot.colour)
        slot.process = process
        threading.Thread(
            target=process.run, args=(self._events,), name=f"run-{slot.spec.name}", daemon=True
        ).start()
        probe = slot.spec.probe
        if isinstance(probe, StartedProbe):
            self._mark_ready(slot, slot.run_id)
        elif not isinstance(probe, LineProbe):
            threading.Thread(
                target=self._poll_probe,
                args=(slot.spec.name, probe, slot.run_id, slot.probe_stop),
                name=f"probe-{slot.spec.name}",
                daemon=True,
            ).start()

    def _poll_probe(self, name: str, probe: PolledProbe, run_id: int, stop: threading.Event) -> None:
        while not stop.is_set():
            if probe.check():
                self._events.put(Message("ready", run_id, datetime.datetime.now(), name, None))
                return
            stop.wait(PROBE_INTERVAL)

    def _announce_if_ready(self) -> None:
        if self._announced or not all(s.ready for s in self._slots.values()):
            return
        self._announced = True
        self.say(self._ready_line(self._clock() - self._began))
        if self._on_ready is not None:
            threading.Thread(target=self._run_on_ready, name="on-ready", daemon=True).start()

    def _run_on_ready(self) -> None:
        assert self._on_ready is not None
        code = 1
        try:
            code = self._on_ready()
        finally:
            self.request_stop(code)

    def _track_descendants(self) -> None:
        now = self._clock()
        if now < self._next_track:
            return
        self._next_track = now + TRACK_INTERVAL
        for slot in self._slots.values():
            if slot.process is not None and slot.state is _State.RUNNING:
                slot.process.track()
        self._reap_orphan_zombies()

    # -- stopping -----------------------------------------------------------------------------------------

    def _begin_stop(self, code: int) -> None:
        if self._stop_code is not None:
            if code in (130, 143) and self._stop_deadline is not None:
                self._kill_all()  # a second Ctrl-C: do not wait for the grace period
            return
        self._stop_code = code
        self._stop_deadline = self._clock() + self._grace
        for slot in self._slots.values():
            slot.probe_stop.set()
            if slot.state is _State.BACKOFF or slot.state is _State.WAITING:
                slot.state = _State.EXITED
            if slot.process is not None:
                slot.process.signal(signal.SIGTERM)
        signal_processes(self._orphans(), signal.SIGTERM)

    def _finish_stop(self) -> bool:
        running = [s for s in self._slots.values() if s.state is _State.RUNNING]
        lingering = [s for s in self._slots.values() if s.process is not None and s.process.lingering()]
        orphans = self._orphans()
        self._reap_orphan_zombies()
        if not running and not lingering and not orphans:
            return True
        assert self._stop_deadline is not None
        if not self._killed and self._clock() >= self._stop_deadline:
            names = sorted({s.spec.name for s in running + lingering})
            self.say(f"still running after {self._grace:g} s, killing: {', '.join(names) or 'strays'}")
            self._kill_all()
        # Once everything got SIGKILL, a pipe or a report that never comes must not hold us.
        return self._killed and self._clock() >= self._stop_deadline + 2.0

    def _kill_all(self) -> None:
        self._killed = True
        self._stop_deadline = min(self._stop_deadline or self._clock(), self._clock())
        for slot in self._slots.values():
            if slot.process is not None:
                slot.process.signal(signal.SIGKILL)
                slot.process.abandon()
        signal_processes(self._orphans(), signal.SIGKILL)

    def _orphans(self) -> list[psutil.Process]:
        """Descendants re-parented to us (we are their subreaper) after their parent exited."""
        if not self._reap_orphans:
            return []
        try:
            children = psutil.Process(os.getpid()).children()
        except psutil.Error:
            return []
        strays = [c for c in children if c.pid not in self._known_pids]
        alive = []
        for child in strays:
            with contextlib.suppress(psutil.Error):
                if child.status() != psutil.STATUS_ZOMBIE:
                    alive.append(child)
        return alive

    def _reap_orphan_zombies(self) -> None:
        if not self._reap_orphans:
            return
        with contextlib.suppress(psutil.Error):
            for child in psutil.Process(os.getpid()).children():
                if child.pid in self._known_pids:
                    continue
                with contextlib.suppress(ChildProcessError, psutil.Error):
                    if child.status() == psutil.STATUS_ZOMBIE:
                        os.waitpid(child.pid, os.WNOHANG)
