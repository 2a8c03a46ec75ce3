"""The template's git history, kept where Copier finds it again: what lets `mizan-dev update` work offline.

Copier updates a project by rendering the template at the commit the project was made from and at the new
one, then merging the difference into the project. Both commits must be reachable from the `_src_path` that
`.copier-answers.yml` records. mizan-dev records one path, the same on every machine and for every version:
`~/.cache/mizan-dev/template.bundle`, a git bundle of the template's history. Each mizan-dev adds its own
template commit to that bundle (from the bundle inside its wheel, or made from the checkout it runs from) and
never removes one, so a teammate's older mizan-dev cannot take away the commit a newer one made a project from.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .._errors import MizanDevError
from .template import template_root

__all__ = ["HISTORY", "TemplateSource", "bundle_head", "history_path", "template_source"]

#: Where the history lives, as recorded in every project's `.copier-answers.yml` (`~` expanded by Copier).
HISTORY = "~/.cache/mizan-dev/template.bundle"
#: The bundle inside a wheel, beside the template's files (see `_build_hook.py`).
WHEEL_BUNDLE = "template.bundle"


@dataclass(frozen=True)
class TemplateSource:
    """What to hand Copier: where the template is, and the commit to render (None: the folder as it is)."""

    src_path: str
    commit: str | None
    #: Why a project rendered from here cannot be updated, when it cannot.
    not_updatable: str | None = None


def history_path() -> Path:
    return Path(HISTORY).expanduser()


def template_source() -> TemplateSource:
    """This mizan-dev's template, as a commit in the shared history when there is one.

    A wheel carries its bundle. A checkout is bundled on the spot when `copier.yml` and `template/` are
    committed; with uncommitted template edits (normal while working on the template) the folder itself is
    rendered, and the project records no commit it could be updated from.
    """
    root = template_root()
    git = shutil.which("git")
    if git is None:
        return TemplateSource(str(root), None, "git is not installed, and updates are merged with git")
    bundled = root / WHEEL_BUNDLE
    if bundled.is_file():
        return TemplateSource(HISTORY, _add_to_history(bundled))
    if not (root / ".git").exists():
        return TemplateSource(
            str(root), None, "the template is not a git checkout and carries no history (reinstall mizan-dev)"
        )
    dirty = _git(git, root, "status", "--porcelain", "--", "copier.yml", "template").stdout.strip()
    if dirty:
        return TemplateSource(
            str(root), None, "the template has uncommitted changes, so there is no commit to update from"
        )
    with tempfile.TemporaryDirectory(prefix="mizan-dev-bundle-") as scratch:
        made = Path(scratch) / "template.bundle"
        created = _git(git, root, "bundle", "create", str(made), "HEAD", "--tags")
        if created.returncode != 0:
            raise MizanDevError(f"git could not bundle the template's history: {created.stderr.strip()}")
        return TemplateSource(HISTORY, _add_to_history(made))


def bundle_head(bundle: Path) -> str:
    """The commit a bundle's HEAD names (the commit its mizan-dev renders)."""
    git = _require_git()
    listed = _git(git, bundle.parent, "bundle", "list-heads", str(bundle))
    for line in listed.stdout.splitlines():
        sha, _, ref = line.partition(" ")
        if ref == "HEAD":
            return sha
    raise MizanDevError(f"{bundle} is not a template history (no HEAD in it); reinstall mizan-dev.")


def _add_to_history(bundle: Path) -> str:
    """Merge `bundle` into the shared history (keeping what is there) and return the commit it brings."""
    git = _require_git()
    head = bundle_head(bundle)
    target = history_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        (target.parent / "template.lock").open("w") as lock,
        tempfile.TemporaryDirectory(prefix="mizan-dev-history-") as scratch,
    ):
        fcntl.flock(lock, fcntl.LOCK_EX)  # two `mizan-dev new` at once must not drop each other's commit
        repo = Path(scratch) / "history.git"
        _checked(git, Path(scratch), "init", "--quiet", "--bare", str(repo))
        if target.is_file() and _git(git, repo, "bundle", "verify", "--quiet", str(target)).returncode == 0:
            _checked(git, repo, "fetch", "--quiet", str(target), "+refs/*:refs/*")
        _checked(git, repo, "fetch", "--quiet", str(bundle), "+refs/tags/*:refs/tags/*")
        # One branch per commit a mizan-dev ever rendered, so none of them becomes unreachable.
        _checked(git, repo, "fetch", "--quiet", str(bundle), f"+HEAD:refs/heads/mizan-dev/{head[:12]}")
        _checked(git, repo, "symbolic-ref", "HEAD", f"refs/heads/mizan-dev/{head[:12]}")
        merged = target.with_name(f".template.bundle.{os.getpid()}")
        _checked(git, repo, "bundle", "create", "--quiet", str(merged), "--all")
        os.replace(merged, target)  # readers see the old bundle or the new one, never half of one
    return head


def _require_git() -> str:
    git = shutil.which("git")
    if git is None:
        raise MizanDevError("git is not installed; install it (`apt-get install git`, `brew install git`).")
    return git


def _git(git: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([git, *args], cwd=cwd, capture_output=True, text=True, check=False)


def _checked(git: str, cwd: Path, *args: str) -> None:
    result = _git(git, cwd, *args)
    if result.returncode != 0:
        raise MizanDevError(
            f"git {' '.join(args[:2])} failed on the template's history: {result.stderr.strip()}"
        )
