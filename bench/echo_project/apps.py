"""Registers the Mizan `echo` when Django starts, as a user's app does."""

from __future__ import annotations

from django.apps import AppConfig


class EchoConfig(AppConfig):
    name = "echo_project"

    def ready(self) -> None:
        from mizan.setup import register

        from echo_project.clients import echo

        register(echo, "echo")
