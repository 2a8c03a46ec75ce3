"""A Django project that exercises the runtime: settings, URLs, ASGI app."""
