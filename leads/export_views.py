"""Ledger export to Excel (canonical layout), scoped by leads_visible_to (recusal applies),
filtered exactly like the ledger page (leads.selectors.ledger_filter), audited (verb export)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from rectify import access
from rectify.audit import audit_record
from rectify.models import AuditVerb

from .exports import ledger_xlsx
from .selectors import ledger_filter


@login_required
def ledger_export(request: HttpRequest) -> HttpResponse:
    """URL name `leads:ledger_export`; pass the ledger page's query string along."""
    leads = ledger_filter(access.leads_visible_to(request.user), request.GET)
    params = {k: v for k, v in request.GET.items() if k != "after"}
    audit_record(
        actor=request.user,
        action="leads.ledger.exported",
        verb=AuditVerb.EXPORT,
        data={"filters": params, "rows": leads.count()},
        request=request,
    )
    return ledger_xlsx(leads=leads, user=request.user, request=request)
