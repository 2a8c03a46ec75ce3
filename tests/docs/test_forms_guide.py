"""docs/forms.md, run: every example file imports, every command answers what the guide shows."""

from __future__ import annotations

import ast
from pathlib import Path
from types import CodeType

import pytest

# pytest has no public API for assertion rewriting; this gives exec'd guide blocks the usual assert details.
from _pytest.assertion.rewrite import rewrite_asserts
from console_steps import check_curl, check_manage
from django.test import Client
from markdown_examples import Command, PythonStep, read_guide

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "forms.md"
STEPS = read_guide(GUIDE).steps


def _step_id(step: Command | PythonStep) -> str:
    if isinstance(step, PythonStep):
        return f"line{step.line}-python"
    return f"line{step.line}-{step.command.split()[0]}"


def _compile_with_assert_details(source: str) -> CodeType:
    """Compile a guide block with pytest's assert rewriting, so a failing `assert a == b` shows a and b."""
    tree = ast.parse(source, filename=str(GUIDE))
    rewrite_asserts(tree, source.encode(), str(GUIDE))
    return compile(tree, str(GUIDE), "exec")


def test_every_python_block_is_marked() -> None:
    unmarked = read_guide(GUIDE).unmarked
    assert not unmarked, (
        f"{GUIDE.name}: the Python blocks at lines {unmarked} have no marker; put `<!-- file: app/module.py -->`, "
        "`<!-- test -->` or `<!-- skip: why -->` on the line before each"
    )


def test_guide_has_examples() -> None:
    assert len(STEPS) >= 4


@pytest.mark.parametrize("step", STEPS, ids=_step_id)
@pytest.mark.usefixtures("docs_db")
def test_example(step: Command | PythonStep, docs_projects: dict[str, Path]) -> None:
    if isinstance(step, PythonStep):
        exec(_compile_with_assert_details(step.source), {"__name__": f"guide_line_{step.line}"})  # noqa: S102
    elif step.command.startswith("curl "):
        check_curl(Client(enforce_csrf_checks=True), step.command, step.output)
    else:
        check_manage(docs_projects[step.project], step.command, step.output)
