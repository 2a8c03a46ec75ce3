"""The supervisor's loop: take events off one queue, `apply` them (state.py), carry out the actions.

Built the way honcho's Manager is (processes send messages to one queue; one loop reads it; one printer
writes), with what Manager lacks: start order, readiness probes, one restart policy, failing fast, stopping
whole trees, and a watchdog for when mizan-dev itself is killed. honcho's Printer stays at the edge: the loop
hands it process lines and mizan-dev's own lines, nothing else uses honcho's untyped messages.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from queue import Empty, SimpleQueue
from typing import Protocol, TextIO

import psutil
from honcho.colour import get_colours
from honcho.printer import Message, Printer

from .events import AllStopped, Event, Notice, Ready, StopRequested, Tick, TreeStopped
from .process import ChildProcess
from .readiness import LineProbe, PolledProbe, StartedProbe, TypeCheckProbe
from .spec import ProcessSpec, RestartPolicy
from .state import (
    Action,
    Announce,
    Echo,
    Finish,
    KillAll,
    RunOnReady,
    Say,
    StackState,
    Start,
    StopAll,
    StopTree,
    apply,
)
from .tree import reap_orphan_zombies, running, signal_group, signal_processes, terminate_then_kill
from .watchdog import Watchdog

__all__ = ["Supervisor"]

SYSTEM = "mizan"
PROBE_INTERVAL = 0.1
TICK = 0.05
TRACK_INTERVAL = 1.0
DRAIN_AT_FINISH = 0.3


class Supervised(Protocol):
    """What the loop needs of a process; ChildProcess is the real one, tests may pass fakes."""

    exited: threading.Event

    @property
    def pid(self) -> int | None: ...
    def start(self) -> None: ...
    def track(self) -> None: ...
    def tracked(self) -> list[psutil.Process]: ...
    def abandon(self) -> None: ...


ProcessFactory = Callable[[ProcessSpec, int, Callable[[Event], None]], Supervised]
ReadyLine = Callable[[float, Sequence[str]], str]


class _SafeOutput:
    """The printer's stream, where a write to a closed terminal (SIGHUP, `| head`) is dropped, not raised:
    the stack must still be stopped after nobody can read its output."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.broken = False

    def write(self, text: str) -> None:
        if not self.broken:
            try:
                self._stream.write(text)
            except (OSError, ValueError):
                self.broken = True

    def flush(self) -> None:
        if not self.broken:
            try:
                self._stream.flush()
            except (OSError, ValueError):
                self.broken = True


def _group_of(process: psutil.Process) -> int | None:
    try:
        return os.getpgid(process.pid)
    except OSError:
        return None


