"""`mizan-dev up` and the Procfile's `ssr:` line: the worker gets a free address which web is given too, and its
readiness is its ready line; without Bun the line is left out, said with the fix, and web gets no address (the
pages are rendered in the browser)."""

from __future__ import annotations

import os
import signal
import stat
from pathlib import Path

from .conftest import app, make_project
from .test_up import READY, _listening


def _project(tmp_path: Path) -> Path:
    return make_project(
        tmp_path / "proj",
        {
            "web": app("http_app.py", "MIZAN_WEB_PORT"),
            "env": app("print_env.py", "MIZAN_SSR_ADDRESS"),
            "ssr": app("ssr_worker.py"),
        },
    )


def _path_with_bun(tmp_path: Path, no_redis_env: dict[str, str], bun: bool) -> dict[str, str]:
    """No Redis; no Bun but, when `bun`, a `bun` program of our own (up only looks for one)."""
    folder = tmp_path / "bin-bun"
    folder.mkdir()
    if bun:
        fake = folder / "bun"
        fake.write_text("#!/bin/sh\nexit 0\n")
        fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    path = [p for p in no_redis_env["PATH"].split(os.pathsep) if not (Path(p) / "bun").exists()]
    return {"PATH": os.pathsep.join([str(folder), *path])}


def test_the_ssr_worker_and_web_share_a_free_address(
    start, tmp_path: Path, no_redis_env: dict[str, str]
) -> None:
    running = start("up", cwd=_project(tmp_path), env=_path_with_bun(tmp_path, no_redis_env, bun=True))
    port = int(running.wait_for(r"env +\| MIZAN_SSR_ADDRESS=127\.0\.0\.1:(\d+)$").group(1))
    running.wait_for(rf"ssr +\| mizan-ssr: listening on 127\.0\.0\.1:{port} ")
    running.wait_for(READY)
    assert _listening(port)
    running.signal(signal.SIGINT)
    assert running.wait(timeout=10) == 130
    assert not _listening(port)


def test_without_bun_the_ssr_line_is_left_out_with_the_fix(
    start, tmp_path: Path, no_redis_env: dict[str, str]
) -> None:
    running = start("up", cwd=_project(tmp_path), env=_path_with_bun(tmp_path, no_redis_env, bun=False))
    running.wait_for(r"SSR: Bun not found, so pages are rendered in the browser \(run `npm install`")
    running.wait_for(r"env +\| MIZAN_SSR_ADDRESS=$")
    running.wait_for(READY)
    assert not any(" ssr " in line and "|" in line for line in running.lines), running.output
    running.signal(signal.SIGINT)
    assert running.wait(timeout=10) == 130
