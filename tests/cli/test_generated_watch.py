"""`mizan-dev generate --watch` on a real generated project: the warm path (mizan-generate --serve and the
schema zygote) sees every save, shows a syntax error, keeps going and recovers, and emits nothing stale."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .conftest import Running, has, run_mizan_dev

ROOT = Path(__file__).resolve().parents[2]
ONE_SHOT = "each save runs the one-shot mizan-generate"

pytestmark = [
    pytest.mark.project,
    pytest.mark.skipif(
        not (has("node") and has("npm")), reason="node and npm are needed to install a generated project"
    ),
    pytest.mark.skipif(
        not (ROOT / "copier.yml").is_file(), reason="the template (copier.yml) is not in this checkout"
    ),
]


@pytest.fixture(scope="session")
def watched_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project made by `mizan-dev new --defaults`: test_generated_project's when this session made one (this
    module runs after it), so the suite pays for one install; otherwise a new one."""
    for made in sorted(tmp_path_factory.getbasetemp().glob("generated*/demo")):
        if (made / "frontend" / "src" / "api" / "index.ts").is_file():
            return made
    target = tmp_path_factory.mktemp("watched") / "demo"
    result = run_mizan_dev("new", str(target), "--defaults", timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return target


@pytest.fixture
def clients(watched_project: Path) -> Iterator[Path]:
    """The example app's clients.py, restored after the test whatever it did."""
    path = watched_project / "backend" / "example" / "clients.py"
    original = path.read_text()
    yield path
    path.write_text(original)


def added(name: str) -> str:
    return f'\n\n@client\ndef {name}(request: HttpRequest) -> str:\n    """Added by a test."""\n    return "ok"\n'


def wait_until(condition: Callable[[], bool], running: Running, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert running.process.poll() is None, f"the watcher exited:\n{running.output}"
        assert time.monotonic() < deadline, f"not seen within {timeout} s; watcher output:\n{running.output}"
        time.sleep(0.05)


def api_text(project: Path) -> str:
    return "".join(path.read_text() for path in sorted((project / "frontend" / "src" / "api").glob("*.ts")))


def test_a_saved_client_function_becomes_a_hook_on_the_warm_path(
    start, watched_project: Path, clients: Path
) -> None:
    hooks = watched_project / "frontend" / "src" / "api" / "hooks.ts"
    running = start("generate", "--watch", cwd=watched_project)
    running.wait_for(r"^watching backend/\*\*/\*\.py", timeout=120)
    assert ONE_SHOT not in running.output, "the generated project can run the warm path"

    original = clients.read_text()
    clients.write_text(original + added("added_on_save"))
    wait_until(lambda: "export function useAddedOnSave()" in hooks.read_text(), running)

    clients.write_text(original + added("added_again"))  # a second save: the warm child reads the file anew
    wait_until(
        lambda: "useAddedAgain" in hooks.read_text() and "useAddedOnSave" not in hooks.read_text(), running
    )
    # The files are on disk a moment before the watcher says so.
    wait_until(lambda: running.output.count("client generated in") >= 3, running)


def test_a_syntax_error_is_shown_and_the_watcher_recovers(
    start, watched_project: Path, clients: Path
) -> None:
    running = start("generate", "--watch", cwd=watched_project)
    running.wait_for(r"^watching backend/", timeout=120)
    assert ONE_SHOT not in running.output
    before = api_text(watched_project)

    original = clients.read_text()
    clients.write_text(original + "\ndef broken(:\n")
    running.wait_for(r"^SyntaxError: invalid syntax", timeout=60)
    failed = running.wait_for(r"^generation failed \(exit status 1\)", timeout=60)
    assert failed and running.process.poll() is None, "a syntax error leaves the watcher running"
    assert 'File "' in running.output and "clients.py" in running.output, "the traceback names the file"
    assert "schema_zygote.py" not in running.output, "the zygote's own frames are not shown"
    assert api_text(watched_project) == before, "a failed run writes nothing"

    clients.write_text(original + added("fixed_after_error"))
    wait_until(lambda: "useFixedAfterError" in api_text(watched_project), running)


def test_an_upgraded_library_restarts_the_warm_python(start, watched_project: Path, clients: Path) -> None:
    """A preloaded module's file changing (a package upgrade) must not leave the zygote serving old code."""
    running = start("generate", "--watch", cwd=watched_project)
    running.wait_for(r"^watching backend/", timeout=120)
    pydantic_init = next((watched_project / ".venv").glob("lib/python*/site-packages/pydantic/__init__.py"))
    stat = pydantic_init.stat()
    os.utime(pydantic_init, (stat.st_atime, stat.st_mtime + 1))
    try:
        clients.write_text(clients.read_text() + added("after_upgrade"))
        wait_until(lambda: "useAfterUpgrade" in api_text(watched_project), running)
    finally:
        os.utime(pydantic_init, (stat.st_atime, stat.st_mtime))
    assert "a preloaded library changed on disk; restarting the warm Python" in running.output
    assert "warm generator stopped" not in running.output, "a stale zygote is replaced, not a failure"


def test_two_saves_in_one_second_of_the_same_size_are_both_seen(
    start, watched_project: Path, clients: Path
) -> None:
    """Python trusts a .pyc whose source has the same size and whole-second mtime: the second save must not
    be answered from the first one's bytecode."""
    writes_bytecode = {"PYTHONDONTWRITEBYTECODE": ""}  # as on a developer's machine: .pyc files are written
    running = start("generate", "--watch", cwd=watched_project, env=writes_bytecode)
    running.wait_for(r"^watching backend/", timeout=120)
    original = clients.read_text()
    clients.write_text(original + added("same_size_aa"))
    first = clients.stat()
    wait_until(lambda: "useSameSizeAa" in api_text(watched_project), running)

    clients.write_text(original + added("same_size_bb"))
    os.utime(clients, ns=(first.st_atime_ns, first.st_mtime_ns))  # as if saved within the same second
    assert clients.stat().st_size == first.st_size
    wait_until(lambda: "useSameSizeBb" in api_text(watched_project), running)
    assert "useSameSizeAa" not in api_text(watched_project)