class Supervisor:
    """Runs the processes until stopped; `run()` returns the exit status."""

    def __init__(
        self,
        specs: Sequence[ProcessSpec],
        *,
        output: TextIO,
        colour: bool,
        ready_line: ReadyLine,
        on_ready: Callable[[], int] | None = None,
        rerun: str = "mizan-dev up",
        policy: RestartPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        process_factory: ProcessFactory = ChildProcess,
        grace: float = 5.0,
        reap_orphans: bool = False,
        watchdog: bool = True,
    ) -> None:
        self.state = StackState.of(
            specs, policy=policy or RestartPolicy(), rerun=rerun, has_on_ready=on_ready is not None
        )
        colours: Iterator[str] = get_colours()
        self._colours = {spec.name: next(colours) for spec in specs}
        self._printer = Printer(output=_SafeOutput(output), colour=colour)
        self._printer.width = max([len(SYSTEM), *(len(spec.name) for spec in specs)])
        self._ready_line = ready_line
        self._on_ready = on_ready
        self._clock = clock
        self._factory = process_factory
        self._grace = grace
        self._reap_orphans = reap_orphans
        self._watchdog = Watchdog() if watchdog else None
        self._events: SimpleQueue[Event] = SimpleQueue()
        self._processes: dict[str, Supervised] = {}
        self._probe_stops: dict[str, threading.Event] = {}
        self._next_track = 0.0
        self._finish: int | None = None

    # -- public API ---------------------------------------------------------------------------------------

    def request_stop(self, code: int) -> None:
        """Ask the loop to stop everything and return `code`; safe to call from a signal handler."""
        self._events.put(StopRequested(code))

    def say(self, text: str) -> None:
        """Print a line from mizan-dev itself, in the same stream as the processes' lines."""
        self._printer.write(Message("line", text + "\n", datetime.datetime.now(), SYSTEM, None))

    def run(self) -> int:
        """Start, supervise, and on a stop request or when `on_ready` returns, stop everything."""
        if self._watchdog is not None:
            self._watchdog.start()
        self.state.began = self._clock()
        try:
            self._carry_out(apply(self.state, Tick(), self._clock()))
            while self._finish is None:
                try:
                    event: Event = self._events.get(timeout=TICK)
                except Empty:
                    event = Tick()
                self._carry_out(apply(self.state, event, self._clock()))
                self._track()
            self._drain()
        except BaseException:
            # A bug must not leave servers running behind us.
            self._kill_everything()
            raise
        if self._watchdog is not None:
            self._watchdog.done()
        return self._finish

    # -- actions ------------------------------------------------------------------------------------------

    def _carry_out(self, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, Echo):
                self._printer.write(
                    Message(
                        "line",
                        action.text + "\n",
                        datetime.datetime.now(),
                        action.name,
                        self._colours.get(action.name),
                    )
                )
            elif isinstance(action, Say):
                self.say(action.text)
            elif isinstance(action, Start):
                self._start(action.name, action.run)
            elif isinstance(action, StopTree):
                self._stop_tree(action.name, action.run)
            elif isinstance(action, StopAll):
                self._stop_all()
            elif isinstance(action, KillAll):
                self._kill_everything()
            elif isinstance(action, Announce):
                self.say(self._ready_line(action.seconds, action.notes))
            elif isinstance(action, RunOnReady):
                threading.Thread(target=self._run_on_ready, name="on-ready", daemon=True).start()
            elif isinstance(action, Finish):
                self._finish = action.code

    def _start(self, name: str, run: int) -> None:
        slot = self.state.slots[name]
        stop = self._probe_stops.pop(name, None)
        if stop is not None:
            stop.set()
        process = self._factory(slot.spec, run, self._events.put)
        self._processes[name] = process
        process.start()  # in this thread: the death signal is tied to the spawning thread's life
        if self._watchdog is not None and process.pid is not None:
            self._watchdog.watch_group(process.pid)
        probe = slot.spec.probe
        if not isinstance(probe, LineProbe | TypeCheckProbe | StartedProbe):
            stop = threading.Event()
            self._probe_stops[name] = stop
            threading.Thread(
                target=self._poll_probe, args=(name, run, probe, stop), name=f"probe-{name}", daemon=True
            ).start()

    def _poll_probe(self, name: str, run: int, probe: PolledProbe, stop: threading.Event) -> None:
        while not stop.is_set():
            if probe.check():
                self._events.put(Ready(name, run))
                return
            stop.wait(PROBE_INTERVAL)

    def _run_on_ready(self) -> None:
        assert self._on_ready is not None
        code = 1
        try:
            code = self._on_ready()
        finally:
            self.request_stop(code)

    def _stop_tree(self, name: str, run: int) -> None:
        process = self._processes[name]
        process.track()
        pid = process.pid

        def stop() -> None:
            terminate_then_kill(
                [pid] if pid is not None else [],
                process.tracked(),
                grace=self._grace,
                exclude=self._own_pids(),
                gone_elsewhere=process.exited.is_set,
            )
            if self._watchdog is not None and pid is not None:
                self._watchdog.unwatch_group(pid)
            self._events.put(TreeStopped(name, run))

        threading.Thread(target=stop, name=f"stop-tree-{name}", daemon=True).start()

    def _stop_all(self) -> None:
        for probe_stop in self._probe_stops.values():
            probe_stop.set()
        processes = self._all_processes()
        for process in processes:
            process.track()
        # Only groups known to be in use: a running leader's, or a live descendant's. The pid of a leader that
        # exited long ago may since belong to somebody else's group.
        tracked = [t for p in processes for t in p.tracked()]
        groups = {p.pid for p in processes if p.pid is not None and not p.exited.is_set()}
        groups.update(g for g in map(_group_of, tracked) if g is not None)
        groups.discard(os.getpgid(0))

        def stop() -> None:
            killed = terminate_then_kill(
                groups,
                tracked + self._orphans(),
                grace=self._grace,
                exclude=self._own_pids(),
                gone_elsewhere=lambda: all(p.exited.is_set() for p in processes),
            )
            if killed:
                self._events.put(
                    Notice(f"killed {len(killed)} process(es) still running after {self._grace:g} s")
                )
            for process in processes:
                process.abandon()
            self._events.put(AllStopped())

        threading.Thread(target=stop, name="stop-all", daemon=True).start()

    def _kill_everything(self) -> None:
        for process in self._all_processes():
            process.track()
            if process.pid is not None and not process.exited.is_set():
                signal_group(process.pid, signal.SIGKILL)
            signal_processes(process.tracked(), signal.SIGKILL)
            process.abandon()
        signal_processes(self._orphans(), signal.SIGKILL)

    # -- helpers ------------------------------------------------------------------------------------------

    def _all_processes(self) -> list[Supervised]:
        """The current run of each process (an earlier run's tree was stopped before it was replaced)."""
        return list(self._processes.values())

    def _own_pids(self) -> set[int]:
        """The pids of our own Popen children: the supervised shells and the watchdog."""
        own = {p.pid for p in self._all_processes() if p.pid is not None}
        if self._watchdog is not None and self._watchdog.pid is not None:
            own.add(self._watchdog.pid)
        return own

    def _track(self) -> None:
        now = self._clock()
        if now < self._next_track:
            return
        self._next_track = now + TRACK_INTERVAL
        for process in self._processes.values():
            process.track()
        if self._reap_orphans:
            reap_orphan_zombies(self._own_pids())

    def _orphans(self) -> list[psutil.Process]:
        """Descendants re-parented to us (we are their subreaper) after their parent exited."""
        if not self._reap_orphans:
            return []
        own = self._own_pids()
        with contextlib.suppress(psutil.Error):
            return [c for c in psutil.Process(os.getpid()).children() if c.pid not in own and running(c)]
        return []

    def _drain(self) -> None:
        """Print the last lines still queued when everything has stopped."""
        deadline = time.monotonic() + DRAIN_AT_FINISH
        while time.monotonic() < deadline:
            try:
                event = self._events.get(timeout=0.02)
            except Empty:
                if all(p.exited.is_set() for p in self._all_processes()):
                    return
                continue
            self._carry_out([a for a in apply(self.state, event, self._clock()) if isinstance(a, Echo | Say)])
