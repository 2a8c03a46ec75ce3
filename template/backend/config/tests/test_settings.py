"""Settings are read when Django starts, so each case starts a fresh Python with its own environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[2]
SECRETS = {
    "DJANGO_SECRET_KEY": "test-secret-key-" + "x" * 40,
    "MIZAN_CACHE_SECRET": "test-cache-secret",
    "MIZAN_MWT_SECRET": "test-mwt-secret",
}
PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'debug': s.DEBUG, 'db': s.DATABASES['default']['ENGINE'], "
    "'layer': s.CHANNEL_LAYERS['default']['BACKEND'], 'cache': s.CACHES['default']['BACKEND'], "
    "'hosts': s.ALLOWED_HOSTS, 'vite_port': s.DJANGO_VITE['default']['dev_server_port']}))"
)


def start_django(**env: str) -> subprocess.CompletedProcess[str]:
    """Run Django's setup with `env` over this environment (an empty value hides the `.env` one)."""
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=BACKEND,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_missing_secret_outside_debug_names_the_fix() -> None:
    result = start_django(DJANGO_DEBUG="false", **{**SECRETS, "MIZAN_MWT_SECRET": ""})

    assert result.returncode != 0
    assert "ImproperlyConfigured: MIZAN_MWT_SECRET is not set" in result.stderr
    assert "python backend/config/env_file.py" in result.stderr


def test_production_settings_start_with_every_secret() -> None:
    result = start_django(DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="example.com", REDIS_URL="", **SECRETS)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "debug": False,
        "db": "django.db.backends.sqlite3",
        "layer": "channels.layers.InMemoryChannelLayer",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "hosts": ["example.com"],
        "vite_port": 5173,
    }


def test_redis_url_moves_the_channel_layer_and_the_cache_to_redis() -> None:
    result = start_django(REDIS_URL="redis://127.0.0.1:6390/0", MIZAN_VITE_PORT="5199", **SECRETS)

    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["layer"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    assert loaded["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert loaded["vite_port"] == 5199


def test_database_url_switches_the_database(tmp_path: Path) -> None:
    result = start_django(DATABASE_URL=f"sqlite:///{tmp_path / 'other.sqlite3'}", **SECRETS)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["db"] == "django.db.backends.sqlite3"


def test_sqlite_takes_the_write_lock_up_front_and_django_errors_reach_stderr() -> None:
    check = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'options': s.DATABASES['default']['OPTIONS'], "
        "'django': s.LOGGING['loggers']['django']['handlers'], "
        "'stream': s.LOGGING['handlers']['stderr']['stream']}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", check],
        cwd=BACKEND,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "options": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        "django": ["stderr"],
        "stream": "ext://sys.stderr",
    }
