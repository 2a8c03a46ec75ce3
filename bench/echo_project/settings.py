"""Settings shared by all three targets: one process, one middleware stack, production-like (DEBUG off)."""

from __future__ import annotations

import os

SECRET_KEY = os.environ.get("BENCH_SECRET_KEY", "bench-only-not-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "echo_project.urls"
ASGI_APPLICATION = "echo_project.asgi.application"
USE_TZ = True

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "mizan",
    "echo_project.apps.EchoConfig",
]

# Django's default stack, as a real project has it: every target pays for the same middleware.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

# echo touches no database (no session cookie is sent); the catalog reads bench/table.py's SQLite file.
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ.get("BENCH_DATABASE", ":memory:")}}

# The origin cache, in-process (one uvicorn worker): what the catalog's cached read is measured with.
MIZAN_CACHE_SECRET = os.environ.get("BENCH_CACHE_SECRET", "bench-only-cache-secret-0123456789abcdef")
MIZAN_CACHE_REDIS_URL = ""

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
