"""Codegen watch: `mizan-dev generate`, once or on every backend save, kept warm (warm.py, schema_zygote.py) and,
under `up`, held until the web serves the functions a new client adds (served.py)."""

from __future__ import annotations

from .served import manifest_functions, wait_until_served

__all__ = ["manifest_functions", "wait_until_served"]
