"""Navigation and home panels of the leaders' side."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rectify.models import AnyUser
    from rectify.ui import NavItem, Panel


def nav_items(user: AnyUser) -> list[NavItem]:
    return []


def home_panels(user: AnyUser) -> list[Panel]:
    return []
