"""The supervisor's state and the one function that changes it: `apply(state, event, now)` returns actions.

Everything the supervisor decides (start order, readiness, the ready line, restarts with backoff, giving up,
failing fast, stopping) is decided here, from events alone, so a history of events can be replayed in a test
without processes or real time. The loop in supervisor.py only carries out the actions.
"""

from __future__ import annotations

import signal
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

from .events import AllStopped, Event, Exited, Line, Notice, Ready, Started, StopRequested, TreeStopped
from .readiness import LineProbe, StartedProbe, TypeCheckProbe
from .spec import ProcessSpec, RestartPolicy

__all__ = [
    "Action",
    "Announce",
    "Echo",
    "Finish",
    "KillAll",
    "Phase",
    "RunOnReady",
    "Say",
    "Slot",
    "StackState",
    "Start",
    "Status",
    "StopAll",
    "StopTree",
    "apply",
    "describe_exit",
]

LAST_LINES = 20


class Phase(Enum):
    """The stack as a whole: starting until everything was ready once, then running, then stopping."""

    STARTING = "starting"
    RUNNING = "running"
    STOPPING = "stopping"
    DONE = "done"


class Status(Enum):
    """One process: waiting for the processes it needs, running, being cleaned up after an exit, waiting to
    be restarted, or stopped for good."""

    WAITING = "waiting"
    RUNNING = "running"
    STOPPING_TREE = "stopping its tree"
    BACKOFF = "backoff"
    STOPPED = "stopped"


@dataclass
class Slot:
    spec: ProcessSpec
    status: Status = Status.WAITING
    run: int = 0
    pid: int | None = None
    ready: bool = False
    ever_ready: bool = False
    started_at: float = 0.0
    restart_at: float = 0.0
    restarts: int = 0  # in a row; a healthy run starts the count over
    note: str | None = None  # what the process says of itself for the ready line (`types clean`)
    last_lines: deque[str] = field(default_factory=lambda: deque(maxlen=LAST_LINES))


@dataclass
class StackState:
    slots: dict[str, Slot]
    policy: RestartPolicy = field(default_factory=RestartPolicy)
    rerun: str = "mizan-dev up"  # the command a message tells the user to run again
    has_on_ready: bool = False
    phase: Phase = Phase.STARTING
    began: float = 0.0
    exit_code: int = 0

    @classmethod
    def of(cls, specs: Sequence[ProcessSpec], **options: object) -> StackState:
        names = [spec.name for spec in specs]
        unknown = sorted({dep for spec in specs for dep in spec.after if dep not in names})
        if unknown:
            raise ValueError(f"`after` names unknown processes: {unknown}")
        return cls(slots={spec.name: Slot(spec) for spec in specs}, **options)  # type: ignore[arg-type]


# -- actions: what the loop is asked to do ---------------------------------------------------------------


@dataclass(frozen=True)
class Say:
    """A line from mizan-dev itself."""

    text: str


@dataclass(frozen=True)
class Echo:
    """A line of a process's output, printed under its name."""

    name: str
    text: str


@dataclass(frozen=True)
class Start:
    name: str
    run: int


@dataclass(frozen=True)
class StopTree:
    """Stop whatever run `run` of `name` left behind (its process group, its descendants), then report
    TreeStopped."""

    name: str
    run: int


@dataclass(frozen=True)
class StopAll:
    """Terminate every process and everything it started, kill what outlives the grace period, then report
    AllStopped."""


@dataclass(frozen=True)
class KillAll:
    """Kill everything now (a second Ctrl-C)."""


@dataclass(frozen=True)
class Announce:
    """Everything is ready: print the ready line, with what processes said of themselves."""

    seconds: float
    notes: tuple[str, ...]


@dataclass(frozen=True)
class RunOnReady:
    pass


@dataclass(frozen=True)
class Finish:
    code: int


Action = Say | Echo | Start | StopTree | StopAll | KillAll | Announce | RunOnReady | Finish


# -- the one function --------------------------------------------------------------------------------------


def apply(state: StackState, event: Event, now: float) -> list[Action]:
    """Apply `event`, seen at time `now`, to `state`; the actions it calls for, in order."""
    actions: list[Action] = []
    slot = state.slots.get(getattr(event, "name", ""))
    if isinstance(event, Line):
        actions.append(Echo(event.name, event.text))
        if slot is not None and event.run == slot.run:
            _line(state, slot, event.text, actions)
    elif isinstance(event, Started):
        if slot is not None and event.run == slot.run:
            slot.pid = event.pid
    elif isinstance(event, Ready):
        if slot is not None and event.run == slot.run:
            _ready(state, slot, actions)
    elif isinstance(event, Exited):
        if slot is not None and event.run == slot.run:
            _exited(state, slot, event.code, now, actions)
    elif isinstance(event, TreeStopped):
        if slot is not None and event.run == slot.run and slot.status is Status.STOPPING_TREE:
            slot.status = Status.BACKOFF
            slot.restart_at = now + state.policy.delay(slot.restarts)
    elif isinstance(event, StopRequested):
        if state.phase in (Phase.STARTING, Phase.RUNNING):
            _begin_stop(state, event.code, actions)
        elif state.phase is Phase.STOPPING and event.code > 128:
            actions.append(KillAll())  # a second Ctrl-C: do not wait for the grace period
    elif isinstance(event, Notice):
        actions.append(Say(event.text))
    elif isinstance(event, AllStopped) and state.phase is Phase.STOPPING:
        state.phase = Phase.DONE
        actions.append(Finish(state.exit_code))
    if state.phase in (Phase.STARTING, Phase.RUNNING):
        _start_due(state, now, actions)
        _announce_if_ready(state, now, actions)
    return actions


