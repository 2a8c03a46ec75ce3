"""Mizan: typed server functions for Django. A pydantic-typed `@client` function becomes a typed React hook.

Importing `mizan` does not import Django; the adapter modules load it when they are used. The decorator lives
in its own module, `from mizan.client import client` (a package attribute named `client` would be replaced by
that submodule).
"""

from ._asgi import wrap_asgi
from .core import (
    BadRequest,
    FeatureDisabled,
    Forbidden,
    MethodNotAllowed,
    MizanError,
    NotFound,
    PayloadTooLarge,
    ServerFunction,
    Unauthorized,
    ValidationError,
    add_passthrough_type,
)
from .setup import mizan_clients, register

# View-path functions return Django's responses; the core recognises the class without importing Django.
add_passthrough_type("django.http.response", "HttpResponseBase")

__version__ = "0.1.0"

__all__ = [
    "BadRequest",
    "FeatureDisabled",
    "Forbidden",
    "MethodNotAllowed",
    "MizanError",
    "NotFound",
    "PayloadTooLarge",
    "ServerFunction",
    "Unauthorized",
    "ValidationError",
    "mizan_clients",
    "register",
    "wrap_asgi",
]
