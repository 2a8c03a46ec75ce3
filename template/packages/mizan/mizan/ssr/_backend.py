"""`MizanTemplates`: a Django template backend whose templates are the SSR worker's React page components.

`render(request, "TodoPage", {"list_id": 1})` finds the component `TodoPage`, runs the page's contexts
in-process (hydration), has the worker render the component with the props and that data, and puts the HTML
into the project's page template (the document: `<head>`, django-vite's asset tags). When the worker is off,
unreachable, slow or fails, the same page goes out without the server HTML: the browser renders it, with the
same hydration data, and the failure is logged once per component until it renders again.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.http import HttpRequest
from django.template import TemplateDoesNotExist
from django.template.backends.base import BaseEngine
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from . import _settings
from ._address import parse_address
from ._connection import WorkerClient, WorkerUnavailable
from ._hydration import page_hydration
from ._props import check_props, page_data_script

__all__ = ["MizanTemplates", "PageTemplate", "RenderedPage"]

logger = logging.getLogger("mizan.ssr")

OPTIONS = {"worker_path", "page_template", "data_id"}
# Component names are PascalCase identifiers: any other name (`index.html`) is another backend's.
COMPONENT_NAME = re.compile(r"^[A-Z][A-Za-z0-9_]*$")
# How long the worker's list of components is trusted before it is asked again.
COMPONENTS_TTL = 2.0


@dataclass(frozen=True)
class RenderedPage:
    """What the page template gets as `mizan`: the server HTML (empty on fallback) and the page data script."""

    component: str
    html: SafeString
    data: SafeString
    rendered: bool
    nonce: str


class MizanTemplates(BaseEngine):
    """Template backend for React page components rendered by the SSR worker (see docs/ssr.md)."""

    app_dirname = "mizan_ssr"

    def __init__(self, params: dict[str, Any]) -> None:
        params = params.copy()
        options = dict(params.pop("OPTIONS", {}) or {})
        params.setdefault("DIRS", [])
        params.setdefault("APP_DIRS", False)
        super().__init__(params)
        unknown = sorted(set(options) - OPTIONS)
        if unknown:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(
                f"mizan.ssr.MizanTemplates: unknown OPTIONS {', '.join(unknown)}; the options are "
                f"{', '.join(sorted(OPTIONS))}."
            )
        self.worker_path = Path(options["worker_path"]) if options.get("worker_path") else None
        self.page_template = str(options.get("page_template", "page.html"))
        self.data_id = str(options.get("data_id", "mizan-page"))
        self._lock = threading.Lock()
        self._client: tuple[tuple[str, int], WorkerClient] | None = None
        self._components: tuple[float, list[str]] | None = None
        self._failing: set[str] = set()

    def from_string(self, template_code: str) -> PageTemplate:
        raise TemplateDoesNotExist(
            "mizan.ssr.MizanTemplates renders React components by name; it has no template source to compile."
        )

    def get_template(self, template_name: str) -> PageTemplate:
        if not COMPONENT_NAME.match(template_name):
            raise TemplateDoesNotExist(template_name, backend=self)
        registered = self.components()
        if registered is not None and template_name not in registered:
            raise TemplateDoesNotExist(
                f"{template_name}: no page component of that name is registered in the SSR worker; registered: "
                f"{', '.join(registered) or 'none'}. Add it to the components of {self.worker_path or 'the worker'}.",
                backend=self,
            )
        return PageTemplate(self, template_name)

    def components(self) -> list[str] | None:
        """The worker's registered component names, or None when it cannot be asked (then any name is tried)."""
        now = time.monotonic()
        cached = self._components
        if cached is not None and now - cached[0] < COMPONENTS_TTL:
            return cached[1]
        client = self.client()
        if client is None:
            return None
        try:
            reply = client.request({"op": "components"}, _settings.timeout())
        except WorkerUnavailable:
            return None
        names = [str(name) for name in reply.get("components", [])]
        self._components = (now, names)
        return names

    def client(self) -> WorkerClient | None:
        """The connection pool for the configured address (None when SSR is off), remade when settings change."""
        address = _settings.address()
        if not address:
            return None
        key = (address, _settings.pool_size())
        with self._lock:
            if self._client is None or self._client[0] != key:
                if self._client is not None:
                    self._client[1].close()
                self._client = (key, WorkerClient(parse_address(address), key[1]))
                self._components = None
            return self._client[1]

    def render_html(self, component: str, props: dict[str, Any], hydration: dict[str, Any]) -> str | None:
        """The server HTML of `component`, or None (logged once per component until it renders again)."""
        client = self.client()
        if client is None:
            return None
        timeout = _settings.timeout()
        payload = {
            "op": "render",
            "component": component,
            "props": props,
            "hydration": hydration,
            "timeoutMs": max(1, int(timeout * 1000)),
        }
        try:
            reply = client.request(payload, timeout)
        except WorkerUnavailable as failure:
            self._failed(component, failure.kind, str(failure))
            return None
        if "html" not in reply:
            self._failed(component, str(reply.get("kind", "render_error")), str(reply.get("error", reply)))
            return None
        if component in self._failing:
            self._failing.discard(component)
            logger.info("SSR of %s works again", component)
        return str(reply["html"])

    def _failed(self, component: str, kind: str, message: str) -> None:
        if kind == "unknown_component":
            self._components = None
        if component in self._failing:
            return
        self._failing.add(component)
        logger.error(
            "SSR of %s failed (%s): %s. Serving the client-rendered page until it renders again.",
            component,
            kind,
            message,
        )


class PageTemplate:
    """One page component, as Django's template API sees it: `render(context, request)` gives the document."""

    def __init__(self, backend: MizanTemplates, name: str) -> None:
        self.backend = backend
        self.name = name
        self.origin = None

    def render(self, context: dict[str, Any] | None = None, request: HttpRequest | None = None) -> str:
        props = dict(context or {})
        check_props(props, self.name)
        hydration = page_hydration(request)
        html = self.backend.render_html(self.name, props, hydration)
        data = {"component": self.name, "props": props, "hydration": hydration, "rendered": html is not None}
        page = RenderedPage(
            component=self.name,
            html=mark_safe(html or ""),
            data=page_data_script(data, self.backend.data_id),
            rendered=html is not None,
            nonce=str(getattr(request, "csp_nonce", "") or ""),
        )
        document = get_template(self.backend.page_template)
        return document.render({**props, "mizan": page}, request)
