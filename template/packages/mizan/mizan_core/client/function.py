"""`mizan_core.client.function`: the server function spec and the framework's response type (the view path)."""

from mizan.core import (
    ServerFunction,
    add_passthrough_type,
    is_framework_response,
    is_passthrough_type,
    set_framework_response_base,
    spec_of,
)

__all__ = [
    "ServerFunction",
    "add_passthrough_type",
    "is_framework_response",
    "is_passthrough_type",
    "set_framework_response_base",
    "spec_of",
]
