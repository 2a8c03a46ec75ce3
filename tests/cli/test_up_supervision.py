"""`mizan-dev up` as a process where the stack is at risk: input that ends, servers that give up, a closed
terminal, mizan-dev killed outright, a crashed web leaving its worker behind, two `up`s in one project, types
reported in the ready line, and a REDIS_URL that answers."""

from __future__ import annotations

import os
import pty
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from .conftest import app, has, make_project, mizan_dev
from .test_up import READY, _alive, _listening


def _fetch(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
        body: str = response.read().decode()
        return body


def _tree(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


def _gone_within(processes: list[psutil.Process], seconds: float) -> float:
    """Seconds until every process is gone; fails naming the ones still alive."""
    began = time.monotonic()
    while _alive(processes):
        if time.monotonic() - began > seconds:
            alive = [(p.pid, " ".join(p.cmdline())) for p in _alive(processes)]
            pytest.fail(f"still running after {seconds} s: {alive}")
        time.sleep(0.02)
    return time.monotonic() - began


@pytest.fixture
def vite_project(tmp_path: Path) -> Path:
    return make_project(
        tmp_path / "proj",
        {"web": app("http_app.py", "MIZAN_WEB_PORT"), "vite": app("tty_vite.py")},
    )


def test_children_read_dev_null_not_mizan_devs_stdin(start, vite_project: Path, no_redis_env) -> None:
    running = start("up", cwd=vite_project, env=no_redis_env)  # conftest's Running: stdin is inherited
    running.wait_for(READY)
    running.wait_for(r"vite +\| stdin is /dev/null \(a terminal: False\)")
    running.signal(signal.SIGINT)
    assert running.wait(timeout=10) == 130


def test_up_in_a_pty_whose_input_ends_keeps_vite_and_gets_ready(
    vite_project: Path, no_redis_env: dict[str, str]
) -> None:
    """The IDE-runner case: mizan-dev's stdin is a terminal, and that terminal's input ends (Ctrl-D)."""
    env = {**{k: v for k, v in os.environ.items() if k != "REDIS_URL"}, **no_redis_env, "NO_COLOR": "1"}
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        mizan_dev("up"),
        cwd=vite_project,
        env=env,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        start_new_session=True,
    )
    os.close(terminal)
    seen = b""
    try:
        deadline = time.monotonic() + 30
        while b"ready in" not in seen:
            assert time.monotonic() < deadline, seen.decode(errors="replace")
            seen += os.read(controller, 65536)
        os.write(controller, b"\x04")  # end of input, as a closed IDE runner or `script </dev/null` gives
        time.sleep(1.5)
        os.set_blocking(controller, False)
        try:
            seen += os.read(controller, 65536)
        except BlockingIOError:
            pass
        text = seen.decode(errors="replace")
        assert "stdin ended" not in text and "vite exited" not in text, text
        assert process.poll() is None, text
        vite_port = int(re.search(r"vite +\| listening on (\d+)", text).group(1))
        assert _fetch(vite_port) == "vite"
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 130
        os.close(controller)


@pytest.mark.skipif(not has("script"), reason="util-linux `script` is not installed")
def test_the_issues_reproduction_script_with_input_at_its_end(vite_project: Path, no_redis_env) -> None:
    """`script -qfec "mizan-dev up" /dev/null </dev/null`: the run reaches ready and stays up."""
    env = {**{k: v for k, v in os.environ.items() if k != "REDIS_URL"}, **no_redis_env, "NO_COLOR": "1"}
    command = shlex.join(mizan_dev("up"))
    process = subprocess.Popen(
        [str(shutil.which("script")), "-qfec", command, "/dev/null"],
        cwd=vite_project,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    assert process.stdout is not None
    os.set_blocking(process.stdout.fileno(), False)
    seen = b""
    try:
        deadline = time.monotonic() + 30
        while b"ready in" not in seen:
            assert time.monotonic() < deadline and process.poll() is None, seen.decode(errors="replace")
            seen += process.stdout.read() or b""
            time.sleep(0.05)
        time.sleep(1.0)
        seen += process.stdout.read() or b""
        assert b"vite exited" not in seen and b"stdin ended" not in seen, seen.decode(errors="replace")
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=15)
        process.stdout.close()


def test_a_server_that_exits_before_ready_fails_up_at_once(start, tmp_path: Path, no_redis_env) -> None:
    project = make_project(
        tmp_path / "proj", {"web": app("http_app.py", "MIZAN_WEB_PORT"), "vite": app("exits_at_once.py")}
    )
    began = time.monotonic()
    running = start("up", cwd=project, env=no_redis_env)
    assert running.wait(timeout=15) == 1
    assert time.monotonic() - began < 10
    running.wait_for(r"vite exited with code 0 before it was ready; stopping everything\.")
    running.wait_for(r"  vite \| cannot serve: the fixture says so")
    assert "ready in" not in running.output


@pytest.fixture
def escaping_stack(tmp_path: Path) -> Path:
    return make_project(
        tmp_path / "proj",
        {
            "web": app("http_app.py", "MIZAN_WEB_PORT"),
            "vite": app("http_app.py", "MIZAN_VITE_PORT"),
            "stray": app("escaping_app.py"),
        },
    )


def _ports_and_tree(running, project: Path) -> tuple[list[int], list[psutil.Process]]:
    web_port = int(running.wait_for(READY).group(2))
    vite_port = int(running.wait_for(r"vite +\| listening on (\d+)").group(1))
    running.wait_for(r"grandchild listening on")
    escapee_pid, escapee_port = map(int, (project / "escapee.txt").read_text().split())
    tree = _tree(running.process.pid) + [psutil.Process(escapee_pid)]
    return [web_port, vite_port, escapee_port], tree


def test_sighup_stops_everything_like_ctrl_c(start, escaping_stack: Path, no_redis_env) -> None:
    running = start("up", cwd=escaping_stack, env=no_redis_env)
    ports, tree = _ports_and_tree(running, escaping_stack)
    running.signal(signal.SIGHUP)
    assert running.wait(timeout=10) == 129
    assert _alive(tree) == []
    assert [port for port in ports if _listening(port)] == []


def test_kill_9_of_mizan_dev_takes_its_children_and_grandchildren_with_it(
    start, escaping_stack: Path, no_redis_env
) -> None:
    running = start("up", cwd=escaping_stack, env=no_redis_env)
    ports, tree = _ports_and_tree(running, escaping_stack)
    time.sleep(1.2)  # the watchdog notes descendants once a second
    stack = [p for p in tree if "watchdog" not in " ".join(p.cmdline())]
    assert len(stack) == len(tree) - 1
    running.process.kill()
    running.wait(timeout=5)
    _gone_within(stack, 10)
    assert [port for port in ports if _listening(port)] == []
    _gone_within(tree, 10)  # the watchdog too, once its work is done


def test_a_crashed_web_has_its_orphaned_worker_stopped_before_it_is_restarted(
    start, tmp_path: Path, no_redis_env
) -> None:
    project = make_project(
        tmp_path / "proj", {"web": app("reloader_app.py"), "codegen": app("ok_codegen.py")}
    )
    running = start("up", cwd=project, env=no_redis_env)
    web_port = int(running.wait_for(READY).group(2))
    reloader_pid, worker_pid = map(int, (project / "reloader.pid").read_text().split())
    assert _fetch(web_port) == f"worker {worker_pid}"
    worker = psutil.Process(worker_pid)
    (project / "reloader.pid").unlink()
    os.kill(reloader_pid, signal.SIGKILL)
    running.wait_for(
        r"web (was killed by SIGKILL|exited with code 137); stopping what it started, restarting in 0\.5 s "
        r"\(restart 1 of 5\)"
    )
    running.wait_for(r"web is back", timeout=20)
    assert _alive([worker]) == [], "the orphaned worker was stopped"
    _, new_worker = map(int, (project / "reloader.pid").read_text().split())
    assert new_worker != worker_pid and _fetch(web_port) == f"worker {new_worker}"
    running.signal(signal.SIGINT)
    assert running.wait(timeout=10) == 130


def test_a_second_up_in_the_project_exits_at_once_naming_the_first(
    start, escaping_stack: Path, no_redis_env
) -> None:
    first = start("up", cwd=escaping_stack, env=no_redis_env)
    web_port = int(first.wait_for(READY).group(2))
    began = time.monotonic()
    second = start("up", cwd=escaping_stack, env=no_redis_env)
    assert second.wait(timeout=10) == 1
    assert time.monotonic() - began < 5
    second.wait_for(
        rf"mizan-dev: `mizan-dev up` is already running in this project \(pid {first.process.pid}, serving "
        rf"http://127\.0\.0\.1:{web_port}/\)\. Use that one, or stop it"
    )
    assert _fetch(web_port).startswith("<h1>fixture"), "the first one is untouched"
    first.signal(signal.SIGINT)
    assert first.wait(timeout=10) == 130
    third = start("up", cwd=escaping_stack, env=no_redis_env)
    third.wait_for(READY)  # the lock went with the first
    third.signal(signal.SIGINT)
    assert third.wait(timeout=10) == 130


def test_a_killed_up_leaves_no_lock_behind(start, tmp_path: Path, no_redis_env) -> None:
    project = make_project(tmp_path / "proj", {"web": app("http_app.py", "MIZAN_WEB_PORT")})
    first = start("up", cwd=project, env=no_redis_env)
    first.wait_for(READY)
    first.process.kill()
    first.wait(timeout=5)
    second = start("up", cwd=project, env=no_redis_env)
    second.wait_for(READY)
    second.signal(signal.SIGINT)
    assert second.wait(timeout=10) == 130


@pytest.mark.parametrize(("errors", "said"), [(0, "types clean"), (2, "2 type errors")])
def test_the_ready_line_says_whether_types_are_clean(
    start, tmp_path: Path, no_redis_env, errors: int, said: str
) -> None:
    project = make_project(
        tmp_path / "proj",
        {"web": app("http_app.py", "MIZAN_WEB_PORT"), "types": app("fake_tsc.py", str(errors))},
    )
    running = start("up", cwd=project, env=no_redis_env)
    running.wait_for(READY + rf" \({said}; edit backend/")
    if errors:
        running.wait_for(r"types +\| frontend/src/App\.tsx\(3,5\): error TS2322")
    running.signal(signal.SIGINT)
    assert running.wait(timeout=10) == 130


@pytest.mark.skipif(not has("redis-server"), reason="redis-server is not installed")
def test_a_redis_url_that_answers_is_said_to(start, tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not _listening(port):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        project = make_project(tmp_path / "proj", {"web": app("http_app.py", "MIZAN_WEB_PORT")})
        url = f"redis://127.0.0.1:{port}/0"
        running = start("up", cwd=project, env={"REDIS_URL": url})
        running.wait_for(rf"Redis: using REDIS_URL from the environment \({url} answers PING\)$")
        running.wait_for(READY)
        running.signal(signal.SIGINT)
        assert running.wait(timeout=10) == 130
    finally:
        redis.terminate()
        redis.wait(timeout=10)
