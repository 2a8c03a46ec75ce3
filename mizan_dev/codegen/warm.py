"""The watcher's fast path: mizan-generate and the schema command kept warm between saves.

A cold regeneration starts node, which starts Python, which imports Django, pydantic and mizan before it can
print the manifest: most of the time of a save. Here `mizan-generate --serve` loads once and takes manifest
paths on stdin, and a schema zygote (`schema_zygote.py`, run by the project's interpreter) keeps those
libraries imported and forks a fresh child per save, so the project's own code is always read as it is now.

Only a schema command of the form `python SCRIPT.py ...` can be run warm; any other, a generator without
`--serve` (a project made before it existed) or a zygote that cannot start makes `start` return None and the
watcher runs the one-shot command instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TextIO

from .._project import Project
from .result import Generation, report
from .served import CallSurface, changed_calls, read_call_surface, wait_until_served

__all__ = ["WarmGenerator"]

ZYGOTE = Path(__file__).with_name("schema_zygote.py")
PYTHON_NAME = re.compile(r"python(\d+(\.\d+)?)?(\.exe)?$")


@dataclass(frozen=True)
class _Config:
    """The parts of mizan.config.mjs the warm path needs, as mizan-generate --serve loaded them."""

    file: Path
    schema_command: list[str]
    env: dict[str, str]
    out_dir: Path


class _LineProcess:
    """A child that answers one JSON line per request line; stderr goes to a file, read when it dies."""

    def __init__(self, command: list[str], *, cwd: Path, env: dict[str, str], stderr: Path) -> None:
        self.stderr_path = stderr
        with stderr.open("wb") as err:
            self.process = subprocess.Popen(
                command, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err
            )

    def read(self) -> dict[str, Any] | None:
        """The next answer, or None when the process ended (its stderr says why)."""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                answer = json.loads(line)
            except ValueError:
                continue  # something else printed (a console.log in the config): not an answer
            if isinstance(answer, dict):
                return answer
        return None

    def ask(self, request: str) -> dict[str, Any] | None:
        stdin: IO[bytes] | None = self.process.stdin
        assert stdin is not None
        try:
            stdin.write(request.encode() + b"\n")
            stdin.flush()
        except BrokenPipeError:
            return None
        return self.read()

    def said(self) -> str:
        try:
            return self.stderr_path.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            return ""

    def close(self) -> None:
        """Closing stdin ends both kinds of process; a stuck one is killed after 2 s."""
        if self.process.stdin is not None:
            try:
                self.process.stdin.close()
            except BrokenPipeError:
                pass
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


class WarmGenerator:
    """One warm mizan-generate and one schema zygote for a project, used for every save."""

    def __init__(
        self, project: Project, scratch: tempfile.TemporaryDirectory[str], node: _LineProcess
    ) -> None:
        self.project = project
        self._scratch = scratch
        self._node = node
        self._zygote: _LineProcess | None = None
        self.config = _Config(Path(), [], {}, Path())
        self._config_mtime = 0.0
        self._written: CallSurface | None = None  # the calls of the client last written

    @classmethod
    def start(cls, project: Project, generator: Path, config: str, output: TextIO) -> WarmGenerator | None:
        """Both warm processes, ready; None (with one line saying why) when the one-shot path must be used."""
        if not hasattr(os, "fork"):
            output.write(
                "each save runs the one-shot mizan-generate: this platform cannot fork a warm Python\n"
            )
            return None
        scratch = tempfile.TemporaryDirectory(prefix="mizan-generate-")
        folder = Path(scratch.name)
        node = _LineProcess(
            [str(generator), "--config", config, "--serve"],
            cwd=project.root,
            env=project.environment(),
            stderr=folder / "mizan-generate.stderr",
        )
        warm = cls(project, scratch, node)
        reason = warm._load_config()
        if reason is None:
            reason = warm._start_zygote()
        if reason is not None:
            warm.close()
            output.write(f"each save runs the one-shot mizan-generate: {reason}\n")
            return None
        return warm

    def _load_config(self) -> str | None:
        answer = self._node.read()
        if answer is None or "config" not in answer:
            said = self._node.said().splitlines()
            return f"`mizan-generate --serve` did not start ({said[-1] if said else 'no output'})"
        loaded = answer["config"]
        self.config = _Config(
            file=Path(loaded["file"]),
            schema_command=[str(part) for part in loaded["schemaCommand"]],
            env={str(k): str(v) for k, v in loaded["env"].items()},
            out_dir=Path(loaded["outDir"]),
        )
        self._config_mtime = _mtime(self.config.file)
        command = self.config.schema_command
        if len(command) < 2 or not PYTHON_NAME.match(Path(command[0]).name) or not command[1].endswith(".py"):
            return f"the schema command `{' '.join(command)}` is not `python SCRIPT.py ...`"
        return None

    def _environment(self) -> dict[str, str]:
        """What the schema command runs with: the project's environment plus the config's `env`."""
        return {**self.project.environment(), **self.config.env}

    def _start_zygote(self) -> str | None:
        env = self._environment()
        python = shutil.which(self.config.schema_command[0], path=env.get("PATH"))
        if python is None:
            return f"{self.config.schema_command[0]} is not on PATH"
        self._zygote = _LineProcess(
            [python, str(ZYGOTE)],
            cwd=self.config.file.parent,
            env=env,
            stderr=Path(self._scratch.name) / "zygote.stderr",
        )
        answer = self._zygote.read()
        if answer is None or not answer.get("ready"):
            said = self._zygote.said().splitlines()
            return f"the warm Python did not start ({said[-1] if said else 'no output'})"
        return None

    @property
    def stale_config(self) -> bool:
        """mizan.config.mjs changed since it was loaded: the caller starts a new WarmGenerator."""
        return _mtime(self.config.file) != self._config_mtime

    def generate(self, output: TextIO) -> int | None:
        """Regenerate once and say how it went; the exit status, or None when a warm process died."""
        began = time.monotonic()
        folder = Path(self._scratch.name)
        manifest, stderr = folder / "manifest.json", folder / "schema.stderr"
        request = json.dumps(
            {
                "argv": self.config.schema_command[1:],
                "env": self._environment(),
                "cwd": str(self.config.file.parent),
                "stdout": str(manifest),
                "stderr": str(stderr),
            }
        )
        answer = self._run_schema_command(request, output)
        if answer is None:
            return None
        said = stderr.read_text(encoding="utf-8", errors="replace") if stderr.exists() else ""
        status = int(answer["status"])
        shown = " ".join(self.config.schema_command)
        if status != 0:
            details = said.rstrip() or "(it printed nothing on stderr)"
            output.write(f"mizan-generate: the schema command `{shown}` failed (exit status {status}):\n")
            output.write(f"{details}\n")
            return _failed(status, began, details, output)
        if said.strip():
            output.write(said if said.endswith("\n") else said + "\n")
        surface = read_call_surface(manifest)
        self._hold_for_web(surface, output)
        result = self._node.ask(str(manifest))
        if result is None:
            return None
        if "error" in result:
            output.write(f"mizan-generate: {result['error']}\n")
            return _failed(1, began, str(result["error"]), output)
        if surface is not None:
            self._written = surface
        report(
            Generation(
                ok=True,
                seconds=time.monotonic() - began,
                changed=tuple(result["changed"]),
                unchanged=tuple(result["unchanged"]),
                out_dir=os.path.relpath(self.config.out_dir, self.project.root),
            ),
            output,
        )
        return 0

    def _hold_for_web(self, surface: CallSurface | None, output: TextIO) -> None:
        """Under `up`, wait (bounded) until the web serves the calls this client adds or changes: codegen.served."""
        port = os.environ.get("MIZAN_WEB_PORT", "")
        if surface is None or self._written is None or not port.isdigit():
            return
        changed = changed_calls(self._written, surface)
        if not changed:
            return
        shown = ", ".join(changed)
        served, seconds = wait_until_served(int(port), surface)
        if served:
            output.write(f"held the client {seconds:.2f} s, until web served {shown}\n")
        else:
            output.write(
                f"web did not serve {shown} within {seconds:.0f} s; writing the client anyway "
                "(is web running with --reload on backend/?)\n"
            )
        output.flush()

    def _run_schema_command(self, request: str, output: TextIO) -> dict[str, Any] | None:
        """The zygote's answer; a zygote whose libraries changed on disk is replaced first."""
        if self._zygote is None:
            return None
        answer = self._zygote.ask(request)
        if answer is not None and answer.get("stale"):
            output.write("a preloaded library changed on disk; restarting the warm Python\n")
            self._zygote.close()
            self._zygote = None
            if self._start_zygote() is not None or self._zygote is None:
                return None
            answer = self._zygote.ask(request)
        return answer

    def close(self) -> None:
        for process in (self._zygote, self._node):
            if process is not None:
                process.close()
        self._scratch.cleanup()


def _failed(status: int, began: float, error: str, output: TextIO) -> int:
    report(Generation(ok=False, seconds=time.monotonic() - began, status=status, error=error), output)
    return status


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
