"""Requests per second for `echo`: Mizan against a hand-written Django view and django-ninja.

All targets live in one Django project (bench/echo_project) served by one uvicorn process, so they share
the ASGI server, the worker count and the middleware stack. `wrk` drives them from a second process over
loopback. Rounds are interleaved, in an order rotated each round (A B C D, B C D A, ...), so that load from
elsewhere on the machine hurts every target alike; each target's median round is reported.

    python bench/echo_rps.py                  # about 105 s with the defaults (8 rounds of 3 s per target)
    python bench/echo_rps.py --duration 10 --rounds 5 --connections 64
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, replace
from importlib.metadata import version
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
LUA_SCRIPT = BENCH_DIR / "post.lua"
BODY_TEXT = "hello"
BASELINE = "hand-written"
GOAL = 0.85


@dataclass(frozen=True)
class Target:
    """One way of serving a request: the URL path and the exact body the client sends (GET: no body)."""

    name: str
    path: str
    body: dict[str, object]
    method: str = "POST"
    if_none_match: str | None = None
    cookie: str | None = None


TARGETS = (
    Target("mizan", "/api/mizan/call/echo/", {"text": BODY_TEXT}),
    Target("mizan envelope", "/api/mizan/call/", {"fn": "echo", "args": {"text": BODY_TEXT}}),
    Target(BASELINE, "/hand/echo/", {"text": BODY_TEXT}),
    Target("django-ninja", "/ninja/echo/", {"text": BODY_TEXT}),
)


@dataclass(frozen=True)
class Round:
    """What wrk measured for one target over one timed run, and the server's CPU time during it."""

    requests: int
    duration_us: int
    p50_us: int
    p99_us: int
    connect_errors: int
    read_errors: int
    write_errors: int
    status_errors: int
    timeouts: int
    server_cpu_s: float | None = None

    @property
    def rps(self) -> float:
        return self.requests / (self.duration_us / 1_000_000)

    @property
    def cpu_us_per_request(self) -> float | None:
        """Server CPU per request: barely moved by other load on a shared machine, unlike req/s."""
        if self.server_cpu_s is None or not self.requests:
            return None
        return self.server_cpu_s / self.requests * 1_000_000


class BenchError(Exception):
    """A condition that makes the measurement meaningless; the message says what to do."""


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    wrk = shutil.which("wrk")
    if wrk is None:
        print(
            "wrk is not installed. Install it with `sudo apt-get install wrk` (Debian/Ubuntu) "
            "or `brew install wrk` (macOS), then run this again.",
            file=sys.stderr,
        )
        return 1
    targets = [t for t in TARGETS if not args.only or t.name in args.only]
    cpus = os.cpu_count() or 1
    pin = args.pin and cpus > args.workers
    port = _free_port()
    server = _start_server(port, args.workers, pin)
    try:
        _wait_ready(server, port)
        for target in targets:
            _check_answer(port, target)
        print(_environment(args, pin), flush=True)
        for target in targets:  # warm-up: imports, first-call caches, connection pools
            _run_wrk(wrk, port, target, args.warmup, args.connections, pin, cpus)
        rounds: dict[str, list[Round]] = {t.name: [] for t in targets}
        for number in range(1, args.rounds + 1):
            # Rotate the order each round: under load that drifts, going first must not favour one target.
            shift = (number - 1) % len(targets)
            for target in targets[shift:] + targets[:shift]:
                before = _cpu_seconds(server.pid)
                result = _run_wrk(wrk, port, target, args.duration, args.connections, pin, cpus)
                after = _cpu_seconds(server.pid)
                if before is not None and after is not None:
                    result = replace(result, server_cpu_s=after - before)
                rounds[target.name].append(result)
                print(f"  round {number}/{args.rounds} {target.name:<15} {result.rps:9.0f} req/s", flush=True)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        _stop_server(server)
    print()
    print(_table(rounds))
    _save(args, rounds)
    return 0


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--duration", type=int, default=3, help="seconds per timed run (default 3)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per target (default 2)")
    parser.add_argument(
        "--rounds", type=int, default=8, help="timed runs per target, interleaved (default 8)"
    )
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (default 1)")
    parser.add_argument(
        "--no-pin",
        dest="pin",
        action="store_false",
        help="do not pin the server and wrk to separate CPUs with taskset",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=[t.name for t in TARGETS],
        help="measure only this target (repeatable)",
    )
    args = parser.parse_args(argv)
    if min(args.duration, args.warmup, args.rounds, args.connections, args.workers) < 1:
        parser.error("--duration, --warmup, --rounds, --connections and --workers must be at least 1")
    return args


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pinned(command: list[str], cpus: str, pin: bool) -> list[str]:
    """Keep the server and the load generator off each other's cores when `taskset` exists."""
    taskset = shutil.which("taskset")
    return [taskset, "-c", cpus, *command] if pin and taskset else command


