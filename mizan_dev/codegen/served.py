"""Holding a new client until the web serves its new functions (the dev-loop race of a save).

After a backend save, codegen has the new client within a fraction of a second, but uvicorn's reloader needs a
few seconds to bring up a worker with the new code; meanwhile the old worker answers NOT_FOUND for a function
that was just added, and an open page that Vite has already updated calls it and fails. So under `up` (which
sets MIZAN_WEB_PORT) the watcher writes the client only once the web knows every function that is new in it.

The check never runs a function: `PUT call/<fn>/` is resolved before anything else and answers 404 NOT_FOUND
while the function is unknown, 405 once it is known (only GET and POST call functions).
"""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Collection
from pathlib import Path

__all__ = ["HOLD_AT_MOST", "manifest_functions", "wait_until_served"]

HOLD_AT_MOST = (
    15.0  # seconds; a web that never reloads (a file outside its --reload-dir) must not hold forever
)
POLL = 0.05
CALL_PATH = "/api/mizan/call/{}/"


def manifest_functions(manifest: Path) -> set[str] | None:
    """The function names in a manifest mizan-generate is about to write from, None when unreadable."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        return set(data["functions"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _known(port: int, name: str) -> bool | None:
    """True once the web resolves `name`, False while it answers NOT_FOUND, None when it does not answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2.0)
    try:
        connection.request("PUT", CALL_PATH.format(name), body=b"", headers={"Content-Length": "0"})
        return connection.getresponse().status != 404
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()


def wait_until_served(
    port: int, names: Collection[str], *, at_most: float = HOLD_AT_MOST
) -> tuple[bool, float]:
    """Wait until the web on `port` knows every one of `names`; (whether it does, seconds waited)."""
    began = time.monotonic()
    pending = set(names)
    while pending:
        pending = {name for name in pending if _known(port, name) is not True}
        if not pending:
            break
        if time.monotonic() - began >= at_most:
            return False, time.monotonic() - began
        time.sleep(POLL)
    return True, time.monotonic() - began
