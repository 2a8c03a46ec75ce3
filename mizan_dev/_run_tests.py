"""`mizan-dev test`: backend pytest, frontend vitest and tsc, then Playwright against a throwaway stack."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from ._postgres import postgres_service
from ._project import Project, find_project
from ._stack import Stack, build_stack, run_stack
from ._tools import Chromium, find_chromium, no_chromium_error, require
from .codegen.generate import generate_once

__all__ = ["run_tests"]

E2E_PROCESSES = frozenset({"web", "vite", "ssr"})


def run_tests(
    *,
    project_dir: Path | None = None,
    unit: bool = True,
    e2e: bool = True,
    args: Sequence[str] = (),
    output: TextIO | None = None,
) -> int:
    """Run the suites; `args` go to Playwright with `e2e` alone, else to the backend's pytest. 0 when all pass."""
    out = output or sys.stdout
    project = find_project(project_dir)
    chromium = find_chromium(project.root) if e2e else None
    if e2e and chromium is None:
        raise no_chromium_error()  # said before minutes of unit tests, not after
    results: dict[str, bool] = {}
    e2e_args = args if e2e and not unit else ()
    pytest_args = () if e2e_args else args
    if unit or e2e:
        results["generate the client"] = generate_once(project, output=out) == 0
    if unit:
        results.update(_unit(project, pytest_args, out))
    if chromium is not None:
        results["e2e (playwright)"] = _e2e(project, chromium, e2e_args, out) == 0
    out.write("\nsummary:\n")
    for name, passed in results.items():
        out.write(f"  {'passed' if passed else 'FAILED'}  {name}\n")
    failed = [name for name, passed in results.items() if not passed]
    if failed:
        out.write(
            f"{len(failed)} failed; fix them and rerun `mizan-dev test` (or one part: --unit / --e2e)\n"
        )
    else:
        out.write("all passed; next: `mizan-dev up` and keep building\n")
    out.flush()
    return 1 if failed else 0


def _unit(project: Project, pytest_args: Sequence[str], out: TextIO) -> dict[str, bool]:
    """The backend and frontend unit suites; the backend on the project's PostgreSQL when mizan-dev runs one
    (a postgres project without DATABASE_URL, _postgres.py), which lives as long as the suites."""
    npm = require("npm", "Node.js 20 or newer from https://nodejs.org/ (npm comes with it)")
    results: dict[str, bool] = {}

    def run_suites(db_env: dict[str, str]) -> int:
        results["backend (pytest)"] = _step(
            out, project, "backend (pytest)", [project.python(), "-m", "pytest", *pytest_args], db_env
        )
        results["frontend (vitest)"] = _step(
            out, project, "frontend (vitest)", [npm, "run", "test", "--workspace", "frontend"]
        )
        results["frontend (tsc --noEmit)"] = _step(
            out, project, "frontend (tsc --noEmit)", [npm, "run", "typecheck", "--workspace", "frontend"]
        )
        return 0

    notes: list[str] = []
    database = postgres_service(project, project.environment(), [], notes.append)
    out.writelines(f"{note}\n" for note in notes)
    if database is None:
        run_suites({})
        return results
    db_env = {"DATABASE_URL": database.env["DATABASE_URL"]}
    code = run_stack(
        Stack(specs=[database], web_port=0, vite_port=0),
        output=out,
        ready_line=lambda seconds, said: f"PostgreSQL ready in {seconds:.1f} s; running the unit suites",
        on_ready=lambda: run_suites(db_env),
        rerun="mizan-dev test --unit",
    )
    if not results:
        results["PostgreSQL for the backend suite"] = code == 0
    return results


def _step(
    out: TextIO, project: Project, label: str, command: list[str], extra_env: dict[str, str] | None = None
) -> bool:
    out.write(f"\n== {label}: {' '.join(command[-4:]) if len(command) > 4 else ' '.join(command)}\n")
    out.flush()
    began = time.monotonic()
    code = project.run(command, extra_env=extra_env or {}).returncode
    out.write(
        f"== {label}: {'passed' if code == 0 else f'FAILED (exit status {code})'} in {time.monotonic() - began:.1f} s\n"
    )
    out.flush()
    return code == 0


def _e2e(project: Project, chromium: Chromium, args: Sequence[str], out: TextIO) -> int:
    npm = require("npm", "Node.js 20 or newer from https://nodejs.org/ (npm comes with it)")
    began = time.monotonic()
    project.state_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="e2e-", dir=project.state_dir))
    try:
        database_url = f"sqlite:///{scratch / 'db.sqlite3'}"
        db_env = {"DATABASE_URL": database_url}
        if not _step(
            out,
            project,
            "e2e database (migrate)",
            [project.python(), "backend/manage.py", "migrate", "--noinput"],
            db_env,
        ):
            return 1
        out.write("\n== e2e (playwright): starting web and vite on free ports\n")
        out.flush()
        notes: list[str] = []
        stack = build_stack(
            project,
            say=notes.append,
            fresh_ports=True,
            only=E2E_PROCESSES,
            redis=False,
            database=False,
            extra_env=db_env,
        )
        e2e_env = {**db_env, "MIZAN_E2E_BASE_URL": stack.url, "MIZAN_CHROMIUM_PATH": chromium.path}

        def run_playwright() -> int:
            command = [npm, "run", "test", "--workspace", "e2e", *(["--", *args] if args else [])]
            return project.run(command, extra_env=e2e_env).returncode

        code = run_stack(
            stack,
            output=out,
            ready_line=lambda s, said: (
                f"stack ready in {s:.1f} s at {stack.url}; running Playwright ({chromium.source})"
            ),
            notes=notes,
            on_ready=run_playwright,
            rerun="mizan-dev test --e2e",
        )
        verdict = "passed" if code == 0 else f"FAILED (exit status {code})"
        out.write(f"== e2e (playwright): {verdict} in {time.monotonic() - began:.1f} s (stack included)\n")
        return code
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
