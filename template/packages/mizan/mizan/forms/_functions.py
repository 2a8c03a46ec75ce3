"""The three server functions of a form: `<name>.schema`, `<name>.validate`, `<name>.submit`.

Their arguments are the form's field values by field name. Values arrive as JSON and are handed to the Django form
as a browser's POST would be (strings, numbers, booleans, lists for multiple choices); the form cleans them with
its own `to_python`, validators and `clean()`, so `"5"` is a valid IntegerField value here, unlike a plain
`@client` parameter, which pydantic validates strictly.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from typing import Annotated, Any

from django import forms
from django.db import transaction
from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from pydantic import PlainValidator, WithJsonSchema

from ..core import ServerFunction, ValidationError
from ._describe import UnsupportedField, describe_fields, field_kind

__all__ = ["FormFunctions", "build_functions", "form_schema", "make_form"]



def _scalar(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise ValueError(f"expected a string, number or boolean, not {type(value).__name__}")


def _many(value: Any) -> Any:
    if value is None:
        return value
    if not isinstance(value, list):
        raise ValueError(f"expected a list of values, not {type(value).__name__}")
    return [_scalar(item) for item in value]


Scalar = Annotated[
    Any, PlainValidator(_scalar), WithJsonSchema({"type": ["string", "number", "boolean", "null"]})
]
"""What one field accepts in the args: any JSON scalar, as a browser would post it; the form's cleaning decides."""
def _integer(value: Any) -> Any:
    """An integer field's value as the int Django would clean it to, so `affects=` scopes by `list_id=1`, not `"1"`.

    A value Django would refuse stays as it is, for the form to report with its own message.
    """
    value = _scalar(value)
    if isinstance(value, str):
        try:
            return int(forms.IntegerField.re_decimal.sub("", value.strip()))
        except ValueError:
            return value
    return value


Integer = Annotated[
    Any, PlainValidator(_integer), WithJsonSchema({"type": ["integer", "string", "null"]})
]
"""An IntegerField's value: a number, or text that Python's int() reads."""
Many = Annotated[
    Any, PlainValidator(_many), WithJsonSchema({"type": ["array", "null"], "items": {"type": ["string", "number", "boolean"]}})
]
"""A multiple-choice field's value: a list."""


class FormFunctions(typing.NamedTuple):
    schema: Callable[..., Any]
    validate: Callable[..., Any]
    submit: Callable[..., Any]


def make_form(form_class: type[forms.BaseForm], request: HttpRequest | None, data: dict[str, Any] | None) -> Any:
    """An instance of the form, bound to `data` (by field name) when given, with `request=` if it takes one."""
    kwargs: dict[str, Any] = {}
    if "request" in inspect.signature(form_class.__init__).parameters:
        kwargs["request"] = request
    if data is None:
        return form_class(**kwargs)
    probe = form_class(**kwargs)
    bound = MultiValueDict()
    for name, value in data.items():
        key = probe.add_prefix(name)
        if isinstance(value, list):
            bound.setlist(key, ["" if item is None else _text(item) for item in value])
        elif value is not None:
            bound[key] = _text(value)
    return form_class(data=bound, **kwargs)


def _text(value: Any) -> Any:
    """A browser sends text; booleans keep their meaning for checkboxes (Django's CheckboxInput reads them)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _errors(form: forms.BaseForm) -> dict[str, list[str]]:
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


def form_schema(form_class: type[forms.BaseForm], form: Any, *, with_model_choices: bool) -> dict[str, Any]:
    """The schema the client renders and validates with (the manifest's `forms` entry, and `<name>.schema`)."""
    meta = form_class.mizan  # type: ignore[attr-defined]
    return {
        "title": meta.title,
        "submit_label": meta.submit_label,
        "live_validation": meta.live_validation,
        "prefix": form.prefix or "",
        "model_form": isinstance(form, forms.BaseModelForm),
        "fields": describe_fields(form, with_model_choices=with_model_choices),
    }


def _signature(fields: dict[str, forms.Field]) -> tuple[inspect.Signature, dict[str, Any]]:
    params = [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    annotations: dict[str, Any] = {}
    for name, field in fields.items():
        try:
            kind = field_kind(field)
        except UnsupportedField:
            kind = "unsupported"  # reported by the system check; the form still answers
        annotations[name] = {"multiple_choice": Many, "integer": Integer}.get(kind, Scalar)
        params.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotations[name]))
    return inspect.Signature(params), annotations


def _result_annotation(form_class: type[forms.BaseForm]) -> Any:
    hook = form_class.on_submit_success  # type: ignore[attr-defined]
    try:
        hints = typing.get_type_hints(hook)
    except Exception as exc:
        raise TypeError(f"{form_class.__qualname__}.on_submit_success: its return annotation cannot be resolved ({exc})")
    return hints.get("return", Any)


def build_functions(form_class: type[forms.BaseForm], fields: dict[str, forms.Field]) -> FormFunctions:
    """The three functions of `form_class`, each with the form's `fields` as keyword parameters."""
    meta = form_class.mizan  # type: ignore[attr-defined]
    signature, annotations = _signature(fields)
    label = form_class.__qualname__

    def schema(request: HttpRequest) -> dict[str, Any]:
        return form_schema(form_class, make_form(form_class, request, None), with_model_choices=True)

    def validate(request: HttpRequest, **values: Any) -> dict[str, Any]:
        form = make_form(form_class, request, values)
        errors = {} if form.is_valid() else _errors(form)
        return {"valid": not errors, "errors": errors}

    def submit(request: HttpRequest, **values: Any) -> Any:
        form = make_form(form_class, request, values)
        if not form.is_valid():
            raise ValidationError(f"The {meta.name} form has errors.", fields=_errors(form))
        if meta.affects or not isinstance(form, forms.BaseModelForm):
            return form.on_submit_success(request)  # a mutation already runs in a transaction
        with transaction.atomic():
            return form.on_submit_success(request)

    schema.__doc__ = f"The schema of the {label} form."
    validate.__doc__ = f"Which fields of the {label} form are wrong, without submitting."
    submit.__doc__ = meta.title or f"Submit the {label} form."
    result = _result_annotation(form_class)
    for fn, kind in ((schema, "schema"), (validate, "validate"), (submit, "submit")):
        fn.__qualname__ = f"{label}.{kind}"
        fn.__name__ = f"{meta.name.replace('.', '_')}_{kind}"
        fn.__module__ = form_class.__module__
    for fn in (validate, submit):
        fn.__signature__ = signature  # type: ignore[attr-defined]
        fn.__annotations__ = dict(annotations)
    schema.__annotations__ = {"return": dict[str, Any]}
    validate.__annotations__["return"] = dict[str, Any]
    submit.__annotations__["return"] = result
    ServerFunction.build(schema, auth=meta.auth, cache=False).attach()
    ServerFunction.build(validate, auth=meta.auth, cache=False).attach()
    ServerFunction.build(submit, auth=meta.auth, affects=meta.affects or None, cache=False).attach()
    return FormFunctions(schema, validate, submit)
