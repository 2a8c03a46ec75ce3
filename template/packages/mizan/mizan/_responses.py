"""The JSON envelopes of PROTOCOL §2 as Django responses."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse

from .core import MizanError

__all__ = [
    "INVALIDATE_HEADER",
    "error_body",
    "error_response",
    "json_response",
    "set_invalidate_header",
    "success_body",
    "success_response",
]

INVALIDATE_HEADER = "X-Mizan-Invalidate"
_JSON = "application/json"


def success_body(result_json: bytes, invalidate: Sequence[str]) -> bytes:
    """`{"result": ..., "invalidate": [...]}` around an already-serialized result."""
    return b'{"result":' + result_json + b',"invalidate":' + _dumps(list(invalidate)) + b"}"


def error_body(error: MizanError) -> bytes:
    """`{"error": {"code", "message", "details"?}}`."""
    return _dumps({"error": error.to_dict()})


def success_response(result_json: bytes, invalidate: Sequence[str]) -> HttpResponse:
    """200 with the success envelope, and the invalidation keys in `X-Mizan-Invalidate` when there are any."""
    response = HttpResponse(success_body(result_json, invalidate), content_type=_JSON)
    set_invalidate_header(response, invalidate)
    return response


def error_response(error: MizanError) -> HttpResponse:
    """The error envelope with the code's status (`Allow` for METHOD_NOT_ALLOWED, `Retry-After` for RATE_LIMITED)."""
    response = HttpResponse(error_body(error), content_type=_JSON, status=error.status)
    allow = error.details.get("allow") if error.code == "METHOD_NOT_ALLOWED" else None
    if isinstance(allow, list):
        response["Allow"] = ", ".join(allow)
    retry_after = error.details.get("retry_after") if error.code == "RATE_LIMITED" else None
    if isinstance(retry_after, int):
        response["Retry-After"] = str(retry_after)
    return response


def json_response(data: Any, *, status: int = 200) -> HttpResponse:
    """Plain JSON."""
    return HttpResponse(_dumps(data), content_type=_JSON, status=status)


def set_invalidate_header(response: Any, invalidate: Sequence[str]) -> None:
    """Keys comma-separated (form-urlencoding leaves no raw comma in a key)."""
    if invalidate:
        response[INVALIDATE_HEADER] = ",".join(invalidate)


def _dumps(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=str).encode()
