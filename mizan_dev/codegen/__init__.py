"""Codegen watch: `mizan-dev generate`, once or on every backend save, kept warm (warm.py, schema_zygote.py) and,
under `up`, held until the web serves the calls a new client adds or changes (served.py)."""

from __future__ import annotations

from .served import changed_calls, read_call_surface, wait_until_served

__all__ = ["changed_calls", "read_call_surface", "wait_until_served"]
