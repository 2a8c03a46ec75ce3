"""`path("", include("mizan.routes"))`: mounts each registered `@client(route=...)` function at its own URL.

Path converters in the route become the function's arguments (`/profile/<int:id>/` calls `fn(request, id=...)`),
validated like any call. The function returns its own response; Mizan adds `Cache-Control: no-store` and, for a
mutation, `X-Mizan-Invalidate`. Django's CSRF middleware applies to these URLs as to any view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import URLPattern, path

from ._dispatch import call, resolve
from ._exceptions import from_exception
from ._responses import error_response
from ._views import request_user, respond
from .core import registry

__all__ = ["route_patterns", "urlpatterns"]


def route_patterns() -> list[URLPattern]:
    """A URL pattern for every registered function with `route=` (built from the registry as it is now)."""
    patterns: list[URLPattern] = []
    for name, spec in registry.items():
        if spec.route is not None:
            patterns.append(path(spec.route.lstrip("/"), _route_view(name), name=f"mizan-route-{name}"))
    return patterns


def _route_view(name: str) -> Callable[..., HttpResponseBase]:
    async def view(request: HttpRequest, **url_kwargs: Any) -> HttpResponseBase:
        try:
            spec = resolve(name)
            user = await request_user(request)
        except Exception as exc:
            return error_response(from_exception(exc, request=request, function=name))
        return respond(await call(request, name, spec, url_kwargs, user))

    view.__name__ = f"mizan_route_{name.replace('.', '_')}"
    # Django dispatches coroutine views natively; its path() annotation only names the sync kind.
    return cast(Callable[..., HttpResponseBase], view)


urlpatterns = route_patterns()
