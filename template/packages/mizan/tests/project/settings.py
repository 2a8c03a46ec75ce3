"""Settings of the test project (also runnable: `DJANGO_SETTINGS_MODULE=tests.project.settings`)."""

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent

SECRET_KEY = "mizan-tests-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
USE_TZ = True
ROOT_URLCONF = "tests.project.urls"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "mizan",
    "tests.testapp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("MIZAN_TEST_DATABASE", str(HERE / "db.sqlite3")),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
    }
}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
if os.environ.get("MIZAN_TEST_REDIS_URL"):
    # The cross-process tests: several servers on one Redis.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": os.environ.get("MIZAN_TEST_CHANNEL_LAYER", "channels_redis.core.RedisChannelLayer"),
            "CONFIG": {"hosts": [os.environ["MIZAN_TEST_REDIS_URL"]]},
        }
    }
