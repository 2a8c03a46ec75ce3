"""The `mizan-dev` command line: argparse switches mapped to the keyword API, one error path for users."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.markup import escape

from . import __version__
from ._console import make_console
from ._errors import MizanDevError

__all__ = ["build_parser", "main"]

DESCRIPTION = """\
Scaffold, run, generate and test Mizan projects (Django + React, typed server functions).

  mizan-dev new myproj --defaults     render the template, install, migrate, generate
  cd myproj && mizan-dev up           run the whole stack; one URL printed when ready
  mizan-dev test                      backend, frontend and E2E tests, all real
  mizan-dev serve --workers 4         the built project as in production (DEBUG off), for a VM
  mizan-dev lint [--fix]              ruff and Biome, with the project's configs
"""


def build_parser() -> argparse.ArgumentParser:
    """The parser with every subcommand (exposed so the docs and tests can render `--help`)."""
    formatter = argparse.HelpFormatter  # subcommands: wrapped prose
    parser = argparse.ArgumentParser(
        prog="mizan-dev", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"mizan-dev {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    new = commands.add_parser(
        "new",
        help="create a project from the bundled template",
        description="Render the Mizan template into PATH (copier), then uv sync, npm install, migrate and "
        "generate, so `mizan-dev up` works at once.",
        formatter_class=formatter,
    )
    new.add_argument("path", type=Path, metavar="PATH", help="folder to create (must be empty or new)")
    new.add_argument("--defaults", action="store_true", help="answer every question with its default")
    new.add_argument(
        "--data", action="append", default=[], metavar="KEY=VALUE", help="answer a question (repeatable)"
    )
    new.add_argument("--no-install", action="store_true", help="only render; skip install, migrate, generate")
    new.add_argument("--force", action="store_true", help="render into a non-empty folder, overwriting files")

    update = commands.add_parser(
        "update",
        help="merge this mizan-dev's template into the project (copier update, offline)",
        description="Bring the project in the current folder to the template of this mizan-dev: Copier renders "
        "the template at the project's recorded commit and at the new one and merges the difference into your "
        "files, keeping your edits. Commit first; conflicts are left marked in the files and exit 1.",
        formatter_class=formatter,
    )
    update.add_argument(
        "--to", metavar="REF", help="a template tag or commit instead of this mizan-dev's own"
    )

    run = commands.add_parser(
        "up",
        help="run the whole stack (web, vite, codegen, redis)",
        description="Run the project's Procfile processes and Redis with readiness checks; print the app's "
        "URL once everything is ready. Ctrl-C stops every process.",
        formatter_class=formatter,
    )
    run.add_argument("--port", type=int, metavar="N", help="web port (default 8000; a busy one is avoided)")

    prod = commands.add_parser(
        "serve",
        help="run the built project as production does (N workers, Redis, SSR), for a VM",
        description="Run the output of `npm run build` as production does, without Docker: Django with "
        "DJANGO_DEBUG=false on N uvicorn workers (migrate and collectstatic first), Redis (redis-server, else a "
        "Docker container, as `up` does) so an invalidation from one worker reaches sockets of the others, and "
        "the SSR worker (`bun frontend/dist-ssr/ssr-worker.js`), restarted and stopped like `up`'s processes. "
        "Settings and secrets come from the environment, then .env. One line names the URL when ready.",
        formatter_class=formatter,
    )
    prod.add_argument(
        "--workers", type=int, default=2, metavar="N", help="uvicorn worker processes (default 2)"
    )
    prod.add_argument("--port", type=int, metavar="N", help="web port (default 8000; a busy one is avoided)")
    prod.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default 127.0.0.1; 0.0.0.0 behind a proxy elsewhere)",
    )

    test = commands.add_parser(
        "test",
        help="run backend, frontend and E2E tests",
        description="Backend pytest, frontend vitest and tsc --noEmit, then Playwright against the stack on "
        "free ports with a throwaway database. Arguments after `--` go to Playwright with --e2e, "
        "else to pytest.",
        formatter_class=formatter,
    )
    which = test.add_mutually_exclusive_group()
    which.add_argument("--unit", action="store_true", help="only backend and frontend unit tests")
    which.add_argument("--e2e", action="store_true", help="only the Playwright tests")
    test.add_argument("args", nargs=argparse.REMAINDER, metavar="-- ARGS", help="passed through")

    gen = commands.add_parser(
        "generate",
        help="regenerate the typed client in frontend/src/api",
        description="Run the project's mizan-generate (mizan.config.mjs).",
        formatter_class=formatter,
    )
    mode = gen.add_mutually_exclusive_group()
    mode.add_argument("--watch", action="store_true", help="regenerate on every backend .py change")
    mode.add_argument("--check", action="store_true", help="write nothing; exit 1 when the client is stale")

    lint = commands.add_parser(
        "lint",
        help="ruff check, ruff format --check and biome check on the project",
        description="Run the project's linters and formatters: ruff (backend, [tool.ruff] in pyproject.toml) and "
        "Biome (frontend and e2e, biome.json). Exit 1 when one fails; --fix lets them rewrite what they can.",
        formatter_class=formatter,
    )
    lint.add_argument(
        "--fix", action="store_true", help="apply fixes and formatting instead of only checking"
    )

    commands.add_parser(
        "doctor",
        help="check the tools and the project install",
        description="Check Python, uv, Node, npm, redis-server, Docker, Chromium and the project's install (and "
        "a postgres project's database); each missing one is shown with the command that fixes it.",
        formatter_class=formatter,
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `mizan-dev` script."""
    options = build_parser().parse_args(argv)
    try:
        return _dispatch(options)
    except MizanDevError as error:
        make_console(stderr=True).print(f"[bold red]mizan-dev:[/] {escape(str(error))}")
        return 1


