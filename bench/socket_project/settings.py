"""The socket benchmark's project: Mizan's socket on the channel layer `BENCH_LAYER` names (DEBUG off)."""

from __future__ import annotations

import os

SECRET_KEY = os.environ.get("BENCH_SECRET_KEY", "bench-only-not-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "socket_project.urls"
USE_TZ = True

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "mizan",
    "socket_project.apps.SocketBenchConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

# Watching authorizes by the auth rule only: setup opens a thousand watches, the figures are about delivery.
MIZAN_WATCH_CHECK = "auth"
# One round's pushes to one socket are a handful; room for them all so none is dropped for a resync.
MIZAN_SOCKET_QUEUE = 1024

_REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
# redis-py 8 caps a pool at 100 connections and raises beyond (MaxConnectionsError) instead of waiting: a
# thousand sockets joining their groups at once need more.
_HOSTS = [{"address": _REDIS, "max_connections": 2000}]
_LAYERS = {
    "memory": {"BACKEND": "channels.layers.InMemoryChannelLayer"},
    "redis": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": _HOSTS}},
    "pubsub": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer", "CONFIG": {"hosts": _HOSTS}},
}
CHANNEL_LAYERS = {"default": _LAYERS[os.environ.get("BENCH_LAYER", "memory")]}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
