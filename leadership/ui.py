"""Navigation and home panels of the leaders' side."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from rectify.access import has_role
from rectify.ui import NavItem

from .access import DASHBOARD_ROLES

if TYPE_CHECKING:
    from rectify.models import AnyUser
    from rectify.ui import Panel


def nav_items(user: AnyUser) -> list[NavItem]:
    items: list[NavItem] = []
    if has_role(user, *DASHBOARD_ROLES):
        items.append(NavItem(_("报表通报"), reverse("leadership:reports"), order=62))
    return items


def home_panels(user: AnyUser) -> list[Panel]:
    return []
