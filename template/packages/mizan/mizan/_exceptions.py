"""Turning whatever a call raised into a protocol error, logging what the caller must not see."""

from __future__ import annotations

import logging
import traceback
from typing import Any

import pydantic
from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest

from . import _settings
from .core import BadRequest, Forbidden, MizanError, NotFound, PayloadTooLarge, ValidationError

__all__ = ["from_exception", "from_input_errors", "internal_error", "logger"]

logger = logging.getLogger("mizan")
"""Mizan's logger: unexpected exceptions are logged here with their traceback (configure it in LOGGING)."""


def from_input_errors(exc: pydantic.ValidationError, *, message: str = "Invalid arguments.") -> ValidationError:
    """VALIDATION_ERROR with `details.fields`: dotted path (`address.zip`, `items.0.qty`, `""`) -> messages."""
    fields: dict[str, list[str]] = {}
    for error in exc.errors(include_url=False, include_input=False, include_context=False):
        path = ".".join(str(part) for part in error["loc"])
        fields.setdefault(path, []).append(error["msg"])
    return ValidationError(message, fields=fields)


def from_exception(exc: BaseException, *, request: HttpRequest | None, function: str | None) -> MizanError:
    """The protocol error for an exception raised by (or around) a server function."""
    if isinstance(exc, MizanError):
        return exc
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        return NotFound(details=_debug_details(exc, with_traceback=False))
    if isinstance(exc, PermissionDenied):
        return Forbidden(str(exc) or None)
    if isinstance(exc, DjangoValidationError):
        return _from_django_validation(exc)
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, SuspiciousOperation):
        return BadRequest(details=_debug_details(exc, with_traceback=False))
    return internal_error(exc, request=request, function=function)


def internal_error(exc: BaseException, *, request: HttpRequest | None, function: str | None) -> MizanError:
    """INTERNAL_ERROR: logged with its traceback; the response says more only when DEBUG."""
    where = f"server function {function!r}" if function else "a Mizan request"
    logger.error(
        "Internal error in %s: %s: %s",
        where,
        type(exc).__name__,
        exc,
        exc_info=(type(exc), exc, exc.__traceback__),
        extra={"status_code": 500, "request": request},
    )
    return MizanError("INTERNAL_ERROR", "Internal server error.", _debug_details(exc, with_traceback=True))


def _from_django_validation(exc: DjangoValidationError) -> ValidationError:
    if hasattr(exc, "error_dict"):
        fields = {
            ("" if name == "__all__" else name): [str(message) for message in messages]
            for name, messages in exc.message_dict.items()
        }
    else:
        fields = {"": [str(message) for message in exc.messages]}
    return ValidationError("Invalid input.", fields=fields)


def _debug_details(exc: BaseException, *, with_traceback: bool) -> dict[str, Any] | None:
    if not _settings.debug():
        return None
    details: dict[str, Any] = {"exception": f"{type(exc).__name__}: {exc}"}
    if with_traceback:
        details["traceback"] = "".join(traceback.format_exception(exc))
    return details
