"""Template helpers of smart screening and leniency.

{% load leads_screening %}
{% leniency_badge lead %}                      on the lead page (two queries)
{% leniency_badge lead leniency %}             on ledger rows, with
                                               leniency = leads.rules.leniency.leniency_for(page.items)
{% lead_url lead %}                            the lead's page, if the app has one
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template
from django.urls import NoReverseMatch, reverse

from leads.rules.leniency import NA, LeniencyResult, leniency_for

if TYPE_CHECKING:
    from leads.models import Lead

register = template.Library()


@register.inclusion_tag("leads/partials/_leniency_badge.html")
def leniency_badge(
    lead: Lead, leniency: dict[int, LeniencyResult] | None = None, quiet: bool = False
) -> dict:
    """`quiet=True` (ledger rows) shows nothing where leniency does not apply."""
    if leniency is None:
        leniency = leniency_for([lead])
    result = leniency.get(lead.pk)
    if quiet and result is not None and result.state == NA:
        result = None
    return {"result": result}


@register.simple_tag
def lead_url(lead: Lead) -> str:
    if hasattr(lead, "get_absolute_url"):
        return lead.get_absolute_url()
    for name in ("leads:detail", "leads:lead_detail"):
        try:
            return reverse(name, args=[lead.pk])
        except NoReverseMatch:
            continue
    return ""
