"""A throwaway PostgreSQL cluster for the template's tests: `initdb` in a temp folder, `pg_ctl` on a free port.

Debian's `postgresql` package puts its binaries under /usr/lib/postgresql/<version>/bin, off PATH; both are
searched. PostgreSQL refuses to run as root, so under root the cluster belongs to `nobody`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def postgres_bin() -> Path | None:
    """The folder holding `initdb` and `pg_ctl`, or None when PostgreSQL is not installed."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts[-3])
    return versions[-1].parent if versions else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_postgres(bin_dir: Path) -> Iterator[str]:
    """Start a cluster with a superuser `postgres` (trust auth on 127.0.0.1); yield its URL; stop and remove it."""
    as_root = os.geteuid() == 0
    folder = Path(tempfile.mkdtemp(prefix="mizan-pg-"))
    data = folder / "data"
    port = _free_port()

    def run(*command: str) -> None:
        prefix = ["runuser", "-u", "nobody", "--"] if as_root else []
        result = subprocess.run(
            [*prefix, *command], cwd=folder, capture_output=True, text=True, check=False, timeout=120
        )
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")

    if as_root:
        shutil.chown(folder, "nobody")
    try:
        run(
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        options = f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off -c full_page_writes=off"
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start")
        try:
            yield f"postgres://postgres@127.0.0.1:{port}/postgres"
        finally:
            run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
