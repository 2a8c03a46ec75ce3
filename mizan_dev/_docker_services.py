"""Services the machine lacks (Redis, PostgreSQL), run as containers of the local Docker Engine (`docker` SDK).

`up` and `test` supervise `python -m mizan_dev._docker_services IMAGE PORT CONTAINER_PORT -- COMMAND...` like
any process: it starts the container on 127.0.0.1:PORT, prints its log, and removes it when stopped (SIGTERM,
Ctrl-C) or when it exits. A container left by a mizan-dev that was killed outright is removed by the next start:
each carries the pid of its owner in a label.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from types import FrameType
from typing import Any

__all__ = ["DISABLE_VARIABLE", "POSTGRES_IMAGE", "REDIS_IMAGE", "docker_engine", "ensure_image"]

REDIS_IMAGE = "redis:7-bookworm"
POSTGRES_IMAGE = "postgres:17-bookworm"
OWNER_LABEL = "mizan-dev.owner-pid"
# Set to 0 to keep mizan-dev from using Docker at all (e.g. tests of the no-Redis path).
DISABLE_VARIABLE = "MIZAN_DEV_DOCKER"


def docker_engine(env: dict[str, str] | None = None) -> tuple[Any | None, str]:
    """The SDK's client when an engine answers, else None; and one line saying which engine, or why none."""
    env = dict(os.environ if env is None else env)
    if env.get(DISABLE_VARIABLE, "").lower() in ("0", "false", "no", "off"):
        return None, f"Docker not used ({DISABLE_VARIABLE}={env[DISABLE_VARIABLE]})"
    try:
        import docker  # type: ignore[import-untyped]
        import docker.errors  # type: ignore[import-untyped]
    except ImportError:
        return None, "the `docker` Python package is missing (pip install docker)"
    try:
        client = docker.from_env(environment=env, timeout=5)
        version = client.version()
    except docker.errors.DockerException as error:
        return None, f"no Docker engine answers ({_first_line(error)})"
    return client, f"Docker Engine {version.get('Version', '?')} (API {version.get('ApiVersion', '?')})"


def ensure_image(client: Any, image: str) -> str | None:
    """None when `image` is in the engine (pulled if need be); otherwise why not, in one line."""
    import docker.errors

    try:
        client.images.get(image)
        return None
    except docker.errors.ImageNotFound:
        pass
    try:
        client.images.pull(image)
    except docker.errors.DockerException as error:
        return f"{image} is not in the engine and could not be pulled ({_first_line(error)})"
    return None


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:200]


def remove_orphans(client: Any) -> None:
    """Remove the containers whose mizan-dev is gone (killed without a chance to clean up)."""
    for container in client.containers.list(all=True, filters={"label": OWNER_LABEL}):
        owner = int(container.labels.get(OWNER_LABEL, "0") or 0)
        if owner <= 0 or not _alive(owner):
            container.remove(force=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def serve(
    image: str,
    port: int,
    container_port: int,
    command: list[str],
    *,
    environment: dict[str, str] | None = None,
    volume: str | None = None,
) -> int:
    """Run `image` with `command`, published on 127.0.0.1:`port`, until stopped; its exit status.

    Without `volume` a stop removes the container at once (`remove --force`, one call): the service keeps no
    data, and a watchdog that stops this process allows it only seconds before SIGKILL. With `volume`
    ("NAME:/path", a named volume that outlives the container) the service first gets a short stop, so its data
    is written out cleanly. The engine removes the container too (`auto_remove`) should it exit by itself.
    """
    import docker.errors

    client, said = docker_engine()
    if client is None:
        print(said, file=sys.stderr)
        return 1
    remove_orphans(client)
    container = client.containers.run(
        image,
        command,
        detach=True,
        auto_remove=True,
        ports={f"{container_port}/tcp": ("127.0.0.1", port)},
        labels={OWNER_LABEL: str(os.getpid())},
        environment=environment or {},
        volumes=[volume] if volume else [],
    )
    stopping = threading.Event()

    def remove() -> None:
        if volume:
            with contextlib.suppress(docker.errors.DockerException):
                container.stop(timeout=3)
        with contextlib.suppress(docker.errors.DockerException):
            container.remove(force=True)

    def stop(signum: int, _frame: FrameType | None) -> None:
        if not stopping.is_set():
            stopping.set()
            remove()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    status = 1
    try:
        for chunk in container.logs(stream=True, follow=True):
            sys.stdout.buffer.write(chunk)
            sys.stdout.flush()
        with contextlib.suppress(docker.errors.DockerException):
            status = int(container.wait(timeout=30).get("StatusCode", 1))
    except docker.errors.DockerException:
        pass  # the container went while its log was read: a stop, or the engine removed it
    finally:
        remove()
    return 0 if stopping.is_set() else status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("image")
    parser.add_argument("port", type=int, help="the port of 127.0.0.1 to publish on")
    parser.add_argument("container_port", type=int, help="the service's port inside the container")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="the container's")
    parser.add_argument("--volume", metavar="NAME:PATH", help="a named volume kept between runs")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the container's command")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    environment = dict(item.split("=", 1) for item in args.env)
    return serve(
        args.image, args.port, args.container_port, command, environment=environment, volume=args.volume
    )


if __name__ == "__main__":
    sys.exit(main())
