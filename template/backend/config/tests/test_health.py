from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_checks_the_database_and_the_cache_for_any_host_without_redirect(
    client: Client, settings: Any
) -> None:
    # As in production: strict hosts and HTTPS redirect; the healthcheck asks over plain HTTP by address.
    settings.ALLOWED_HOSTS = ["example.com"]
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/healthz/", headers={"host": "127.0.0.1:8000"})

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_healthz_is_503_naming_what_failed(client: Client, settings: Any) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }

    response = client.get("/healthz/")

    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["cache"].startswith("ConnectionError")


def test_healthz_only_reads(client: Client) -> None:
    response = client.post("/healthz/")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
