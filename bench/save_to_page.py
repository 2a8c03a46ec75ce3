"""The development loop timed from outside: a saved server function → its hook on disk → the open page showing it.

Under `mizan-dev up` on a generated project, with one page kept open in headless Chromium (never reloaded by
this script), each round:

1. appends a new global-context function `bench_probe_<n>` to `backend/example/clients.py` and times the save
   until `frontend/src/api/hooks.ts` has `useBenchProbe<n>` (codegen, including the hold until the reloaded web
   serves it: see mizan_dev/codegen/served.py);
2. then saves `frontend/src/pages/BenchProbe.tsx` rendering that hook and times until the open page shows the
   function's result (Vite's Fast Refresh and the hook's first fetch).

The first round also puts `<BenchProbe />` into App.tsx (not timed). Everything is restored at the end.

    python bench/save_to_page.py --project PATH [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIVE_PAGE = ROOT / "tests" / "cli" / "apps" / "live_page.mjs"
READY = re.compile(r"mizan +\| ready in [\d.]+ s: open (http://\S+)")
WAIT = 120.0

sys.path.insert(0, str(ROOT))
from mizan_dev._tools import find_chromium


class Lines:
    """A child's stdout, line by line, on a reader thread."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.seen.append(line)
            self.lines.put(line)

    def wait_for(self, pattern: re.Pattern[str], timeout: float = 300) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                sys.exit(f"not seen within {timeout} s: {pattern.pattern}\n" + "".join(self.seen[-40:]))
            found = pattern.search(line)
            if found:
                return found


def page_text(page: subprocess.Popen[str], replies: Lines) -> str:
    """The open page's visible text, asked of live_page.mjs."""
    assert page.stdin is not None
    page.stdin.write("text\n")
    page.stdin.flush()
    while True:
        try:
            message = json.loads(replies.lines.get(timeout=60))
        except queue.Empty:
            sys.exit("the browser did not answer within 60 s:\n" + "".join(replies.seen[-20:]))
        except ValueError:
            continue
        if message.get("reply") == "text":
            return str(message["text"])


def until(condition: Callable[[], bool], what: str) -> float:
    """Poll `condition` every 20 ms; the moment it held."""
    began = time.monotonic()
    while not condition():
        if time.monotonic() - began > WAIT:
            sys.exit(f"{what}: not within {WAIT} s")
        time.sleep(0.02)
    return time.monotonic()


def probe_function(n: int) -> str:
    return (
        f'\n\n@client(context="global")\ndef bench_probe_{n}(request: HttpRequest) -> str:\n'
        f'    """Added by bench/save_to_page.py."""\n    return "probe result {n}"\n'
    )


def probe_component(n: int) -> str:
    return (
        f'import {{ useBenchProbe{n} }} from "../api"\n\n'
        f"/** Added by bench/save_to_page.py. */\nexport function BenchProbe() {{\n"
        f"  return <p>{{useBenchProbe{n}()}}</p>\n}}\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    project: Path = options.project.resolve()
    clients = project / "backend" / "example" / "clients.py"
    app = project / "frontend" / "src" / "App.tsx"
    probe = project / "frontend" / "src" / "pages" / "BenchProbe.tsx"
    hooks = project / "frontend" / "src" / "api" / "hooks.ts"
    kept = {path: path.read_text() for path in (clients, app)}
    chromium = find_chromium(project)
    if chromium is None:
        sys.exit("no Chromium: apt-get install chromium")
    shutil.copy(LIVE_PAGE, project / "live_page.mjs")

    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "VIRTUAL_ENV")} | {"NO_COLOR": "1"}
    up = subprocess.Popen(
        [sys.executable, "-m", "mizan_dev", "up"], cwd=project, env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    page: subprocess.Popen[str] | None = None
    to_hook: list[float] = []
    to_page: list[float] = []
    try:
        output = Lines(up)
        url = output.wait_for(READY).group(1)
        probe.write_text(probe_component(0).replace("useBenchProbe0()", '"probe waiting"').replace(
            'import { useBenchProbe0 } from "../api"\n\n', ""))  # fmt: skip
        source = kept[app]
        app.write_text(
            source.replace('import { Header } from "./pages/Header"',
                           'import { BenchProbe } from "./pages/BenchProbe"\nimport { Header } from "./pages/Header"')
            .replace("</main>", "  <BenchProbe />\n      </main>")
        )  # fmt: skip
        page = subprocess.Popen(
            ["node", "live_page.mjs", url, chromium.path], cwd=project, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )  # fmt: skip
        replies = Lines(page)
        replies.wait_for(re.compile(r'"event": ?"ready"'), timeout=WAIT)
        until(lambda: "probe waiting" in page_text(page, replies), "the probe on the page")
        functions = ""
        for n in range(1, options.rounds + 1):
            time.sleep(2.0)  # let the previous round's reloads finish, as a developer's pause would
            functions += probe_function(n)
            saved = time.monotonic()
            clients.write_text(kept[clients] + functions)
            hook, result = f"useBenchProbe{n}(", f"probe result {n}"
            on_disk = until(lambda: hook in hooks.read_text(), f"{hook} in hooks.ts")  # noqa: B023 (called now)
            probe.write_text(probe_component(n))
            shown = until(lambda: result in page_text(page, replies), f"{result!r} on the page")  # noqa: B023
            to_hook.append(on_disk - saved)
            to_page.append(shown - on_disk)
            print(
                f"round {n}: save -> hook on disk {on_disk - saved:.2f} s, component saved -> page {shown - on_disk:.2f} s"
            )
    finally:
        for path, text in kept.items():
            path.write_text(text)
        probe.unlink(missing_ok=True)
        if page is not None and page.poll() is None:
            page.kill()
        up.send_signal(2)
        up.wait(timeout=60)
        (project / "live_page.mjs").unlink(missing_ok=True)
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for label, samples in (("save -> hook on disk", to_hook), ("component saved -> page shows it", to_page)):
        shown = ", ".join(f"{s:.2f}" for s in samples)
        print(f"{label:<34} median {statistics.median(samples):6.2f} s   ({shown})")
    totals = [a + b for a, b in zip(to_hook, to_page, strict=True)]
    print(f"{'save -> page (both steps)':<34} median {statistics.median(totals):6.2f} s")


if __name__ == "__main__":
    main()
