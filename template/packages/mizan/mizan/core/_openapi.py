"""An OpenAPI 3.1 view of the manifest: one `POST /call/<fn>/` operation per function (GET too for contexts)."""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["build_openapi"]

_ERROR = "MizanErrorEnvelope"
_ERROR_STATUSES = {
    "400": "BAD_REQUEST: the body is not a JSON object",
    "401": "UNAUTHORIZED: log in first",
    "403": "FORBIDDEN: not allowed, or CSRF failure",
    "404": "NOT_FOUND",
    "405": "METHOD_NOT_ALLOWED: the Allow header lists the methods served",
    "413": "PAYLOAD_TOO_LARGE",
    "429": "RATE_LIMITED: details.retry_after and Retry-After say when to try again",
    "422": "VALIDATION_ERROR: details.fields maps dotted paths to messages",
    "500": "INTERNAL_ERROR",
}


def build_openapi(
    manifest: dict[str, Any],
    *,
    title: str = "Mizan server functions",
    version: str = "1",
    base_url: str = "/api/mizan",
) -> dict[str, Any]:
    """An OpenAPI 3.1 document for `manifest`; `$defs` become `components.schemas`."""
    defs = _rewrite_refs(copy.deepcopy(manifest["$defs"]))
    schemas: dict[str, Any] = dict(defs)
    error_name = _ERROR
    while error_name in schemas:
        error_name = "Mizan" + error_name
    schemas[error_name] = {
        "type": "object",
        "properties": {
            "error": {
                "type": "object",
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "details": {"type": "object"},
                },
                "required": ["code", "message"],
            }
        },
        "required": ["error"],
    }
    error_ref = {"$ref": f"#/components/schemas/{error_name}"}
    paths: dict[str, Any] = {}
    for name, function in manifest["functions"].items():
        paths[f"/call/{name}/"] = _path_item(name, function, error_ref)
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "servers": [{"url": base_url}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _path_item(name: str, function: dict[str, Any], error_ref: dict[str, Any]) -> dict[str, Any]:
    input_schema = _rewrite_refs(copy.deepcopy(function["input"]))
    output_schema = _rewrite_refs(copy.deepcopy(function["output"]))
    if function["view"]:
        ok: dict[str, Any] = {"description": "The function's own HTTP response (view path)."}
    else:
        ok = {
            "description": "The result, and the invalidation keys of a mutation.",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "result": output_schema,
                            "invalidate": {"type": "array", "items": {"type": "string"}},
                        },
                        "required": ["result", "invalidate"],
                    }
                }
            },
        }
    responses: dict[str, Any] = {"200": ok}
    for status, description in _ERROR_STATUSES.items():
        responses[status] = {
            "description": description,
            "content": {"application/json": {"schema": error_ref}},
        }
    summary = function["doc"] or name
    item: dict[str, Any] = {
        "post": {
            "operationId": name,
            "summary": summary,
            "requestBody": {"required": True, "content": {"application/json": {"schema": input_schema}}},
            "responses": responses,
        }
    }
    if function["context"] is not None:
        get_responses = dict(responses)
        get_responses["304"] = {"description": "Not modified (If-None-Match matched the ETag)."}
        item["get"] = {
            "operationId": f"{name}__get",
            "summary": summary,
            "parameters": [
                {
                    "name": "args",
                    "in": "query",
                    # Optional only when every argument is: an absent args is {}.
                    "required": bool(input_schema.get("required")) if isinstance(input_schema, dict) else False,
                    "description": "The arguments as URL-encoded JSON.",
                    "content": {"application/json": {"schema": input_schema}},
                }
            ],
            "responses": get_responses,
        }
    return item


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                node[key] = "#/components/schemas/" + value[len("#/$defs/") :]
            else:
                _rewrite_refs(value)
    elif isinstance(node, list):
        for value in node:
            _rewrite_refs(value)
    return node
