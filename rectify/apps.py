from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectifyConfig(AppConfig):
    name = "rectify"
    verbose_name = _("组织与权限")

    def ready(self) -> None:
        from . import signals  # noqa: F401
