"""The README's install line, run as written: mizan-dev as a uv tool of its own, so a system Python that refuses
`pip install` (PEP 668) is never asked; the installed command then renders a project from the wheel's template."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from mizan_dev._tools import find_uv

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not (ROOT / "README.md").is_file(), reason="the README is not in this checkout")
def test_the_readmes_uv_tool_install_gives_a_working_mizan_dev(tmp_path: Path) -> None:
    line = re.search(r"^uv tool install \.(?=\s)", (ROOT / "README.md").read_text(), re.MULTILINE)
    assert line is not None, "the README's first install line is `uv tool install .`"
    uv = find_uv()
    assert uv is not None
    tools = tmp_path / "tools"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT"}},
        "UV_TOOL_DIR": str(tools),
        "UV_TOOL_BIN_DIR": str(tools / "bin"),
        "NO_COLOR": "1",
    }

    def run(*command: str, cwd: Path = tmp_path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
        )

    installed = run(uv, *line.group(0).split()[1:], cwd=ROOT)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    made = run(str(tools / "bin" / "mizan-dev"), "new", "demo", "--defaults", "--no-install")
    assert made.returncode == 0, made.stdout + made.stderr
    assert (tmp_path / "demo" / "packages" / "mizan-dev" / "mizan_dev" / "_cli.py").is_file()
    assert (tmp_path / "demo" / "Procfile").is_file()
