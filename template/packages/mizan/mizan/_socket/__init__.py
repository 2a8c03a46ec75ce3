"""The multiplexed WebSocket at /ws/mizan/: RPC, channels and live invalidation (PROTOCOL §6)."""

from ._consumer import BAD_FRAMES_CLOSE_CODE, MizanConsumer
from ._live import connect_publisher, publish

__all__ = ["BAD_FRAMES_CLOSE_CODE", "MizanConsumer", "connect_publisher", "publish", "websocket_urlpatterns"]


def websocket_urlpatterns() -> list[object]:
    """Mizan's socket route, put in front of the project's own by `wrap_asgi`."""
    from django.urls import path

    return [path("ws/mizan/", MizanConsumer.as_asgi())]
