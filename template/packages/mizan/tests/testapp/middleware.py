"""Middleware for the edge tests: one that changes every answer, one that declares it changes nothing per request."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class StampMiddleware:
    """Numbers every response (X-Stamp): an answer replayed without Django would repeat an old number."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.stamps = itertools.count(1)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["X-Stamp"] = str(next(self.stamps))
        return response


class DeclaredSafeMiddleware:
    """Adds a fixed header and refuses nothing, and says so to Mizan's edge."""

    mizan_edge_safe = True

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["X-Served-By"] = "tests"
        return response
