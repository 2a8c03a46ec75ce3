"""The test project with the origin cache on Redis (for the multi-process tests): MIZAN_CACHE_REDIS_URL from the env."""

import os

from .settings import *  # noqa: F403

MIZAN_CACHE_SECRET = "cache-tests-secret-0123456789abcdefghijklmnop"
MIZAN_CACHE_REDIS_URL = os.environ.get("MIZAN_CACHE_REDIS_URL", "")
