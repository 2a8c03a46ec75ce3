"""Django settings, read from the environment (and the project's `.env`), so one code base runs everywhere.

Defaults need no service: SQLite, an in-process channel layer and cache. `DATABASE_URL` switches the database,
`REDIS_URL` switches the channel layer and the cache to Redis. See `.env.example` for every variable.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from config import project

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_ROOT = BASE_DIR.parent

env = environ.Env()
if (PROJECT_ROOT / ".env").is_file():
    # Variables already in the environment win, so `mizan-dev` and production can override `.env`.
    env.read_env(PROJECT_ROOT / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)


def _secret(name: str) -> str:
    """A secret from the environment; in DEBUG a missing one becomes a throwaway value for this process."""
    value = env.str(name, default="")
    if value:
        return value
    if DEBUG:
        return secrets.token_urlsafe(50)
    raise ImproperlyConfigured(
        f"{name} is not set. Run `python backend/config/env_file.py` to write .env with fresh secrets, "
        f"or set {name} in the environment (production)."
    )


SECRET_KEY = _secret("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_vite",
    "mizan",
    "accounts",
    "example",
]

MIDDLEWARE = [
    # /healthz/ first: no login, no HTTPS redirect, any Host (config/health.py).
    "config.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Production pages load only the built assets from this origin (DEBUG needs Vite's inline preamble).
    *([] if DEBUG else ["config.csp.ContentSecurityPolicyMiddleware"]),
    # Production serves static files (the built frontend, the admin's) itself; DEBUG serves them from urls.py.
    *([] if DEBUG else ["servestatic.middleware.ServeStaticMiddleware"]),
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    # `render(request, "App", props)`: a PascalCase name is a React page component, rendered by the SSR
    # worker into page.html (docs/ssr.md); any other name is the Django template below. worker_path (checked
    # for, with Bun, by mizan.W040/W041) in DEBUG only: production runs the worker's bundle elsewhere.
    {
        "BACKEND": "mizan.ssr.MizanTemplates",
        "OPTIONS": {"worker_path": PROJECT_ROOT / "frontend" / "src" / "ssr-worker.tsx"} if DEBUG else {},
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction begins, so parallel mutations queue instead of failing with
    # "database is locked" when a read lock is upgraded (Django 5.1+).
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Pub/sub delivers a group message to every server at once (the fastest fan-out of channels_redis, see
    # docs/realtime.md); redis-py caps a pool at 100 connections and fails beyond, so give it room for bursts.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL, "max_connections": 2000}]},
        }
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The project's own User model (backend/accounts/models.py), there from the first migration as Django advises.
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = PROJECT_ROOT / "staticfiles"
# `npm run build --workspace frontend` writes the production assets and Vite's manifest here.
FRONTEND_DIST = Path(env.str("DJANGO_FRONTEND_DIST", default=str(PROJECT_ROOT / "frontend" / "dist")))
STATICFILES_DIRS = [FRONTEND_DIST] if FRONTEND_DIST.is_dir() else []

DJANGO_VITE = {
    "default": {
        # In development the assets come from Vite's dev server (hot reload); in production from the build.
        "dev_mode": env.bool("DJANGO_VITE_DEV_MODE", default=DEBUG),
        "dev_server_host": "127.0.0.1",
        "dev_server_port": env.int("MIZAN_VITE_PORT", default=5173),
        "manifest_path": FRONTEND_DIST / "manifest.json",
    }
}

# The SSR worker (Bun): `mizan-dev up` runs it and sets the address (127.0.0.1:<free port>); production sets
# e.g. ssr:4100. Unset or empty, or nothing listening, the pages are rendered in the browser instead.
MIZAN_SSR_ADDRESS = env.str("MIZAN_SSR_ADDRESS", default="")
MIZAN_SSR_TIMEOUT = env.float("MIZAN_SSR_TIMEOUT", default=1.0)
MIZAN_SSR_POOL = env.int("MIZAN_SSR_POOL", default=4)

MIZAN_CACHE_SECRET = _secret("MIZAN_CACHE_SECRET")
MIZAN_MWT_SECRET = _secret("MIZAN_MWT_SECRET")
if REDIS_URL:
    MIZAN_CACHE_REDIS_URL = REDIS_URL

PROJECT_NAME = project.NAME

if not DEBUG:
    # HTTPS end to end: `manage.py check --deploy --fail-level WARNING` passes with these defaults. Behind a
    # proxy that ends TLS, set DJANGO_SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO (only if the proxy always
    # sets that header); see docs/deploy.md.
    SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
    _proxy_header = env.str("DJANGO_SECURE_PROXY_SSL_HEADER", default="")
    if _proxy_header:
        SECURE_PROXY_SSL_HEADER = (_proxy_header, "https")

CONTENT_SECURITY_POLICY = env.str(
    "DJANGO_CONTENT_SECURITY_POLICY",
    default=(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'self' ws: wss:; font-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
)

# Django's and Mizan's warnings and errors (a 500 with DEBUG off) go to stdout, one JSON object a line.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.log_lines.JsonLineFormatter"}},
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}
    },
    "loggers": {
        "django": {"handlers": ["stdout"], "level": "WARNING"},
        "mizan": {"handlers": ["stdout"], "level": env.str("MIZAN_LOG_LEVEL", default="WARNING")},
    },
}
