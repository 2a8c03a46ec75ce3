"""`from mizan_core.client import client, ServerFunction`: the decorator and its spec, framework-free."""

from mizan.core import ServerFunction, client, spec_of

__all__ = ["ServerFunction", "client", "spec_of"]
