from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadershipConfig(AppConfig):
    """The leaders' side (O1, O2, O7): dashboards over the three levers' maintained figures,
    supervision orders (督办单) and instructions (批示), periodic reports and 通报."""

    name = "leadership"
    verbose_name = _("领导督导")

    def ready(self) -> None:
        # 督办单 and 批示 show on the page of what they are about, through the registries of
        # leads and remediation (those apps never import leadership).
        from leads.ui import LEAD_PAGE_SECTIONS, LEAD_TIMELINE_ENTRIES
        from remediation.selectors.items import ITEM_PAGE_PARTS

        from .selectors.supervision import item_part, lead_section, lead_timeline_entries

        if lead_section not in LEAD_PAGE_SECTIONS:
            LEAD_PAGE_SECTIONS.append(lead_section)
        if lead_timeline_entries not in LEAD_TIMELINE_ENTRIES:
            LEAD_TIMELINE_ENTRIES.append(lead_timeline_entries)
        if item_part not in ITEM_PAGE_PARTS:
            ITEM_PAGE_PARTS.append(item_part)
        # Registers the tasks that leadership.services.reports names (RUN_TASK).
        from . import tasks  # noqa: F401
