"""SSR render latency through Django: request to HTML, Bun worker vs Node worker vs a process per render.

    python bench/ssr_render.py [--requests 1000] [--seconds 3] [--threads 4]

Each row renders the same page components (mizan-js's SSR test fixtures) through the same Django request path
(`mizan.ssr.MizanTemplates`, in-process through Django's WSGI handler, the global context hydrated in-process):

- `bun worker`: the long-lived worker run by Bun from its TypeScript source, on a Unix socket;
- `bun worker, bundle`: the same worker bundled with esbuild (as production runs a built bundle), under Bun;
- `node worker`: the same worker module bundled with esbuild and run by Node, same socket protocol;
- `process per render`: a fresh `bun worker.tsx` with `MIZAN_SSR_ONCE=1` per page (request on stdin).

For a small page (`Hello`) and a 50 KB page (`Big`): p50/p99 of one request at a time, renders per second
with `--threads` requests in flight, and the worker-only p50 (one render over the socket, no Django). Worker
rows run `--rounds` times in rotated order; medians are shown. Every HTML is checked to be server-rendered before timing. The load
average before and after is printed under the table. Goal: p50 < 5 ms for the small page on the Bun worker.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MIZAN = ROOT / "template" / "packages" / "mizan"
MIZAN_JS = ROOT / "template" / "packages" / "mizan-js"
FIXTURES = MIZAN_JS / "src" / "ssr" / "__tests__" / "fixtures"
WORKER = FIXTURES / "worker.tsx"
BUN = MIZAN_JS / "node_modules" / ".bin" / "bun"
ESBUILD = MIZAN_JS / "node_modules" / ".bin" / "esbuild"
BIG_ROWS = 490  # about 50 KB of HTML

sys.path.insert(0, str(MIZAN))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.project.settings")

PAGES = {"small": ("/hello/", {"name": "bench"}), "50 KB": ("/big/", {"rows": str(BIG_ROWS)})}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=1000, help="sequential requests per row (latency)")
    parser.add_argument("--seconds", type=float, default=3.0, help="duration of the renders/s measurement")
    parser.add_argument("--threads", type=int, default=4, help="requests in flight for renders/s")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per worker (medians are shown)")
    parser.add_argument(
        "--once-requests", type=int, default=40, help="requests for the process-per-render row"
    )
    options = parser.parse_args()
    if not BUN.is_file():
        sys.exit(
            f"no Bun at {BUN.relative_to(ROOT)}: run `npm --prefix template/packages/mizan-js ci` first."
        )

    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = "bench_ssr_urls"
    settings.TEMPLATES = [
        {"BACKEND": "mizan.ssr.MizanTemplates", "OPTIONS": {"worker_path": str(WORKER)}},
        {"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True},
    ]
    settings.MIZAN_SSR_TIMEOUT = 5.0
    settings.MIZAN_SSR_POOL = max(4, options.threads)
    settings.ALLOWED_HOSTS = ["*"]
    sys.modules["bench_ssr_urls"] = _urls()

    load_before = os.getloadavg()
    rounds: dict[tuple[str, str], list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        bundle = _bundle(Path(folder))
        workers = [
            ("bun worker", [str(BUN), str(WORKER)]),
            ("bun worker, bundle", [str(BUN), str(bundle)]),
            ("node worker", ["node", str(bundle)]),
        ]
        for round_ in range(options.rounds):  # rotated, so no row always runs first (or last) under a load
            for label, command in workers[round_ % len(workers) :] + workers[: round_ % len(workers)]:
                with _worker(command, Path(folder) / "ssr.sock") as address:
                    settings.MIZAN_SSR_ADDRESS = address
                    for page, request in PAGES.items():
                        figures = _measure(request, options.requests, options.seconds, options.threads)
                        figures["worker p50"] = _worker_only(address, page)
                        rounds.setdefault((label, page), []).append(figures)
        settings.MIZAN_SSR_ADDRESS = "unix:/process-per-render"  # any address: rendering is swapped out below
        with _process_per_render():
            for page, request in PAGES.items():
                figures = _measure(request, options.once_requests, options.seconds, 2)
                rounds[("process per render", page)] = [{**figures, "worker p50": float("nan")}]
    load_after = os.getloadavg()
    rows = [
        (label, page, {key: statistics.median(r[key] for r in runs) for key in runs[0]})
        for (label, page), runs in rounds.items()
    ]
    _print(rows, load_before, load_after, options)
    _save(rows)


def _worker_only(address: str, page: str) -> float:
    """p50 of one render over the socket with no Django: the worker's share of a request."""
    import socket

    component, props = ("Hello", {"name": "bench"}) if page == "small" else ("Big", {"rows": BIG_ROWS})
    line = json.dumps(
        {"id": 0, "op": "render", "component": component, "props": props, "hydration": {"queries": []}}
    )
    with socket.socket(socket.AF_UNIX) as sock:
        sock.connect(address[len("unix:") :])
        with sock.makefile("rb") as reader:
            latencies = []
            for index in range(600):
                started = time.perf_counter()
                sock.sendall(line.encode() + b"\n")
                reader.readline()
                if index >= 100:
                    latencies.append((time.perf_counter() - started) * 1000)
    return statistics.median(latencies)


def _urls() -> Any:
    import types

    from django.http import HttpRequest, HttpResponse
    from django.shortcuts import render
    from django.urls import path

    def hello(request: HttpRequest) -> HttpResponse:
        return render(request, "Hello", {"name": request.GET["name"]})

    def big(request: HttpRequest) -> HttpResponse:
        return render(request, "Big", {"rows": int(request.GET["rows"])})

    module = types.ModuleType("bench_ssr_urls")
    module.urlpatterns = [path("hello/", hello), path("big/", big)]  # type: ignore[attr-defined]
    return module


