"""Navigation and home panels of the leaders' side."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rectify import access, figures
from rectify.ui import NavItem, Panel, PanelLine

from .access import DASHBOARD_ROLES
from .models import CampaignPolicy
from .selectors import dashboard as sel
from .selectors.levers import unit_levers

if TYPE_CHECKING:
    from rectify.models import AnyUser


def nav_items(user: AnyUser) -> list[NavItem]:
    items: list[NavItem] = []
    # --- dashboard (O7) ---
    if access.has_role(user, *DASHBOARD_ROLES):
        items.append(NavItem(_("领导驾驶舱"), reverse("leadership:dashboard"), order=5))
    return items


def home_panels(user: AnyUser) -> list[Panel]:
    panels: list[Panel] = []
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
