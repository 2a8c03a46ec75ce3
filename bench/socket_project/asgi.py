"""HTTP and Mizan's socket at /ws/mizan/."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socket_project.settings")
django_asgi_app = get_asgi_application()

import mizan  # noqa: E402  (after Django's setup)

application = mizan.wrap_asgi(django_asgi_app)
