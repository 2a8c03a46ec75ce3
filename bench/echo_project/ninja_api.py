"""Target 3: the same endpoint with django-ninja, the closest existing library."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI

from echo_project.models import EchoInput, EchoOutput

api = NinjaAPI(urls_namespace="bench-ninja", docs_url=None)


@api.post("/echo/", response=EchoOutput)
def echo(request: HttpRequest, payload: EchoInput) -> EchoOutput:
    return EchoOutput(message=payload.text)
