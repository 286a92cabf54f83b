"""`{% leadership_sections %}`: the links between the leaders' pages, per role."""

from __future__ import annotations

from typing import Any

from django import template

from ..ui import section_links

register = template.Library()


@register.inclusion_tag("leadership/partials/_sections.html", takes_context=True)
def leadership_sections(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    if request is None:
        return {"links": [], "path": ""}
    return {"links": section_links(request.user), "path": request.path}
