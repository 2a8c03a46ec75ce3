"""One table for the whole stack: every figure beside the thing it is compared with, as a ratio.

    nox -s bench                          # or: python bench/table.py (about 8 min)
    python bench/table.py --rounds 3 --duration 2
    python bench/table.py --no-regenerate # without save -> regenerated client (which makes a project first)

Rows, each measured here in one run:

- `echo` through Mizan, a hand-written Django view, django-ninja, and a bare ASGI app (the ceiling), all on
  uvicorn with one worker; ratios to the hand-written view;
- a context read over GET (`catalog`, one query of 50 rows) with the origin cache against the same read with
  `cache=False`, anonymous (a hit is answered at the edge, before Django); goal: cached at least 3x the uncached
  requests/s; and the same pair signed in (a session cookie: the hit is answered inside Django);
- a `304 Not Modified` revalidation against the full GET of the same cached read;
- `mizan-generate` on a 500-function manifest (node; budget 2 s);
- save -> regenerated client on disk (bench/regenerate_time.py on a project it makes): the warm path against the
  one-shot path;
- SSR render p50 of a small page through Django on the Bun worker against a fresh Bun process per render
  (bench/ssr_render.py, one round); WebSocket fan-out p99 from a mutation to 1000 watching sockets on the Redis
  layer against 100 HTTP clients polling once a second (bench/socket_fanout.py, 5 rounds).

The HTTP rows share one wrk setup (bench/echo_rps.py's): a warm-up per target, then interleaved rounds in an
order rotated each round; each target's median round is reported with the load average beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from email.message import Message
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import echo_rps  # noqa: E402  (bench/ is not a package: its scripts are run by path)
from echo_rps import BenchError, Round, Target  # noqa: E402

MIZAN_JS = BENCH_DIR.parent / "template" / "packages" / "mizan-js"
ROWS = 200
CACHED_GOAL = 3.0
ECHO = {"text": echo_rps.BODY_TEXT}
CATALOG = "/api/mizan/call/{fn}/?args=%7B%22limit%22%3A50%7D"


@dataclass(frozen=True)
class Served:
    """A target and the server that answers it (`django` or `bare`)."""

    target: Target
    server: str


def targets(etag: str | None = None, session: str | None = None) -> list[Served]:
    cached = CATALOG.format(fn="catalog")
    uncached = CATALOG.format(fn="catalog_uncached")
    return [
        Served(Target("bare ASGI", "/", ECHO), "bare"),
        Served(Target("hand-written", "/hand/echo/", ECHO), "django"),
        Served(Target("django-ninja", "/ninja/echo/", ECHO), "django"),
        Served(Target("mizan", "/api/mizan/call/echo/", ECHO), "django"),
        Served(Target("context uncached", uncached, {}, method="GET"), "django"),
        Served(Target("context cached", cached, {}, method="GET"), "django"),
        Served(Target("304 revalidation", cached, {}, method="GET", if_none_match=etag), "django"),
        Served(Target("signed-in uncached", uncached, {}, method="GET", cookie=session), "django"),
        Served(Target("signed-in cached", cached, {}, method="GET", cookie=session), "django"),
    ]


# (row, comparison, goal): each row's ratio is its median req/s over the comparison's.
COMPARISONS = (
    ("bare ASGI", "hand-written", None),
    ("django-ninja", "hand-written", None),
    ("mizan", "hand-written", 0.85),
    ("context cached", "context uncached", CACHED_GOAL),
    ("304 revalidation", "context cached", None),
    ("signed-in cached", "signed-in uncached", None),
)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    wrk = shutil.which("wrk")
    if wrk is None:
        print("wrk is not installed: `sudo apt-get install wrk` (Debian/Ubuntu) or `brew install wrk` (macOS).", file=sys.stderr)
        return 1
    load_before = _load()
    try:
        http = _http_rows(wrk, args)
        tools = _tool_rows(args)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print()
    print(_table(http, tools, args))
    print(f"\nload average before: {load_before}  after: {_load()}  ({os.cpu_count()} CPUs)")
    _save(http, tools)
    return 0


def _http_rows(wrk: str, args: argparse.Namespace) -> dict[str, list[Round]]:
    cpus = os.cpu_count() or 1
    pin = args.pin and cpus > 1
    with tempfile.TemporaryDirectory(prefix="mizan-bench-") as scratch:
        database = Path(scratch) / "catalog.sqlite3"
        _fill_catalog(database)
        session = _signed_in_session(database)
        ports = {"django": echo_rps._free_port(), "bare": echo_rps._free_port()}
        servers = {
            "django": echo_rps._start_server(ports["django"], 1, pin, env={"BENCH_DATABASE": str(database)}),
            "bare": echo_rps._start_server(ports["bare"], 1, pin, app="bare_asgi:app"),
        }
        try:
            for name, server in servers.items():
                _wait(server, ports[name])
            etag = _check_catalog(ports["django"])
            _check_signed_in(ports["django"], session)
            served = targets(etag, session)
            for item in served:
                _check(ports[item.server], item.target)
            print(
                f"HTTP rows: uvicorn --workers 1 per server, wrk -t1 -c{args.connections}, {args.warmup} s warm-up, "
                f"{args.rounds} x {args.duration} s interleaved rounds, {cpus} CPUs "
                f"({'servers on CPU 0, wrk on the last' if pin else 'not pinned'})",
                flush=True,
            )
            for item in served:
                echo_rps._run_wrk(wrk, ports[item.server], item.target, args.warmup, args.connections, pin, cpus)
            rounds: dict[str, list[Round]] = {item.target.name: [] for item in served}
            for number in range(args.rounds):
                shift = number % len(served)
                for item in served[shift:] + served[:shift]:
                    server = servers[item.server]
                    before = echo_rps._cpu_seconds(server.pid)
                    result = echo_rps._run_wrk(
                        wrk, ports[item.server], item.target, args.duration, args.connections, pin, cpus
                    )
                    after = echo_rps._cpu_seconds(server.pid)
                    if before is not None and after is not None:
                        result = replace(result, server_cpu_s=after - before)
                    rounds[item.target.name].append(result)
                    print(f"  round {number + 1}/{args.rounds} {item.target.name:<18} {result.rps:8.0f} req/s", flush=True)
            return rounds
        finally:
            for server in servers.values():
                echo_rps._stop_server(server)


def _fill_catalog(database: Path) -> None:
    with sqlite3.connect(database) as db:
        db.execute(
            "CREATE TABLE bench_product (id INTEGER PRIMARY KEY, name VARCHAR(100), price_cents INTEGER, in_stock BOOL)"
        )
        db.executemany(
            "INSERT INTO bench_product (name, price_cents, in_stock) VALUES (?, ?, ?)",
            [(f"product {i}", 100 + i * 7, i % 3 != 0) for i in range(ROWS)],
        )


def _signed_in_session(database: Path) -> str:
    """Django's tables in the catalog's file, a user, and a session of theirs: the signed-in rows' Cookie header."""
    code = (
        "import django; django.setup()\n"
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', run_syncdb=True, verbosity=0)\n"
        "user = get_user_model().objects.create_user('bench', password='bench-only')\n"
        "session = SessionStore()\n"
        "session[SESSION_KEY] = str(user.pk)\n"
        "session[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
        "session[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
        "session.create()\n"
        "print(session.session_key)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "echo_project.settings", "BENCH_DATABASE": str(database)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=BENCH_DIR, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    if done.returncode != 0:
        raise BenchError(f"could not make the signed-in session:\n{done.stdout}{done.stderr}")
    return f"sessionid={done.stdout.strip().splitlines()[-1]}"


def _request(port: int, target: Target) -> tuple[int, Message, bytes]:
    headers = {"Content-Type": "application/json"} if target.method == "POST" else {}
    if target.if_none_match:
        headers["If-None-Match"] = target.if_none_match
    if target.cookie:
        headers["Cookie"] = target.cookie
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{target.path}",
        data=json.dumps(target.body).encode() if target.method == "POST" else None,
        headers=headers,
        method=target.method,
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status), response.headers, bytes(response.read())
    except urllib.error.HTTPError as error:
        return int(error.code), error.headers, bytes(error.read())


