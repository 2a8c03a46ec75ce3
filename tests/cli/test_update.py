"""`mizan-dev update` from one release of the template to the next, offline, for both ways a project is made.

The releases are built here: a clone of this checkout's last commit is tagged v90.0.0, a template file is
changed and the result tagged v90.1.0. mizan-dev runs from the clone (its own package first on the path), as a
user's installed mizan-dev of either version would, with a HOME of its own for the shared template history.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HISTORY = "~/.cache/mizan-dev/template.bundle"
ADDED = "\n[*.toml]\nindent_size = 4\n"  # what release v90.1.0 adds to the template's .editorconfig

pytestmark = [
    pytest.mark.skipif(
        shutil.which("git") is None, reason="git is needed to make and merge template releases"
    ),
    pytest.mark.skipif(not (ROOT / ".git").exists(), reason="the releases are cut from this git checkout"),
]


@dataclass
class Releases:
    checkout: Path
    env: dict[str, str]

    def use(self, tag: str) -> None:
        """Make the clone's mizan-dev (and its template) the one of release `tag`."""
        git(self.checkout, "checkout", "--quiet", tag)

    def mizan_dev(
        self, *args: str, cwd: Path, package: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        """mizan-dev of the checked-out release, or the one in `package` (an unpacked wheel)."""
        env = {**self.env, "PYTHONPATH": str(package or self.checkout)}
        return subprocess.run(
            [sys.executable, "-m", "mizan_dev", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            stdin=subprocess.DEVNULL,
        )

    def wheel(self, tag: str, into: Path) -> Path:
        """Build the wheel of release `tag` and unpack it into `into`: mizan-dev as a user installs it."""
        self.use(tag)
        built = subprocess.run(
            [sys.executable, "-m", "uv", "build", "--wheel", "--quiet", "--out-dir", str(into / "dist"), "."],
            cwd=self.checkout,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert built.returncode == 0, built.stderr
        (wheel,) = (into / "dist").glob("mizan_dev-*.whl")
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(into / "site")
        return into / "site"


IDENTITY = {
    "GIT_AUTHOR_NAME": "Tester",
    "GIT_AUTHOR_EMAIL": "tester@localhost",
    "GIT_COMMITTER_NAME": "Tester",
    "GIT_COMMITTER_EMAIL": "tester@localhost",
}


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, env={**os.environ, **IDENTITY}
    )
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout


@pytest.fixture
def releases(tmp_path: Path) -> Releases:
    checkout = tmp_path / "mizan-template"
    git(tmp_path, "clone", "--quiet", "--no-local", str(ROOT), str(checkout))
    env = {
        **os.environ,
        "HOME": str(tmp_path / "home"),
        "PYTHONPATH": str(checkout),
        **IDENTITY,
        "NO_COLOR": "1",
    }
    git(checkout, "tag", "v90.0.0")
    editorconfig = checkout / "template" / ".editorconfig"
    editorconfig.write_text(editorconfig.read_text() + ADDED)
    git(checkout, "commit", "--quiet", "-am", "Release 90.1: .editorconfig covers TOML")
    git(checkout, "tag", "v90.1.0")
    return Releases(checkout, env)


def answers(project: Path) -> dict[str, object]:
    loaded = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def commit_edit(project: Path, relative: str, change: str, *, replace: str | None = None) -> None:
    path = project / relative
    text = path.read_text()
    path.write_text(text.replace(replace, change) if replace else text + change)
    git(project, "commit", "--quiet", "-am", f"Edit {relative}")


USER_FUNCTION = '\n\n@client\ndef my_own(request: HttpRequest) -> str:\n    """Mine."""\n    return "mine"\n'


def test_a_project_made_by_new_is_updated_and_keeps_its_edits(releases: Releases, tmp_path: Path) -> None:
    releases.use("v90.0.0")
    project = tmp_path / "shop"
    made = releases.mizan_dev("new", str(project), "--defaults", "--no-install", cwd=tmp_path)
    assert made.returncode == 0, made.stdout + made.stderr
    assert "cannot update" not in made.stdout
    assert answers(project)["_src_path"] == HISTORY
    assert answers(project)["_commit"] == "v90.0.0"
    commit_edit(project, "backend/example/clients.py", USER_FUNCTION)

    releases.use("v90.1.0")
    updated = releases.mizan_dev("update", cwd=project)
    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert "updated without conflicts" in updated.stdout
    assert (project / ".editorconfig").read_text().endswith(ADDED), "the release's change arrived"
    assert (project / "backend" / "example" / "clients.py").read_text().endswith(USER_FUNCTION), (
        "the edit is kept"
    )
    assert answers(project)["_commit"] == "v90.1.0"


def test_a_project_made_from_the_wheel_of_one_release_is_updated_by_the_next(
    releases: Releases, tmp_path: Path
) -> None:
    old, new = releases.wheel("v90.0.0", tmp_path / "old"), releases.wheel("v90.1.0", tmp_path / "new")
    assert (old / "mizan_dev" / "_bundled" / "template.bundle").is_file(), "the wheel carries the history"
    releases.use(
        "v90.0.0"
    )  # nothing of the checkout is used below: each mizan-dev renders from its own wheel
    project = tmp_path / "shop"
    made = releases.mizan_dev("new", str(project), "--defaults", "--no-install", cwd=tmp_path, package=old)
    assert made.returncode == 0, made.stdout + made.stderr
    assert answers(project)["_commit"] == "v90.0.0"
    commit_edit(project, "backend/example/clients.py", USER_FUNCTION)
    shutil.rmtree(releases.checkout)

    updated = releases.mizan_dev("update", cwd=project, package=new)
    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert (project / ".editorconfig").read_text().endswith(ADDED)
    assert (project / "backend" / "example" / "clients.py").read_text().endswith(USER_FUNCTION)


def test_an_edit_that_conflicts_is_marked_and_exits_1(releases: Releases, tmp_path: Path) -> None:
    releases.use("v90.0.0")
    project = tmp_path / "shop"
    assert releases.mizan_dev("new", str(project), "--defaults", "--no-install", cwd=tmp_path).returncode == 0
    commit_edit(
        project,
        ".editorconfig",
        "[Makefile]\nindent_style = space\n",
        replace="[Makefile]\nindent_style = tab\n",
    )

    releases.use("v90.1.0")
    updated = releases.mizan_dev("update", cwd=project)
    assert updated.returncode == 1, updated.stdout + updated.stderr
    assert "conflicts in 1 file(s)" in updated.stdout and ".editorconfig" in updated.stdout
    text = (project / ".editorconfig").read_text()
    assert "<<<<<<< before updating" in text and ">>>>>>> after updating" in text
    assert "indent_style = space" in text, "the user's side is in the markers, not lost"


def test_a_project_copied_from_a_checkout_with_the_demo_inside_is_updated(
    releases: Releases, tmp_path: Path
) -> None:
    releases.use("v90.0.0")
    demo = releases.checkout / "demo"  # where the README's first steps used to put it
    copied = subprocess.run(
        [
            sys.executable,
            "-m",
            "copier",
            "copy",
            "--trust",
            "--defaults",
            "--vcs-ref",
            "HEAD",
            str(releases.checkout),
            str(demo),
        ],
        env=releases.env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert copied.returncode == 0, copied.stderr
    assert answers(demo)["_commit"] == "v90.0.0", "a real commit of the checkout, not Copier's temporary one"
    git(demo, "init", "--quiet")
    git(demo, "add", "--all")
    git(demo, "commit", "--quiet", "-m", "New project")

    releases.use("v90.1.0")
    updated = releases.mizan_dev("update", cwd=demo)
    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert (demo / ".editorconfig").read_text().endswith(ADDED)


def test_uncommitted_changes_are_refused_before_anything_is_touched(
    releases: Releases, tmp_path: Path
) -> None:
    releases.use("v90.0.0")
    project = tmp_path / "shop"
    assert releases.mizan_dev("new", str(project), "--defaults", "--no-install", cwd=tmp_path).returncode == 0
    (project / "notes.txt").write_text("not committed")
    releases.use("v90.1.0")
    refused = releases.mizan_dev("update", cwd=project)
    assert refused.returncode == 1
    assert "uncommitted changes; commit or stash them first" in refused.stderr
    assert not (project / ".editorconfig").read_text().endswith(ADDED)


def test_outside_a_project_the_error_says_where_to_run_it(releases: Releases, tmp_path: Path) -> None:
    refused = releases.mizan_dev("update", cwd=tmp_path)
    assert refused.returncode == 1
    assert "has no .copier-answers.yml" in refused.stderr and "mizan-dev new" in refused.stderr
