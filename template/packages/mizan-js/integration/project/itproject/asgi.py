"""The ASGI app uvicorn serves in the integration suite."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itproject.settings")

application = get_asgi_application()