def _start_server(
    port: int,
    workers: int,
    pin: bool,
    app: str = "echo_project.asgi:application",
    env: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--app-dir",
        str(BENCH_DIR),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "echo_project.settings", "PYTHONUNBUFFERED": "1", **(env or {})}
    server_cpus = f"0-{workers - 1}" if workers > 1 else "0"
    return subprocess.Popen(
        _pinned(command, server_cpus, pin),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _post(port: int, target: Target) -> tuple[int, bytes]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{target.path}",
        data=json.dumps(target.body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as error:
        return int(error.code), bytes(error.read())


def _wait_ready(server: subprocess.Popen[bytes], port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = server.stdout.read().decode(errors="replace") if server.stdout else ""
            raise BenchError(f"the server exited with code {server.returncode} before serving:\n{output}")
        try:
            _post(port, TARGETS[2])
            return
        except OSError:
            time.sleep(0.2)
    raise BenchError(f"the server did not answer on 127.0.0.1:{port} within {timeout:.0f} s")


def _check_answer(port: int, target: Target) -> None:
    """Refuse to time a target that answers wrongly: fast errors would make a meaningless figure."""
    status, body = _post(port, target)
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    message = data.get("result", data).get("message") if isinstance(data, dict) else None
    if status != 200 or message != BODY_TEXT:
        raise BenchError(
            f"{target.name} (POST {target.path}) answered {status} {body[:500]!r}, "
            f"expected 200 with message {BODY_TEXT!r}"
        )


def _run_wrk(
    wrk: str, port: int, target: Target, seconds: int, connections: int, pin: bool, cpus: int
) -> Round:
    command = [
        wrk,
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "-s",
        str(LUA_SCRIPT),
        f"http://127.0.0.1:{port}{target.path}",
    ]
    env = {**os.environ, "BENCH_BODY": json.dumps(target.body), "BENCH_METHOD": target.method}
    if target.if_none_match:
        env["BENCH_IF_NONE_MATCH"] = target.if_none_match
    if target.cookie:
        env["BENCH_COOKIE"] = target.cookie
    done = subprocess.run(
        _pinned(command, str(cpus - 1), pin),
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=False,
    )
    line = next((l for l in done.stdout.splitlines() if l.startswith("BENCH_RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise BenchError(f"wrk failed on {target.name} (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    result = Round(**json.loads(line.removeprefix("BENCH_RESULT ")))
    if result.status_errors or result.connect_errors:
        raise BenchError(
            f"{target.name}: {result.status_errors} non-2xx answers and {result.connect_errors} "
            "connect errors during the run; fix the target before comparing speeds"
        )
    return result


def _median(results: list[Round]) -> Round:
    ordered = sorted(results, key=lambda r: r.rps)
    return ordered[(len(ordered) - 1) // 2]


def _table(rounds: dict[str, list[Round]]) -> str:
    medians = {name: _median(results) for name, results in rounds.items()}
    baseline = medians.get(BASELINE)
    cpu = {name: _median_cpu(results) for name, results in rounds.items()}
    base_cpu = cpu.get(BASELINE)
    header = (
        f"{'target':<16}{'req/s':>8}{'spread':>8}{'p50 ms':>9}{'p99 ms':>9}{'req/s ratio':>13}"
        f"{'CPU us/req':>12}{'CPU ratio':>11}"
    )
    lines = [header, "-" * len(header)]
    for name, median in medians.items():
        rps = [r.rps for r in rounds[name]]
        spread = f"±{(max(rps) - min(rps)) / 2 / statistics.fmean(rps) * 100:.0f}%"
        ratio = f"{median.rps / baseline.rps:.2f}x" if baseline else "-"
        cost = cpu[name]
        # Expressed like req/s: hand-written CPU per request over this target's, so higher is faster.
        cpu_ratio = f"{base_cpu / cost:.2f}x" if base_cpu and cost else "-"
        lines.append(
            f"{name:<16}{median.rps:>8.0f}{spread:>8}{median.p50_us / 1000:>9.2f}"
            f"{median.p99_us / 1000:>9.2f}{ratio:>13}{'-' if cost is None else f'{cost:.0f}':>12}{cpu_ratio:>11}"
        )
    if baseline and "mizan" in medians:
        by_rps = medians["mizan"].rps / baseline.rps
        lines.append(
            f"\nmizan / hand-written = {by_rps:.2f}x by req/s: {_verdict(by_rps)} the {GOAL:.2f}x goal"
        )
        mizan_cpu = cpu.get("mizan")
        if mizan_cpu and base_cpu:
            by_cpu = base_cpu / mizan_cpu
            lines.append(
                f"mizan / hand-written = {by_cpu:.2f}x by server CPU per request: {_verdict(by_cpu)} the goal"
            )
    return "\n".join(lines)


def _verdict(ratio: float) -> str:
    return "meets" if ratio >= GOAL else "MISSES"


def _median_cpu(results: list[Round]) -> float | None:
    costs = [r.cpu_us_per_request for r in results if r.cpu_us_per_request is not None]
    return statistics.median(costs) if costs else None


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU of `pid` and its descendants (uvicorn workers), from /proc; None off Linux."""
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        pending = [pid]
        while pending:
            current = pending.pop()
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
            for task in Path(f"/proc/{current}/task").iterdir():
                try:
                    pending.extend(int(child) for child in (task / "children").read_text().split())
                except FileNotFoundError:  # a thread that ended meanwhile (Django starts one per sync call)
                    continue
        return total / ticks
    except (OSError, ValueError, IndexError):
        return None


def _environment(args: argparse.Namespace, pin: bool) -> str:
    versions = ", ".join(
        f"{name} {version(name)}" for name in ("django", "pydantic", "uvicorn", "django-ninja")
    )
    placement = "server on CPU 0, wrk on the last CPU" if pin else "not pinned"
    return (
        f"echo benchmark: Python {platform.python_version()}, {versions}\n"
        f"uvicorn --workers {args.workers}, wrk -t1 -c{args.connections}, {args.warmup} s warm-up, "
        f"{args.rounds} x {args.duration} s interleaved rounds, {os.cpu_count()} CPUs ({placement}), "
        "loopback"
    )


def _save(args: argparse.Namespace, rounds: dict[str, list[Round]]) -> None:
    """Keep the raw rounds (bench/results/ is git-ignored) for comparing runs later."""
    folder = BENCH_DIR / "results"
    folder.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    data = {"arguments": vars(args), "rounds": {name: [asdict(r) for r in rs] for name, rs in rounds.items()}}
    (folder / f"echo_rps-{stamp}.json").write_text(json.dumps(data, indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(main())
