from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemediationConfig(AppConfig):
    name = "remediation"
    verbose_name = _("整改落实")

    def ready(self) -> None:
        # The pages of leads and self-check reports show what remediation made of them
        # through registries of their own (they never import remediation).
        from leads.ui import LEAD_PAGE_SECTIONS
        from rectify import figures
        from selfcheck.ui import REPORT_PAGE_SECTIONS

        from .selectors.closure import closure_part, escalation_part
        from .selectors.counters import source
        from .selectors.items import ITEM_PAGE_PARTS
        from .selectors.outputs import item_outputs_part, lead_meetings_section
        from .selectors.public import item_survey_part
        from .ui import lead_section, report_section

        for section in (lead_section, lead_meetings_section):
            if section not in LEAD_PAGE_SECTIONS:
                LEAD_PAGE_SECTIONS.append(section)
        if report_section not in REPORT_PAGE_SECTIONS:
            REPORT_PAGE_SECTIONS.append(report_section)
        # The item page's parts beyond plans and measures: acceptance, escalation, rules and
        # meetings, the public survey's results.
        parts = (closure_part, escalation_part, item_outputs_part, item_survey_part)
        for part in parts:
            if part not in ITEM_PAGE_PARTS:
                ITEM_PAGE_PARTS.append(part)
        # The maintained figures of remediation (rectify.figures, keys "rm.").
        figures.register(source())
