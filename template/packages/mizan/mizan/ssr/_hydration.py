"""The page's hydration data: its context functions run in-process, as the request's user, before the render.

The global context is always included; a view adds a named context with `preload(request, "todo", list_id=1)`.
Each member function is called with the params it takes, as the generated hooks call it, so the keys match the
browser's queries exactly and those queries make no request. A member that fails (a login-only context for an
anonymous user, say) is left out: the browser then asks for it itself and shows the error as usual.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.http import HttpRequest

from .._dispatch import Success, _call_sync
from ..core import contexts_of, registry

__all__ = ["page_hydration", "preload"]

logger = logging.getLogger("mizan.ssr")
_PRELOADS = "_mizan_ssr_preloads"


def preload(request: HttpRequest, context: str, **params: Any) -> None:
    """Include the named `context` with `params` in the page's hydration data (call it in the view)."""
    known = contexts_of(registry)
    found = known.get(context)
    if found is None:
        raise LookupError(
            f"preload(request, {context!r}): no context of that name is registered; registered: "
            f"{', '.join(known) or 'none'}."
        )
    unknown = sorted(set(params) - set(found.params))
    if unknown:
        raise TypeError(
            f"preload(request, {context!r}, ...): the context has no param {', '.join(map(repr, unknown))}; "
            f"its params: {', '.join(found.params) or 'none'}."
        )
    missing = sorted(name for name, param in found.params.items() if param.required and name not in params)
    if missing:
        raise TypeError(f"preload(request, {context!r}, ...): pass {', '.join(f'{name}=...' for name in missing)}.")
    preloads: list[tuple[str, dict[str, Any]]] = getattr(request, _PRELOADS, [])
    preloads.append((context, params))
    setattr(request, _PRELOADS, preloads)


def page_hydration(request: HttpRequest | None) -> dict[str, list[dict[str, Any]]]:
    """`{"queries": [{"fn", "args", "result"}]}` for the global context and the view's preloads."""
    known = contexts_of(registry)
    wanted: list[tuple[str, dict[str, Any]]] = []
    if "global" in known:
        wanted.append(("global", {}))
    wanted.extend(getattr(request, _PRELOADS, []))
    queries: list[dict[str, Any]] = []
    seen: set[str] = set()
    user = getattr(request, "user", None)
    for context, params in wanted:
        for name in known[context].functions:
            spec = registry.get(name)
            if spec is None or spec.view or spec.is_mutation:
                continue
            args = {key: value for key, value in params.items() if key in spec.params}
            if spec.required - set(args):
                continue  # a global member that needs params: its hook is given them, not the page
            key = json.dumps([name, args], sort_keys=True, default=str)
            if key in seen:
                continue
            seen.add(key)
            if request is None:
                continue
            outcome = _call_sync(request, name, spec, args, user)
            if isinstance(outcome, Success):
                queries.append({"fn": name, "args": args, "result": json.loads(outcome.result_json)})
            else:
                logger.debug("SSR hydration leaves out %s(%s): %s", name, args, outcome)
    return {"queries": queries}
