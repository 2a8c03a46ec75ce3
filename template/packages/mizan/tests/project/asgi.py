"""The test project's ASGI app, wired the way a generated project's is."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.project.settings")

django_asgi_app = get_asgi_application()

from mizan import wrap_asgi  # noqa: E402  (after Django is set up)

application = wrap_asgi(django_asgi_app)
