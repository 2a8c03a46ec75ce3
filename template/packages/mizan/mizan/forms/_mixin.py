"""`MizanFormMixin`: defining a form class that carries `mizan = MizanFormMeta(name=...)` exposes it."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django import forms
from django.http import HttpRequest

from ..core import registry
from ._functions import FormFunctions, build_functions
from ._meta import MizanFormMeta

__all__ = ["FormEntry", "MizanFormMixin", "form_registry", "mizanFormMixin"]


@dataclass
class FormEntry:
    """One exposed form: its class and functions, or the problem that kept it from being exposed."""

    form_class: type[forms.BaseForm]
    functions: FormFunctions | None = None
    problems: list[str] = field(default_factory=list)


class FormRegistry:
    """Every form class defined with the mixin, by class (for the manifest and the system checks)."""

    def __init__(self) -> None:
        self._entries: dict[type[forms.BaseForm], FormEntry] = {}
        self._lock = threading.Lock()

    def add(self, entry: FormEntry) -> None:
        with self._lock:
            self._entries[entry.form_class] = entry

    def entries(self) -> list[FormEntry]:
        return list(self._entries.values())

    def remove(self, form_class: type[forms.BaseForm]) -> None:
        with self._lock:
            self._entries.pop(form_class, None)


form_registry = FormRegistry()


class MizanFormMixin:
    """Put it before `forms.Form` or `forms.ModelForm`; `mizan = MizanFormMeta(name="contact")` names the form.

    `on_submit_success(self, request)` runs after a valid submit and its return value is the result (its return
    annotation types it). A ModelForm's default saves and returns `{"id": pk}`.
    """

    mizan: ClassVar[MizanFormMeta | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not issubclass(cls, forms.BaseForm) or cls.__dict__.get("_mizan_probe"):
            return  # an intermediate mixin (the concrete form is checked), or the probe below
        meta = cls.__dict__.get("mizan")
        entry = FormEntry(cls)
        form_registry.add(entry)
        if not isinstance(meta, MizanFormMeta):
            entry.problems.append("missing_meta")
            return
        if not isinstance(meta.name, str) or not meta.name:
            entry.problems.append("missing_name")
            return
        entry.functions = build_functions(cls, _fields_of(cls))
        for kind in ("schema", "validate", "submit"):
            name = f"{meta.name}.{kind}"
            before = len(registry.duplicates())
            try:
                registry.register(getattr(entry.functions, kind), name)
            except ValueError:
                entry.problems.append("bad_name")
                return
            if len(registry.duplicates()) > before:
                entry.problems.append(f"collision:{name}")

    def on_submit_success(self, request: HttpRequest) -> Any:
        """After a valid submit: a ModelForm saves; a plain Form must override this."""
        if isinstance(self, forms.BaseModelForm):
            instance = self.save()
            return {"id": instance.pk}
        raise NotImplementedError(f"{type(self).__qualname__} must define on_submit_success(self, request)")


def _fields_of(cls: type[forms.BaseForm]) -> dict[str, forms.Field]:
    """The fields of a class being created: Django's metaclass sets `base_fields` only after `__init_subclass__`.

    A throwaway subclass, made by the same metaclass, has them (a ModelForm's from its inherited Meta too).
    """
    probe = type(cls)(cls.__name__, (cls,), {"__module__": cls.__module__, "_mizan_probe": True})
    return dict(probe.base_fields)


mizanFormMixin = MizanFormMixin
"""The seeds' spelling of `MizanFormMixin`."""
