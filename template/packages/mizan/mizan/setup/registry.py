"""`from mizan.setup.registry import register`: the seeds' import path for `mizan.setup.register`."""

from . import mizan_clients, register

__all__ = ["mizan_clients", "register"]
