from __future__ import annotations

from pathlib import Path

import pytest

from config.env_file import SECRET_NAMES, render_env, write_env

EXAMPLE = "# a comment\nDJANGO_DEBUG=true\nDJANGO_SECRET_KEY=\nMIZAN_CACHE_SECRET=\nMIZAN_MWT_SECRET=\n"


def values(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#"))


def test_each_secret_gets_a_fresh_value_and_the_rest_is_kept() -> None:
    first, second = values(render_env(EXAMPLE)), values(render_env(EXAMPLE))

    assert first["DJANGO_DEBUG"] == "true"
    for name in SECRET_NAMES:
        assert len(first[name]) >= 50
        assert first[name] != second[name]
    assert len({first[name] for name in SECRET_NAMES}) == len(SECRET_NAMES)


def test_a_secret_already_set_is_kept() -> None:
    assert values(render_env("MIZAN_MWT_SECRET=mine\n"))["MIZAN_MWT_SECRET"] == "mine"


def test_write_env_never_replaces_an_existing_env_unless_forced(tmp_path: Path) -> None:
    (tmp_path / ".env.example").write_text(EXAMPLE)
    written = write_env(tmp_path)
    before = written.read_text()
    assert written.stat().st_mode & 0o777 == 0o600

    with pytest.raises(FileExistsError, match="--force"):
        write_env(tmp_path)
    assert written.read_text() == before

    write_env(tmp_path, force=True)
    assert written.read_text() != before


def test_write_env_needs_the_example(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"\.env\.example"):
        write_env(tmp_path)
