"""The catalog that bench/table.py's context reads return (imported from clients.py, once Django is set up)."""

from __future__ import annotations

from django.db import models
from pydantic import BaseModel


class Product(models.Model):
    """The rows the context read returns. Unmanaged: bench/table.py creates and fills the table itself."""

    name = models.CharField(max_length=100)
    price_cents = models.IntegerField()
    in_stock = models.BooleanField()

    class Meta:
        managed = False
        db_table = "bench_product"


class ProductOut(BaseModel):
    id: int
    name: str
    price_cents: int
    in_stock: bool
