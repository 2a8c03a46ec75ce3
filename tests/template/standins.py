"""Stand-ins for the official base images, made here from a Debian bookworm root file system.

No image registry can be reached from the test machines, but Debian's, PyPI's and npm's can. So each image the
generated project's Dockerfile and compose file name (`python:3.11-slim-bookworm`, `node:20-bookworm-slim`,
`ghcr.io/astral-sh/uv:0.13`, `oven/bun:1-debian`, `redis:7-bookworm`, `postgres:17-bookworm`) is built locally
under that very tag, with the paths, commands and entrypoint behaviour the project relies on; the project's own
files stay unchanged.

A tag that already exists is kept: either it is a stand-in of the same recipe (the `mizan.standin` label holds
the recipe's hash) or a real official image, which is better still. The debootstrap root file system, the
uv wheel and the Bun package are cached under ~/.cache/mizan-template/, so only the first run on a machine pays for them.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import docker
import docker.errors

CACHE = Path.home() / ".cache" / "mizan-template"
MIRROR = "http://deb.debian.org/debian"
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
BASE_TAG = "mizan-standin/bookworm:base"
MINBASE_TAG = "mizan-standin/bookworm:minbase"
LABEL = "mizan.standin"
UV_SERIES = "0.13"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
NODE_MAJOR = "20"
BUN_MAJOR = "1"


class StandInError(RuntimeError):
    """A stand-in could not be made; the message says which step failed and shows its output."""


@dataclass(frozen=True)
class Recipe:
    """A Dockerfile built on the bookworm base, with extra files in its context."""

    tag: str
    dockerfile: str
    files: dict[str, Path | bytes] = field(default_factory=dict)
    parent: str = ""  # the base recipe's digest: a changed base rebuilds what stands on it

    def digest(self) -> str:
        hasher = hashlib.sha256((self.parent + self.dockerfile).encode())
        for name, source in sorted(self.files.items()):
            hasher.update(name.encode())
            hasher.update(source if isinstance(source, bytes) else str(source).encode())
        return hasher.hexdigest()[:16]


BASE = f"""FROM {MINBASE_TAG}
# The stand-ins' own: the test machine's registries are reached through its CA, so its bundle is inside, at a
# path of its own that Debian's ca-certificates (pulled in by some packages) does not regenerate.
COPY ca-certificates.crt /etc/ssl/host-ca-bundle.crt
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV LANG=C.UTF-8 SSL_CERT_FILE=/etc/ssl/host-ca-bundle.crt NODE_EXTRA_CA_CERTS=/etc/ssl/host-ca-bundle.crt \\
    UV_SYSTEM_CERTS=1 DEBIAN_FRONTEND=noninteractive
RUN apt-get update -qq
"""

PYTHON = f"""FROM {BASE_TAG}
RUN apt-get install -y -qq --no-install-recommends python3 python3-venv \\
    && for name in python python3 python3.11; do ln -s /usr/bin/python3.11 /usr/local/bin/$name; done
CMD ["python3"]
"""

NODE = f"""FROM {BASE_TAG}
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
    && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx && node --version && npm --version
CMD ["node"]
"""

# oven/bun's layout: bun in /usr/local/bin (bunx beside it), a `bun` user of uid 1000.
BUN = f"""FROM {BASE_TAG}
COPY bun /usr/local/bin/bun
RUN ln -s bun /usr/local/bin/bunx && useradd --create-home --uid 1000 bun && bun --version
CMD ["/usr/local/bin/bun"]
"""

# The official image's redis-server is built with protected mode off (a container is reached from others).
REDIS_SERVER = b"""#!/bin/sh
exec /usr/bin/redis-server "$@" --protected-mode no
"""

REDIS = f"""FROM {BASE_TAG}
RUN apt-get install -y -qq --no-install-recommends redis-server
COPY redis-server /usr/local/bin/redis-server
EXPOSE 6379
CMD ["redis-server"]
"""

# The part of the official entrypoint the project uses: the first start makes $PGDATA with POSTGRES_USER,
# POSTGRES_PASSWORD and POSTGRES_DB, password logins from other hosts, then PostgreSQL runs as `postgres`.
POSTGRES_ENTRYPOINT = b"""#!/bin/sh
set -eu
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
user="${POSTGRES_USER:-postgres}"
database="${POSTGRES_DB:-$user}"
if [ "${1:-}" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?the stand-in, like the official image, needs POSTGRES_PASSWORD}"
  mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA" && chmod 700 "$PGDATA"
  password_file="$(mktemp)" && printf '%s' "$POSTGRES_PASSWORD" > "$password_file" && chown postgres "$password_file"
  as_postgres initdb -D "$PGDATA" -U "$user" --pwfile="$password_file" --auth-local=trust \\
    --auth-host=scram-sha-256 >/dev/null
  rm -f "$password_file"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
  if [ "$database" != postgres ]; then
    as_postgres pg_ctl -D "$PGDATA" -w -o "-c listen_addresses=''" start >/dev/null
    as_postgres psql -q -U "$user" -d postgres -c "CREATE DATABASE \\"$database\\""
    as_postgres pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  fi
