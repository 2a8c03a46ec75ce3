"""Rendering the template: every option, nothing left unrendered, secrets only in `.env`, bad answers out."""

from __future__ import annotations

import ast
import re
import warnings
from pathlib import Path

import copier
import pytest
import yaml

from .rendering import REPO_ROOT, SECRET_NAMES, read_env, render

QUESTIONS = ("project_name", "project_slug", "description", "author", "database", "docker")
OPTIONS = {
    "defaults": {},
    "postgres": {"database": "postgres"},
    "docker": {"docker": True},
    "postgres-docker": {"database": "postgres", "docker": True, "author": "Ada Lovelace <ada@example.com>"},
}
# Jinja the template would have rendered: an expression or tag naming a question or Copier's own variables,
# or whitespace control (`{%-`, `-%}`), which Django's template language does not have.
LEFTOVER_JINJA = re.compile(
    r"\{[{%][^}]*\b(?:" + "|".join(QUESTIONS) + r"|_copier_\w+)\b[^}]*[}%]\}|\{[{%]-|-[}%]\}"
)


def files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


@pytest.fixture(scope="module", params=sorted(OPTIONS))
def rendered(
    request: pytest.FixtureRequest, template_repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    return render(template_repo, tmp_path_factory.mktemp(request.param) / "proj", OPTIONS[request.param])


def test_no_jinja_is_left_unrendered(rendered: Path) -> None:
    leftovers = [str(path.relative_to(rendered)) for path in files(rendered) if path.suffix == ".jinja"]
    leftovers += [
        f"{path.relative_to(rendered)}: {match.group(0)}"
        for path in files(rendered)
        for match in LEFTOVER_JINJA.finditer(path.read_text(encoding="utf-8", errors="replace"))
    ]
    leftovers += [str(path) for path in rendered.rglob("*") if "{" in path.name or "}" in path.name]

    assert leftovers == []


def test_the_answers_file_holds_the_answers_and_no_secret(rendered: Path) -> None:
    answers_text = (rendered / ".copier-answers.yml").read_text()
    answers = yaml.safe_load(answers_text)
    secrets = read_env(rendered / ".env")

    assert set(answers) == {"_commit", "_src_path", *QUESTIONS}
    assert answers["_commit"] == "v1"
    for name in SECRET_NAMES:
        assert len(secrets[name]) >= 50, name
        assert secrets[name] not in answers_text
        assert name not in answers_text


def test_each_project_gets_its_own_secrets(
    default_project: Path, template_repo: Path, tmp_path: Path
) -> None:
    other = render(template_repo, tmp_path / "other")

    mine, theirs = read_env(default_project / ".env"), read_env(other / ".env")
    for name in SECRET_NAMES:
        assert mine[name] != theirs[name]
    assert read_env(default_project / ".env.example")[SECRET_NAMES[0]] == ""


def test_skipping_tasks_writes_no_env(template_repo: Path, tmp_path: Path) -> None:
    project = render(template_repo, tmp_path / "proj", skip_tasks=True)

    assert (project / ".env.example").is_file()
    assert not (project / ".env").exists()


def test_the_defaults_give_the_documented_layout(default_project: Path) -> None:
    expected = [
        "pyproject.toml",
        "package.json",
        "mizan.config.mjs",
        "Procfile",
        ".env",
        ".env.example",
        "README.md",
        ".gitignore",
        ".gitattributes",
        ".copier-answers.yml",
        "backend/manage.py",
        "backend/config/settings.py",
        "backend/config/urls.py",
        "backend/config/asgi.py",
        "backend/example/clients.py",
        "backend/example/models.py",
        "backend/example/migrations/0001_initial.py",
        "frontend/package.json",
        "frontend/vite.config.ts",
        "frontend/src/main.tsx",
        "e2e/package.json",
        "e2e/playwright.config.ts",
        "packages/mizan/pyproject.toml",
        "packages/mizan/mizan/__init__.py",
        "packages/mizan-js/package.json",
    ]

    assert [path for path in expected if not (default_project / path).is_file()] == []
    assert not (default_project / "docker").exists()
    project = ast.parse((default_project / "backend/config/project.py").read_text())
    values = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in project.body
        if isinstance(node, ast.Assign)
    }  # type: ignore[attr-defined]
    assert values == {
        "NAME": "My Project",
        "SLUG": "my_project",
        "DESCRIPTION": "A Django and React project wired with Mizan",
    }


def test_the_runtimes_own_tests_and_build_output_stay_out(default_project: Path) -> None:
    source = REPO_ROOT / "template" / "packages"
    excluded = [
        "packages/mizan/tests",
        "packages/mizan-js/integration",
        "packages/mizan-js/package-lock.json",
        "packages/mizan-js/dist",
    ]

    assert [path for path in excluded if (default_project / path).exists()] == []
    assert list((default_project / "packages").rglob("__tests__")) == []
    assert list(default_project.rglob("node_modules")) == []
    assert list(default_project.rglob("__pycache__")) == []
    # The exclusions above matter only while the source has these; say so if it stops having them.
    assert (source / "mizan" / "tests").is_dir() or not (source / "mizan").is_dir()
    assert list((source / "mizan-js" / "src").rglob("__tests__")), (
        "mizan-js keeps its tests in src/**/__tests__"
    )