def _bundle(folder: Path) -> Path:
    """The worker module as one ESM file (Node runs no TSX): esbuild, React's production build included."""
    out = folder / "worker.mjs"
    subprocess.run(
        [
            str(ESBUILD),
            str(WORKER),
            "--bundle",
            "--platform=node",
            "--format=esm",
            f"--outfile={out}",
            "--jsx=automatic",
            '--define:process.env.NODE_ENV="production"',
            "--log-level=warning",
            "--banner:js=import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
        ],
        check=True,
        cwd=MIZAN_JS,
    )
    return out


@contextmanager
def _worker(command: list[str], socket_path: Path) -> Iterator[str]:
    env = {**os.environ, "MIZAN_SSR_ADDRESS": f"unix:{socket_path}", "NODE_ENV": "production"}
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=MIZAN_JS
    )
    assert process.stdout is not None
    line = process.stdout.readline().decode()
    if "mizan-ssr: listening on" not in line:
        process.kill()
        sys.exit(f"{command[0]} worker did not start: {line}{process.stdout.read().decode()}")
    drain = threading.Thread(target=process.stdout.read, daemon=True)
    drain.start()
    try:
        yield f"unix:{socket_path}"
    finally:
        process.terminate()
        process.wait(10)
        drain.join(5)
        process.stdout.close()


@contextmanager
def _process_per_render() -> Iterator[None]:
    from mizan.ssr import MizanTemplates

    original = MizanTemplates.render_html

    def render_html(
        self: MizanTemplates, component: str, props: dict[str, Any], hydration: dict[str, Any]
    ) -> str | None:
        request = {"id": 1, "op": "render", "component": component, "props": props, "hydration": hydration}
        done = subprocess.run(
            [str(BUN), str(WORKER)],
            input=json.dumps(request).encode(),
            capture_output=True,
            env={**os.environ, "MIZAN_SSR_ONCE": "1", "NODE_ENV": "production"},
            cwd=MIZAN_JS,
            check=True,
        )
        reply = json.loads(done.stdout)
        return str(reply["html"]) if "html" in reply else None

    MizanTemplates.render_html = render_html  # type: ignore[method-assign]
    try:
        yield
    finally:
        MizanTemplates.render_html = original  # type: ignore[method-assign]


def _measure(
    request: tuple[str, dict[str, str]], count: int, seconds: float, threads: int
) -> dict[str, float]:
    from django.test import Client

    url, query = request
    client = Client()

    def get() -> int:
        response = client.get(url, query)
        body = response.content
        if response.status_code != 200 or b'"rendered": true' not in body:
            raise SystemExit(f"{url} was not server-rendered:\n{body[:2000].decode(errors='replace')}")
        return len(body)

    size = get()
    for _ in range(min(100, count)):
        get()
    latencies = []
    for _ in range(count):
        started = time.perf_counter()
        get()
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    return {
        "bytes": size,
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "rps": _throughput(get, seconds, threads),
    }


def _throughput(get: Callable[[], int], seconds: float, threads: int) -> float:
    counts = [0] * threads
    deadline = time.perf_counter() + seconds

    def run(index: int) -> None:
        while time.perf_counter() < deadline:
            get()
            counts[index] += 1

    workers = [threading.Thread(target=run, args=(index,)) for index in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(counts) / (time.perf_counter() - started)


def _print(
    rows: list[tuple[str, str, dict[str, float]]],
    before: tuple[float, ...],
    after: tuple[float, ...],
    options: Any,
) -> None:
    baseline = {page: figures for label, page, figures in rows if label == "bun worker"}
    print(
        f"{'row':<20} {'page':<6} {'HTML':>7} {'p50 ms':>7} {'p99 ms':>7} {'renders/s':>9} {'p50 vs bun':>10} "
        f"{'worker-only p50 ms':>18}"
    )
    for label, page, figures in rows:
        ratio = figures["p50"] / baseline[page]["p50"]
        print(
            f"{label:<20} {page:<6} {int(figures['bytes']):>7} {figures['p50']:>7.2f} {figures['p99']:>7.2f} "
            f"{figures['rps']:>9.0f} {ratio:>9.2f}x {figures['worker p50']:>18.3f}"
        )
    goal = baseline["small"]["p50"]
    print(
        f"\ngoal: small page p50 < 5 ms on the Bun worker: {goal:.2f} ms ({'met' if goal < 5 else 'missed'})"
    )
    print(
        f"renders/s with {options.threads} threads in flight ({options.seconds:g} s; process per render: 2)"
    )
    print(
        f"load average before {before[0]:.2f} {before[1]:.2f} {before[2]:.2f}, after {after[0]:.2f} {after[1]:.2f} {after[2]:.2f}"
    )


def _save(rows: list[tuple[str, str, dict[str, float]]]) -> None:
    """The medians as JSON in bench/results/ (bench/table.py reads its SSR row from there)."""
    folder = Path(__file__).resolve().parent / "results"
    folder.mkdir(exist_ok=True)
    # NaN (no worker-only figure for a process per render) is written as null.
    data = [
        {"row": label, "page": page, **{key: None if value != value else value for key, value in figures.items()}}
        for label, page, figures in rows
    ]
    path = folder / f"ssr_render-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(data, indent=2, allow_nan=False) + "\n")
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
