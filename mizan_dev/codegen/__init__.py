"""Codegen watch: regenerating the typed client on every backend save, kept warm, held until the web serves it."""

from __future__ import annotations

from .served import manifest_functions, wait_until_served

__all__ = ["manifest_functions", "wait_until_served"]
