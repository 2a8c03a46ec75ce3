"""`echo` as a Mizan server function, exactly as the user guide writes it; and a catalog read, cached and not."""

from __future__ import annotations

from django.http import HttpRequest
from mizan.client import client

from echo_project.catalog import Product, ProductOut
from echo_project.models import EchoOutput


@client
def echo(request: HttpRequest, text: str) -> EchoOutput:
    """Return the text it was given."""
    return EchoOutput(message=text)


def _products(limit: int) -> list[ProductOut]:
    return [ProductOut.model_validate(row, from_attributes=True) for row in Product.objects.order_by("id")[:limit]]


@client(context="shop")
def catalog(request: HttpRequest, limit: int) -> list[ProductOut]:
    """The first `limit` products: one query and `limit` rows, answered from the origin cache once filled."""
    return _products(limit)


@client(context="shop", cache=False)
def catalog_uncached(request: HttpRequest, limit: int) -> list[ProductOut]:
    """The same read with the origin cache off: the function runs on every request."""
    return _products(limit)
