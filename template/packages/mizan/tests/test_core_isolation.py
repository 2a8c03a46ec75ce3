"""The core never imports Django: a second backend adapter must be possible without a rewrite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("module", ["mizan.core", "mizan"])
def test_importing_does_not_load_django(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "loaded = sorted(name for name in sys.modules if name == 'django' or name.startswith('django.'))\n"
        "print(loaded)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PACKAGE_DIR, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, f"{module} loaded Django modules: {result.stdout}{result.stderr}"


def test_core_sources_do_not_mention_django_imports() -> None:
    for source in (PACKAGE_DIR / "mizan" / "core").glob("*.py"):
        for line in source.read_text().splitlines():
            stripped = line.strip()
            assert not stripped.startswith(("import django", "from django")), f"{source.name}: {line}"
