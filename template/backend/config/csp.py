"""The Content-Security-Policy header on every response that has none, from CONTENT_SECURITY_POLICY.

Django 5.2 has no CSP of its own; this is the one-header middleware until the project moves to Django 6's.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    # The same header on every answer and nothing refused: Mizan's edge may answer cached reads without
    # running it (it replays the header Django's answer carried). Mizan's docs/cache.md, "The edge".
    mizan_edge_safe = True

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy: str = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
