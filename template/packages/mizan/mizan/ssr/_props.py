"""Props and page data as JSON: strict (no silent `str()` of a datetime), and safe inside a `<script>`."""

from __future__ import annotations

from typing import Any

from django.utils.html import json_script
from django.utils.safestring import SafeString

__all__ = ["PropsNotSerializable", "check_props", "page_data_script"]


class PropsNotSerializable(TypeError):
    """A prop is not JSON: the message names its key (`props['when']`, `props['rows'][3]`) and its type."""


def check_props(props: dict[str, Any], component: str) -> None:
    """Raise PropsNotSerializable naming the first value JSON cannot carry."""
    for key, value in props.items():
        if not isinstance(key, str):
            raise PropsNotSerializable(f"{component}: prop names are strings; got {key!r} ({type(key).__name__}).")
        path = _unserializable(value, f"[{key!r}]")
        if path is not None:
            where, bad = path
            raise PropsNotSerializable(
                f"{component}: props{where} is a {type(bad).__name__}, which JSON cannot carry to the browser; "
                "pass str, int, float, bool, None, or lists and dicts of them (e.g. an ISO date string)."
            )


def _unserializable(value: Any, where: str) -> tuple[str, Any] | None:
    if value is None or isinstance(value, str | bool | int):
        return None
    if isinstance(value, float):
        return None if value == value and value not in (float("inf"), float("-inf")) else (where, value)
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = _unserializable(item, f"{where}[{index}]")
            if found is not None:
                return found
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return (f"{where} key {key!r}", key)
            found = _unserializable(item, f"{where}[{key!r}]")
            if found is not None:
                return found
        return None
    return (where, value)


def page_data_script(data: dict[str, Any], element_id: str) -> SafeString:
    """`<script type="application/json">` whose text cannot close the tag: Django's json_script escapes <, > and &."""
    return json_script(data, element_id)
