"""`from mizan.client import client`: the `@client` decorator (see `mizan.core.client`), its `Rate`, the spec,
and `@compose`, which combines several contexts' providers into one.

`ServerFunction` is what `@client` builds for each function (`spec_of(fn)` returns it); the seeds' code imports
it from here.
"""

from .core import Rate, ServerFunction, client, compose

__all__ = ["Rate", "ServerFunction", "client", "compose"]
