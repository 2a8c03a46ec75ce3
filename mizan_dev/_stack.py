"""The processes `up`, `test` and `serve` run (the Procfile's lines, or serve's, plus Redis and PostgreSQL, with
ports, environment and probes), and `run_stack`, the one way they run them."""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import sys
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TextIO
from urllib.parse import urlsplit, urlunsplit

from ._console import colour_enabled
from ._docker_services import REDIS_IMAGE, docker_engine, ensure_image
from ._errors import MizanDevError
from ._ports import free_port, port_is_free
from ._postgres import postgres_service
from ._project import Project
from .codegen.result import DONE
from .supervision import (
    HttpProbe,
    LineProbe,
    Probe,
    ProcessSpec,
    RedisProbe,
    StartedProbe,
    Supervisor,
    TcpProbe,
    TypeCheckProbe,
    become_subreaper,
    stop_on_signals,
)

__all__ = ["CODEGEN_DONE", "Stack", "build_stack", "redis_answers", "run_stack"]

# The line `mizan-dev generate --watch` ends each generation with; the codegen's readiness waits for the first.
CODEGEN_DONE = DONE
PREFERRED_WEB = 8000
PREFERRED_VITE = 5173
# Restarted even when they exit before their first readiness: a watcher whose first run failed may well work
# on the next; a server that cannot start fails the run at once instead.
RETRIED_BEFORE_READY = frozenset({"codegen"})
# The line the SSR worker (mizan-js/ssr's serveMizanSsr) prints once it accepts connections.
SSR_READY = "mizan-ssr: listening on"


@dataclass(frozen=True)
class Stack:
    """The specs to supervise and the app's URL."""

    specs: list[ProcessSpec]
    web_port: int
    vite_port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}/"


def build_stack(
    project: Project,
    *,
    say: Callable[[str], None],
    port: int | None = None,
    fresh_ports: bool = False,
    only: Collection[str] | None = None,
    redis: bool = True,
    database: bool = True,
    extra_env: dict[str, str] | None = None,
    processes: dict[str, str] | None = None,
    migrate: bool = False,
) -> Stack:
    """Choose the ports once, decide about Redis and the database (_postgres.py), and describe every process.

    `fresh_ports` picks random free ports (tests); otherwise 8000 and 5173 are preferred when free, so the URL
    stays the same from one day to the next. `only` limits the Procfile processes run (e.g. web and vite);
    `processes` replaces the Procfile (`serve`). `web` runs `manage.py migrate` first on a database mizan-dev
    made, and always with `migrate`.
    """
    processes = dict(project.processes() if processes is None else processes)
    if only is not None:
        processes = {name: cmd for name, cmd in processes.items() if name in only}
    if "web" not in processes:
        raise MizanDevError(
            f"{project.procfile} has no `web:` line; mizan-dev serves the app through it. Add: "
            "`web: python -m uvicorn config.asgi:application --app-dir backend --host 127.0.0.1 "
            "--port $MIZAN_WEB_PORT --reload --reload-dir backend`."
        )
    taken: list[int] = []
    web_port = _choose(port, PREFERRED_WEB, fresh_ports, taken, "web", say)
    vite_port = _choose(None, PREFERRED_VITE, fresh_ports, taken, "vite", say)
    env_extra = {"MIZAN_WEB_PORT": str(web_port), "MIZAN_VITE_PORT": str(vite_port), **(extra_env or {})}

    base_env = project.environment(env_extra)
    specs: list[ProcessSpec] = []
    redis_needed: tuple[str, ...] = ()
    if redis:
        redis_spec = _redis(project, base_env, taken, say)
        if redis_spec is not None:
            specs.append(redis_spec)
            env_extra["REDIS_URL"] = redis_spec.env["REDIS_URL"]
            redis_needed = ("redis",)
    database_spec = postgres_service(project, base_env, taken, say) if database else None
    if database_spec is not None:
        specs.append(database_spec)
        env_extra["DATABASE_URL"] = database_spec.env["DATABASE_URL"]
    if "ssr" in processes:
        ssr_address = _ssr_address(base_env, taken, say)
        if ssr_address is None:
            del processes["ssr"]
        env_extra["MIZAN_SSR_ADDRESS"] = ssr_address or ""
    env = project.environment(env_extra)
    for name, command in processes.items():
        specs.append(
            ProcessSpec(
                name=name,
                command=(
                    _migrated_first(project, command)
                    if name == "web" and (database_spec or migrate)
                    else command
                ),
                env=env,
                cwd=project.root,
                probe=_probe(name, web_port, vite_port),
                after=(*redis_needed, *(("postgres",) if database_spec else ())) if name == "web" else (),
                fatal_before_ready=name not in RETRIED_BEFORE_READY,
            )
        )
    return Stack(specs=specs, web_port=web_port, vite_port=vite_port)


