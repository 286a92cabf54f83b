"""Who may open the leaders' pages, on rectify's primitives."""

from __future__ import annotations

from rectify.models import Role

# Leaders and the campaign offices that prepare their dashboards and reports.
DASHBOARD_ROLES = (Role.LEADER, Role.OFFICE)
