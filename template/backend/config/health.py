"""`GET /healthz/`: is this process able to serve? For container healthchecks and load balancers.

It answers before every other middleware, so it needs no login, is never redirected to HTTPS and accepts any
Host header (a healthcheck inside a container asks 127.0.0.1, which production's ALLOWED_HOSTS does not list).
It costs one `SELECT 1` and one cache read: the database and, with REDIS_URL, Redis.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

HEALTH_PATH = "/healthz/"
_log = logging.getLogger("django")


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    cache.get("mizan-health-probe")


CHECKS: dict[str, Callable[[], None]] = {"database": _database, "cache": _cache}


def health() -> tuple[bool, dict[str, str]]:
    """Each check's outcome: "ok", or the error's type. The answer is public, so the message (which may name
    hosts and ports) goes to the log only."""
    outcome: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:
            outcome[name] = type(error).__name__
            _log.warning("health check %r failed: %s", name, error)
        else:
            outcome[name] = "ok"
    return all(value == "ok" for value in outcome.values()), outcome


class HealthCheckMiddleware:
    # It answers /healthz/ only and passes everything else through untouched: Mizan's edge may answer
    # cached reads without running it.
    mizan_edge_safe = True

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path != HEALTH_PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return JsonResponse({"error": "use GET"}, status=405, headers={"Allow": "GET, HEAD"})
        healthy, outcome = health()
        return JsonResponse(outcome, status=200 if healthy else 503, headers={"Cache-Control": "no-store"})
