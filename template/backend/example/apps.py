"""The example app: a shared to-do board that shows each Mizan feature once."""

from django.apps import AppConfig


class ExampleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "example"

    def ready(self) -> None:
        from mizan.setup import mizan_clients

        # Registers every @client function in example/clients.py under its Python name.
        mizan_clients(self.name)
