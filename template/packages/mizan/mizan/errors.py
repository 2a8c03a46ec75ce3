"""`from mizan.errors import ...`: raise these from a server function to answer with that error.

`MizanError(code, message, details)` takes any protocol code; the subclasses fix the code:
`BadRequest` 400, `ValidationError` 422 (`fields={"address.zip": ["..."]}`), `Unauthorized` 401, `Forbidden` 403,
`NotFound` 404, `MethodNotAllowed` 405, `PayloadTooLarge` 413, `RateLimited` 429, `FeatureDisabled` 501.
Django's `Http404`, `ObjectDoesNotExist`, `PermissionDenied` and `ValidationError` are mapped too.
"""

from .core import (
    STATUS_BY_CODE,
    BadRequest,
    FeatureDisabled,
    Forbidden,
    MethodNotAllowed,
    MizanError,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    Unauthorized,
    ValidationError,
)

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
