"""Pages rendered by mizan.ssr.MizanTemplates, for tests/test_ssr.py."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path

from mizan.ssr import preload


def hello(request: HttpRequest) -> HttpResponse:
    return render(request, "Hello", {"name": request.GET.get("name", "world")})


def contexts(request: HttpRequest) -> HttpResponse:
    preload(request, "todo", list_id=1)
    return render(request, "Contexts", {})


def echo(request: HttpRequest) -> HttpResponse:
    return render(request, "Echo", {"text": request.GET["text"], "nested": {"list": [request.GET["text"]]}})


def with_nonce(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """What django-csp does: a per-request nonce on `request.csp_nonce`."""

    def middleware(request: HttpRequest) -> HttpResponse:
        request.csp_nonce = "n0nce-" + request.GET.get("nonce", "x")  # type: ignore[attr-defined]
        return get_response(request)

    return middleware


urlpatterns = [
    path("api/mizan/", include("mizan.urls")),
    path("hello/", hello),
    path("contexts/", contexts),
    path("echo/", echo),
]
