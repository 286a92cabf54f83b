"""Navigation and home panels of the leaders' side."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rectify import access, figures
from rectify.ui import NavItem, Panel, PanelLine

from .access import ADDRESSEE_ROLES, DASHBOARD_ROLES, SUPERVISION_ISSUER_ROLES
from .models import CampaignPolicy
from .selectors import dashboard as sel
from .selectors.levers import unit_levers
from .selectors.reports import bulletins_received_by
from .selectors.supervision import awaiting_counts, supervising_counts

if TYPE_CHECKING:
    from rectify.models import AnyUser


def section_links(user: AnyUser) -> list[NavItem]:
    """The leaders' pages the user may open: the dashboard (O7, O2), 我督办的 (O1), reports
    and 通报 (O7); drawn on each of them by `{% leadership_sections %}`."""
    links: list[NavItem] = []
    if access.has_role(user, *DASHBOARD_ROLES):
        links.append(NavItem(_("领导驾驶舱"), reverse("leadership:dashboard"), order=1))
    if access.has_role(user, *SUPERVISION_ISSUER_ROLES):
        links.append(NavItem(_("我督办的"), reverse("leadership:supervising"), order=2))
    if access.has_role(user, *DASHBOARD_ROLES):
        links.append(NavItem(_("报表通报"), reverse("leadership:reports"), order=3))
    return links


def nav_items(user: AnyUser) -> list[NavItem]:
    """One entry in the top bar (the first page the user may open); the others are the
    section links, so the bar stays one line at 1366 px."""
    links = section_links(user)
    if not links:
        return []
    return [NavItem(_("领导督导"), links[0].url, order=5)]


def _tone(n: int, bad: str = "warn") -> str:
    return bad if n else "ok"


def home_panels(user: AnyUser) -> list[Panel]:
    panels: list[Panel] = []
    # --- supervision (O1) ---
    if access.has_role(user, *SUPERVISION_ISSUER_ROLES):
        c = supervising_counts(user)
        url = reverse("leadership:supervising")
        panels.append(
            Panel(
                _("我督办的"),
                [
                    PanelLine(_("挂牌督办线索（在办）"), c["listed"], url + "?kind=listed"),
                    PanelLine(_("督办单在办"), c["orders_open"], url + "?kind=orders&status=open"),
                    PanelLine(
                        _("督办单待审核回复"),
                        c["orders_to_review"],
                        url + "?kind=orders&status=open",
                        _tone(c["orders_to_review"]),
                    ),
                    PanelLine(
                        _("督办单逾期"),
                        c["orders_overdue"],
                        url + "?kind=orders&overdue=1",
                        _tone(c["orders_overdue"], "danger"),
                    ),
                    PanelLine(
                        _("批示待办理"),
                        c["instructions_open"],
                        url + "?kind=instructions&status=open",
                    ),
                ],
                order=5,
            )
        )
    if access.has_role(user, *ADDRESSEE_ROLES):
        c = awaiting_counts(user)
        if c["orders"] or c["instructions"]:
            url = reverse("leadership:awaiting")
            panels.append(
                Panel(
                    _("待我办理的督办"),
                    [
                        PanelLine(_("督办单待回复"), c["orders"], url, _tone(c["orders"])),
                        PanelLine(
                            _("批示待签收或办理"), c["instructions"], url, _tone(c["instructions"])
                        ),
                    ],
                    order=6,
                )
            )
    # 通报 addressed to the user and not yet opened (unit heads and lower offices).
    unread = bulletins_received_by(user).filter(opened_at=None)
    count = unread.count()
    if count:
        first = unread.first()
        url = reverse("leadership:bulletin_detail", args=[first.bulletin_id]) if first else ""
        lines = [PanelLine(_("未读通报"), count, url, "warn")]
        panels.append(Panel(_("通报"), lines, order=64))
    # --- dashboard (O7) ---
    panel = _dashboard_panel(user)
    if panel is not None:
        panels.append(panel)
    return panels


def _dashboard_panel(user: AnyUser) -> Panel | None:
    """The headline rates of the user's jurisdiction (its first root), lit as on the
    dashboard, each line opening it."""
    if not access.has_role(user, *DASHBOARD_ROLES):
        return None
    campaign = figures.current_campaign()
    if campaign is None:
        return None
    roots = sel.dashboard_roots(user)
    if not roots:
        return None
    root = roots[0]
    row = sel.make_row(
        root, unit_levers(user, campaign, root), CampaignPolicy.for_campaign(campaign)
    )
    cells = row.by_key
    url = reverse("leadership:unit_dashboard", args=[root.pk])
    lines = []
    for key in ("filing_rate", "closure_rate", "accepted_rate", "overdue"):
        cell = cells[key]
        value = "—" if cell.value is None else f"{cell.value}{'%' if cell.column.rate else ''}"
        lines.append(PanelLine(cell.column.label, value, url, cell.tone))
    return Panel(_("领导驾驶舱 · %(unit)s") % {"unit": root.name}, lines, order=5)
