"""Bearer tokens for clients without cookies (a desktop or mobile app): `from mizan.tokens import issue_token`.

A token is the user's id and an expiry, signed with `MIZAN_MWT_SECRET` (Django's `signing`, HMAC-SHA256; a key
of its own, separate from SECRET_KEY and the cache's). The client sends it as `Authorization: Bearer <token>`;
such a request acts as that user and needs no CSRF token, since no cookie rides along that another site could
borrow. A token lives `MIZAN_MWT_TTL` seconds (default 3600); rotating the secret revokes every token at once,
and a user made inactive loses access at the next request. A bad, expired or revoked token is UNAUTHORIZED,
never a silent anonymous call.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.http import HttpRequest

from .core import FeatureDisabled, Unauthorized

__all__ = ["DEFAULT_TTL", "IssuedToken", "MIN_SECRET_BYTES", "bearer_token", "issue_token", "user_for_token"]

DEFAULT_TTL = 3600
_SALT = "mizan.mwt"
MIN_SECRET_BYTES = 32


@dataclass(frozen=True)
class IssuedToken:
    """What a login function returns to a cookie-less client: the token and when it stops working."""

    token: str
    expires_at: int


def issue_token(user: Any, *, ttl: int | None = None) -> IssuedToken:
    """A token that acts as `user` for `ttl` seconds (default MIZAN_MWT_TTL); call it from your login function."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        raise Unauthorized("Only a logged-in user gets a token.")
    lifetime = _ttl() if ttl is None else int(ttl)
    expires_at = int(time.time()) + lifetime
    token = signing.dumps({"uid": str(user.pk), "exp": expires_at}, key=_secret(), salt=_SALT, compress=False)
    return IssuedToken(token=token, expires_at=expires_at)


def user_for_token(token: str) -> Any:
    """The active user the token acts as; UNAUTHORIZED when it is malformed, forged, expired or revoked."""
    try:
        payload = signing.loads(token, key=_secret(), salt=_SALT)
    except signing.BadSignature:
        raise Unauthorized(
            "The bearer token is not valid (forged, or signed with a rotated MIZAN_MWT_SECRET); log in again."
        ) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("exp"), int):
        raise Unauthorized("The bearer token is not valid; log in again.")
    if payload["exp"] < time.time():
        raise Unauthorized("The bearer token has expired; log in again for a new one.")
    user = get_user_model()._default_manager.filter(pk=payload.get("uid")).first()
    if user is None or not user.is_active:
        raise Unauthorized("The bearer token's user no longer exists or is inactive.")
    return user


def bearer_token(request: HttpRequest) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None when the request has none."""
    header = str(request.META.get("HTTP_AUTHORIZATION", ""))
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    value = value.strip()
    if not value:
        raise Unauthorized("The Authorization header says Bearer but carries no token.")
    return value


def _secret() -> str:
    value = getattr(settings, "MIZAN_MWT_SECRET", None)
    if not isinstance(value, str) or len(value.encode()) < MIN_SECRET_BYTES:
        raise FeatureDisabled(
            "Bearer tokens are off: MIZAN_MWT_SECRET is unset or shorter than 32 bytes. Set it to a long random "
            "value (python -c 'import secrets; print(secrets.token_urlsafe(50))').",
        )
    return value


def _ttl() -> int:
    return int(getattr(settings, "MIZAN_MWT_TTL", DEFAULT_TTL))
