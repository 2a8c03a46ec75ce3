"""The ASGI app uvicorn serves in the integration suite: HTTP, and Mizan's socket at /ws/mizan/."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itproject.settings")

django_asgi_app = get_asgi_application()

import mizan  # noqa: E402  (after Django's setup)

application = mizan.wrap_asgi(django_asgi_app)