fi
if [ "${1:-}" = postgres ]; then
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$@"
fi
exec "$@"
"""

POSTGRES = f"""FROM {BASE_TAG}
RUN apt-get install -y -qq --no-install-recommends postgresql-common \\
    && sed -ri 's/#(create_main_cluster) .*$/\\1 = false/' /etc/postgresql-common/createcluster.conf \\
    && apt-get install -y -qq --no-install-recommends postgresql-15 \\
    && mkdir -p /var/run/postgresql && chown postgres:postgres /var/run/postgresql
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /var/lib/postgresql/data
ENTRYPOINT ["docker-entrypoint.sh"]
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
"""


def _node_files() -> dict[str, Path | bytes]:
    """This machine's Node (the image's major version) and its npm, placed as the official image has them."""
    node = shutil.which("node")
    if node is None:
        raise StandInError(f"node is not on PATH: the node:{NODE_MAJOR} stand-in copies this machine's Node")
    node_path = Path(node).resolve()
    version = subprocess.run([str(node_path), "--version"], capture_output=True, text=True, check=True).stdout
    if not version.startswith(f"v{NODE_MAJOR}."):
        raise StandInError(
            f"the node:{NODE_MAJOR} stand-in needs Node {NODE_MAJOR} on PATH, found {version.strip()}"
        )
    npm = node_path.parent.parent / "lib" / "node_modules" / "npm"
    if not (npm / "bin" / "npm-cli.js").is_file():
        raise StandInError(f"npm is not beside {node_path} (looked in {npm})")
    return {"node": node_path, "npm": npm}


def _bun_files() -> dict[str, Path | bytes]:
    """The Bun binary of npm's @oven/bun-linux-x64 (the package the `bun` npm package installs), cached."""
    packs = CACHE / "bun-pack"
    found = sorted(packs.glob(f"oven-bun-linux-x64-{BUN_MAJOR}.*.tgz"))
    if not found:
        packs.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            ["npm", "pack", "--silent", f"@oven/bun-linux-x64@{BUN_MAJOR}", "--pack-destination", str(packs)],
            capture_output=True,
            text=True,
            check=False,
        )
        found = sorted(packs.glob(f"oven-bun-linux-x64-{BUN_MAJOR}.*.tgz"))
        if result.returncode != 0 or not found:
            raise StandInError(f"could not fetch Bun {BUN_MAJOR} from npm:\n{result.stdout}{result.stderr}")
    with tarfile.open(found[-1]) as archive:
        member = archive.extractfile("package/bin/bun")
        if member is None:
            raise StandInError(f"{found[-1].name} has no package/bin/bun")
        return {"bun": member.read()}


def recipes() -> list[Recipe]:
    """Every stand-in of a Dockerfile build, in build order (the base first)."""
    base = Recipe(BASE_TAG, BASE, {"ca-certificates.crt": CA_BUNDLE})
    on_base = base.digest()
    return [
        base,
        Recipe("python:3.11-slim-bookworm", PYTHON, parent=on_base),
        Recipe(f"node:{NODE_MAJOR}-bookworm-slim", NODE, _node_files(), parent=on_base),
        Recipe(f"oven/bun:{BUN_MAJOR}-debian", BUN, _bun_files(), parent=on_base),
        Recipe("redis:7-bookworm", REDIS, {"redis-server": REDIS_SERVER}, parent=on_base),
        Recipe(
            "postgres:17-bookworm", POSTGRES, {"docker-entrypoint.sh": POSTGRES_ENTRYPOINT}, parent=on_base
        ),
    ]


def _kept(client: docker.DockerClient, tag: str, digest: str) -> bool:
    """True when `tag` exists as this recipe's stand-in or as a real image (no stand-in label)."""
    try:
        image = client.images.get(tag)
    except docker.errors.ImageNotFound:
        return False
    label = (image.labels or {}).get(LABEL)
    return label is None or label == digest


def build_image(
    client: docker.DockerClient, context: Path, tag: str, dockerfile: str = "Dockerfile", **options: object
) -> str:
    """`docker build --network host`, streamed; a failure raises with the failing step's output."""
    log: list[str] = []
    for chunk in client.api.build(
        path=str(context),
        dockerfile=dockerfile,
        tag=tag,
        network_mode="host",
        rm=True,
        forcerm=True,
        decode=True,
        **options,
    ):
        if "stream" in chunk:
            log.append(chunk["stream"])
        if "error" in chunk:
            raise StandInError(f"building {tag} failed:\n{failing_step(log)}{chunk['error']}")
    return "".join(log)


def failing_step(log: Iterable[str]) -> str:
    """The legacy builder's output from the last `Step N/M` line: the step that failed and what it printed."""
    text = ANSI.sub("", "".join(log))
    start = text.rfind("Step ")
    return text[start:] if start >= 0 else text


