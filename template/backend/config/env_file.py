"""Writes the project's `.env` with fresh secrets, once: they belong to this checkout, never to git.

Run by the template right after `copier copy`, and by hand on a fresh clone:
`python backend/config/env_file.py`.
Standard library only, so it runs before the project's environment is installed.
"""

from __future__ import annotations

import argparse
import secrets
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SECRET_NAMES = ("DJANGO_SECRET_KEY", "MIZAN_CACHE_SECRET", "MIZAN_MWT_SECRET")


def render_env(example: str) -> str:
    """`.env.example`'s text with each secret's empty value replaced by a fresh random one."""
    lines = []
    for line in example.splitlines():
        name, sep, value = line.partition("=")
        if sep and name.strip() in SECRET_NAMES and not value.strip():
            line = f"{name.strip()}={secrets.token_urlsafe(50)}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def write_env(root: Path, *, force: bool = False) -> Path:
    """Write `root/.env` from `root/.env.example`; refuse to replace an existing `.env` unless `force`."""
    target = root / ".env"
    if target.exists() and not force:
        raise FileExistsError(f"{target} already exists; delete it or pass --force to replace its secrets.")
    example = root / ".env.example"
    if not example.is_file():
        raise FileNotFoundError(f"{example} is missing; it is the model .env is written from.")
    target.write_text(render_env(example.read_text(encoding="utf-8")), encoding="utf-8")
    target.chmod(0o600)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--force", action="store_true", help="replace an existing .env (and its secrets)")
    args = parser.parse_args(argv)
    try:
        target = write_env(PROJECT_ROOT, force=args.force)
    except FileExistsError as error:
        # Re-running must never rotate secrets by accident: an existing .env is kept.
        print(f"kept the existing .env ({error})", file=sys.stderr)
        return 0
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {target.name} with fresh secrets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