def _migrated_first(project: Project, command: str) -> str:
    """`web`'s command after `manage.py migrate`: a database mizan-dev made may be new, or older than the code."""
    manage = project.root / "backend" / "manage.py"
    if not manage.is_file():
        return command
    return f"{shlex.quote(project.python())} {shlex.quote(str(manage))} migrate --noinput && {command}"


def _choose(
    requested: int | None,
    preferred: int,
    fresh: bool,
    taken: list[int],
    role: str,
    say: Callable[[str], None],
) -> int:
    if requested is not None:
        if not 0 < requested < 65536:
            raise MizanDevError(f"--port {requested} is not a TCP port; pass a number from 1 to 65535.")
        if port_is_free(requested):
            taken.append(requested)
            return requested
        chosen = free_port(avoid=taken)
        say(f"port {requested} is busy; {role} uses {chosen} instead (free it or pass another --port)")
    elif not fresh and preferred not in taken and port_is_free(preferred):
        chosen = preferred
    else:
        chosen = free_port(avoid=taken)
        if not fresh:
            say(f"port {preferred} is busy; {role} uses {chosen} instead")
    taken.append(chosen)
    return chosen


def _probe(name: str, web_port: int, vite_port: int) -> Probe:
    if name == "web":
        return HttpProbe(web_port, "/api/mizan/session/")
    if name == "vite":
        return TcpProbe(vite_port)
    if name == "codegen":
        return LineProbe(CODEGEN_DONE)
    if name == "types":
        return TypeCheckProbe()
    if name == "ssr":
        return LineProbe(SSR_READY)
    return StartedProbe()


def _ssr_address(env: dict[str, str], taken: list[int], say: Callable[[str], None]) -> str | None:
    """The SSR worker's address (a free port), or None when there is no Bun to run it (said, with the fix):
    Django then finds no worker address and the pages are rendered in the browser."""
    if shutil.which("bun", path=env.get("PATH")) is None:
        say(
            "SSR: Bun not found, so pages are rendered in the browser (run `npm install`: the project's "
            "package.json lists the npm package `bun`; or install it from https://bun.sh)"
        )
        return None
    port = free_port(avoid=taken)
    taken.append(port)
    return f"127.0.0.1:{port}"


def _redis(
    project: Project, env: dict[str, str], taken: list[int], say: Callable[[str], None]
) -> ProcessSpec | None:
    """A private redis-server when REDIS_URL is unset and one is installed; None otherwise (said either way)."""
    if env.get("REDIS_URL"):
        url = env["REDIS_URL"]
        source = "the environment" if os.environ.get("REDIS_URL") else ".env"
        problem = redis_answers(url)
        if problem is None:
            say(f"Redis: using REDIS_URL from {source} ({_shown(url)} answers PING)")
        else:
            say(
                f"Redis: using REDIS_URL from {source}, but {_shown(url)} answers nothing ({problem}); start "
                "that Redis, or unset REDIS_URL so `up` starts its own"
            )
        return None
    server = shutil.which("redis-server", path=env.get("PATH"))
    if server is None:
        return _redis_in_docker(project, env, taken, say)
    port = free_port(avoid=taken)
    taken.append(port)
    folder = project.state_dir / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    redis_env = {**env, "REDIS_URL": f"redis://127.0.0.1:{port}/0"}
    command = (
        f"exec {shlex.quote(server)} --port {port} --bind 127.0.0.1 --save '' --appendonly no --loglevel warning "
        f"--dir {shlex.quote(str(folder))}"
    )
    return ProcessSpec(name="redis", command=command, env=redis_env, cwd=project.root, probe=RedisProbe(port))


