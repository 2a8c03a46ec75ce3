"""`from mizan.client import client`: the `@client` decorator (see `mizan.core.client`)."""

from .core import client

__all__ = ["client"]