def _build_recipe(client: docker.DockerClient, recipe: Recipe) -> None:
    with tempfile.TemporaryDirectory(prefix="mizan-standin-") as folder:
        context = Path(folder)
        (context / "Dockerfile").write_text(recipe.dockerfile)
        for name, source in recipe.files.items():
            target = context / name
            if isinstance(source, bytes):
                target.write_bytes(source)
                target.chmod(0o755)  # scripts; the legacy builder has no COPY --chmod
            elif source.is_dir():
                shutil.copytree(source, target, symlinks=True)
            else:
                shutil.copy2(source, target)
        build_image(client, context, recipe.tag, labels={LABEL: recipe.digest()})


def _minbase_tarball() -> Path:
    """The debootstrap minbase of bookworm as a tarball, made once per machine."""
    tarball = CACHE / "bookworm-minbase.tar"
    if tarball.is_file():
        return tarball
    if shutil.which("debootstrap") is None:
        raise StandInError(
            "debootstrap is not installed: apt-get install debootstrap (it makes the base image)"
        )
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bookworm-", dir=CACHE) as folder:
        rootfs = Path(folder) / "rootfs"
        result = subprocess.run(
            ["debootstrap", "--variant=minbase", "bookworm", str(rootfs), MIRROR],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise StandInError(f"debootstrap failed:\n{result.stdout[-4000:]}{result.stderr[-4000:]}")
        for leftover in (rootfs / "var" / "cache" / "apt" / "archives").glob("*.deb"):
            leftover.unlink()
        partial = tarball.with_suffix(".partial")
        subprocess.run(["tar", "-C", str(rootfs), "-cf", str(partial), "."], check=True)
        partial.rename(tarball)
    return tarball


def _uv_binaries() -> dict[str, bytes]:
    """uv and uvx of the image's series, from the uv wheel on PyPI (cached)."""
    wheels = CACHE / "uv-wheel"
    found = sorted(wheels.glob(f"uv-{UV_SERIES}.*.whl"))
    if not found:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                "--platform",
                "manylinux_2_17_x86_64",
                f"uv=={UV_SERIES}.*",
                "--dest",
                str(wheels),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        found = sorted(wheels.glob(f"uv-{UV_SERIES}.*.whl"))
        if result.returncode != 0 or not found:
            raise StandInError(
                f"could not download the uv {UV_SERIES} wheel:\n{result.stdout}{result.stderr}"
            )
    with zipfile.ZipFile(found[-1]) as wheel:
        return {
            name: wheel.read(member)
            for member in wheel.namelist()
            for name in ("uv", "uvx")
            if member.endswith(f".data/scripts/{name}")
        }


def _import(client: docker.DockerClient, tag: str, tarball: bytes | Path, digest: str) -> None:
    """`docker import` of a root file system, labelled with its recipe."""
    repository, _, version = tag.rpartition(":")
    data = tarball.read_bytes() if isinstance(tarball, Path) else tarball
    answer = client.api.import_image_from_data(
        data, repository=repository, tag=version, changes=[f"LABEL {LABEL}={digest}"]
    )
    if "error" in str(answer):
        raise StandInError(f"docker import of {tag} failed: {answer}")


def _uv_image(client: docker.DockerClient, tag: str) -> bool:
    """ghcr.io/astral-sh/uv is `FROM scratch` with /uv and /uvx: the same, from the wheel's binaries."""
    binaries = _uv_binaries()
    digest = hashlib.sha256(b"".join(binaries[name] for name in sorted(binaries))).hexdigest()[:16]
    if _kept(client, tag, digest):
        return False
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, content in binaries.items():
            member = tarfile.TarInfo(name)
            member.size, member.mode = len(content), 0o755
            archive.addfile(member, io.BytesIO(content))
    _import(client, tag, buffer.getvalue(), digest)
    return True


def ensure_standins(client: docker.DockerClient) -> list[str]:
    """Make every stand-in missing from the engine; the tags that were built this time."""
    built: list[str] = []
    if not _kept(client, MINBASE_TAG, "debootstrap-minbase"):
        _import(client, MINBASE_TAG, _minbase_tarball(), "debootstrap-minbase")
        built.append(MINBASE_TAG)
    for recipe in recipes():
        if not _kept(client, recipe.tag, recipe.digest()):
            _build_recipe(client, recipe)
            built.append(recipe.tag)
    uv_tag = f"ghcr.io/astral-sh/uv:{UV_SERIES}"
    if _uv_image(client, uv_tag):
        built.append(uv_tag)
    return built


def describe(client: docker.DockerClient) -> str:
    """The stand-ins present, for a failure message."""
    rows = [
        {"tag": tag, "standin": (image.labels or {}).get(LABEL)}
        for image in client.images.list()
        for tag in image.tags
    ]
    return json.dumps(rows, indent=1)
