"""The ASGI application uvicorn serves, wired as a generated project's is (Mizan's edge in front of Django)."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "echo_project.settings")

django_asgi_app = get_asgi_application()

from mizan import wrap_asgi  # after Django is set up

application = wrap_asgi(django_asgi_app)
