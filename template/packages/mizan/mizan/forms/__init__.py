"""`from mizan.forms import MizanFormMixin, MizanFormMeta`: a Django form becomes three server functions.

`<name>.schema` (what the client renders), `<name>.validate` (which fields are wrong) and `<name>.submit`
(validate, then `on_submit_success`). See docs/forms.md.
"""

from ..core import set_forms_source
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


def forms_manifest() -> dict[str, object]:
    """The manifest's `forms` section: each exposed form's schema by name (model choices are listed at runtime)."""
    section: dict[str, object] = {}
    for entry in form_registry.entries():
        if entry.functions is None or entry.problems:
            continue
        form_class = entry.form_class
        form = make_form(form_class, None, None)
        schema = form_schema(form_class, form, with_model_choices=False)
        schema["functions"] = {kind: f"{form_class.mizan.name}.{kind}" for kind in ("schema", "validate", "submit")}
        section[form_class.mizan.name] = schema
    return dict(sorted(section.items()))


set_forms_source(forms_manifest)
