"""Target 1: `echo` as a Mizan server function, exactly as the user guide writes it."""

from __future__ import annotations

from django.http import HttpRequest
from mizan.client import client

from echo_project.models import EchoOutput


@client
def echo(request: HttpRequest, text: str) -> EchoOutput:
    """Return the text it was given."""
    return EchoOutput(message=text)
