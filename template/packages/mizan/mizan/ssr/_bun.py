"""Finding Bun: the project's own (the npm package `bun` puts it in node_modules/.bin), else one on PATH."""

from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["BUN_FIX", "find_bun"]

BUN_FIX = (
    "Run `npm install` in the project (its package.json lists the npm package `bun`, which puts Bun in "
    "node_modules/.bin/bun), or install Bun from https://bun.sh. Until then pages are rendered in the browser."
)


def find_bun(near: Path | None) -> str | None:
    """node_modules/.bin/bun in `near` or a folder above it, else `bun` on PATH, else None."""
    if near is not None:
        for folder in [near, *near.parents]:
            candidate = folder / "node_modules" / ".bin" / "bun"
            if candidate.is_file():
                return str(candidate)
    return shutil.which("bun")
