"""Errors a server function answers with.

    MizanError(code, message, details)     any protocol error code
     +-- BadRequest            BAD_REQUEST          400
     +-- ValidationError       VALIDATION_ERROR     422  (details.fields: dotted path -> messages)
     +-- Unauthorized          UNAUTHORIZED         401
     +-- Forbidden             FORBIDDEN            403
     +-- NotFound              NOT_FOUND            404
     +-- MethodNotAllowed      METHOD_NOT_ALLOWED   405
     +-- PayloadTooLarge       PAYLOAD_TOO_LARGE    413
     +-- FeatureDisabled       NOT_IMPLEMENTED      501

Raise any of them from a server function and the caller receives that envelope, status and message as is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

__all__ = [
    "BadRequest",
    "FeatureDisabled",
    "Forbidden",
    "MethodNotAllowed",
    "MizanError",
    "NotFound",
    "PayloadTooLarge",
    "RateLimited",
    "STATUS_BY_CODE",
    "Unauthorized",
    "ValidationError",
]

STATUS_BY_CODE: Mapping[str, int] = {
    "BAD_REQUEST": 400,
    "VALIDATION_ERROR": 422,
    "UNAUTHORIZED": 401,
    "FORBIDDEN": 403,
    "NOT_FOUND": 404,
    "METHOD_NOT_ALLOWED": 405,
    "PAYLOAD_TOO_LARGE": 413,
    "RATE_LIMITED": 429,
    "INTERNAL_ERROR": 500,
    "NOT_IMPLEMENTED": 501,
}


class MizanError(Exception):
    """An error answered to the caller as `{"error": {"code", "message", "details"}}` with the code's status."""

    code: str = "INTERNAL_ERROR"
    default_message: ClassVar[str] = "Internal server error."

    def __init__(self, code: str, message: str, details: Mapping[str, Any] | None = None) -> None:
        if code not in STATUS_BY_CODE:
            known = ", ".join(sorted(STATUS_BY_CODE))
            raise ValueError(f"MizanError code {code!r} is not a protocol code; use one of: {known}")
        super().__init__(message)
        self.code = code
        self.message = message
        self.details: dict[str, Any] = dict(details or {})

    @property
    def status(self) -> int:
        """The HTTP status of this error's code."""
        return STATUS_BY_CODE[self.code]

    def to_dict(self) -> dict[str, Any]:
        """The error envelope's inner object."""
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            body["details"] = self.details
        return body

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.message!r}, {self.details!r})"


class _CodedError(MizanError):
    """A MizanError whose code is fixed by its class."""

    fixed_code: ClassVar[str]

    def __init__(self, message: str | None = None, details: Mapping[str, Any] | None = None) -> None:
        super().__init__(self.fixed_code, message or self.default_message, details)


class BadRequest(_CodedError):
    """The request itself is malformed (BAD_REQUEST, 400)."""

    fixed_code = "BAD_REQUEST"
    default_message = "Bad request."


class ValidationError(_CodedError):
    """Input is invalid (VALIDATION_ERROR, 422); `fields` maps dotted paths (`""` = whole input) to messages."""

    fixed_code = "VALIDATION_ERROR"
    default_message = "Invalid input."

    def __init__(
        self,
        message: str | None = None,
        fields: Mapping[str, Sequence[str]] | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        merged = dict(details or {})
        merged["fields"] = {path: list(messages) for path, messages in (fields or {}).items()}
        super().__init__(message, merged)

    @property
    def fields(self) -> dict[str, list[str]]:
        """Dotted field path -> messages."""
        fields: dict[str, list[str]] = self.details["fields"]
        return fields


class Unauthorized(_CodedError):
    """The function needs a logged-in user and the request is anonymous (UNAUTHORIZED, 401)."""

    fixed_code = "UNAUTHORIZED"
    default_message = "Authentication required."


class Forbidden(_CodedError):
    """The user is known but not allowed (FORBIDDEN, 403)."""

    fixed_code = "FORBIDDEN"
    default_message = "You do not have permission to do this."


class NotFound(_CodedError):
    """The thing asked for does not exist (NOT_FOUND, 404)."""

    fixed_code = "NOT_FOUND"
    default_message = "Not found."


class MethodNotAllowed(_CodedError):
    """The HTTP method does not apply here (METHOD_NOT_ALLOWED, 405)."""

    fixed_code = "METHOD_NOT_ALLOWED"
    default_message = "Method not allowed."


class PayloadTooLarge(_CodedError):
    """The request body is over the size limit (PAYLOAD_TOO_LARGE, 413)."""

    fixed_code = "PAYLOAD_TOO_LARGE"
    default_message = "Request body too large."


class RateLimited(_CodedError):
    """Too many calls from this caller (RATE_LIMITED, 429); `details.retry_after` is the seconds to wait."""

    fixed_code = "RATE_LIMITED"
    default_message = "Too many requests; try again later."


class FeatureDisabled(_CodedError):
    """A declared feature that this deployment has switched off (NOT_IMPLEMENTED, 501)."""

    fixed_code = "NOT_IMPLEMENTED"
    default_message = "This feature is not enabled on this server."
