"""Where the server spends its time per `echo` request: py-spy samples the real server under wrk load.

A sampling profiler attached from outside sees every thread (Django runs each sync view in a worker thread
under ASGI, which an in-process profiler started on the event loop's thread would miss) and does not slow
the code it measures. For each target it prints the functions with the largest share of the server's busy
samples, inclusive (the function and what it calls) and self (the function's own code), and the CPU time
per request that share stands for, so two targets can be compared line by line.

    python bench/profile_echo.py                      # mizan and hand-written, 8 s each
    python bench/profile_echo.py --only mizan --top 40
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from echo_rps import (
    TARGETS,
    BenchError,
    _check_answer,
    _free_port,
    _run_wrk,
    _start_server,
    _stop_server,
    _wait_ready,
)

_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>.*?)(?::\d+)?\)$")
_RATE = 250


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    wrk, py_spy = shutil.which("wrk"), shutil.which("py-spy") or _beside_python("py-spy")
    if wrk is None or py_spy is None:
        print("needs wrk (`sudo apt-get install wrk`) and py-spy (`pip install py-spy`)", file=sys.stderr)
        return 1
    targets = [t for t in TARGETS if t.name in (args.only or ["mizan", "hand-written"])]
    port = _free_port()
    server = _start_server(port, 1, pin=False)
    try:
        _wait_ready(server, port)
        for target in targets:
            _check_answer(port, target)
            _run_wrk(wrk, port, target, 2, args.connections, False, 1)  # warm-up
            with tempfile.TemporaryDirectory() as folder:
                raw = Path(folder) / "stacks.txt"
                spy = subprocess.Popen(
                    [
                        py_spy,
                        "record",
                        "--pid",
                        str(server.pid),
                        "--rate",
                        str(_RATE),
                        "--format",
                        "raw",
                        "--output",
                        str(raw),
                        "--duration",
                        str(args.duration + 1),
                        "--gil",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                result = _run_wrk(wrk, port, target, args.duration, args.connections, False, 1)
                _, errors = spy.communicate(timeout=args.duration + 60)
                if spy.returncode != 0 or not raw.exists():
                    raise BenchError(
                        f"py-spy failed (exit {spy.returncode}); it needs ptrace rights:\n{errors}"
                    )
                print(_report(target.name, raw.read_text(), result.requests, args.top))
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        _stop_server(server)
    return 0


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--duration", type=int, default=8, help="seconds of profiled load per target (default 8)"
    )
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--top", type=int, default=25, help="functions to list per table (default 25)")
    parser.add_argument(
        "--only",
        action="append",
        choices=[t.name for t in TARGETS],
        help="profile only this target (repeatable; default mizan and hand-written)",
    )
    return parser.parse_args(argv)


def _beside_python(name: str) -> str | None:
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else None


def _report(name: str, stacks: str, requests: int, top: int) -> str:
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in stacks.splitlines():
        frames_text, _, count_text = line.rpartition(" ")
        if not frames_text or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_label(frame) for frame in frames_text.split(";")]
        total += count
        for label in set(frames):
            inclusive[label] += count
        own[frames[-1]] += count
    if not total:
        return f"\n{name}: no busy samples (was the server loaded?)"
    per_request_ms = 1000 / _RATE / max(requests, 1)
    heading = (
        f"\n== {name}: {total} busy samples at {_RATE} Hz over {requests} requests "
        f"({total * per_request_ms * 1000:.0f} us of CPU per request)"
    )
    lines = [heading]
    # Frames in nearly every sample are the process's entry points (runpy, click, uvicorn.run): no information.
    inclusive = Counter({label: count for label, count in inclusive.items() if count < 0.95 * total})
    for title, counter in (("inclusive (entry points omitted)", inclusive), ("self", own)):
        lines.append(f"-- top {top} by {title} share --")
        for label, count in counter.most_common(top):
            lines.append(f"{count / total * 100:6.1f}%  {count * per_request_ms * 1000:7.0f} us/req  {label}")
    return "\n".join(lines)


def _label(frame: str) -> str:
    """`file:function`, with the path cut to the package (`django/core/handlers/base.py:get_response`)."""
    found = _FRAME.match(frame.strip())
    if not found:
        return frame.strip()
    path = found.group("file")
    for marker in ("site-packages/", "packages/mizan/", "bench/", "lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{path}:{found.group('function')}"


if __name__ == "__main__":
    sys.exit(main())
