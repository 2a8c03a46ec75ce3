"""`mizan-dev generate`: the project's mizan-generate, once, as a CI check, or on every backend change."""

from __future__ import annotations

import sys
import time
from contextlib import closing
from pathlib import Path
from typing import TextIO

import watchfiles

from .._errors import MizanDevError
from .._project import Project, find_project
from .result import Generation, report
from .warm import WarmGenerator

__all__ = ["generate", "generate_once"]

CONFIG = "mizan.config.mjs"
DEBOUNCE_MS = 1600  # the longest a burst of saves is grouped; a lone save is picked up after STEP_MS
STEP_MS = 50
WAKE_MS = (
    500  # how long the watcher waits in Rust before a (skipped) empty yield; the first one ends the set-up
)


def generate(
    *,
    project_dir: Path | None = None,
    watch: bool = False,
    check: bool = False,
    warm: bool = True,
    output: TextIO | None = None,
) -> int:
    """Regenerate `frontend/src/api/` from the backend; with `watch`, keep doing it on every `.py` change.

    `watch` keeps mizan-generate and the libraries of the schema command loaded between saves; `warm=False`
    runs the one-shot command on every save instead (the baseline of bench/regenerate_time.py).
    """
    out = output or sys.stdout
    if watch and check:
        raise MizanDevError("--watch and --check do not go together: --check is a one-off test for CI.")
    project = find_project(project_dir)
    if not watch:
        code = generate_once(project, check=check, output=out)
        if code == 0 and not check:
            out.write(
                "next: import the hooks from frontend/src/api; `mizan-dev up` regenerates on every save\n"
            )
        return code
    return _watch(project, out, warm=warm)


def generate_once(project: Project, *, check: bool = False, output: TextIO) -> int:
    """Run mizan-generate once and say how it went; returns its exit status."""
    command = [str(_generator(project)), "--config", CONFIG, *(["--check"] if check else [])]
    began = time.monotonic()
    result = project.run(command, capture=True)
    seconds = time.monotonic() - began
    if result.stdout:
        output.write(result.stdout if result.stdout.endswith("\n") else result.stdout + "\n")
    ok = result.returncode == 0
    report(
        Generation(
            ok=ok, seconds=seconds, status=result.returncode, error="" if ok else result.stdout, check=check
        ),
        output,
    )
    return result.returncode


def _watch(project: Project, out: TextIO, *, warm: bool) -> int:
    backend = project.root / "backend"
    if not backend.is_dir():
        raise MizanDevError(
            f"{backend} does not exist; `generate --watch` watches the backend's .py files there."
        )
    saves = watchfiles.watch(
        backend,
        watch_filter=watchfiles.PythonFilter(),
        debounce=DEBOUNCE_MS,
        step=STEP_MS,
        rust_timeout=WAKE_MS,
        yield_on_timeout=True,
        raise_interrupt=False,
    )
    with closing(saves):
        # The first yield comes once the watcher is set up: a save from here on, even one made during the first
        # generation below, is seen.
        if next(saves, None) is None:
            return 0
        generator = WarmGenerator.start(project, _generator(project), CONFIG, out) if warm else None
        try:
            generator = _regenerate(project, generator, out)
            out.write(f"watching {backend.relative_to(project.root)}/**/*.py; Ctrl-C stops\n")
            out.flush()
            for changes in saves:
                if not changes:
                    continue  # a WAKE_MS timeout
                changed = sorted({Path(path).relative_to(project.root).as_posix() for _, path in changes})
                out.write(f"changed: {', '.join(changed)}\n")
                generator = _regenerate(project, generator, out)
        finally:
            if generator is not None:
                generator.close()
    return 0


def _regenerate(project: Project, warm: WarmGenerator | None, out: TextIO) -> WarmGenerator | None:
    """One regeneration on the warm path when it is up, else the one-shot command; returns the warm path to use
    next. A changed mizan.config.mjs or a warm process that died starts a new warm path."""
    if warm is not None and warm.stale_config:
        warm.close()
        warm = WarmGenerator.start(project, _generator(project), CONFIG, out)
    if warm is not None:
        if warm.generate(out) is not None:
            return warm
        warm.close()
        out.write("the warm generator stopped; this run is one-shot and the next one starts it again\n")
        generate_once(project, output=out)
        return WarmGenerator.start(project, _generator(project), CONFIG, out)
    generate_once(project, output=out)
    return None


def _generator(project: Project) -> Path:
    for name in ("mizan-generate", "mizan-generate.cmd"):
        candidate = project.node_bin / name
        if candidate.exists():
            return candidate
    raise MizanDevError(
        f"mizan-generate is not installed in {project.root} (no node_modules/.bin/mizan-generate). "
        f"Run `npm install` there, then `mizan-dev generate`."
    )
