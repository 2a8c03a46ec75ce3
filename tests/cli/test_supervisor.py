"""The supervisor's decisions, replayed from event histories through `apply` (no processes, no real time),
in the style of honcho's own tests of its Manager. Real processes: test_up.py, test_up_supervision.py."""

from __future__ import annotations

from pathlib import Path

from mizan_dev.supervision.events import (
    AllStopped,
    Event,
    Exited,
    Line,
    Ready,
    StopRequested,
    Tick,
    TreeStopped,
)
from mizan_dev.supervision.readiness import LineProbe, TcpProbe, TypeCheckProbe
from mizan_dev.supervision.spec import ProcessSpec, RestartPolicy
from mizan_dev.supervision.state import (
    Action,
    Announce,
    Finish,
    KillAll,
    Phase,
    RunOnReady,
    Say,
    StackState,
    Start,
    Status,
    StopAll,
    StopTree,
    apply,
)


def spec(name: str, **options: object) -> ProcessSpec:
    return ProcessSpec(name=name, command="-", env={}, cwd=Path("."), **options)  # type: ignore[arg-type]


def replay(state: StackState, history: list[tuple[float, Event]]) -> list[Action]:
    actions: list[Action] = []
    for now, event in history:
        actions += apply(state, event, now)
    return actions


def said(actions: list[Action]) -> list[str]:
    return [a.text for a in actions if isinstance(a, Say)]


def test_start_order_waits_for_what_a_process_needs_then_the_ready_line() -> None:
    state = StackState.of(
        [spec("redis", probe=TcpProbe(1)), spec("web", probe=TcpProbe(2), after=("redis",))]
    )
    first = apply(state, Tick(), 0.0)
    assert first == [Start("redis", 1)]
    assert replay(state, [(0.2, Ready("redis", 1))]) == [Start("web", 1)]
    assert replay(state, [(0.5, Ready("web", 1))]) == [Announce(0.5, ())]
    assert state.phase is Phase.RUNNING


def test_a_ready_event_of_an_earlier_run_is_ignored() -> None:
    state = StackState.of([spec("web", probe=TcpProbe(1), fatal_before_ready=False)])
    replay(state, [(0.0, Tick()), (1.0, Exited("web", 1, 1)), (1.1, TreeStopped("web", 1)), (2.0, Tick())])
    assert state.slots["web"].run == 2
    assert replay(state, [(2.1, Ready("web", 1))]) == []
    assert not state.slots["web"].ready


def test_a_server_exiting_before_ready_stops_everything_with_its_last_lines() -> None:
    state = StackState.of([spec("web", probe=TcpProbe(1)), spec("vite", probe=TcpProbe(2))])
    actions = replay(
        state, [(0.0, Tick()), (0.1, Line("vite", 1, "press h + enter")), (0.2, Exited("vite", 1, 0))]
    )
    assert said(actions) == [
        "vite exited with code 0 before it was ready; stopping everything.",
        "Its last lines:",
        "  vite | press h + enter",
        "Fix vite, then run `mizan-dev up` again.",
    ]
    assert actions[-1] == StopAll()
    assert state.phase is Phase.STOPPING
    assert replay(state, [(0.5, Exited("web", 1, -15)), (0.6, AllStopped())])[-1] == Finish(1)


def test_a_process_that_printed_nothing_is_not_said_to_have_an_error_above() -> None:
    state = StackState.of([spec("redis", probe=TcpProbe(1))], rerun="mizan-dev test --e2e")
    actions = replay(state, [(0.0, Tick()), (0.3, Exited("redis", 1, -9))])
    assert said(actions) == [
        "redis was killed by SIGKILL before it was ready; stopping everything.",
        "redis printed nothing.",
        "Fix redis, then run `mizan-dev test --e2e` again.",
    ]


def test_a_crash_after_ready_stops_the_tree_then_restarts_with_growing_backoff_then_gives_up() -> None:
    policy = RestartPolicy(backoff=(0.5, 1.0, 2.0), limit=4, healthy_after=30.0)
    state = StackState.of([spec("web", probe=TcpProbe(1))], policy=policy)
    replay(state, [(0.0, Tick()), (0.1, Ready("web", 1))])
    now, delays = 1.0, []
    for run in range(1, 5):
        actions = apply(state, Exited("web", run, 3), now)
        assert StopTree("web", run) in actions
        assert state.slots["web"].status is Status.STOPPING_TREE
        assert apply(state, Tick(), now + 10) == [], "nothing starts before the old tree is gone"
        apply(state, TreeStopped("web", run), now)
        restart_at = state.slots["web"].restart_at
        delays.append(restart_at - now)
        assert apply(state, Tick(), restart_at - 0.01) == []
        assert Start("web", run + 1) in apply(state, Tick(), restart_at)
        now = restart_at + 1.0
    assert delays == [0.5, 1.0, 2.0, 2.0]
    actions = apply(state, Exited("web", 5, 3), now)
    assert (
        said(actions)[0]
        == "web exited with code 3, its 5th exit in a row; giving up and stopping everything."
    )
    assert actions[-1] == StopAll() and state.exit_code == 1


def test_a_long_healthy_run_starts_the_restart_count_over() -> None:
    state = StackState.of([spec("codegen", probe=LineProbe("generated"))])
    replay(state, [(0.0, Tick()), (0.1, Line("codegen", 1, "client generated"))])
    replay(state, [(1.0, Exited("codegen", 1, 1)), (1.0, TreeStopped("codegen", 1)), (1.5, Tick())])
    assert state.slots["codegen"].restarts == 1
    said_later = said(apply(state, Exited("codegen", 2, 1), 100.0))
    assert said_later == [
        "codegen exited with code 1; stopping what it started, restarting in 0.5 s (restart 1 of 5)"
    ]


def test_a_watcher_may_fail_its_first_run_and_is_restarted() -> None:
    state = StackState.of([spec("codegen", probe=LineProbe("generated"), fatal_before_ready=False)])
    actions = replay(state, [(0.0, Tick()), (0.1, Exited("codegen", 1, 2))])
    assert StopTree("codegen", 1) in actions and state.phase is Phase.STARTING


def test_types_are_in_the_ready_line_and_a_change_is_said() -> None:
    state = StackState.of([spec("web", probe=TcpProbe(1)), spec("types", probe=TypeCheckProbe())])
    actions = replay(
        state,
        [
            (0.0, Tick()),
            (0.2, Ready("web", 1)),
            (0.3, Line("types", 1, "src/App.tsx(3,5): error TS2322: no")),
            (1.5, Line("types", 1, "12:00:01 - Found 1 error. Watching for file changes.")),
        ],
    )
    assert actions[-1] == Announce(1.5, ("1 type error",))
    later = replay(state, [(9.0, Line("types", 1, "12:00:09 - Found 0 errors. Watching for file changes."))])
    assert said(later) == ["types clean now (was 1 type error)"]


def test_a_second_stop_request_kills_and_a_test_run_ends_with_on_readys_status() -> None:
    state = StackState.of([spec("web", probe=TcpProbe(1))], has_on_ready=True)
    actions = replay(state, [(0.0, Tick()), (0.5, Ready("web", 1))])
    assert actions[-1] == RunOnReady()
    assert replay(state, [(9.0, StopRequested(0))]) == [StopAll()]
    assert replay(state, [(9.1, StopRequested(130))]) == [KillAll()]
    assert replay(state, [(9.2, Exited("web", 1, -9)), (9.3, AllStopped())]) == [Finish(0)]
