from __future__ import annotations

from .access import roles_of
from .models import Role
from .ui import collect_nav


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    labels = dict(Role.choices)
    return {
        "nav_items": collect_nav(user),
        "my_roles": sorted(labels[r] for r in roles_of(user) if r in labels),
    }
