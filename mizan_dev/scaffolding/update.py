"""`mizan-dev update`: `copier update` of a project to this mizan-dev's template, offline, with a clear end.

Copier does the work (old and new renders, a three-way merge, conflict markers). This module checks what
Copier would otherwise report late or not at all: the project is a clean git repository, its recorded template
commit can be found, and, after the merge, which files hold conflicts (Copier leaves them unmerged in git's
index and exits 0; this command exits 1 and names them).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path
from typing import TextIO

import copier
import yaml
from copier.errors import CopierError, DirtyLocalWarning

from .._errors import MizanDevError
from .template_history import HISTORY, history_path, template_source

__all__ = ["ANSWERS", "update_project"]

ANSWERS = ".copier-answers.yml"


def update_project(path: Path, *, to: str | None = None, output: TextIO | None = None) -> int:
    """Bring the project at `path` to this mizan-dev's template (or to the template ref `to`); 0 when clean."""
    out = output or sys.stdout
    project = path.resolve()
    answers = _read_answers(project)
    git = shutil.which("git")
    if git is None:
        raise MizanDevError(
            "git is not installed; `mizan-dev update` merges with git (`apt-get install git`)."
        )
    _require_clean_repository(git, project)
    origin = template_source()
    target = to or origin.commit
    if target is None:
        raise MizanDevError(f"this mizan-dev cannot update projects: {origin.not_updatable}.")
    old_source, old_commit = str(answers.get("_src_path") or ""), str(answers.get("_commit") or "")
    if not old_commit:
        raise MizanDevError(
            f"{ANSWERS} records no template commit (`_commit`), so there is no old version to merge from: the "
            "project was rendered from a template folder outside git (a mizan-dev wheel without its history). "
            "Make a new project with this mizan-dev's `new` and move your code into it."
        )
    _require_known_commit(git, old_source, old_commit)
    out.write(f"updating {project.name} from template {old_commit} to {target[:12]}\n")
    out.flush()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DirtyLocalWarning)
        try:
            # Copier renders both versions from the recorded source: the shared history (which now holds this
            # mizan-dev's commit too) or the checkout the project was copied from.
            copier.run_update(
                project,
                vcs_ref=target,
                defaults=True,  # keep every recorded answer; new questions take their defaults
                overwrite=True,
                unsafe=True,  # the template's tasks (they run on copy only)
                conflict="inline",
                quiet=True,
            )
        except (CopierError, ValueError) as error:
            raise MizanDevError(f"copier could not update the project: {error}") from None
    conflicted = _unmerged_files(git, project)
    if conflicted:
        listed = "\n".join(f"  {name}" for name in conflicted)
        out.write(
            f"conflicts in {len(conflicted)} file(s), marked <<<<<<< before updating / >>>>>>> after updating:\n"
            f"{listed}\nnext: edit them, `git add` each, review with `git diff --staged`, then commit\n"
        )
        out.flush()
        return 1
    out.write(
        "updated without conflicts; next: review with `git diff`, run `uv sync && npm install`, "
        "`mizan-dev test`, then commit\n"
    )
    out.flush()
    return 0


def _read_answers(project: Path) -> dict[str, object]:
    answers_file = project / ANSWERS
    if not answers_file.is_file():
        raise MizanDevError(
            f"{project} has no {ANSWERS}: run `mizan-dev update` in a project made by `mizan-dev new` or "
            "`copier copy`."
        )
    try:
        loaded = yaml.safe_load(answers_file.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise MizanDevError(f"{answers_file} is not valid YAML ({error}); restore it from git.") from None
    if not isinstance(loaded, dict):
        raise MizanDevError(f"{answers_file} is not a mapping of answers; restore it from git.")
    return loaded


def _require_clean_repository(git: str, project: Path) -> None:
    inside = _git(git, project, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        raise MizanDevError(
            f"{project} is not a git repository; updates are merged with git. Run `git init && git add -A && "
            "git commit -m 'Before update'` first."
        )
    dirty = _git(git, project, "status", "--porcelain").stdout.strip()
    if dirty:
        raise MizanDevError(
            "the project has uncommitted changes; commit or stash them first, so the update can be reviewed "
            "and undone:\n" + dirty
        )


def _require_known_commit(git: str, source: str, commit: str) -> None:
    """Fail early, naming the commit, when the recorded source cannot give the old template back."""
    where = Path(source).expanduser() if source else None
    if source == HISTORY:
        where = history_path()
    if where is None or not where.exists():
        raise MizanDevError(
            f"the template source recorded in {ANSWERS} ({source or 'none'}) is not on this machine; install "
            "the mizan-dev the project was made with, or the checkout it was copied from, and run again."
        )
    sha = commit.rsplit("-g", 1)[-1] if "-g" in commit else commit
    if where.is_file():
        found = _bundle_has(git, where, sha)
    else:
        found = _git(git, where, "rev-parse", "--verify", "--quiet", f"{sha}^{{commit}}").returncode == 0
    if not found:
        raise MizanDevError(
            f"the template commit {commit} recorded in {ANSWERS} is not in {source}: the project was probably "
            "rendered from uncommitted template changes, which Copier commits only in a temporary copy."
        )


def _bundle_has(git: str, bundle: Path, sha: str) -> bool:
    """Whether the bundle holds the commit (a bundle is only readable through a repository that fetched it)."""
    with tempfile.TemporaryDirectory(prefix="mizan-dev-check-") as scratch:
        _git(git, Path(scratch), "init", "--quiet", "--bare", ".")
        _git(git, Path(scratch), "fetch", "--quiet", str(bundle), "+refs/*:refs/*")
        return (
            _git(git, Path(scratch), "rev-parse", "--verify", "--quiet", f"{sha}^{{commit}}").returncode == 0
        )


def _unmerged_files(git: str, project: Path) -> list[str]:
    listed = _git(git, project, "diff", "--name-only", "--diff-filter=U").stdout
    return sorted({line for line in listed.splitlines() if line})


def _git(git: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([git, *args], cwd=cwd, capture_output=True, text=True, check=False)
