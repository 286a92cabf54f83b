"""Ledger export to Excel (canonical layout), scoped by leads_visible_to (recusal applies),
filtered like the ledger, and audited (verb export)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from rectify import access
from rectify.audit import audit_record
from rectify.excel import parse_date
from rectify.models import AuditVerb, Unit

from .exports import ledger_xlsx


def filter_ledger(leads, params):
    """The ledger's filters as GET parameters: office (id), status, category, channel (id),
    unit (handling-unit subtree id), from / to (received date), q (number or summary)."""
    office = params.get("office")
    if office and office.isdigit():
        leads = leads.filter(office_id=int(office))
    for name in ("status", "category"):
        if params.get(name):
            leads = leads.filter(**{name: params[name]})
    channel = params.get("channel")
    if channel and channel.isdigit():
        leads = leads.filter(channel_id=int(channel))
    unit = params.get("unit")
    if unit and unit.isdigit():
        path = Unit.objects.filter(pk=int(unit)).values_list("path", flat=True).first()
        leads = leads.filter(handling_unit__path__startswith=path) if path else leads.none()
    for name, lookup in (("from", "received_date__gte"), ("to", "received_date__lte")):
        try:
            day = parse_date(params.get(name))
        except ValueError:
            day = None
        if day:
            leads = leads.filter(**{lookup: day})
    q = (params.get("q") or "").strip()
    if q:
        from django.db.models import Q

        leads = leads.filter(Q(number__icontains=q) | Q(summary__icontains=q))
    return leads


@login_required
def ledger_export(request: HttpRequest) -> HttpResponse:
    """URL name `leads:ledger_export`; pass the ledger page's query string along."""
    leads = filter_ledger(access.leads_visible_to(request.user), request.GET)
    params = {k: v for k, v in request.GET.items() if k != "after"}
    audit_record(
        actor=request.user,
        action="leads.ledger.exported",
        verb=AuditVerb.EXPORT,
        data={"filters": params, "rows": leads.count()},
        request=request,
    )
    return ledger_xlsx(leads=leads, user=request.user)
