"""`mizan-dev up` as a process, on fixture projects whose Procfile runs tiny Python servers."""

from __future__ import annotations

import os
import signal
import socket
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from .conftest import app, has, make_project, run_mizan_dev

READY = r"ready in (\d+\.\d) s: open http://127\.0\.0\.1:(\d+)/"


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _fetch(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
        body: str = response.read().decode()
        return body


def _alive(processes: list[psutil.Process]) -> list[psutil.Process]:
    alive = []
    for process in processes:
        try:
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                alive.append(process)
        except psutil.NoSuchProcess:
            pass
    return alive


@pytest.fixture
def stack_project(tmp_path: Path) -> Path:
    return make_project(
        tmp_path / "proj",
        {
            "web": app("http_app.py", "MIZAN_WEB_PORT"),
            "vite": app("http_app.py", "MIZAN_VITE_PORT"),
            "stray": app("escaping_app.py"),
            "codegen": app("ok_codegen.py"),
        },
    )


@pytest.mark.parametrize(("sig", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ready_line_page_and_clean_stop(
    start, stack_project: Path, no_redis_env: dict[str, str], sig: signal.Signals, status: int
) -> None:
    running = start("up", cwd=stack_project, env=no_redis_env)
    ready = running.wait_for(READY)
    web_port = int(ready.group(2))
    assert "fixture MIZAN_WEB_PORT" in _fetch(web_port)
    vite_port = int(running.wait_for(r"vite +\| listening on (\d+)").group(1))
    assert vite_port != web_port
    running.wait_for(r"grandchild listening on")
    escapee_pid, escapee_port = map(int, (stack_project / "escapee.txt").read_text().split())
    tree = psutil.Process(running.process.pid).children(recursive=True) + [psutil.Process(escapee_pid)]
    assert _listening(escapee_port)

    began = time.monotonic()
    running.signal(sig)
    assert running.wait(timeout=10) == status
    assert time.monotonic() - began < 5.0
    assert [p.cmdline() for p in _alive(tree)] == []
    for port in (web_port, vite_port, escapee_port):
        assert not _listening(port), f"port {port} still listening"
    assert "stopped" in running.output


def test_grandchild_escaped_the_process_group(
    start, stack_project: Path, no_redis_env: dict[str, str]
) -> None:
    """The fixture really does what the stop test relies on: a grandchild in another session holding the pipe."""
    running = start("up", cwd=stack_project, env=no_redis_env)
    running.wait_for(READY)
    running.wait_for(r"grandchild listening on")
    escapee_pid = int((stack_project / "escapee.txt").read_text().split()[0])
    stray_shell = next(
        p
        for p in psutil.Process(running.process.pid).children()
        if "escaping_app.py" in " ".join(p.cmdline())
    )
    assert os.getsid(escapee_pid) != os.getsid(stray_shell.pid)
    running.signal(signal.SIGINT)
    assert running.wait(timeout=10) == 130


def test_busy_port_is_avoided_and_said(start, stack_project: Path, no_redis_env: dict[str, str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        running = start("up", "--port", str(taken), cwd=stack_project, env=no_redis_env)
        running.wait_for(rf"port {taken} is busy; web uses (\d+) instead")
        web_port = int(running.wait_for(READY).group(2))
        assert web_port != taken
        assert "fixture MIZAN_WEB_PORT" in _fetch(web_port)
        running.signal(signal.SIGINT)
        assert running.wait(timeout=10) == 130


def test_requested_free_port_is_used(start, stack_project: Path, no_redis_env: dict[str, str]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        wanted = probe.getsockname()[1]
    running = start("up", "--port", str(wanted), cwd=stack_project, env=no_redis_env)
    assert int(running.wait_for(READY).group(2)) == wanted
    running.signal(signal.SIGINT)
    assert running.wait(timeout=10) == 130


def test_crashed_codegen_is_restarted(start, tmp_path: Path, no_redis_env: dict[str, str]) -> None:
    project = make_project(
        tmp_path / "proj", {"web": app("http_app.py", "MIZAN_WEB_PORT"), "codegen": app("flaky_codegen.py")}
    )
    running = start("up", cwd=project, env=no_redis_env)
    running.wait_for(r"codegen +\| codegen: boom, first run fails")
    running.wait_for(r"codegen exited with code 2; stopping what it started, restarting in [\d.]+ s")
    running.wait_for(READY)
    assert (project / "codegen-runs.txt").read_text() == "2"
    running.signal(signal.SIGINT)
    assert running.wait(timeout=10) == 130


def test_a_web_that_crashes_before_it_is_ready_fails_up_at_once_with_its_last_lines(
    start, tmp_path: Path, no_redis_env: dict[str, str]
) -> None:
    project = make_project(
        tmp_path / "proj",
        {"web": app("crashing_app.py"), "vite": app("http_app.py", "MIZAN_VITE_PORT")},
    )
    running = start("up", cwd=project, env=no_redis_env)
    assert running.wait(timeout=15) == 1
    running.wait_for(r"web exited with code 3 before it was ready; stopping everything\.")
    running.wait_for(r"Its last lines:")
    running.wait_for(r"web \| ImproperlyConfigured: fixture settings are broken")
    running.wait_for(r"Fix web, then run `mizan-dev up` again\.")
    running.wait_for(r"stopped \(exit status 1\)")
    assert "ready in" not in running.output


def test_outside_a_project_says_so(tmp_path: Path) -> None:
    result = run_mizan_dev("up", cwd=tmp_path)
    assert result.returncode == 1
    assert "is not inside a Mizan project" in result.stderr
    assert "mizan-dev new myproj" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_without_redis_server_the_in_memory_default_is_said(
    start, stack_project: Path, no_redis_env: dict[str, str]
) -> None:
    running = start("up", cwd=stack_project, env=no_redis_env)
    running.wait_for(r"Redis: redis-server not found; using the in-memory channel layer and cache")
    running.wait_for(READY)
    running.signal(signal.SIGINT)
    assert running.wait(timeout=10) == 130


def test_without_redis_server_nor_docker_engine_the_fallback_says_why(
    start, stack_project: Path, no_redis_env: dict[str, str], tmp_path: Path
) -> None:
    env = {**no_redis_env, "MIZAN_DEV_DOCKER": "1", "DOCKER_HOST": f"unix://{tmp_path}/no-engine.sock"}
    running = start("up", cwd=stack_project, env=env)
    running.wait_for(
        r"Redis: redis-server not found; using the in-memory channel layer and cache .*no Docker engine answers"
    )
    running.wait_for(READY)
    running.signal(signal.SIGINT)
    assert running.wait(timeout=10) == 130


def test_redis_url_from_the_environment_is_used(start, stack_project: Path) -> None:
    running = start("up", cwd=stack_project, env={"REDIS_URL": "redis://127.0.0.1:1/0"})
    running.wait_for(
        r"Redis: using REDIS_URL from the environment, but redis://127\.0\.0\.1:1/0 answers nothing "
        r"\(Connection refused\); start that Redis, or unset REDIS_URL so `up` starts its own$"
    )
    running.wait_for(READY)
    assert "redis-server" not in running.output
    running.signal(signal.SIGINT)
    assert running.wait(timeout=10) == 130


@pytest.mark.skipif(not has("redis-server"), reason="redis-server is not installed")
def test_private_redis_server_is_started_and_stopped(start, tmp_path: Path) -> None:
    project = make_project(
        tmp_path / "proj",
        {
            "web": app("http_app.py", "MIZAN_WEB_PORT"),
            "env": app("print_env.py", "REDIS_URL"),
        },
    )
    running = start("up", cwd=project)
    redis_port = int(running.wait_for(r"env +\| REDIS_URL=redis://127\.0\.0\.1:(\d+)/0").group(1))
    running.wait_for(READY)
    with socket.create_connection(("127.0.0.1", redis_port), timeout=2) as conn:
        conn.sendall(b"PING\r\n")
        assert conn.recv(16).startswith(b"+PONG")
        conn.sendall(b"CONFIG GET save\r\n")
        assert b"save\r\n$0\r\n" in conn.recv(256), "Redis runs without persistence"
    assert (project / ".mizan" / "redis").is_dir()
    running.signal(signal.SIGINT)
    assert running.wait(timeout=10) == 130
    assert not _listening(redis_port)


def test_procfile_without_web_is_refused_with_the_line_to_add(tmp_path: Path) -> None:
    project = make_project(tmp_path / "proj", {"worker": app("ok_codegen.py")})
    result = run_mizan_dev("up", cwd=project)
    assert result.returncode == 1
    assert "has no `web:` line" in result.stderr and "$MIZAN_WEB_PORT" in result.stderr


def test_port_out_of_range_is_refused(stack_project: Path) -> None:
    result = run_mizan_dev("up", "--port", "70000", cwd=stack_project)
    assert result.returncode == 1
    assert "--port 70000 is not a TCP port" in result.stderr


def test_processes_get_the_ports_and_the_project_first_on_path(
    start, tmp_path: Path, no_redis_env: dict[str, str]
) -> None:
    project = make_project(
        tmp_path / "proj",
        {
            "web": app("http_app.py", "MIZAN_WEB_PORT"),
            "env": app(
                "print_env.py",
                "MIZAN_WEB_PORT",
                "MIZAN_VITE_PORT",
                "PATH",
                "UV_PROJECT_ENVIRONMENT",
                "FROM_DOTENV",
            ),
        },
    )
    (project / ".env").write_text("FROM_DOTENV=yes\n")
    outer = {
        **no_redis_env,
        "UV_PROJECT_ENVIRONMENT": str(tmp_path / "outer-venv"),
        "VIRTUAL_ENV": str(tmp_path),
    }
    running = start("up", cwd=project, env=outer)
    web_port = int(running.wait_for(READY).group(2))
    assert int(running.wait_for(r"env +\| MIZAN_WEB_PORT=(\d+)").group(1)) == web_port
    vite_port = int(running.wait_for(r"env +\| MIZAN_VITE_PORT=(\d+)").group(1))
    assert vite_port != web_port
    path = running.wait_for(r"env +\| PATH=(.*)").group(1).split(os.pathsep)
    assert path[:2] == [str(project / ".venv" / "bin"), str(project / "node_modules" / ".bin")]
    running.wait_for(r"env +\| UV_PROJECT_ENVIRONMENT=$")
    running.wait_for(r"env +\| FROM_DOTENV=yes$")
    running.signal(signal.SIGINT)
    assert running.wait(timeout=10) == 130
