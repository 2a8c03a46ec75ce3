"""HTTP details of cached reads that Django leaves to the view."""

from __future__ import annotations

from django.http import HttpResponse

__all__ = ["without_body"]


def without_body(response: HttpResponse) -> None:
    """HEAD: keep the GET's headers, Content-Length included, and drop the body."""
    response["Content-Length"] = str(len(response.content))
    response.content = b""
