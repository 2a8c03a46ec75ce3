"""Calls a server function the way the browser does: JSON over HTTP to Mizan's endpoint."""

from __future__ import annotations

from typing import Any

from django.test import Client


def call(client: Client, fn: str, **args: Any) -> tuple[int, dict[str, Any]]:
    """POST `args` to `/api/mizan/call/<fn>/`; the status and the decoded envelope."""
    response = client.post(f"/api/mizan/call/{fn}/", data=args, content_type="application/json")
    return response.status_code, response.json()
