"""Server-side rendering: React page components rendered by a long-lived Bun worker, hydrated from in-process
context calls, with the client-rendered page as the fallback. See docs/ssr.md.

    TEMPLATES = [{"BACKEND": "mizan.ssr.MizanTemplates", "OPTIONS": {"worker_path": ...}}, {...DjangoTemplates}]
    render(request, "TodoPage", {"list_id": 1})
"""

from ._address import Address, parse_address
from ._backend import MizanTemplates, PageTemplate, RenderedPage
from ._bun import find_bun
from ._connection import WorkerClient, WorkerUnavailable
from ._hydration import page_hydration, preload
from ._props import PropsNotSerializable

__all__ = [
    "Address",
    "MizanTemplates",
    "PageTemplate",
    "PropsNotSerializable",
    "RenderedPage",
    "WorkerClient",
    "WorkerUnavailable",
    "find_bun",
    "page_hydration",
    "parse_address",
    "preload",
]