def _line(state: StackState, slot: Slot, text: str, actions: list[Action]) -> None:
    slot.last_lines.append(text)
    probe = slot.spec.probe
    if isinstance(probe, TypeCheckProbe):
        note = probe.note(text)
        if note is not None:
            before, slot.note = slot.note, note
            if before is not None and note != before and state.phase is Phase.RUNNING:
                actions.append(Say(f"{note} now (was {before})"))
    if isinstance(probe, LineProbe | TypeCheckProbe) and probe.matches(text):
        _ready(state, slot, actions)


def _ready(state: StackState, slot: Slot, actions: list[Action]) -> None:
    if slot.status is not Status.RUNNING or slot.ready:
        return
    slot.ready = True
    if slot.ever_ready and state.phase is Phase.RUNNING:
        actions.append(Say(f"{slot.spec.name} is back"))
    slot.ever_ready = True


def _exited(state: StackState, slot: Slot, code: int, now: float, actions: list[Action]) -> None:
    slot.ready = False
    name = slot.spec.name
    if state.phase not in (Phase.STARTING, Phase.RUNNING):
        slot.status = Status.STOPPED
        return
    if not slot.ever_ready and slot.spec.fatal_before_ready:
        slot.status = Status.STOPPED
        actions.append(Say(f"{name} {describe_exit(code)} before it was ready; stopping everything."))
        _last_lines(slot, actions)
        actions.append(Say(f"Fix {name}, then run `{state.rerun}` again."))
        _begin_stop(state, 1, actions)
        return
    if now - slot.started_at >= state.policy.healthy_after:
        slot.restarts = 0
    if slot.restarts >= state.policy.limit:
        slot.status = Status.STOPPED
        actions.append(
            Say(
                f"{name} {describe_exit(code)}, its {slot.restarts + 1}th exit in a row; giving up and "
                "stopping everything."
            )
        )
        _last_lines(slot, actions)
        actions.append(Say(f"Fix {name}, then run `{state.rerun}` again."))
        _begin_stop(state, 1, actions)
        return
    slot.restarts += 1
    slot.status = Status.STOPPING_TREE
    delay = state.policy.delay(slot.restarts)
    actions.append(
        Say(
            f"{name} {describe_exit(code)}; stopping what it started, restarting in {delay:g} s "
            f"(restart {slot.restarts} of {state.policy.limit})"
        )
    )
    actions.append(StopTree(name, slot.run))


def describe_exit(code: int) -> str:
    """`exited with code 3`, or `was killed by SIGKILL` for a negative status."""
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with code {code}"


def _last_lines(slot: Slot, actions: list[Action]) -> None:
    name = slot.spec.name
    if not slot.last_lines:
        actions.append(Say(f"{name} printed nothing."))
        return
    actions.append(Say("Its last lines:"))
    actions.extend(Say(f"  {name} | {line}") for line in slot.last_lines)


def _begin_stop(state: StackState, code: int, actions: list[Action]) -> None:
    state.phase = Phase.STOPPING
    state.exit_code = code
    for slot in state.slots.values():
        slot.ready = False
        if slot.status is not Status.RUNNING:
            slot.status = Status.STOPPED
    actions.append(StopAll())


def _start_due(state: StackState, now: float, actions: list[Action]) -> None:
    for slot in state.slots.values():
        waiting_done = slot.status is Status.WAITING and all(
            state.slots[dep].ready for dep in slot.spec.after
        )
        backoff_done = slot.status is Status.BACKOFF and now >= slot.restart_at
        if waiting_done or backoff_done:
            slot.run += 1
            slot.status = Status.RUNNING
            slot.ready = False
            slot.pid = None
            slot.started_at = now
            slot.last_lines.clear()
            actions.append(Start(slot.spec.name, slot.run))
            if isinstance(slot.spec.probe, StartedProbe):
                _ready(state, slot, actions)


def _announce_if_ready(state: StackState, now: float, actions: list[Action]) -> None:
    if state.phase is not Phase.STARTING or not all(s.ready for s in state.slots.values()):
        return
    state.phase = Phase.RUNNING
    notes = tuple(s.note for s in state.slots.values() if s.note)
    actions.append(Announce(now - state.began, notes))
    if state.has_on_ready:
        actions.append(RunOnReady())
