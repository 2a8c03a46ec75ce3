"""A Django form described from its own field and validator objects: what the client checks, what only the server can.

Every validator of a field is either mapped to a client rule or listed in `server_only`; none is dropped.
"""

from __future__ import annotations

import datetime
import decimal
import re
import uuid
from typing import Any

from django import forms
from django.core import validators
from django.forms.utils import pretty_name

__all__ = ["UnsupportedField", "describe_field", "describe_fields", "field_kind", "json_value"]

# Most specific first: EmailField is a CharField, so the subclass is looked up before its base.
_KINDS: tuple[tuple[type[forms.Field], str], ...] = (
    (forms.ModelMultipleChoiceField, "multiple_choice"),
    (forms.ModelChoiceField, "choice"),
    (forms.TypedMultipleChoiceField, "multiple_choice"),
    (forms.MultipleChoiceField, "multiple_choice"),
    (forms.TypedChoiceField, "choice"),
    (forms.ChoiceField, "choice"),
    (forms.NullBooleanField, "null_boolean"),
    (forms.BooleanField, "boolean"),
    (forms.EmailField, "email"),
    (forms.URLField, "url"),
    (forms.SlugField, "slug"),
    (forms.UUIDField, "uuid"),
    (forms.RegexField, "string"),
    (forms.DecimalField, "decimal"),
    (forms.FloatField, "float"),
    (forms.IntegerField, "integer"),
    (forms.DateTimeField, "datetime"),
    (forms.DateField, "date"),
    (forms.TimeField, "time"),
    (forms.CharField, "string"),
)
# Django's EmailValidator and URLValidator (IDNA, allow-lists, IP literals) are not reproduced in the browser: the
# client checks the shape (`email`, `url` kinds), and the exact check is listed as server-only.
_SERVER_EXACT = {validators.EmailValidator: "EmailValidator", validators.URLValidator: "URLValidator"}


class UnsupportedField(Exception):
    """A field Mizan cannot describe (reported by the system check mizan.E032 / E033)."""

    def __init__(self, message: str, *, file: bool = False) -> None:
        super().__init__(message)
        self.file = file


def field_kind(field: forms.Field) -> str:
    """The field's kind in the schema (`string`, `integer`, `choice`, ...); raises UnsupportedField."""
    if isinstance(field, forms.FileField):
        raise UnsupportedField(f"{type(field).__name__} is a file field; file uploads are not supported yet", file=True)
    for cls, kind in _KINDS:
        if isinstance(field, cls):
            return kind
    raise UnsupportedField(f"{type(field).__name__} has no client mapping")


def json_value(value: Any) -> Any:
    """A field value (initial, choice) in the form the browser sends it: strings for dates, decimals, UUIDs."""
    if callable(value):
        value = value()
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    if hasattr(value, "pk"):
        return value.pk
    return value


def _widget(field: forms.Field) -> str:
    """`text`, `textarea`, `select`, `radio`, `checkbox`, `date`, `password`, `hidden`, ... from the widget class."""
    widget = field.widget
    for cls, name in (
        (forms.HiddenInput, "hidden"),
        (forms.PasswordInput, "password"),
        (forms.Textarea, "textarea"),
        (forms.CheckboxSelectMultiple, "checkboxes"),
        (forms.RadioSelect, "radio"),
        (forms.SelectMultiple, "select_multiple"),
        (forms.Select, "select"),
        (forms.CheckboxInput, "checkbox"),
        (forms.DateTimeInput, "datetime"),
        (forms.DateInput, "date"),
        (forms.TimeInput, "time"),
        (forms.EmailInput, "email"),
        (forms.URLInput, "url"),
        (forms.NumberInput, "number"),
    ):
        if isinstance(widget, cls):
            return name
    return getattr(widget, "input_type", None) or "text"


def _regex(validator: validators.RegexValidator) -> dict[str, Any]:
    pattern = validator.regex.pattern if hasattr(validator.regex, "pattern") else str(validator.regex)
    flags = validator.regex.flags if hasattr(validator.regex, "flags") else 0
    js_flags = ""
    if flags & re.IGNORECASE:
        js_flags += "i"
    if flags & re.MULTILINE:
        js_flags += "m"
    if flags & re.DOTALL:
        js_flags += "s"
    unsupported = flags & (re.VERBOSE | re.ASCII)
    translated = _to_js(pattern, bool(flags & re.DOTALL), bool(flags & re.MULTILINE))
    return {
        "pattern": translated or pattern,
        "flags": js_flags,
        "inverse": bool(validator.inverse_match),
        "message": str(validator.message),
        "client": not unsupported and translated is not None and _js_compatible(pattern),
    }


def _js_compatible(pattern: str) -> bool:
    """Python-only syntax (`\\A`, `\\Z`, `(?P<`, `(?P=`, inline flags) cannot be run by the browser as is."""
    return not re.search(r"\\A|\\Z|\(\?P[<=]|\(\?[aiLmsux]+\)|\(\?#", pattern)


# Python's str patterns are Unicode-aware where JavaScript's `u` patterns are not: the classes are spelled out.
_PY_SPACE = "\\s\\x1c-\\x1f\\x85"
_CLASS_OUTSIDE = {"s": f"[{_PY_SPACE}]", "S": f"[^{_PY_SPACE}]", "d": "\\p{Nd}", "D": "\\P{Nd}",
                  "w": "[\\p{L}\\p{N}_]", "W": "[^\\p{L}\\p{N}_]"}
