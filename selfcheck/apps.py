from __future__ import annotations

from django.apps import AppConfig
from django.apps.registry import Apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SelfcheckConfig(AppConfig):
    name = "selfcheck"
    verbose_name = _("干警自查")

    def ready(self) -> None:
        # Imported here: the app's modules import its models, which load after this module.
        from rectify import figures

        from .audit import register_object_kinds
        from .selectors.counters import source

        figures.register(source())

        post_migrate.connect(_ensure_talk_triggers, sender=self)
        register_object_kinds()


def _ensure_talk_triggers(
    sender: AppConfig, using: str = "default", apps: Apps | None = None, **kwargs: object
) -> None:
    """The default "six must-talk" triggers exist after every migrate (and test flush), so no
    page has to create them on a read; administrators edit or deactivate them later."""
    # models cannot be imported while the app registry loads this module
    from .models import DEFAULT_TALK_TRIGGERS

    try:
        TalkTrigger = (apps or sender.apps).get_model("selfcheck", "TalkTrigger")
    except LookupError:
        return
    have = set(TalkTrigger.objects.using(using).values_list("code", flat=True))
    TalkTrigger.objects.using(using).bulk_create(
        [
            TalkTrigger(code=code, name=name, order=order)
            for order, (code, name) in enumerate(DEFAULT_TALK_TRIGGERS, start=1)
            if code not in have
        ],
        ignore_conflicts=True,
    )
