"""The test project's settings with no channel layer (for the Channels-absent wrap_asgi test)."""

from .settings import *  # noqa: F403

del CHANNEL_LAYERS  # noqa: F821
