"""Registers the benchmark's functions when Django starts, as a user's app does."""

from __future__ import annotations

from django.apps import AppConfig


class SocketBenchConfig(AppConfig):
    name = "socket_project"

    def ready(self) -> None:
        from mizan.setup import mizan_clients

        mizan_clients("socket_project")
