"""Hatch build hook: bundle copier.yml and template/ into the wheel, so an installed mizan-dev can scaffold.

From a git checkout it also adds `template.bundle`, the repository's history (HEAD and the release tags), which
`mizan-dev new` renders from and `mizan-dev update` merges with, offline (see scaffolding/template_history.py).

Hatch's force-include copies whole trees; this hook adds the files one by one instead, so node_modules, build
output, virtual environments and caches left in a working checkout never reach the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

BUNDLE = "mizan_dev/_bundled"
SKIPPED_DIRS = frozenset(
    {"node_modules", "dist", ".venv", "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".nox"}
)
SKIPPED_SUFFIXES = (".pyc", ".sqlite3", ".tsbuildinfo")


class BundleTemplateHook(BuildHookInterface):  # type: ignore[misc,type-arg,unused-ignore]
    """Adds the template to the wheel under `mizan_dev/_bundled/`."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return  # an editable install runs from the checkout, where the template already is
        root = Path(self.root)
        force_include: dict[str, str] = build_data.setdefault("force_include", {})
        copier_yml = root / "copier.yml"
        if copier_yml.is_file():
            force_include[str(copier_yml)] = f"{BUNDLE}/copier.yml"
        template = root / "template"
        # followlinks: template/packages/mizan-dev links to this package (a dev dependency of every project).
        for directory, subdirs, files in os.walk(template, followlinks=True):
            subdirs[:] = sorted(d for d in subdirs if d not in SKIPPED_DIRS)
            for name in files:
                if name.endswith(SKIPPED_SUFFIXES):
                    continue
                path = Path(directory) / name
                force_include[str(path)] = f"{BUNDLE}/{path.relative_to(root).as_posix()}"
        history = self._bundle_history(root)
        if history is not None:
            force_include[str(history)] = f"{BUNDLE}/template.bundle"

    def _bundle_history(self, root: Path) -> Path | None:
        """`git bundle` of HEAD and the tags, in the build folder; None outside a git checkout (an sdist)."""
        git = shutil.which("git")
        if git is None or not (root / ".git").exists():
            return None
        dirty = subprocess.run(
            [git, "status", "--porcelain", "--", "copier.yml", "template"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        if dirty.strip():
            # New projects render the bundle's HEAD, which would lack these edits: ship the files alone, and
            # projects made from this wheel say they cannot be updated.
            self.app.display_warning(
                "template has uncommitted changes; the wheel carries no history:\n" + dirty
            )
            return None
        out = Path(self.directory) / "template.bundle"
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([git, "bundle", "create", "--quiet", str(out), "HEAD", "--tags"], cwd=root, check=True)
        return out
