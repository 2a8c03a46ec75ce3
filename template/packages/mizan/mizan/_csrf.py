"""CSRF for calls made with a session: Django's own CsrfViewMiddleware check, run inside the view.

The endpoints are `csrf_exempt` so that anonymous API calls (which must send `application/json`, something a
cross-site form cannot do) need no token; a logged-in session must send `X-CSRFToken` as Django requires.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware

__all__ = ["csrf_failure_reason"]

_security_logger = logging.getLogger("django.security.csrf")


def csrf_failure_reason(request: HttpRequest) -> str | None:
    """Why Django's CSRF check rejects `request`, or None when it passes."""
    check = _CsrfCheck(_no_response)
    check.process_request(request)
    result = check.process_view(request, _checked_view, (), {})
    if isinstance(result, _Rejection):
        _security_logger.warning("Forbidden (%s): %s", result.reason, request.path)
        return result.reason
    return None


class _Rejection(HttpResponse):
    """What `_CsrfCheck` returns instead of rendering Django's CSRF failure page."""

    def __init__(self, reason: str) -> None:
        super().__init__(status=403)
        self.reason = reason


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request: HttpRequest, reason: str) -> HttpResponse:
        return _Rejection(reason)


def _no_response(request: HttpRequest) -> HttpResponse:
    raise AssertionError("the CSRF check never calls the view")


def _checked_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise AssertionError("the CSRF check never calls the view")