def _dispatch(options: argparse.Namespace) -> int:
    # Each command imports what it needs, so `up` starts without loading Copier.
    command: str = options.command
    if command == "new":
        from .scaffolding.new import new_project, parse_data

        new_project(
            options.path,
            defaults=options.defaults,
            data=parse_data(options.data),
            install=not options.no_install,
            force=options.force,
        )
        return 0
    if command == "update":
        from .scaffolding.update import update_project

        return update_project(Path.cwd(), to=options.to)
    if command == "up":
        from ._up import up

        return up(port=options.port)
    if command == "serve":
        from ._serve import serve

        return serve(workers=options.workers, port=options.port, host=options.host)
    if command == "test":
        from ._run_tests import run_tests

        args = list(options.args)
        if args[:1] == ["--"]:
            args = args[1:]
        return run_tests(unit=not options.e2e, e2e=not options.unit, args=args)
    if command == "generate":
        from .codegen.generate import generate

        return generate(watch=options.watch, check=options.check)
    if command == "lint":
        from ._lint import lint

        return lint(fix=options.fix)
    if command == "doctor":
        return _print_doctor()
    raise AssertionError(f"unhandled command {command}")  # pragma: no cover


def _print_doctor() -> int:
    from ._doctor import doctor

    console = make_console()
    missing_required = 0
    for check in doctor():
        if check.ok:
            console.print(f"[green]ok[/]       {escape(check.name)}: {escape(check.found)}")
            continue
        label = "MISSING " if check.required else "optional"
        colour = "red" if check.required else "yellow"
        console.print(
            f"[{colour}]{label}[/] {escape(check.name)}: {escape(check.found)}; fix: {escape(check.fix)}"
        )
        missing_required += check.required
    if missing_required:
        console.print(
            f"{missing_required} required item(s) missing: run the fixes above, then `mizan-dev doctor` again"
        )
        return 1
    console.print("all set; next: `mizan-dev new myproj --defaults` or, in a project, `mizan-dev up`")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
