"""HTTP details of cached reads that Django leaves to the view: the ETag, conditional requests, HEAD."""

from __future__ import annotations

import hashlib

from django.http import HttpResponse
from django.utils.http import parse_etags

__all__ = ["body_etag", "none_match", "without_body"]


def body_etag(body: bytes) -> str:
    """The strong ETag of a read's body: the same text whether Django or the edge answers."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def none_match(etag: str, if_none_match: str) -> bool:
    """True when `If-None-Match` names `etag` (or is `*`): the answer is then 304. Weak comparison, as Django's."""
    tags = parse_etags(if_none_match)
    if tags == ["*"]:
        return True
    return etag.removeprefix("W/") in (tag.removeprefix("W/") for tag in tags)


def without_body(response: HttpResponse) -> None:
    """HEAD: keep the GET's headers, Content-Length included, and drop the body."""
    response["Content-Length"] = str(len(response.content))
    response.content = b""
