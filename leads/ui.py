"""Navigation entries and home panels of the leads app (a few cheap queries), and the
registries through which other apps add to a lead's page: sections (`LEAD_PAGE_SECTIONS`)
and entries of its timeline (`LEAD_TIMELINE_ENTRIES`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rectify import access
from rectify.models import Role
from rectify.ui import (
    NavItem,
    PageSection,
    Panel,
    PanelLine,
    SectionProvider,
    TimelineEntry,
    collect_sections,
)

from . import selectors
from .access import LEAD_BOARD_ROLES, LEAD_OFFICE_ROLES, LEAD_READER_ROLES, leads_visible_to
from .models import UNSCREENED, LeadStatus

if TYPE_CHECKING:
    from rectify.models import AnyUser

    from .models import Lead

# Sections other apps add to a lead's page (remediation: the items generated from it).
LEAD_PAGE_SECTIONS: list[SectionProvider] = []


def lead_page_sections(user: AnyUser, lead: Lead) -> list[PageSection]:
    return collect_sections(LEAD_PAGE_SECTIONS, user, lead)


# Callables (user, lead) -> list[TimelineEntry], filled from higher apps' AppConfig.ready();
# each reads what the user may see of its own objects (recusal included).
LEAD_TIMELINE_ENTRIES: list[Callable[[Any, Any], list[TimelineEntry]]] = []


def lead_timeline_for(user: AnyUser, lead: Lead) -> list:
    """The lead's events with the other apps' entries merged in, oldest first."""
    events = list(selectors.lead_timeline(lead))
    extra = [entry for provider in LEAD_TIMELINE_ENTRIES for entry in provider(user, lead)]
    if not extra:
        return events
    return sorted(events + extra, key=lambda e: e.at)


def nav_items(user: AnyUser) -> list[NavItem]:
    items = []
    if access.has_role(user, *LEAD_OFFICE_ROLES):
        items.append(NavItem(_("线索受理"), reverse("leads:intake"), order=20))
    if access.has_role(user, *LEAD_READER_ROLES):
        items.append(NavItem(_("线索台账"), reverse("leads:ledger"), order=21))
    if access.has_role(user, Role.HANDLER, Role.UNIT_HEAD):
        items.append(NavItem(_("我的线索"), reverse("leads:my_work"), order=22))
    if access.has_role(user, Role.INTAKE, Role.OFFICE, Role.LEADER):
        items.append(NavItem(_("智能排查"), reverse("leads:screening"), order=23))
    if access.has_role(user, *LEAD_BOARD_ROLES):
        items.append(NavItem(_("督办逾期"), reverse("leads:oversight"), order=24))
    return items


def home_panels(user: AnyUser) -> list[Panel]:
    panels = []
    if access.has_role(user, *LEAD_OFFICE_ROLES):
        mine = leads_visible_to(user).filter(
            access.unit_q(user, LEAD_OFFICE_ROLES, prefix="office__jurisdiction__")
        )
        row = mine.aggregate(
            unregistered=Count("id", filter=Q(status=LeadStatus.UNREGISTERED)),
            unscreened=Count("id", filter=Q(status__in=UNSCREENED)),
            intake_overdue=Count("id", filter=selectors.intake_overdue_q()),
            handling_overdue=Count("id", filter=selectors.handling_overdue_q()),
        )
        intake = reverse("leads:intake")
        ledger = reverse("leads:ledger")
        panels.append(
            Panel(
                _("线索受理"),
                [
                    PanelLine(
                        _("网上举报待登记"),
                        row["unregistered"],
                        intake,
                        "warn" if row["unregistered"] else "ok",
                    ),
                    PanelLine(
                        _("待筛查"),
                        row["unscreened"],
                        intake,
                        "warn" if row["unscreened"] else "ok",
                    ),
                    PanelLine(
                        _("受理逾期"),
                        row["intake_overdue"],
                        intake,
                        "danger" if row["intake_overdue"] else "ok",
                    ),
                    PanelLine(
                        _("办理逾期"),
                        row["handling_overdue"],
                        f"{ledger}?overdue=1",
                        "danger" if row["handling_overdue"] else "ok",
                    ),
                ],
                order=20,
            )
        )
    if access.has_role(user, Role.HANDLER, Role.UNIT_HEAD):
        my_work = reverse("leads:my_work")
        lines = []
        if access.has_role(user, Role.HANDLER):
            row = selectors.my_leads(user).aggregate(
                open=Count("id", filter=Q(status__in=(LeadStatus.HANDLING, LeadStatus.SIGNING))),
                overdue=Count("id", filter=selectors.handling_overdue_q()),
            )
            lines.append(PanelLine(_("我承办的在办线索"), row["open"], my_work))
            lines.append(
                PanelLine(_("逾期"), row["overdue"], my_work, "danger" if row["overdue"] else "ok")
            )
        waiting = selectors.awaiting_signature(user).count()
        lines.append(PanelLine(_("待我签字背书"), waiting, my_work, "warn" if waiting else "ok"))
        panels.append(Panel(_("线索办理"), lines, order=21))
    if access.has_role(user, Role.LEADER):
        fig = selectors.ledger_figures(user)
        rate = "—" if fig.closure_rate is None else f"{fig.closure_rate}%"
        ledger = reverse("leads:ledger")
        panels.append(
            Panel(
                _("线索查处"),
                [
                    PanelLine(_("受理线索"), fig.received, ledger),
                    PanelLine(_("办结"), fig.concluded, ledger),
                    PanelLine(_("查结率"), rate, ledger),
                    PanelLine(
                        _("逾期"),
                        fig.overdue,
                        f"{ledger}?overdue=1",
                        "danger" if fig.overdue else "ok",
                    ),
                ],
                order=22,
            )
        )
    if access.has_role(user, *LEAD_BOARD_ROLES):
        # L10: flagged leads escalated to the user (one query; recusal applies).
        mine = selectors.escalated_to_me_count(user)
        board = reverse("leads:oversight")
        panels.append(
            Panel(
                _("督办与逾期"),
                [
                    PanelLine(
                        _("上报给我的逾期线索"),
                        mine,
                        f"{board}?mine=1",
                        "danger" if mine else "ok",
                    ),
                    PanelLine(_("督办与逾期线索"), "", board),
                ],
                order=23,
            )
        )
    return panels
