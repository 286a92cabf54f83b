from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectifyConfig(AppConfig):
    name = "rectify"
    verbose_name = _("组织与权限")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import checks, signals  # noqa: F401

        post_migrate.connect(_reinstall_audit_triggers, sender=self)


def _reinstall_audit_triggers(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from .audit_triggers import install_audit_triggers

    install_audit_triggers(connections[using])
