"""Save a backend .py file, time until the regenerated client is on disk: one-shot path against the warm path.

`mizan-dev generate --watch` runs once per path on a generated project. Each round appends a new `@client`
function to `backend/example/clients.py` and polls `frontend/src/api/hooks.ts` (every 5 ms) until its hook is
there; the time from the write to that moment is one sample, so it includes the watcher's own latency. The
cold path (`generate(warm=False)`) runs the one-shot `mizan-generate`, which starts node, which starts Python
for `manage.py export_mizan_schema`; the warm path keeps `mizan-generate --serve` and the schema zygote loaded.
Paths alternate by round (cold, warm, warm, cold, ...) with both watchers running only one at a time, so load
from elsewhere on the machine hurts both alike.

    python bench/regenerate_time.py                       # makes a project with `mizan-dev new` (about a minute)
    python bench/regenerate_time.py --project PATH --saves 10
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
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
PATHS = ("cold", "warm")


class Watcher:
    """`generate --watch` for one path, as a subprocess whose output lines are collected."""

    def __init__(self, project: Path, warm: bool) -> None:
        code = (
            "import sys, mizan_dev\n"
            f"sys.exit(mizan_dev.generate(project_dir=__import__('pathlib').Path({str(project)!r}), "
            f"watch=True, warm={warm}))\n"
        )
        env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, count: int = 1, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while sum(text in line for line in self.lines) < count:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"watcher never said {text!r} ({count}x):\n" + "\n".join(self.lines))
            time.sleep(0.02)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def make_project(folder: Path) -> Path:
    target = folder / "bench-project"
    print(f"making a project with `mizan-dev new {target} --defaults` ...", flush=True)
    subprocess.run(
        [sys.executable, "-m", "mizan_dev", "new", str(target), "--defaults"],
        check=True,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
    )
    return target


def one_save(project: Path, watcher: Watcher, name: str, base: str) -> float:
    clients = project / "backend" / "example" / "clients.py"
    hooks = project / "frontend" / "src" / "api" / "hooks.ts"
    hook = "use" + "".join(part.title() for part in name.split("_")) + "()"
    done = sum("client generated in" in line for line in watcher.lines)
    clients.write_text(
        base + f'\n\n@client\ndef {name}(request: HttpRequest) -> str:\n    """Bench."""\n    return "ok"\n'
    )
    saved = time.monotonic()
    deadline = saved + 120
    while hook not in hooks.read_text():
        if time.monotonic() > deadline:
            raise SystemExit(f"{hook} never appeared:\n" + "\n".join(watcher.lines[-30:]))
        time.sleep(0.005)
    seconds = time.monotonic() - saved
    watcher.wait_for("client generated in", count=done + 1)
    time.sleep(0.3)  # let the watcher settle before the next save
    return seconds


def summary(samples: list[float]) -> tuple[float, float, float, float]:
    p90 = statistics.quantiles(samples, n=10, method="inclusive")[8] if len(samples) > 1 else samples[0]
    return statistics.median(samples), p90, min(samples), max(samples)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--project", type=Path, help="a project made by `mizan-dev new` (default: make one)")
    parser.add_argument("--saves", type=int, default=10, help="saves per path (default 10)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="regenerate-bench-") as scratch:
        project = options.project.resolve() if options.project else make_project(Path(scratch))
        clients = project / "backend" / "example" / "clients.py"
        original = clients.read_text()
        samples: dict[str, list[float]] = {path: [] for path in PATHS}
        load_before = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
        try:
            for round_ in range(options.saves):
                order = PATHS if round_ % 2 == 0 else PATHS[::-1]
                for path in order:
                    watcher = Watcher(project, warm=path == "warm")
                    try:
                        watcher.wait_for("watching backend/")
                        seconds = one_save(project, watcher, f"bench_{path}_{round_}", original)
                    finally:
                        watcher.stop()
                        clients.write_text(original)
                    samples[path].append(seconds)
                    print(f"round {round_ + 1:2}  {path}  {seconds:.3f} s", flush=True)
        finally:
            clients.write_text(original)
            subprocess.run(
                [sys.executable, "-m", "mizan_dev", "generate"],
                cwd=project,
                env={**os.environ, "PYTHONPATH": str(REPO)},
                stdout=subprocess.DEVNULL,
                check=False,
            )
        load_after = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    print(f"\nsave -> regenerated client on disk, {options.saves} saves per path")
    print(f"{'path':<6} {'median':>8} {'p90':>8} {'min':>8} {'max':>8}")
    for path in PATHS:
        median, p90, low, high = summary(samples[path])
        print(f"{path:<6} {median:>7.3f}s {p90:>7.3f}s {low:>7.3f}s {high:>7.3f}s")
    print(
        f"load average before: {' '.join(load_before)}  after: {' '.join(load_after)}  "
        f"({os.cpu_count()} CPUs)"
    )
    results = BENCH_DIR / "results"
    results.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    (results / f"regenerate_time-{stamp}.json").write_text(
        json.dumps(
            {
                "saves": options.saves,
                "samples": samples,
                "load_before": load_before,
                "load_after": load_after,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
