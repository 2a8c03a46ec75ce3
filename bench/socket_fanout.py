"""Live invalidation fan-out: one mutation, N watching sockets, how fast and how completely they hear of it.

Side by side with the alternative a page has without the socket, polling the read over HTTP. Also: calls per
second of a trivial function over one socket against HTTP keep-alive from the same client.

Each layer gets fresh uvicorn processes on free ports (bench/socket_project) and, for the Redis layers, a
redis-server of its own. N sockets (`websockets`, in this process) each `watch` `board_version?board_id=1`;
then each round POSTs `bump` (which invalidates that key) and times, per socket, the `{"invalidate"}` frame
from just before the POST. A socket that has not heard within `--wait` seconds is lost. With `--processes 2`
the sockets are split between two servers on one Redis and the mutation goes through the first.

    python bench/socket_fanout.py                          # 1000 sockets; memory, redis, pubsub; 1 and 2 processes
    python bench/socket_fanout.py --sockets 200 --rounds 5 --layers redis --processes 2

Latency includes this process's own work of reading N frames on a shared machine: it is an upper bound of
what a browser on its own machine would see.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
import websockets

BENCH_DIR = Path(__file__).resolve().parent
KEY = "board_version?board_id=1"
ORIGIN = "http://127.0.0.1"


@dataclass
class FanOut:
    layer: str
    processes: int
    sockets: int
    rounds: int
    latencies_ms: list[float] = field(default_factory=list)
    lost: int = 0
    closed: int = 0  # sockets the server closed during the rounds (their frames count as lost)

    def row(self) -> list[str]:
        lat = sorted(self.latencies_ms)
        return [
            f"socket, {self.layer}" + (f" ({self.closed} sockets closed by the server)" if self.closed else ""),
            str(self.processes),
            str(self.sockets),
            _fmt(_pct(lat, 50)),
            _fmt(_pct(lat, 99)),
            _fmt(lat[-1] if lat else None),
            f"{self.lost} of {self.sockets * self.rounds}",
        ]


@dataclass
class Polling:
    clients: int
    interval_s: float
    rounds: int
    latencies_ms: list[float] = field(default_factory=list)
    requests_per_s: float = 0.0
    lost: int = 0

    def row(self) -> list[str]:
        lat = sorted(self.latencies_ms)
        return [
            f"HTTP polling every {self.interval_s:g} s ({self.requests_per_s:.0f} req/s)",
            "1",
            str(self.clients),
            _fmt(_pct(lat, 50)),
            _fmt(_pct(lat, 99)),
            _fmt(lat[-1] if lat else None),
            f"{self.lost} of {self.clients * self.rounds}",
        ]


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    if shutil.which("redis-server") is None and any(layer != "memory" for layer in args.layers):
        print("the redis layers need redis-server on PATH (or pass --layers memory)", file=sys.stderr)
        return 1
    results: list[FanOut] = []
    for layer in args.layers:
        for processes in args.processes:
            if layer == "memory" and processes > 1:
                continue  # the in-memory layer cannot cross processes
            results.append(asyncio.run(_fan_out(layer, processes, args)))
    polling = asyncio.run(_polling(args)) if args.poll_clients > 0 else None
    rates = asyncio.run(_call_rates(args.call_seconds)) if args.call_seconds > 0 else None
    _report(results, polling, rates, args)
    return 0


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sockets", type=int, default=1000, help="watching sockets (default 1000)")
    parser.add_argument("--rounds", type=int, default=10, help="mutations per layer (default 10)")
    parser.add_argument("--wait", type=float, default=5.0, help="seconds after which a socket counts as lost")
    parser.add_argument("--layers", nargs="+", default=["memory", "redis", "pubsub"], choices=["memory", "redis", "pubsub"])
    parser.add_argument("--processes", nargs="+", type=int, default=[1, 2], choices=[1, 2])
    parser.add_argument("--poll-clients", type=int, default=100, help="HTTP pollers for the comparison (0: skip)")
    parser.add_argument("--poll-interval", type=float, default=1.0, help="seconds between one poller's reads")
    parser.add_argument("--call-seconds", type=float, default=5.0, help="duration of each calls-per-second run (0: skip)")
    return parser.parse_args(argv)


# --- servers ---


class Stack:
    """redis-server (for the Redis layers) and `processes` uvicorn servers on one layer."""

    def __init__(self, layer: str, processes: int) -> None:
        self.layer = layer
        self.processes = processes
        self.children: list[subprocess.Popen[bytes]] = []
        self.ports: list[int] = []

    def __enter__(self) -> Stack:
        env = {**os.environ, "BENCH_LAYER": self.layer, "PYTHONDONTWRITEBYTECODE": "1"}
        if self.layer != "memory":
            redis_port = _free_port()
            self.children.append(
                subprocess.Popen(
                    ["redis-server", "--port", str(redis_port), "--save", "", "--appendonly", "no"],
                    stdout=subprocess.DEVNULL,
                    stderr=None if os.environ.get("BENCH_VERBOSE") else subprocess.DEVNULL,
                )
            )
            _wait_port(redis_port)
            env["BENCH_REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        for _ in range(self.processes):
            port = _free_port()
            self.children.append(
                subprocess.Popen(
                    [sys.executable, "-m", "uvicorn", "socket_project.asgi:application", "--port", str(port),
                     "--host", "127.0.0.1", "--log-level", "warning", "--ws-max-queue", "1024"],
                    cwd=BENCH_DIR,
                    env=env,
                    # Shutdown chatter (a Redis layer losing its server) is not a result.
                    stderr=None if os.environ.get("BENCH_VERBOSE") else subprocess.DEVNULL,
                )
            )
            self.ports.append(port)
        for port in self.ports:
            _wait_port(port, timeout=60)
        return self

    def __exit__(self, *exc: object) -> None:
        # Servers first, then the Redis they use.
        for child in reversed(self.children):
            child.terminate()
            try:
                child.wait(10)
            except subprocess.TimeoutExpired:
                child.kill()


class KeepAlive:
    """One HTTP/1.1 keep-alive connection that writes each request in one send, with TCP_NODELAY.

    httpx sends a POST's headers and body in two writes, and the second waits on the server's delayed ACK
    (about 40 ms on Linux): that measures the client, not the server. A browser sends them together.
    """

    def __init__(self, port: int, cookie: str, token: str) -> None:
        self.port, self.cookie, self.token = port, cookie, token
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    @classmethod
    async def open(cls, port: int) -> KeepAlive:
        """A connection with a CSRF token and its cookie, as the browser kernel gets them from /session/."""
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            answer = await http.get("/api/mizan/session/")
            cookie = "; ".join(f"{name}={value}" for name, value in answer.cookies.items())
            connection = cls(port, cookie, answer.json()["csrfToken"])
        connection.reader, connection.writer = await asyncio.open_connection("127.0.0.1", port)
        connection.writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection

    async def call(self, fn: str, args: dict[str, object]) -> object:
        assert self.reader is not None and self.writer is not None
        body = json.dumps(args).encode()
        head = (
            f"POST /api/mizan/call/{fn}/ HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            f"Cookie: {self.cookie}\r\nX-CSRFToken: {self.token}\r\nOrigin: {ORIGIN}:{self.port}\r\n\r\n"
        ).encode()
        self.writer.write(head + body)
        status = await self.reader.readline()
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        payload = json.loads(await self.reader.readexactly(length))
        if not status.startswith(b"HTTP/1.1 200"):
            raise SystemExit(f"{fn} over HTTP answered {status!r}: {payload}")
        return payload["result"]

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(ConnectionError):
                await self.writer.wait_closed()


async def _fan_out(layer: str, processes: int, args: argparse.Namespace) -> FanOut:
    result = FanOut(layer, processes, args.sockets, args.rounds)
    with Stack(layer, processes) as stack:
        sockets = await _open_watchers(stack.ports, args.sockets)
        http = await KeepAlive.open(stack.ports[0])
        try:
            for _ in range(args.rounds):
                heard = [asyncio.create_task(_next_invalidation(ws, args.wait)) for ws in sockets]
                await asyncio.sleep(0.05)  # every reader is waiting before the clock starts
                start = time.perf_counter()
                await http.call("bump", {"board_id": 1})
                for arrived in await asyncio.gather(*heard):
                    if arrived is None:
                        result.lost += 1
                    else:
                        result.latencies_ms.append((arrived - start) * 1000)
                await asyncio.sleep(0.2)
        finally:
            await http.close()
        result.closed = sum(1 for ws in sockets if ws.close_code is not None)
        await asyncio.gather(*(ws.close() for ws in sockets))
    return result


async def _open_watchers(ports: list[int], count: int) -> list[websockets.ClientConnection]:
    async def one(index: int) -> websockets.ClientConnection:
        port = ports[index % len(ports)]
        ws = await websockets.connect(f"ws://127.0.0.1:{port}/ws/mizan/", origin=f"{ORIGIN}:{port}", max_queue=None)
        await ws.send(json.dumps({"id": 1, "action": "watch", "keys": [KEY]}))
        reply = json.loads(await ws.recv())
        if reply != {"id": 1, "ok": True}:
            raise SystemExit(f"watch refused: {reply}")
        return ws

    sockets: list[websockets.ClientConnection] = []
    for start in range(0, count, 100):  # in steps, so the server's accept backlog is not the bottleneck
        sockets += await asyncio.gather(*(one(index) for index in range(start, min(count, start + 100))))
    return sockets


async def _next_invalidation(ws: websockets.ClientConnection, wait: float) -> float | None:
    try:
        async with asyncio.timeout(wait):
            while True:
                frame = json.loads(await ws.recv())
                if KEY in frame.get("invalidate", ()):
                    return time.perf_counter()
    except (TimeoutError, websockets.ConnectionClosed):
        return None  # lost: not heard in time, or the server closed the socket


# --- the alternative: polling ---


async def _polling(args: argparse.Namespace) -> Polling:
    result = Polling(args.poll_clients, args.poll_interval, min(args.rounds, 5))
    with Stack("memory", 1) as stack:
        port = stack.ports[0]
        pollers = [await KeepAlive.open(port) for _ in range(args.poll_clients)]
        writer = await KeepAlive.open(port)
        state = {"version": await writer.call("board_version", {"board_id": 1}), "requests": 0}
        seen: list[dict[int, float]] = []
        stop = asyncio.Event()

        async def poller(index: int) -> None:
            await asyncio.sleep(random.random() * args.poll_interval)  # pollers start out of phase, like tabs
            while not stop.is_set():
                answer = await pollers[index].call("board_version", {"board_id": 1})
                state["requests"] += 1
                if seen and answer == state["version"] and index not in seen[-1]:
                    seen[-1][index] = time.perf_counter()
                await asyncio.sleep(args.poll_interval)

        tasks = [asyncio.create_task(poller(index)) for index in range(args.poll_clients)]
        await asyncio.sleep(args.poll_interval * 1.5)
        began, counted = time.perf_counter(), state["requests"]
        for _ in range(result.rounds):
            seen.append({})
            start = time.perf_counter()
            state["version"] = await writer.call("bump", {"board_id": 1})
            await asyncio.sleep(args.poll_interval * 2 + 0.5)
            result.latencies_ms += [(at - start) * 1000 for at in seen[-1].values()]
            result.lost += args.poll_clients - len(seen[-1])
        result.requests_per_s = (state["requests"] - counted) / (time.perf_counter() - began)
        stop.set()
        await asyncio.gather(*tasks)
        for connection in [*pollers, writer]:
            await connection.close()
    return result


# --- calls per second ---


async def _call_rates(seconds: float) -> dict[str, float]:
    rates: dict[str, float] = {}
    with Stack("memory", 1) as stack:
        port = stack.ports[0]
        async with websockets.connect(f"ws://127.0.0.1:{port}/ws/mizan/", origin=f"{ORIGIN}:{port}") as ws:
            rates["socket, one call at a time"] = await _socket_calls(ws, seconds, 1)
            rates["socket, 8 in flight"] = await _socket_calls(ws, seconds, 8)
        connections = [await KeepAlive.open(port) for _ in range(8)]
        rates["HTTP keep-alive, one call at a time"] = await _http_calls(connections[:1], seconds)
        rates["HTTP keep-alive, 8 connections"] = await _http_calls(connections, seconds)
        for connection in connections:
            await connection.close()
    return rates


async def _socket_calls(ws: websockets.ClientConnection, seconds: float, inflight: int) -> float:
    ids = iter(range(1, 10**9))
    waiting: dict[int, asyncio.Future[dict[str, object]]] = {}

    async def read() -> None:
        async for text in ws:
            frame = json.loads(text)
            future = waiting.pop(frame.get("id"), None)
            if future is not None:
                future.set_result(frame)

    reader = asyncio.create_task(read())
    done = 0
    end = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal done
        while time.perf_counter() < end:
            frame_id = next(ids)
            future: asyncio.Future[dict[str, object]] = asyncio.get_running_loop().create_future()
            waiting[frame_id] = future
            await ws.send(json.dumps({"id": frame_id, "action": "rpc", "fn": "ping", "args": {}}))
            reply = await future
            if reply.get("result") != "pong":
                raise SystemExit(f"ping over the socket answered {reply}")
            done += 1

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(inflight)))
    elapsed = time.perf_counter() - began
    reader.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await reader
    return done / elapsed


async def _http_calls(connections: list[KeepAlive], seconds: float) -> float:
    """Calls of `ping`, one at a time on each connection (HTTP/1.1 has one request in flight per connection)."""
    done = 0
    end = time.perf_counter() + seconds

    async def worker(connection: KeepAlive) -> None:
        nonlocal done
        while time.perf_counter() < end:
            if await connection.call("ping", {}) != "pong":
                raise SystemExit("ping over HTTP did not answer pong")
            done += 1

    began = time.perf_counter()
    await asyncio.gather(*(worker(connection) for connection in connections))
    return done / (time.perf_counter() - began)


# --- report ---


def _report(results: list[FanOut], polling: Polling | None, rates: dict[str, float] | None, args: argparse.Namespace) -> None:
    print(f"\nFan-out of one mutation to watching sockets ({platform.python_version()}, {os.cpu_count()} CPUs, "
          f"{args.rounds} rounds; latency from the POST to each socket's frame)\n")
    header = ["transport", "servers", "clients", "p50 ms", "p99 ms", "max ms", "lost"]
    rows = [result.row() for result in results]
    if polling is not None:
        rows.append(polling.row())
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * width for width in widths], *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    if rates:
        print("\nCalls per second of a trivial function from one client\n")
        width = max(map(len, rates))
        for name, rate in rates.items():
            print(f"{name.ljust(width)}  {rate:8.0f}/s")
    out = BENCH_DIR / "results"
    out.mkdir(exist_ok=True)
    path = out / f"socket_fanout-{time.strftime('%Y%m%d-%H%M%S')}.json"
    summary = {
        "fan_out": [
            {**asdict(result), "latencies_ms": None, "p50_ms": _pct(sorted(result.latencies_ms), 50),
             "p99_ms": _pct(sorted(result.latencies_ms), 99)}
            for result in results
        ],
        "polling": None if polling is None else {**asdict(polling), "latencies_ms": None,
                                                 "p50_ms": _pct(sorted(polling.latencies_ms), 50),
                                                 "p99_ms": _pct(sorted(polling.latencies_ms), 99)},
        "calls_per_second": rates,
    }
    path.write_text(json.dumps(summary, indent=2))
    print(f"\nwritten to {path.relative_to(BENCH_DIR.parent)}")


def _pct(values: list[float], q: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_port(port: int, timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"nothing listens on port {port} after {timeout} s")


if __name__ == "__main__":
    raise SystemExit(main())