@pytest.mark.parametrize(
    "path", ["pyproject.toml", "package.json", "frontend/package.json", "e2e/package.json", "Procfile"]
)
def test_manifests_are_plain_files_copied_as_they_are(default_project: Path, path: str) -> None:
    source = REPO_ROOT / "template" / path

    assert source.is_file(), f"{path} must stay a plain file (not .jinja) so update bots can read it"
    assert (default_project / path).read_bytes() == source.read_bytes()


def test_the_procfile_is_the_one_architecture_md_pins(default_project: Path) -> None:
    architecture = (REPO_ROOT / "docs" / "architecture.md").read_text()
    pinned = re.search(r"```\n(web: .*?)```", architecture, re.DOTALL)

    assert pinned is not None
    assert (default_project / "Procfile").read_text() == pinned.group(1)


@pytest.mark.parametrize(
    ("slug", "why"),
    [
        ("My-Project", "uppercase and dash"),
        ("1project", "starts with a digit"),
        ("my project", "space"),
        ("", "empty"),
    ],
)
def test_a_bad_slug_is_refused_with_the_rule(
    template_repo: Path, tmp_path: Path, slug: str, why: str
) -> None:
    with pytest.raises(ValueError, match="valid Python identifier") as refused:
        render(template_repo, tmp_path / "proj", {"project_slug": slug})

    assert "project_slug" in str(refused.value)
    assert not (tmp_path / "proj" / "pyproject.toml").exists()


def test_an_empty_project_name_is_refused(template_repo: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="project name must not be empty"):
        render(template_repo, tmp_path / "proj", {"project_name": "  "})


@pytest.mark.parametrize(("name", "slug"), [("Café Board 2", "caf_board_2"), ("42 Things!", "p_42_things")])
def test_the_default_slug_comes_from_the_name(
    template_repo: Path, tmp_path: Path, name: str, slug: str
) -> None:
    project = render(template_repo, tmp_path / "proj", {"project_name": name}, skip_tasks=True)

    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["project_slug"] == slug


def test_postgres_is_reached_through_database_url(template_repo: Path, tmp_path: Path) -> None:
    project = render(template_repo, tmp_path / "proj", {"database": "postgres", "project_slug": "shop"})

    example = (project / ".env.example").read_text()
    assert "# DATABASE_URL=postgres://shop:PASSWORD@127.0.0.1:5432/shop" in example
    assert "driver (`psycopg`) is among the backend's dependencies" in (project / "README.md").read_text()
    assert '"psycopg[binary]>=3.2"' in (project / "pyproject.toml").read_text()


def test_rendering_from_a_clean_template_warns_about_nothing(template_repo: Path, tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        copier.run_copy(
            str(template_repo), tmp_path / "proj", defaults=True, unsafe=True, quiet=True, skip_tasks=True
        )


def test_ci_lints_checks_the_client_and_runs_every_test(rendered: Path) -> None:
    workflow = yaml.safe_load((rendered / ".github" / "workflows" / "ci.yml").read_text())
    steps = workflow["jobs"]["check"]["steps"]
    runs = [line.strip() for step in steps if "run" in step for line in step["run"].splitlines()]
    checks = [line for line in runs if line.startswith("uv run mizan-dev ")]

    assert checks == ["uv run mizan-dev lint", "uv run mizan-dev generate --check", "uv run mizan-dev test"]
    assert runs.index("uv run python backend/config/env_file.py") < runs.index(checks[0])
    node = next(step for step in steps if step.get("uses", "").startswith("actions/setup-node"))
    assert node["with"]["node-version-file"] == ".nvmrc"


def test_node_is_pinned_where_nvm_and_npm_look(rendered: Path) -> None:
    import json

    nvmrc = (rendered / ".nvmrc").read_text().strip()
    engines = json.loads((rendered / "package.json").read_text())["engines"]["node"]

    assert engines == ">=20.19"
    assert int(nvmrc) >= 20  # a major line whose current release satisfies the engines range


def test_the_project_carries_mizan_dev_as_a_dev_dependency(rendered: Path) -> None:
    import tomllib

    own = rendered / "packages" / "mizan-dev"
    pyproject = tomllib.loads((rendered / "pyproject.toml").read_text())

    assert "mizan-dev" in pyproject["dependency-groups"]["dev"]
    assert pyproject["tool"]["uv"]["sources"]["mizan-dev"] == {"path": "packages/mizan-dev", "editable": True}
    assert not (own / "mizan_dev").is_symlink() and (own / "mizan_dev" / "_cli.py").is_file()
    assert tomllib.loads((own / "pyproject.toml").read_text())["project"]["name"] == "mizan-dev"


def test_pre_commit_hooks_run_the_projects_own_tools(rendered: Path) -> None:
    config = yaml.safe_load((rendered / ".pre-commit-config.yaml").read_text())
    (local,) = config["repos"]
    entries = {hook["id"]: hook["entry"].split()[0] for hook in local["hooks"]}

    assert local["repo"] == "local"
    skipped = re.compile(config["exclude"])
    assert skipped.match("packages/mizan/mizan/core.py") and skipped.match("frontend/src/api/index.ts")
    assert not skipped.match("backend/example/clients.py")
    assert entries == {
        "ruff-check": ".venv/bin/ruff",
        "ruff-format": ".venv/bin/ruff",
        "biome": "node_modules/.bin/biome",
    }
