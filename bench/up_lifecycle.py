"""`mizan-dev up` on a generated project, timed from outside: start → ready line (cold and warm), and how long
after Ctrl-C, SIGHUP or kill -9 of mizan-dev the last process of the stack is gone.

Each round runs `up` four times: cold (Vite's dependency cache, the type checker's build info and the
backend's __pycache__ removed first) stopped with SIGINT; warm stopped with SIGHUP; warm ended by SIGKILL of
mizan-dev itself (its watchdog and the death signal must take the stack with it); and warm without the
Procfile's `types` line, the alternative: what waiting for the first type check costs the ready line. "Gone" means every process
seen below mizan-dev just before the signal (polled every 10 ms with psutil), the watchdog excluded.

    python bench/up_lifecycle.py --project PATH [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

READY = re.compile(r"mizan +\| ready in [\d.]+ s: open (http://\S+)")


class Up:
    def __init__(self, project: Path) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "VIRTUAL_ENV")}
        env["NO_COLOR"] = "1"
        self.began = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mizan_dev", "up"],
            cwd=project,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.ready_at: float | None = None
        self.lines: list[str] = []
        self._ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            if self.ready_at is None and READY.search(line):
                self.ready_at = time.monotonic()
                self._ready.set()

    def wait_ready(self, timeout: float = 300) -> float:
        deadline = time.monotonic() + timeout
        while not self._ready.wait(0.2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                said = [line for line in self.lines if " mizan " in line[:20]]
                sys.exit("no ready line; mizan-dev said:\n" + "".join(said[-30:] or self.lines[-40:]))
        assert self.ready_at is not None
        return self.ready_at - self.began

    def stack(self) -> list[psutil.Process]:
        tree = psutil.Process(self.process.pid).children(recursive=True)
        return [p for p in tree if "watchdog" not in " ".join(_cmdline(p))]

    def end(self, sig: signal.Signals) -> float:
        """Seconds from `sig` to the last process of the stack gone."""
        time.sleep(1.5)  # let the watchdog see the whole tree (it scans once a second)
        stack = self.stack()
        began = time.monotonic()
        self.process.send_signal(sig)
        while any(_running(p) for p in stack):
            if time.monotonic() - began > 60:
                sys.exit(f"still running 60 s after {sig.name}: {[p.pid for p in stack if _running(p)]}")
            time.sleep(0.01)
        took = time.monotonic() - began
        self.process.wait(timeout=30)
        # Before the next start, let the zombies go too: after kill -9 the stack's orphans belong to PID 1, which
        # in some containers reaps them only every second or so, and Vite refuses to start while the previous
        # Vite's lock names a pid that still exists (even as a zombie).
        deadline = time.monotonic() + 10
        while any(psutil.pid_exists(p.pid) for p in stack) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.process.stdout is not None
        self.process.stdout.close()
        return took


def _cmdline(process: psutil.Process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:
        return []


def _running(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _make_cold(project: Path) -> None:
    shutil.rmtree(project / "node_modules" / ".vite", ignore_errors=True)
    shutil.rmtree(project / "frontend" / "node_modules" / ".vite", ignore_errors=True)
    (project / ".mizan" / "types.tsbuildinfo").unlink(missing_ok=True)
    for cache in (project / "backend").rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)


def _show(label: str, samples: list[float]) -> None:
    shown = ", ".join(f"{s:.2f}" for s in samples)
    print(f"{label:<34} median {statistics.median(samples):6.2f} s   ({shown})")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    cold, warm, untyped, sigint, sighup, sigkill = [], [], [], [], [], []
    for _ in range(options.rounds):
        _make_cold(options.project)
        up = Up(options.project)
        cold.append(up.wait_ready())
        sigint.append(up.end(signal.SIGINT))
        up = Up(options.project)
        warm.append(up.wait_ready())
        sighup.append(up.end(signal.SIGHUP))
        up = Up(options.project)
        warm.append(up.wait_ready())
        sigkill.append(up.end(signal.SIGKILL))
        procfile = options.project / "Procfile"
        kept = procfile.read_text()
        procfile.write_text("".join(line for line in kept.splitlines(True) if not line.startswith("types:")))
        try:
            up = Up(options.project)
            untyped.append(up.wait_ready())
            up.end(signal.SIGINT)
        finally:
            procfile.write_text(kept)
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    _show("up -> ready line, cold", cold)
    _show("up -> ready line, warm", warm)
    _show("  the same without `types` (warm)", untyped)
    _show("Ctrl-C -> last process gone", sigint)
    _show("SIGHUP -> last process gone", sighup)
    _show("kill -9 of mizan-dev -> last gone", sigkill)


if __name__ == "__main__":
    main()
