"""Navigation and home panels of the leaders' side."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rectify import access
from rectify.ui import NavItem

from .access import DASHBOARD_ROLES

if TYPE_CHECKING:
    from rectify.models import AnyUser
    from rectify.ui import Panel


def nav_items(user: AnyUser) -> list[NavItem]:
    items: list[NavItem] = []
    # --- dashboard (O7) ---
    if access.has_role(user, *DASHBOARD_ROLES):
        items.append(NavItem(_("领导驾驶舱"), reverse("leadership:dashboard"), order=5))
    return items


def home_panels(user: AnyUser) -> list[Panel]:
    return []
