"""System checks of the forms (mizan.E030–E034), each with the fix."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Error, register

from ._describe import UnsupportedField, field_kind
from ._mixin import form_registry

__all__ = ["check_forms"]


@register("mizan")
def check_forms(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """E030 no meta/name, E031 name collision, E032 unmapped field type, E033 file field, E034 bad name."""
    messages: list[CheckMessage] = []
    for entry in form_registry.entries():
        label = f"{entry.form_class.__module__}.{entry.form_class.__qualname__}"
        collisions = [problem.split(":", 1)[1] for problem in entry.problems if problem.startswith("collision:")]
        if collisions:
            messages.append(
                Error(
                    f"Form {label}: {', '.join(map(repr, collisions))} already belong to another server function "
                    "or form, so this form is not exposed under them.",
                    hint="Give the form another MizanFormMeta(name=...), or rename the other function.",
                    obj=entry.form_class,
                    id="mizan.E031",
                )
            )
        for problem in entry.problems:
            if problem in ("missing_meta", "missing_name"):
                messages.append(
                    Error(
                        f"Form {label} uses MizanFormMixin but has no name, so it is not exposed.",
                        hint='Add  mizan = MizanFormMeta(name="contact")  to the class.',
                        obj=entry.form_class,
                        id="mizan.E030",
                    )
                )
            elif problem == "bad_name":
                messages.append(
                    Error(
                        f"Form {label}: MizanFormMeta(name={entry.form_class.mizan.name!r}) is not a dotted name.",
                        hint="Use dotted Python identifiers, such as 'contact' or 'todos.new_list'.",
                        obj=entry.form_class,
                        id="mizan.E034",
                    )
                )
        for name, field in entry.form_class.base_fields.items():
            try:
                field_kind(field)
            except UnsupportedField as exc:
                messages.append(
                    Error(
                        f"Form {label}, field {name!r}: {exc}.",
                        hint="Remove the field from the form and upload files through a view."
                        if exc.file
                        else "Use a built-in Django field type (or subclass one) so the client can check it.",
                        obj=entry.form_class,
                        id="mizan.E033" if exc.file else "mizan.E032",
                    )
                )
    return messages
