from django.apps import AppConfig

from mizan.setup import mizan_clients


class TestAppConfig(AppConfig):
    name = "tests.testapp"
    label = "testapp"

    def ready(self) -> None:
        mizan_clients(self.name)
