"""The ASGI application: Django for HTTP, wrapped by Mizan for its WebSocket transport."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django must be set up before anything imports models, so Mizan is imported after this line.
django_asgi_app = get_asgi_application()

import mizan  # noqa: E402

application = mizan.wrap_asgi(django_asgi_app)
