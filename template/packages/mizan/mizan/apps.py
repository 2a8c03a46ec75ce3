"""The `mizan` Django app: add "mizan" to INSTALLED_APPS."""

from django.apps import AppConfig

__all__ = ["MizanConfig"]


class MizanConfig(AppConfig):
    """Registers Mizan's system checks."""

    name = "mizan"
    verbose_name = "Mizan"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import _checks  # noqa: F401  (registers the checks)
        from .forms import _checks as _forms_checks  # noqa: F401  (forms' checks, and their manifest section)
        from .cache import _checks as _cache_checks, _receivers  # noqa: F401  (cache checks, purge on invalidation)
        from .ssr import _checks as _ssr_checks  # noqa: F401  (SSR checks)

        try:
            import channels  # noqa: F401
        except ImportError:
            return
        from django.utils.module_loading import autodiscover_modules

        from ._socket import connect_publisher

        connect_publisher()  # live invalidation: mutations' keys go to the channel layer
        autodiscover_modules("channels")  # each app's channels.py: defining a ReactChannel registers it
