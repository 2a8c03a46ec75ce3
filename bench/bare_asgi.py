"""The ceiling: `echo` as a bare ASGI app (no Django, no Mizan) on the same uvicorn, with the same pydantic models.

What it does per request is what the hand-written view does: read the body, parse JSON, validate it, answer
`{"result": ..., "invalidate": []}`; so the table shows how much of a request Django and Mizan each take.
"""

from __future__ import annotations

import json
from typing import Any

from echo_project.models import EchoInput, EchoOutput


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    try:
        args = EchoInput.model_validate(json.loads(body))
        status, answer = 200, {"result": EchoOutput(message=args.text).model_dump(mode="json"), "invalidate": []}
    except ValueError as error:  # malformed JSON, and pydantic's ValidationError
        status, answer = 422, {"error": str(error)}
    payload = json.dumps(answer).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
