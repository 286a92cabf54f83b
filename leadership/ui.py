"""Navigation and home panels of the leaders' side."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from rectify.access import has_role
from rectify.ui import NavItem, Panel, PanelLine

from .access import DASHBOARD_ROLES
from .selectors.reports import bulletins_received_by

if TYPE_CHECKING:
    from rectify.models import AnyUser


def nav_items(user: AnyUser) -> list[NavItem]:
    items: list[NavItem] = []
    if has_role(user, *DASHBOARD_ROLES):
        items.append(NavItem(_("报表通报"), reverse("leadership:reports"), order=62))
    return items


def home_panels(user: AnyUser) -> list[Panel]:
    panels: list[Panel] = []
    # 通报 addressed to the user and not yet opened (unit heads and lower offices).
    unread = bulletins_received_by(user).filter(opened_at=None)
    count = unread.count()
    if count:
        first = unread.first()
        url = reverse("leadership:bulletin_detail", args=[first.bulletin_id]) if first else ""
        lines = [PanelLine(_("未读通报"), count, url, "warn")]
        panels.append(Panel(_("通报"), lines, order=64))
    return panels
