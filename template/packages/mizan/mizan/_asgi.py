"""`wrap_asgi`: put Channels in front of Django's ASGI app when Channels is installed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["wrap_asgi"]


def wrap_asgi(django_asgi_app: Any, *, websocket_urlpatterns: Sequence[Any] = ()) -> Any:
    """The ASGI application a Mizan project serves.

    With Channels installed: a `ProtocolTypeRouter` sending HTTP to `django_asgi_app` and WebSockets through
    `AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))`, so sockets carry the
    Django session and only allowed origins connect. Without Channels: `django_asgi_app` unchanged.
    Call it after `get_asgi_application()`, which sets Django up.
    """
    try:
        from channels.auth import AuthMiddlewareStack
        from channels.routing import ProtocolTypeRouter, URLRouter
        from channels.security.websocket import AllowedHostsOriginValidator
    except ImportError:
        return django_asgi_app
    from ._socket import websocket_urlpatterns as mizan_socket_routes

    # Mizan's own socket route (the multiplexed /ws/mizan/ consumer) comes first, then the project's.
    patterns = [*mizan_socket_routes(), *websocket_urlpatterns]
    return ProtocolTypeRouter(
        {
            "http": django_asgi_app,
            "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(patterns))),
        }
    )