def _wait(server: subprocess.Popen[bytes], port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = server.stdout.read().decode(errors="replace") if server.stdout else ""
            raise BenchError(f"a server exited with code {server.returncode} before serving:\n{output}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            time.sleep(0.2)
    raise BenchError(f"a server did not answer on 127.0.0.1:{port} within {timeout:.0f} s")


def _check_catalog(port: int) -> str:
    """The cached read answers 50 products and an ETag, which the 304 target sends back."""
    status, headers, body = _request(port, Target("catalog", CATALOG.format(fn="catalog"), {}, method="GET"))
    rows = json.loads(body).get("result") if status == 200 else None
    etag = headers.get("ETag")  # a Message: case-insensitive, as uvicorn sends header names in lower case
    if not isinstance(rows, list) or len(rows) != 50 or not etag:
        raise BenchError(f"GET catalog answered {status} {body[:300]!r}; expected 50 products and an ETag")
    return str(etag)


def _check_signed_in(port: int, cookie: str) -> None:
    """The signed-in rows' cookie is a live session: otherwise they would time anonymous reads."""
    status, _, body = _request(port, Target("session", "/api/mizan/session/", {}, method="GET", cookie=cookie))
    if status != 200 or json.loads(body).get("authenticated") is not True:
        raise BenchError(f"GET session/ with the bench session answered {status} {body[:300]!r}; expected a signed-in user")


def _check(port: int, target: Target) -> None:
    """Refuse to time a target that answers wrongly: a fast error page must never pass for a fast endpoint."""
    status, _, body = _request(port, target)
    if target.if_none_match:
        ok = status == 304 and body == b""
    elif target.method == "GET":
        ok = status == 200 and len(json.loads(body).get("result", [])) == 50
    else:
        data = json.loads(body)
        ok = status == 200 and data.get("result", data).get("message") == echo_rps.BODY_TEXT  # ninja: no envelope
    if not ok:
        raise BenchError(f"{target.name} ({target.method} {target.path}) answered {status} {body[:300]!r}")


@dataclass(frozen=True)
class ToolRow:
    """A figure measured by a command rather than by wrk: seconds beside its comparison."""

    name: str
    seconds: float | None
    comparison: str
    comparison_seconds: float | None
    note: str = ""
    unit: str = "s"


def _tool_rows(args: argparse.Namespace) -> list[ToolRow]:
    rows = [_codegen_row()]
    if args.regenerate:
        rows.append(_regenerate_row())
    rows.append(_ssr_row())
    rows.append(_fan_out_row())
    return rows


def _newest_result(script: str, prefix: str, argv: list[str]) -> Any:
    """Run a benchmark of its own (its output shows above) and read the JSON it leaves in bench/results/."""
    folder = BENCH_DIR / "results"
    before = set(folder.glob(f"{prefix}-*.json"))
    done = subprocess.run([sys.executable, str(BENCH_DIR / script), *argv], check=False)
    after = set(folder.glob(f"{prefix}-*.json")) - before
    if done.returncode != 0 or not after:
        return None
    return json.loads(max(after).read_text())


def _ssr_row() -> ToolRow:
    """p50 of a small page rendered through Django by the Bun worker, beside a fresh Bun process per render."""
    if not (MIZAN_JS / "node_modules" / ".bin" / "bun").exists():
        return ToolRow("SSR render p50", None, "", None, "no Bun: npm --prefix template/packages/mizan-js ci")
    print("\nSSR render (bench/ssr_render.py, 1 round):", flush=True)
    rows = _newest_result("ssr_render.py", "ssr_render", ["--requests", "300", "--rounds", "1", "--seconds", "1"])
    if rows is None:
        return ToolRow("SSR render p50", None, "", None, "bench/ssr_render.py failed (its output is above)")
    p50 = {row["row"]: row["p50"] for row in rows if row["page"] == "small"}
    return ToolRow(
        "SSR render p50", p50["bun worker"] / 1000, "a process per render", p50["process per render"] / 1000, unit="ms"
    )


def _fan_out_row() -> ToolRow:
    """p99 from a mutation to the last of 1000 watching sockets (Redis layer), beside 100 clients polling each second."""
    if shutil.which("redis-server") is None:
        return ToolRow("WebSocket fan-out p99", None, "", None, "no redis-server on PATH")
    print("\nWebSocket fan-out (bench/socket_fanout.py, Redis layer, one server):", flush=True)
    argv = ["--sockets", "1000", "--rounds", "5", "--layers", "redis", "--processes", "1", "--call-seconds", "0"]
    summary = _newest_result("socket_fanout.py", "socket_fanout", argv)
    if summary is None or not summary["fan_out"] or summary["polling"] is None:
        return ToolRow("WebSocket fan-out p99", None, "", None, "bench/socket_fanout.py failed (its output is above)")
    fan_out = summary["fan_out"][0]
    if fan_out["lost"]:
        return ToolRow("WebSocket fan-out p99", None, "", None, f"{fan_out['lost']} sockets missed the invalidation")
    return ToolRow(
        "WebSocket fan-out p99",
        fan_out["p99_ms"] / 1000,
        "HTTP polling, 1 s",
        summary["polling"]["p99_ms"] / 1000,
        unit="ms",
    )


def _codegen_row() -> ToolRow:
    if not (MIZAN_JS / "dist" / "generate" / "cli.js").exists():
        return ToolRow("codegen 500 functions", None, "budget", 2.0, "mizan-js not built: npm --prefix ... run build")
    done = subprocess.run(
        ["node", str(MIZAN_JS / "bench" / "codegen-time.mjs"), "500"], capture_output=True, text=True, check=False
    )
    seconds = _number(done.stdout, "cold run ", " s wall")
    if done.returncode != 0 or seconds is None:
        raise BenchError(f"bench/codegen-time.mjs failed:\n{done.stdout}{done.stderr}")
    return ToolRow("codegen 500 functions", seconds, "budget", 2.0)


def _regenerate_row() -> ToolRow:
    result = _newest_result("regenerate_time.py", "regenerate_time", ["--saves", "5"])
    if result is None:
        return ToolRow("save -> client (warm)", None, "", None, "bench/regenerate_time.py failed (its output is above)")
    samples = result["samples"]
    return ToolRow(
        "save -> client (warm)", statistics.median(samples["warm"]), "one-shot", statistics.median(samples["cold"])
    )


def _number(text: str, before: str, after: str) -> float | None:
    start = text.find(before)
    end = text.find(after, start + len(before))
    try:
        return float(text[start + len(before) : end]) if start >= 0 and end > start else None
    except ValueError:
        return None


def _table(http: dict[str, list[Round]], tools: list[ToolRow], args: argparse.Namespace) -> str:
    medians = {name: echo_rps._median(rounds) for name, rounds in http.items()}
    header = f"{'row':<20}{'req/s':>9}{'spread':>8}{'p50 ms':>8}{'p99 ms':>8}{'CPU us/req':>11}   {'vs':<18}{'ratio':>7}  goal"
    lines = [header, "-" * len(header)]
    compared = {row: (base, goal) for row, base, goal in COMPARISONS}
    for name, median in medians.items():
        rps = [r.rps for r in http[name]]
        spread = f"±{(max(rps) - min(rps)) / 2 / statistics.fmean(rps) * 100:.0f}%"
        cpu = echo_rps._median_cpu(http[name])
        base, goal = compared.get(name, (None, None))
        ratio = median.rps / medians[base].rps if base else 0.0
        verdict = "" if goal is None else f"{goal:.2f}x {'met' if ratio >= goal else 'MISSED'}"
        lines.append(
            f"{name:<20}{median.rps:>9.0f}{spread:>8}{median.p50_us / 1000:>8.2f}{median.p99_us / 1000:>8.2f}"
            f"{'-' if cpu is None else f'{cpu:.0f}':>11}   {base or '':<18}{f'{ratio:.2f}x' if base else '':>7}  {verdict}"
        )
    lines.append("")
    lines.append(f"{'row':<24}{'time':>11}   {'vs':<22}{'time':>11}{'ratio':>8}")
    for row in tools:
        if row.seconds is None:
            lines.append(f"{row.name:<24}{'-':>11}   {row.note}")
            continue
        ratio = f"{row.seconds / row.comparison_seconds:.2f}x" if row.comparison_seconds else ""
        lines.append(
            f"{row.name:<24}{_duration(row.seconds, row.unit):>11}   {row.comparison:<22}"
            f"{_duration(row.comparison_seconds or 0, row.unit):>11}{ratio:>8}"
        )
    return "\n".join(lines)


def _duration(seconds: float, unit: str) -> str:
    return f"{seconds * 1000:.2f} ms" if unit == "ms" else f"{seconds:.3f} s"


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _save(http: dict[str, list[Round]], tools: list[ToolRow]) -> None:
    folder = BENCH_DIR / "results"
    folder.mkdir(exist_ok=True)
    data = {
        "http": {name: [r.__dict__ for r in rounds] for name, rounds in http.items()},
        "tools": [row.__dict__ for row in tools],
    }
    (folder / f"table-{time.strftime('%Y%m%dT%H%M%S')}.json").write_text(json.dumps(data, indent=2) + "\n")


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0] if __doc__ else None, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=3, help="seconds per timed run (default 3)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per target (default 2)")
    parser.add_argument("--rounds", type=int, default=5, help="timed runs per target, interleaved (default 5)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--no-pin", dest="pin", action="store_false", help="do not pin servers and wrk with taskset")
    parser.add_argument(
        "--no-regenerate",
        dest="regenerate",
        action="store_false",
        help="skip save -> regenerated client (it makes a project with mizan-dev new first: a minute or more)",
    )
    args = parser.parse_args(argv)
    if min(args.duration, args.warmup, args.rounds, args.connections) < 1:
        parser.error("--duration, --warmup, --rounds and --connections must be at least 1")
    return args


if __name__ == "__main__":
    sys.exit(main())
