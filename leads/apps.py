from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.core.management.base import CommandParser
from django.db.models.signals import post_migrate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.apps.registry import Apps


class LeadsConfig(AppConfig):
    name = "leads"
    verbose_name = _("线索管理")

    def ready(self) -> None:
        # Imported here: models and the modules built on them load only once apps are ready.
        from rectify import figures
        from rectify.audit_display import OBJECT_KINDS, ObjectKind
        from rectify.management.commands.bench import BENCHMARKS

        from . import tasks  # noqa: F401  registers the tasks that leads.ledger.jobs names
        from .access import leads_visible_to
        from .selectors.counters import source

        figures.register(source())  # the maintained figures of leads (keys "ld.")

        post_migrate.connect(_ensure_channels, sender=self)
        # `manage.py bench leads_similar|leads_ledger` (L3, L5/L10 at scale).
        BENCHMARKS["leads_similar"] = (_bench_arguments, _bench("run"))
        BENCHMARKS["leads_ledger"] = (_bench_arguments, _bench("run_ledger"))
        # The audit log's entry for leads (rectify imports no app), as selfcheck does.
        OBJECT_KINDS["leads.lead"] = ObjectKind(
            label=str,
            only=("number", "received_date", "is_public"),
            url=lambda o: reverse("leads:detail", args=[o.pk]),
            visible=leads_visible_to,
        )


def _bench_arguments(parser: CommandParser) -> None:
    _bench_module().add_arguments(parser)


def _bench(name: str) -> Callable[[dict], dict]:
    return lambda options: getattr(_bench_module(), name)(options)


def _bench_module() -> ModuleType:
    # Loaded when a benchmark runs, not in every web and worker process (it builds synthetic
    # provinces with the test client).
    return importlib.import_module("leads.dev.bench")


# The twelve channels the speech names (L1). Migration 0002 seeds them; post_migrate puts
# back any that are missing (as Django does for permissions), e.g. after a test flush.
# Renamed or deactivated channels are left as the administrator set them.
SPEECH_CHANNELS = [
    ("hotline", "举报电话"),
    ("mailbox", "举报信箱"),
    ("online", "网上举报平台"),
    ("visit", "走访当事人"),
    ("letter_inquiry", "函询"),
    ("democratic_evaluation", "民主测评"),
    ("individual_talk", "个别谈话"),
    ("inspection", "明察暗访"),
    ("organised_crime_review", "涉黑涉恶案件倒查"),
    ("petition_review", "涉法涉诉信访案件评查"),
    ("key_case_review", "重点案件评查"),
    ("legal_inspection", "执法司法专项检查"),
]


def _ensure_channels(
    sender: AppConfig, using: str = "default", apps: Apps | None = None, **kwargs: object
) -> None:
    try:
        Channel = (apps or sender.apps).get_model("leads", "Channel")
    except LookupError:  # migrating backwards past the model
        return
    have = set(Channel.objects.using(using).values_list("code", flat=True))
    Channel.objects.using(using).bulk_create(
        [
            Channel(code=code, name=name, order=order * 10)
            for order, (code, name) in enumerate(SPEECH_CHANNELS, start=1)
            if code not in have
        ],
        ignore_conflicts=True,
    )
