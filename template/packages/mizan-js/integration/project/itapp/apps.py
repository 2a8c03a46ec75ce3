from django.apps import AppConfig


class ItappConfig(AppConfig):
    name = "itapp"

    def ready(self) -> None:
        from mizan.setup import mizan_clients

        mizan_clients("itapp")