_CLASS_INSIDE = {"s": _PY_SPACE, "d": "\\p{Nd}", "w": "\\p{L}\\p{N}_"}


def _to_js(pattern: str, dotall: bool, multiline: bool) -> str | None:
    """The pattern with Python's meaning in JavaScript (`u` flag), or None when a construct has no translation."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if in_class and nxt in _CLASS_INSIDE:
                out.append(_CLASS_INSIDE[nxt])
            elif in_class and nxt in "SDW":
                return None
            elif not in_class and nxt in _CLASS_OUTSIDE:
                out.append(_CLASS_OUTSIDE[nxt])
            else:
                out.append(char + nxt)
            i += 2
            continue
        if in_class:
            in_class = char != "]" or out[-1] == "["
        elif char == "[":
            in_class = True
        elif char == "." and not dotall:
            char = "[^\\n]"  # JavaScript's `.` also stops at \r and the line separators
        elif char == "$" and not multiline:
            char = "(?=\\n?$)"  # Python's `$` also matches before a final newline
        out.append(char)
        i += 1
    return "".join(out)


def _rules(field: forms.Field, kind: str, server_only: list[str]) -> dict[str, Any]:
    rules: dict[str, Any] = {}
    for validator in field.validators:
        if isinstance(validator, validators.MaxLengthValidator):
            rules["max_length"] = validator.limit_value
        elif isinstance(validator, validators.MinLengthValidator):
            rules["min_length"] = validator.limit_value
        elif isinstance(validator, validators.MaxValueValidator):
            rules["max_value"] = json_value(validator.limit_value)
        elif isinstance(validator, validators.MinValueValidator):
            rules["min_value"] = json_value(validator.limit_value)
        elif isinstance(validator, validators.StepValueValidator):
            rules["step"] = json_value(validator.limit_value)
            if getattr(validator, "offset", None) is not None:
                rules["step_offset"] = json_value(validator.offset)
        elif isinstance(validator, validators.ProhibitNullCharactersValidator):
            rules["no_null_characters"] = True
        elif isinstance(validator, validators.DecimalValidator):
            rules["max_digits"] = validator.max_digits
            rules["decimal_places"] = validator.decimal_places
        elif isinstance(validator, validators.RegexValidator) and not isinstance(validator, validators.URLValidator):
            if validator is validators.validate_slug:
                continue  # the kind `slug` is the client rule
            regex = _regex(validator)
            if regex.pop("client"):
                rules.setdefault("patterns", []).append(regex)
            else:
                server_only.append(f"RegexValidator({regex['pattern']!r})")
        elif type(validator) in _SERVER_EXACT:
            server_only.append(_SERVER_EXACT[type(validator)])
        else:
            server_only.append(_validator_name(validator))
    return rules


def _validator_name(validator: Any) -> str:
    return getattr(validator, "__qualname__", None) or type(validator).__name__


def _choices(field: forms.Field) -> list[list[Any]]:
    result: list[list[Any]] = []
    for value, label in field.choices:
        if isinstance(label, list | tuple):  # an option group
            result.extend([json_value(v), str(text)] for v, text in label)
        else:
            result.append([json_value(getattr(value, "value", value)), str(label)])
    return result


def describe_field(name: str, field: forms.Field, initial: Any, *, with_model_choices: bool) -> dict[str, Any]:
    """One field: kind, widget, label, required, initial, help text, disabled, choices, client rules, server-only."""
    kind = field_kind(field)
    server_only: list[str] = []
    description: dict[str, Any] = {
        "kind": kind,
        "widget": _widget(field),
        "label": str(field.label) if field.label is not None else pretty_name(name),
        "required": bool(field.required),
        "initial": json_value(initial),
        "help_text": str(field.help_text or ""),
        "disabled": bool(field.disabled),
        "strip": bool(getattr(field, "strip", False)),
    }
    if kind in ("choice", "multiple_choice"):
        if isinstance(field, forms.ModelChoiceField):
            # Valid keys are rows of a table: listed by `<form>.schema` at request time, checked by the server.
            server_only.append("model choice")
            description["choices"] = _choices(field) if with_model_choices else []
            description["dynamic_choices"] = True
        else:
            description["choices"] = _choices(field)
            description["dynamic_choices"] = False
    if isinstance(field, forms.TypedChoiceField | forms.TypedMultipleChoiceField) and field.coerce is not str:
        server_only.append(f"coerce={getattr(field.coerce, '__name__', field.coerce)!r}")
    if kind in ("date", "time", "datetime"):
        # The browser checks presence; parsing with Django's input formats (and ISO 8601) happens on the server.
        description["input_formats"] = [str(f) for f in (field.input_formats or [])]
        server_only.append(f"{kind} parsing")
    description["rules"] = _rules(field, kind, server_only)
    if kind == "float" and "step" in description["rules"]:
        # Floats' step is checked with Decimal arithmetic on the server; the browser's binary floats differ.
        server_only.append("StepValueValidator (float)")
    description["server_only"] = server_only
    return description


def describe_fields(form: forms.BaseForm, *, with_model_choices: bool) -> dict[str, Any]:
    """Every field of a form instance, in declaration order (JSON objects keep it)."""
    return {
        name: describe_field(name, field, form.get_initial_for_field(field, name), with_model_choices=with_model_choices)
        for name, field in form.fields.items()
    }
