"""The runnable guides (docs/server-functions.md, docs/forms.md): every example file imports, every command
answers what the guide shows."""

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

DOCS = Path(__file__).resolve().parents[2] / "docs"
# Each guide and the fewest runnable steps it must keep, so a guide cannot quietly lose its examples.
MIN_STEPS = {DOCS / "server-functions.md": 10, DOCS / "forms.md": 4}
STEPS = [(guide, step) for guide in MIN_STEPS for step in read_guide(guide).steps]


def _step_id(step: Command | PythonStep) -> str:
    if isinstance(step, PythonStep):
        return f"line{step.line}-python"
    return f"line{step.line}-{step.command.split()[0]}"


def _compile_with_assert_details(guide: Path, source: str) -> CodeType:
    """Compile a guide block with pytest's assert rewriting, so a failing `assert a == b` shows a and b."""
    tree = ast.parse(source, filename=str(guide))
    rewrite_asserts(tree, source.encode(), str(guide))
    return compile(tree, str(guide), "exec")


@pytest.mark.parametrize("guide", MIN_STEPS, ids=lambda guide: guide.name)
def test_every_python_block_is_marked(guide: Path) -> None:
    unmarked = read_guide(guide).unmarked
    assert not unmarked, (
        f"{guide.name}: the Python blocks at lines {unmarked} have no marker; put `<!-- file: app/module.py -->`, "
        "`<!-- test -->` or `<!-- skip: why -->` on the line before each"
    )


@pytest.mark.parametrize("guide", MIN_STEPS, ids=lambda guide: guide.name)
def test_guide_has_examples(guide: Path) -> None:
    assert len(read_guide(guide).steps) >= MIN_STEPS[guide]


@pytest.mark.parametrize(
    ("guide", "step"), STEPS, ids=[f"{guide.stem}-{_step_id(step)}" for guide, step in STEPS]
)
@pytest.mark.usefixtures("docs_db")
def test_example(guide: Path, step: Command | PythonStep, docs_projects: dict[str, Path]) -> None:
    if isinstance(step, PythonStep):
        source = _compile_with_assert_details(guide, step.source)
        exec(source, {"__name__": f"guide_{guide.stem.replace('-', '_')}_line_{step.line}"})  # noqa: S102
    elif step.command.startswith("curl "):
        check_curl(Client(enforce_csrf_checks=True), step.command, step.output)
    else:
        check_manage(docs_projects[step.project], step.command, step.output)
