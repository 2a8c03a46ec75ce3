"""`wrap_asgi`: the edge cache in front of Django's HTTP app, and Channels beside it when Channels is installed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["wrap_asgi"]


def wrap_asgi(django_asgi_app: Any, *, websocket_urlpatterns: Sequence[Any] = ()) -> Any:
    """The ASGI application a Mizan project serves.

    HTTP goes through the edge (`mizan.cache.EdgeCache`), which answers cached anonymous context reads before
    Django runs when nothing in the middleware could change them, and hands everything else to Django.
    With Channels installed: a `ProtocolTypeRouter` sending HTTP there and WebSockets through
    `AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))`, so sockets carry the
    Django session and only allowed origins connect. Without Channels: the edge in front of `django_asgi_app`.
    Call it after `get_asgi_application()`, which sets Django up.
    """
    from .cache import EdgeCache

    http_app = EdgeCache(django_asgi_app)
    try:
        from channels.auth import AuthMiddlewareStack
        from channels.routing import ProtocolTypeRouter, URLRouter
        from channels.security.websocket import AllowedHostsOriginValidator
    except ImportError:
        return http_app
    from ._socket import websocket_urlpatterns as mizan_socket_routes

    # Mizan's own socket route (the multiplexed /ws/mizan/ consumer) comes first, then the project's.
    patterns = [*mizan_socket_routes(), *websocket_urlpatterns]
    return ProtocolTypeRouter(
        {
            "http": http_app,
            "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(patterns))),
        }
    )
