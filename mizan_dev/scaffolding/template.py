"""Where the bundled Copier template is: the repository checkout, or the copy inside an installed wheel."""

from __future__ import annotations

from pathlib import Path

from .._errors import MizanDevError

__all__ = ["template_root"]

_PACKAGE = Path(__file__).resolve().parents[1]  # mizan_dev/


def template_root() -> Path:
    """The folder holding copier.yml and template/ (the checkout's root, or `mizan_dev/_bundled`)."""
    for candidate in (_PACKAGE.parent, _PACKAGE / "_bundled"):
        if (candidate / "copier.yml").is_file() and (candidate / "template").is_dir():
            return candidate
    if _PACKAGE.parent.parent.name == "packages":
        # A project's own copy (packages/mizan-dev, its dev dependency) runs the project, not the template.
        raise MizanDevError(
            f"This mizan-dev is the project's own copy ({_PACKAGE.parent}), which does not carry the template "
            "that `new` and `update` need. Run them with mizan-dev installed as a tool (`uv tool install "
            "<path or URL of mizan-template>` or `pipx install ...`), outside `uv run` and an activated .venv "
            "(e.g. `~/.local/bin/mizan-dev update`)."
        )
    raise MizanDevError(
        "The Mizan template is missing from this installation (no copier.yml beside mizan_dev, none bundled). "
        "Reinstall mizan-dev from the repository: `uv tool install <path or URL of mizan-template>` (or "
        "`pipx install ...`; `pip install ...` inside a virtual environment)."
    )
