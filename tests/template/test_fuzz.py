"""A generated project served by uvicorn, attacked: parallel mutations on SQLite, then schemathesis on its OpenAPI.

Run by `nox -s fuzz` (not by the template session): the project is rendered and installed with `uv sync`, its
OpenAPI document exported, and schemathesis generates requests for every operation for a bounded time. The pass
mark is no 5xx answer and no answer that breaks the document's response schemas; the request count comes from
the server's own access log.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from .rendering import render
from .test_generated_project import find_uv, mizan_dev_env, run

SECONDS_PER_RUN = int(os.environ.get("MIZAN_FUZZ_SECONDS", "40"))
CHECKS = "not_a_server_error,response_schema_conformance"
ACCESS_LINE = re.compile(r'"(GET|POST|HEAD|PUT|PATCH|DELETE|OPTIONS|TRACE) /api/mizan/\S* HTTP/1\.1" (\d{3})')


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def served(template_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, Path, Path]:
    """The project under uvicorn (DEBUG off, as in production): base URL, a user's token, the document, the log."""
    project = render(template_repo, tmp_path_factory.mktemp("fuzz") / "fuzzed")
    env = {
        **mizan_dev_env(project),
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP here: no redirect to HTTPS.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
    }
    code, output, _ = run([find_uv(), "sync", "--quiet"], project, env, timeout=600)
    assert code == 0, output
    python = str(project / ".venv" / "bin" / "python")
    manage = [python, "backend/manage.py"]
    code, output, _ = run([*manage, "migrate", "--verbosity", "0"], project, env, timeout=300)
    assert code == 0, output
    document = project / "openapi.json"
    code, output, _ = run([*manage, "export_mizan_schema", "--openapi", "--output", str(document)], project, env, 300)
    assert code == 0, output
    make_token = (
        "from django.contrib.auth import get_user_model; from mizan.tokens import issue_token; "
        "u = get_user_model().objects.create_user('fuzzer', password='fuzz-Orbit-7741'); "
        "print(issue_token(u, ttl=3600).token)"
    )
    code, output, _ = run([*manage, "shell", "-c", make_token], project, env, timeout=300)
    assert code == 0, output
    token = output.strip().splitlines()[-1]

    port = _free_port()
    log = project / "access.log"
    with log.open("w") as sink:
        server = subprocess.Popen(
            [python, "-m", "uvicorn", "config.asgi:application", "--app-dir", "backend", "--port", str(port)],
            cwd=project,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}/api/mizan"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/session/", timeout=1)
                break
            except httpx.TransportError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("uvicorn did not start:\n" + log.read_text())
                time.sleep(0.2)
        yield base, token, document, log
    finally:
        server.terminate()
        server.wait(10)


def _parallel(base: str, fn: str, bodies: list[dict[str, object]], token: str | None = None) -> list[httpx.Response]:
    import asyncio

    headers = {"Authorization": f"Bearer {token}"} if token else {}

    async def send() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=len(bodies))
        async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits, headers=headers) as http:
            return list(await asyncio.gather(*(http.post(f"/call/{fn}/", json=body) for body in bodies)))

    return asyncio.run(send())


def test_parallel_sign_ups_of_one_name_give_one_account(served: tuple[str, str, Path, Path]) -> None:
    """Runs before the fuzzing, whose own sign-ups count against the per-address rate."""
    base, _, _, _ = served
    answers = _parallel(base, "sign_up", [{"username": "twin", "password": "plum-Orbit-7741-lantern"}] * 10)
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200] + [422] * 9, [answer.text for answer in answers]
    assert all("taken" in answer.text for answer in answers if answer.status_code == 422)


def test_parallel_toggles_of_one_item_all_succeed(served: tuple[str, str, Path, Path]) -> None:
    base, token, _, _ = served
    [added] = _parallel(base, "add_todo", [{"list_id": 1, "title": "toggled twenty times"}], token)
    assert added.status_code == 200, added.text
    todo_id = added.json()["result"]["id"]
    answers = _parallel(base, "toggle_todo", [{"list_id": 1, "todo_id": todo_id}] * 20, token)
    assert [answer.status_code for answer in answers] == [200] * 20, [a.text for a in answers if a.status_code != 200]
    assert sorted(answer.json()["result"]["done"] for answer in answers) == [False] * 10 + [True] * 10


def _schemathesis(base: str, document: Path, *headers: str) -> tuple[int, str]:
    binary = shutil.which("st", path=str(Path(sys.executable).parent)) or shutil.which("st")
    if binary is None:
        pytest.fail("schemathesis is not installed in this environment: pip install schemathesis (nox -s fuzz does)")
    command = [
        binary,
        "run",
        str(document),
        "--url",
        base,
        "--checks",
        CHECKS,
        "--max-time",
        str(SECONDS_PER_RUN),
        "--seed",
        "1",
        "--no-color",
    ]
    for header in headers:
        command += ["--header", header]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=SECONDS_PER_RUN + 240, check=False, env={**os.environ, "NO_COLOR": "1"}
    )
    return done.returncode, done.stdout + done.stderr


def _requests_since(log: Path, offset: int) -> tuple[int, dict[str, int], int]:
    text = log.read_text(errors="replace")
    statuses: dict[str, int] = {}
    for _, status in ACCESS_LINE.findall(text[offset:]):
        statuses[status] = statuses.get(status, 0) + 1
    return sum(statuses.values()), statuses, len(text)


@pytest.mark.parametrize("who", ["anonymous", "logged in"])
def test_no_server_error_and_no_schema_violation(served: tuple[str, str, Path, Path], who: str) -> None:
    base, token, document, log = served
    _, _, offset = _requests_since(log, 0)
    headers = [f"Authorization: Bearer {token}"] if who == "logged in" else []
    code, output = _schemathesis(base, document, *headers)
    count, statuses, _ = _requests_since(log, offset)
    print(f"\n[fuzz] {who}: {count} requests in at most {SECONDS_PER_RUN} s; statuses {dict(sorted(statuses.items()))}")
    assert count > 0, output
    assert not any(status.startswith("5") for status in statuses), output
    assert code == 0, output
