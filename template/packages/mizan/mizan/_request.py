"""Reading a request's JSON body: content type, size limit, and JSON that must be an object."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest

from . import _settings
from .core import BadRequest, PayloadTooLarge

__all__ = ["json_object", "parse_json", "read_json_body", "require_json"]


def require_json(request: HttpRequest) -> None:
    """BAD_REQUEST unless the body is declared JSON: checked first, before anything parses a form body."""
    if request.content_type != "application/json":
        shown = request.content_type or "none"
        raise BadRequest(f"Content-Type must be application/json (got {shown}); send the arguments as a JSON body.")


def read_json_body(request: HttpRequest, *, empty: Any = None) -> Any:
    """The decoded JSON body; `empty` when the body is empty (None: an empty body is an error)."""
    require_json(request)
    limit = _settings.max_body_bytes()
    declared = request.META.get("CONTENT_LENGTH")
    if declared:
        try:
            if int(declared) > limit:
                raise _too_large(limit)
        except ValueError:
            raise BadRequest("The Content-Length header is not a number.") from None
    try:
        body = request.body
    except RequestDataTooBig:
        # Django's own cap (DATA_UPLOAD_MAX_MEMORY_SIZE) is lower than MIZAN_MAX_BODY_BYTES here.
        raise PayloadTooLarge(
            "The request body is larger than Django's DATA_UPLOAD_MAX_MEMORY_SIZE; send less, or raise that "
            "setting together with MIZAN_MAX_BODY_BYTES.",
        ) from None
    if len(body) > limit:
        raise _too_large(limit)
    if not body.strip():
        if empty is None:
            raise BadRequest("The request body is empty; send a JSON object.")
        return empty
    return parse_json(body, what="The request body")


def parse_json(text: str | bytes, *, what: str) -> Any:
    """Decode strict JSON (no NaN/Infinity), raising BAD_REQUEST that names `what` was wrong."""
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise BadRequest(f"{what} is not valid JSON ({_reason(exc)}).") from None


def json_object(value: Any, *, what: str) -> dict[str, Any]:
    """`value` if it is a JSON object, else BAD_REQUEST naming `what`."""
    if not isinstance(value, dict):
        raise BadRequest(f"{what} must be a JSON object, not {_json_type(value)}.")
    return value


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"The request body is larger than {limit} bytes; send less, or raise MIZAN_MAX_BODY_BYTES.",
        {"limit": limit},
    )


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno} column {exc.colno}"
    return str(exc)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return type(value).__name__
