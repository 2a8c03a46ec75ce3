"""`copier update` brings a template change into a project its user has since edited, without conflicts."""

from __future__ import annotations

from pathlib import Path

import copier
import yaml

from .rendering import SECRET_NAMES, commit_all, copy_template, git, read_env, render

USER_FUNCTION = '''

@client(context="todo")
def todo_titles(request: HttpRequest, list_id: ListId) -> list[str]:
    """Added by the project's user after generating it."""
    return list(Todo.objects.filter(list_id=list_id).values_list("title", flat=True))
'''
TEMPLATE_README_ADDITION = "\n## Deploy\n\nAdded by the template's v2.\n"


def test_update_applies_a_template_change_to_an_edited_project(tmp_path: Path) -> None:
    template = copy_template(tmp_path / "template")
    project = render(template, tmp_path / "project", {"project_name": "Shop"})
    git(project, "init", "-q")
    commit_all(project, "generated from the template v1")
    secrets_before = read_env(project / ".env")

    clients = project / "backend" / "example" / "clients.py"
    clients.write_text(clients.read_text() + USER_FUNCTION)
    commit_all(project, "add todo_titles")

    # v2: a new section in the README, a changed docstring at the top of the file the user edited, a new file.
    readme = template / "template" / "README.md.jinja"
    readme.write_text(readme.read_text() + TEMPLATE_README_ADDITION)
    template_clients = template / "template" / "backend" / "example" / "clients.py"
    first_line = template_clients.read_text().splitlines()[0]
    template_clients.write_text(
        template_clients.read_text().replace(first_line, first_line + "\nUpdated in the template's v2.", 1)
    )
    (template / "template" / "CHANGELOG.md").write_text("# Changes\n\n- v2\n")
    commit_all(template, "template v2")
    git(template, "tag", "v2")

    copier.run_update(project, defaults=True, overwrite=True, unsafe=True, quiet=True, conflict="rej")

    assert list(project.rglob("*.rej")) == []
    assert "<<<<<<<" not in clients.read_text()
    assert USER_FUNCTION.strip() in clients.read_text()
    assert "Updated in the template's v2." in clients.read_text()
    assert (project / "README.md").read_text().endswith(TEMPLATE_README_ADDITION)
    assert (project / "README.md").read_text().startswith("# Shop\n")
    assert (project / "CHANGELOG.md").is_file()
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert (answers["_commit"], answers["project_name"]) == ("v2", "Shop")
    # Tasks run on copy only: the project's secrets survive the update.
    assert read_env(project / ".env") == secrets_before
    assert all(secrets_before[name] for name in SECRET_NAMES)
