"""Reads the examples out of a Markdown guide, so the tests run exactly what the reader sees.

Conventions (an HTML comment on the line right before a fenced block; comments are invisible when rendered):

- ```` ```python ```` after `<!-- file: todos/clients.py -->` is part of that file of the example project;
  several blocks for one file are joined in order. `<!-- file: other:shop/clients.py -->` puts the file in
  a second, separate project named `other` (for examples that must not share the first one's registry).
- ```` ```python ```` after `<!-- test -->` is a test step: it runs, in document order, against the project.
- ```` ```python ```` after `<!-- skip: why -->` is not run (an excerpt); every other Python block is an
  error, so no example can go untested by accident.
- ```` ```console ```` blocks hold commands after `$ ` with the expected output below each; they all run.
  `<!-- project: other -->` before one runs its commands in project `other`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Command", "Guide", "PythonStep", "read_guide"]

DEFAULT_PROJECT = "default"
_FENCE = re.compile(r"^```(\w*)\s*$")
_MARKER = re.compile(r"^<!--\s*(file|test|skip|project)\s*(?::\s*(.*?))?\s*-->\s*$")


@dataclass(frozen=True)
class Command:
    """A `$ command` line of a console block, with the output the guide shows for it."""

    line: int
    project: str
    command: str
    output: list[str]


@dataclass(frozen=True)
class PythonStep:
    """A `<!-- test -->` Python block."""

    line: int
    source: str


@dataclass
class Guide:
    """Everything runnable in one Markdown file."""

    path: Path
    files: dict[str, dict[str, str]] = field(default_factory=dict)
    steps: list[Command | PythonStep] = field(default_factory=list)
    unmarked: list[int] = field(default_factory=list)


def read_guide(path: Path) -> Guide:
    """Split `path` into project files, ordered steps, and the line numbers of unmarked Python blocks."""
    guide = Guide(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    marker: tuple[str, str] | None = None
    index = 0
    while index < len(lines):
        text = lines[index]
        found = _MARKER.match(text)
        fence = _FENCE.match(text)
        if found:
            marker = (found.group(1), found.group(2) or "")
        elif fence and fence.group(1):
            end = _closing_fence(lines, index, path)
            body = lines[index + 1 : end]
            _take_block(guide, fence.group(1), body, index + 1, marker)
            marker = None
            index = end
        elif text.strip():
            marker = None
        index += 1
    return guide


def _closing_fence(lines: list[str], start: int, path: Path) -> int:
    for end in range(start + 1, len(lines)):
        if lines[end].strip() == "```":
            return end
    raise ValueError(f"{path}:{start + 1}: the fenced block opened here is never closed")


def _take_block(
    guide: Guide, language: str, body: list[str], line: int, marker: tuple[str, str] | None
) -> None:
    kind, value = marker or ("", "")
    if language == "python":
        if kind == "file":
            project, _, name = value.rpartition(":")
            project = project or DEFAULT_PROJECT
            files = guide.files.setdefault(project, {})
            chunk = f"# {guide.path.name}, line {line + 1}\n" + "\n".join(body) + "\n"
            files[name] = files.get(name, "") + ("\n\n" if name in files else "") + chunk
        elif kind == "test":
            guide.steps.append(PythonStep(line + 1, "\n" * line + "\n".join(body) + "\n"))
        elif kind != "skip":
            guide.unmarked.append(line)
    elif language == "console" and kind != "skip":
        project = value if kind == "project" and value else DEFAULT_PROJECT
        guide.steps.extend(_commands(body, line + 1, project))


def _commands(body: list[str], first_line: int, project: str) -> list[Command]:
    commands: list[Command] = []
    for offset, text in enumerate(body):
        if text.startswith("$ "):
            commands.append(Command(first_line + offset, project, text[2:], []))
        elif commands and not commands[-1].output and commands[-1].command.endswith("\\"):
            # A command continued on the next line with a trailing backslash, as in a shell.
            last = commands[-1]
            commands[-1] = Command(
                last.line, last.project, last.command[:-1].rstrip() + " " + text.strip(), []
            )
        elif commands:
            commands[-1].output.append(text)
        elif text.strip():
            raise ValueError(f"line {first_line + offset}: console output before any `$ command`: {text!r}")
    return commands
