from __future__ import annotations

from typing import TYPE_CHECKING

from .access import roles_of
from .models import Role
from .ui import collect_nav

if TYPE_CHECKING:
    from typing import Any

    from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    labels = dict(Role.choices)
    return {
        "nav_items": collect_nav(user),
        "my_roles": sorted(labels[r] for r in roles_of(user) if r in labels),
    }
