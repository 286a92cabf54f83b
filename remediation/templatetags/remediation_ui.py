"""`{% remediation_sections %}`: the links between remediation's pages, per role."""

from __future__ import annotations

from typing import Any

from django import template

from ..ui import section_links

register = template.Library()


@register.inclusion_tag("remediation/partials/_sections.html", takes_context=True)
def remediation_sections(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    if request is None:
        return {"links": [], "path": ""}
    return {"links": section_links(request.user), "path": request.path}
