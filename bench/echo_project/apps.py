"""Registers the Mizan functions when Django starts, as a user's app does."""

from __future__ import annotations

from django.apps import AppConfig


class EchoConfig(AppConfig):
    name = "echo_project"

    def ready(self) -> None:
        from mizan.setup import register

        from echo_project.clients import catalog, catalog_uncached, echo

        register(echo, "echo")
        register(catalog, "catalog")
        register(catalog_uncached, "catalog_uncached")
