"""SSR system checks, mizan.E040-E049 and W040-W049, each with the fix in its hint."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Error, Warning, register
from django.template import TemplateDoesNotExist, engines
from django.template.loader import get_template

from .._settings import is_unset, raw
from ._address import parse_address
from ._backend import MizanTemplates
from ._bun import BUN_FIX, find_bun

__all__ = ["check_ssr"]


@register("mizan")
def check_ssr(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """E040 address, E041 timeout, E042 pool, E043 page template; W040 no Bun, W041 no worker module."""
    messages = _settings_messages()
    for backend in engines.all():
        if isinstance(backend, MizanTemplates):
            messages.extend(_backend_messages(backend))
    return messages


def _settings_messages() -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    address = raw("MIZAN_SSR_ADDRESS")
    if not is_unset(address) and address:
        try:
            parse_address(str(address))
        except ValueError as error:
            messages.append(
                Error(str(error), hint="Set MIZAN_SSR_ADDRESS = 'unix:/tmp/ssr.sock' or 'ssr:4100'.", id="mizan.E040")
            )
    timeout = raw("MIZAN_SSR_TIMEOUT")
    if not is_unset(timeout) and (isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0):
        messages.append(
            Error(
                f"MIZAN_SSR_TIMEOUT is {timeout!r}; it must be a positive number of seconds.",
                hint="Set MIZAN_SSR_TIMEOUT = 1.0 (the default) or remove it.",
                id="mizan.E041",
            )
        )
    pool = raw("MIZAN_SSR_POOL")
    if not is_unset(pool) and (isinstance(pool, bool) or not isinstance(pool, int) or pool < 1):
        messages.append(
            Error(
                f"MIZAN_SSR_POOL is {pool!r}; it must be a positive number of connections.",
                hint="Set MIZAN_SSR_POOL = 4 (the default) or remove it.",
                id="mizan.E042",
            )
        )
    return messages


def _backend_messages(backend: MizanTemplates) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    try:
        get_template(backend.page_template)
    except TemplateDoesNotExist:
        messages.append(
            Error(
                f"mizan.ssr.MizanTemplates renders pages into {backend.page_template!r}, which no template backend "
                "finds.",
                hint="Create it in a template folder of the DjangoTemplates backend (with {{ mizan.html }} inside "
                "the root element and {{ mizan.data }} after it), or set OPTIONS['page_template'].",
                id="mizan.E043",
            )
        )
    if backend.worker_path is None:
        return messages
    if not backend.worker_path.is_file():
        messages.append(
            Warning(
                f"The SSR worker module {backend.worker_path} does not exist: pages are rendered in the browser.",
                hint="Create it (it calls serveMizanSsr from mizan-js/ssr) or fix OPTIONS['worker_path'].",
                id="mizan.W041",
            )
        )
    if find_bun(backend.worker_path.parent) is None:
        messages.append(
            Warning(
                "Bun, which runs the SSR worker, is not installed: pages are rendered in the browser.",
                hint=BUN_FIX,
                id="mizan.W040",
            )
        )
    return messages
