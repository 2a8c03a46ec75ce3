"""`mizan-dev serve`: the built project as production runs it, for a VM without Docker.

Django with DEBUG off on N uvicorn workers, the SSR worker of the built bundle, and Redis (so an invalidation
published by one worker reaches the sockets held by the others), under the same supervisor as `up`.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from ._errors import MizanDevError
from ._project import Project, find_project
from ._stack import build_stack, run_stack

__all__ = ["SECRETS", "serve"]

# The secrets the settings refuse to start without outside DEBUG (config/settings.py).
SECRETS = ("DJANGO_SECRET_KEY", "MIZAN_CACHE_SECRET", "MIZAN_MWT_SECRET")
SSR_BUNDLE = Path("frontend") / "dist-ssr" / "ssr-worker.js"


def serve(
    *,
    project_dir: Path | None = None,
    workers: int = 2,
    port: int | None = None,
    host: str = "127.0.0.1",
    output: TextIO | None = None,
) -> int:
    """Run the production stack until Ctrl-C, SIGTERM or SIGHUP; returns the exit status."""
    out = output or sys.stdout
    if workers < 1:
        raise MizanDevError(f"--workers {workers}: pass 1 or more (one uvicorn worker process each)")
    project = find_project(project_dir)
    _require_build(project)
    production = {"DJANGO_DEBUG": "false"}
    env = project.environment(production)
    _require_secrets(env)
    notes: list[str] = []
    stack = build_stack(
        project,
        say=notes.append,
        port=port,
        extra_env=production,
        processes=_processes(project, workers, host),
        migrate=True,
    )
    shown = stack.url if host == "127.0.0.1" else f"http://{host}:{stack.web_port}/"
    if env.get("DJANGO_SECURE_SSL_REDIRECT", "true").lower() not in ("0", "false", "no", "off"):
        notes.append(
            "plain HTTP is redirected to HTTPS (DJANGO_SECURE_SSL_REDIRECT): put a TLS proxy in front and set "
            "DJANGO_SECURE_PROXY_SSL_HEADER, or set DJANGO_SECURE_SSL_REDIRECT=false to try it over HTTP"
        )
    notes.append(f"starting {', '.join(spec.name for spec in stack.specs)} in {project.root} (DEBUG off)")

    def ready_line(seconds: float, said: Sequence[str]) -> str:
        extra = "; ".join(
            [*said, f"{workers} web worker{'s' if workers != 1 else ''}", "Ctrl-C stops everything"]
        )
        return f"serving in {seconds:.1f} s: {shown} ({extra})"

    return run_stack(stack, output=out, ready_line=ready_line, notes=notes, rerun="mizan-dev serve")


def _require_build(project: Project) -> None:
    """The build `npm run build` makes: Vite's assets with their manifest, and the SSR worker's bundle."""
    dist = Path(project.environment().get("DJANGO_FRONTEND_DIST") or project.root / "frontend" / "dist")
    missing = [path for path in (dist / "manifest.json", project.root / SSR_BUNDLE) if not path.is_file()]
    if missing:
        raise MizanDevError(
            f"serve runs the built frontend, and {', '.join(str(path) for path in missing)} "
            f"{'is' if len(missing) == 1 else 'are'} missing: run `npm run build` in {project.root} (it writes "
            "frontend/dist with Vite's manifest and frontend/dist-ssr/ssr-worker.js), then `mizan-dev serve` again."
        )


def _require_secrets(env: dict[str, str]) -> None:
    missing = [name for name in SECRETS if not env.get(name)]
    if missing:
        raise MizanDevError(
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set, and serve runs with "
            "DJANGO_DEBUG=false, which needs them: set them in the environment (production) or in .env "
            "(`python backend/config/env_file.py` writes .env with fresh secrets)."
        )


def _processes(project: Project, workers: int, host: str) -> dict[str, str]:
    """web (collectstatic, then uvicorn's workers; migrate is put first by build_stack) and ssr."""
    python = shlex.quote(project.python())
    manage = shlex.quote(str(project.root / "backend" / "manage.py"))
    web = (
        f"{python} {manage} collectstatic --noinput --verbosity 0 && exec {python} -m uvicorn "
        f"config.asgi:application --app-dir backend --host {shlex.quote(host)} --port $MIZAN_WEB_PORT "
        f"--workers {workers} --proxy-headers"
    )
    return {"web": web, "ssr": f"exec bun {shlex.quote(str(SSR_BUNDLE))}"}
