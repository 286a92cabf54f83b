"""Who may open the leaders' pages, on rectify's primitives."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rectify import access
from rectify.models import Role, Unit

if TYPE_CHECKING:
    from rectify.models import AnyUser

# Leaders and the campaign offices that prepare their dashboards and reports.
DASHBOARD_ROLES = (Role.LEADER, Role.OFFICE)


# --- dashboard (O7): who may change the campaign's thresholds and report period ---------


def can_edit_policy(user: AnyUser) -> bool:
    """The campaign office at the top of the tree (OFFICE over a root unit) or an admin."""
    if getattr(user, "is_superuser", False) or access.has_role(user, Role.ADMIN):
        return True
    return any(len(p) == Unit.steplen for p in access.scope_paths(user, [Role.OFFICE]))
