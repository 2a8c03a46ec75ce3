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


def django_env(**env: str) -> dict[str, str]:
    """This environment without its DATABASE_URL (the suite may run on PostgreSQL), with `env` over it."""
    outer = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    return {**outer, "DJANGO_SETTINGS_MODULE": "config.settings", **env}


def run_python(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python ARGS` in the backend folder, `env` over this environment (an empty value hides `.env`'s)."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=BACKEND,
        env=django_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def start_django(**env: str) -> subprocess.CompletedProcess[str]:
    """Run Django's setup with `env`, printing the settings the tests look at."""
    return run_python("-c", PRINT_SETTINGS, **env)


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


def test_sqlite_takes_the_write_lock_up_front_and_django_errors_reach_stdout() -> None:
    check = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'options': s.DATABASES['default']['OPTIONS'], "
        "'django': s.LOGGING['loggers']['django']['handlers'], "
        "'mizan': s.LOGGING['loggers']['mizan']['handlers'], "
        "'stream': s.LOGGING['handlers']['stdout']['stream']}))"
    )
    result = run_python("-c", check, DJANGO_DEBUG="true")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "options": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        "django": ["stdout"],
        "mizan": ["stdout"],
        "stream": "ext://sys.stdout",
    }


STRONG = {
    "DJANGO_SECRET_KEY": "k8#Vq2!pZr7^Lm4@Xw9&Tb1*Hc6%Nd3$Fg5+Js0-Yu" + "e" * 20,
    "MIZAN_CACHE_SECRET": "cache-secret-" + "c" * 40,
    "MIZAN_MWT_SECRET": "mwt-secret-" + "m" * 40,
}


def built_frontend(tmp_path: Path) -> str:
    """A frontend build folder with Vite's manifest, as `npm run build` leaves it."""
    (tmp_path / "manifest.json").write_text("{}")
    return str(tmp_path)


def production(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The production environment the deploy docs describe, with `overrides` over it."""
    return {
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "example.com",
        "REDIS_URL": "",
        "DJANGO_FRONTEND_DIST": built_frontend(tmp_path),
        **STRONG,
        **overrides,
    }


def deploy_check(tmp_path: Path, **overrides: str) -> subprocess.CompletedProcess[str]:
    check = ("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    return run_python(*check, **production(tmp_path, **overrides))


def test_the_deploy_checks_pass_with_the_production_environment(tmp_path: Path) -> None:
    result = deploy_check(tmp_path, DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_weakened_production_setting_fails_the_deploy_checks(tmp_path: Path) -> None:
    result = deploy_check(tmp_path, DJANGO_SECURE_HSTS_SECONDS="0")

    assert result.returncode != 0
    assert "security.W004" in result.stderr


def test_an_error_is_logged_as_one_json_line_on_stdout() -> None:
    emit = (
        "import json, logging, django; django.setup(); logging.getLogger('mizan.test').error('boom %s', 42)"
    )
    result = run_python("-c", emit, DJANGO_DEBUG="true")

    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout.strip().splitlines()[-1])
    assert {key: line[key] for key in ("level", "logger", "message")} == {
        "level": "ERROR",
        "logger": "mizan.test",
        "message": "boom 42",
    }


def test_production_pages_carry_the_content_security_policy(tmp_path: Path) -> None:
    fetch = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/admin/login/', secure=True); print(r.status_code); "
        "print(r.headers.get('Content-Security-Policy'))"
    )
    result = run_python("-c", fetch, **production(tmp_path, DJANGO_ALLOWED_HOSTS="testserver"))

    assert result.returncode == 0, result.stderr
    status, policy = result.stdout.strip().splitlines()[-2:]
    assert status == "200"
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy


EDGE = (
    "import json, django; django.setup(); from mizan.cache import edge_blockers, edge_enabled; "
    "print(json.dumps([edge_enabled(), edge_blockers()]))"
)


def test_cached_anonymous_reads_are_answered_at_the_edge(tmp_path: Path) -> None:
    # In development and production, every middleware is one Mizan's edge knows or one that says it is
    # safe (config/csp.py, config/health.py).
    development = run_python("-c", EDGE, DJANGO_DEBUG="true", MIZAN_CACHE_SECRET="d" * 48)
    deployed = run_python("-c", EDGE, **production(tmp_path))

    assert development.returncode == 0, development.stderr
    assert json.loads(development.stdout) == [True, []]
    assert deployed.returncode == 0, deployed.stderr
    assert json.loads(deployed.stdout) == [True, []]
