from __future__ import annotations

from django.apps import AppConfig, apps
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from .audit_triggers import install_audit_triggers


class RectifyConfig(AppConfig):
    name = "rectify"
    verbose_name = _("组织与权限")

    def ready(self) -> None:
        # Imported here: signals imports the models, which load after this module.
        from . import checks, signals  # noqa: F401

        post_migrate.connect(_reinstall_audit_triggers, sender=self)
        _name_third_party_apps()


# Third-party apps name themselves in English ("Axes"); the admin shows these names. Their
# models' names are translated in locale/zh_Hans (they are gettext strings upstream).
THIRD_PARTY_APP_NAMES = {"axes": _("登录防护"), "guardian": _("对象权限")}


def _name_third_party_apps() -> None:
    for label, name in THIRD_PARTY_APP_NAMES.items():
        if apps.is_installed(label):
            apps.get_app_config(label).verbose_name = name


def _reinstall_audit_triggers(sender: AppConfig, using: str = "default", **kwargs) -> None:
    install_audit_triggers(connections[using])
