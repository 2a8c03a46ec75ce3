"""`from mizan.forms import MizanFormMixin, MizanFormMeta`: a Django form becomes three server functions.

`<name>.schema` (what the client renders), `<name>.validate` (which fields are wrong) and `<name>.submit`
(validate, then `on_submit_success`). See docs/forms.md.
"""

from ..core import Registry, registry as default_registry, set_forms_source, spec_of
from ._describe import describe_field, describe_fields
from ._functions import form_schema, make_form
from ._meta import MizanFormMeta, mizanFormMeta
from ._mixin import MizanFormMixin, form_registry, mizanFormMixin

__all__ = [
    "MizanFormMeta",
    "MizanFormMixin",
    "describe_field",
    "describe_fields",
    "form_registry",
    "form_schema",
    "forms_manifest",
    "make_form",
    "mizanFormMeta",
    "mizanFormMixin",
]


def forms_manifest(registry: Registry = default_registry) -> dict[str, object]:
    """The manifest's `forms` section: each form registered in `registry`, by name (model choices come at runtime)."""
    section: dict[str, object] = {}
    for entry in form_registry.entries():
        if entry.functions is None or entry.problems:
            continue
        registered = registry.get(f"{entry.form_class.mizan.name}.submit")
        if registered is None or registered is not spec_of(entry.functions.submit):
            continue
        form_class = entry.form_class
        form = make_form(form_class, None, None)
        schema = form_schema(form_class, form, with_model_choices=False)
        schema["functions"] = {kind: f"{form_class.mizan.name}.{kind}" for kind in ("schema", "validate", "submit")}
        section[form_class.mizan.name] = schema
    return dict(sorted(section.items()))


set_forms_source(forms_manifest)
