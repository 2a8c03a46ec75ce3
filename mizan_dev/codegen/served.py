"""Holding a new client until the web serves what it calls (the dev-loop race of a save).

After a backend save, codegen has the new client within a fraction of a second, but uvicorn's reloader needs a
few seconds to bring up a worker with the new code. Meanwhile the old worker answers NOT_FOUND for a function
that was just added, and VALIDATION_ERROR for an argument that was just renamed, to an open page that Vite has
already updated. So under `up` (which sets MIZAN_WEB_PORT) the watcher writes a client whose calls changed only
once the web serves the same calls.

"The calls" are the manifest's `functions` and the `$defs` their schemas refer to: what a generated call sends
and gets back. The web's own manifest comes from `GET schema/` (served under DEBUG), which runs no function.
"""

from __future__ import annotations

import http.client
import json
import time
from pathlib import Path
from typing import Any

__all__ = ["HOLD_AT_MOST", "CallSurface", "changed_calls", "read_call_surface", "wait_until_served"]

# Seconds; a web that never reloads (a file outside its --reload-dir) must not hold forever.
HOLD_AT_MOST = 15.0
POLL = 0.1
SCHEMA_PATH = "/api/mizan/schema/"

CallSurface = dict[str, Any]
"""`{"functions": ..., "$defs": ...}` of a manifest: equal surfaces mean the same calls are served."""


def _surface(manifest: Any) -> CallSurface | None:
    if not isinstance(manifest, dict) or not isinstance(manifest.get("functions"), dict):
        return None
    return {"functions": manifest["functions"], "$defs": manifest.get("$defs", {})}


def read_call_surface(manifest: Path) -> CallSurface | None:
    """The calls of a manifest mizan-generate is about to write from, None when unreadable."""
    try:
        return _surface(json.loads(manifest.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def changed_calls(before: CallSurface, after: CallSurface) -> list[str]:
    """The functions `after` adds or changes (its entry, or a model its schemas refer to), sorted.

    Removed functions are not listed: the new client no longer calls them, so nothing waits for their removal.
    """
    old_defs, new_defs = before["$defs"], after["$defs"]
    changed_models = {name for name, schema in new_defs.items() if old_defs.get(name) != schema}
    names = []
    for name, entry in after["functions"].items():
        text = json.dumps(entry)
        if before["functions"].get(name) != entry or any(
            f'"#/$defs/{model}"' in text for model in changed_models
        ):
            names.append(name)
    return sorted(names)


def _served(port: int) -> CallSurface | None:
    """The web's calls now; None while it does not answer or serves no schema (outside DEBUG)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2.0)
    try:
        connection.request("GET", SCHEMA_PATH)
        response = connection.getresponse()
        body = response.read()
        return _surface(json.loads(body)) if response.status == 200 else None
    except (OSError, http.client.HTTPException, ValueError):
        return None
    finally:
        connection.close()


def wait_until_served(
    port: int, surface: CallSurface, *, at_most: float = HOLD_AT_MOST
) -> tuple[bool, float]:
    """Wait until the web on `port` serves exactly `surface`; (whether it does, seconds waited)."""
    began = time.monotonic()
    while _served(port) != surface:
        if time.monotonic() - began >= at_most:
            return False, time.monotonic() - began
        time.sleep(POLL)
    return True, time.monotonic() - began