def _redis_in_docker(
    project: Project, env: dict[str, str], taken: list[int], say: Callable[[str], None]
) -> ProcessSpec | None:
    """Without redis-server: Redis as a container when a Docker engine answers; None (in-memory) otherwise."""
    client, engine = docker_engine(env)
    problem = engine if client is None else ensure_image(client, REDIS_IMAGE)
    if problem is not None:
        say(
            "Redis: redis-server not found; using the in-memory channel layer and cache "
            f"(install it for Redis: `apt-get install redis-server` or `brew install redis`; {problem})"
        )
        return None
    port = free_port(avoid=taken)
    taken.append(port)
    say(
        f"Redis: redis-server not found; running {REDIS_IMAGE} on {engine}, on 127.0.0.1:{port} (removed on exit)"
    )
    command = (
        f"exec {shlex.quote(sys.executable)} -m mizan_dev._docker_services {REDIS_IMAGE} {port} 6379 -- "
        "redis-server --save '' --appendonly no --loglevel warning"
    )
    redis_env = {**env, "REDIS_URL": f"redis://127.0.0.1:{port}/0"}
    return ProcessSpec(name="redis", command=command, env=redis_env, cwd=project.root, probe=RedisProbe(port))


def redis_answers(url: str, timeout: float = 1.0) -> str | None:
    """None when the Redis at `url` answers PING (even with an error such as NOAUTH: something is there);
    otherwise why not, in a few words."""
    parts = urlsplit(url)
    try:
        if parts.scheme == "unix":
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            conn.settimeout(timeout)
            conn.connect(parts.path)
        elif parts.scheme in ("redis", "rediss"):
            conn = socket.create_connection(
                (parts.hostname or "localhost", parts.port or 6379), timeout=timeout
            )
        else:
            return f"the scheme {parts.scheme or '(none)'}:// is not redis://, rediss:// or unix://"
        with conn:
            if parts.scheme == "rediss":
                return None  # TLS: the port accepts connections; the handshake is the app's business
            conn.sendall(b"PING\r\n")
            answer = conn.recv(64)
    except OSError as error:
        return error.strerror or str(error) or type(error).__name__
    if answer[:1] in (b"+", b"-"):
        return None
    return "no Redis reply to PING" if answer else "it closed the connection"


def _shown(url: str) -> str:
    """The URL without its password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username or ''}:***@{parts.hostname}{f':{parts.port}' if parts.port else ''}"
    return urlunsplit(parts._replace(netloc=netloc))


def run_stack(
    stack: Stack,
    *,
    output: TextIO,
    ready_line: Callable[[float, Sequence[str]], str],
    notes: Sequence[str] = (),
    on_ready: Callable[[], int] | None = None,
    rerun: str = "mizan-dev up",
) -> int:
    """Supervise the stack until a stop signal (or until `on_ready` returns); the exit status."""
    supervisor = Supervisor(
        stack.specs,
        output=output,
        colour=colour_enabled(output),
        ready_line=ready_line,
        on_ready=on_ready,
        rerun=rerun,
        reap_orphans=become_subreaper(),
    )
    for note in notes:
        supervisor.say(note)
    with stop_on_signals(supervisor.request_stop):
        code = supervisor.run()
    supervisor.say("stopped" if code in (129, 130, 143) else f"stopped (exit status {code})")
    return code
