"""Handler conflict warnings on the lead page (L4 triage): the context the assign form shows
and the htmx hint as the handler's number is typed. The rule itself is leads.conflicts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rectify import access
from rectify.audit import audit_record
from rectify.models import AuditVerb, Officer
from selfcheck import access as selfcheck_access

from . import conflicts, selectors
from .models import Lead


def assign_conflicts_context(user, lead: Lead, handler: Officer | None, number: str = "") -> dict:
    """The warnings for `handler`. A declared tie is named only to a user who may read the
    handler's self-check; office staff, who may not, are told its kind (亲属/企业/借贷对象)."""
    found = handler is not None
    show = found and selfcheck_access.selfcheck_declarations_readable(user, handler)
    return {
        "assign_conflicts": conflicts.handler_conflicts(
            lead=lead, handler=handler, show_declared_names=show
        )
        if found
        else [],
        "assign_handler": handler,
        "assign_handler_missing": bool(number.strip()) and not found,
    }


def sign_conflicts_context(user, lead: Lead) -> dict:
    """L9: the warnings for the unit head about to sign (their own ties, named to them only
    when they may read the declaration: their own self-check they may)."""
    officer = getattr(user, "officer", None) if getattr(user, "is_authenticated", False) else None
    if officer is None:
        return {"sign_conflicts": []}
    show = selfcheck_access.selfcheck_declarations_readable(user, officer)
    return {
        "sign_conflicts": conflicts.handler_conflicts(
            lead=lead, handler=officer, role=conflicts.ROLE_UNIT_HEAD, show_declared_names=show
        )
    }


@login_required
@require_GET
def assign_conflicts_hint(request: HttpRequest, pk: int) -> HttpResponse:
    """The partial with the conflict warnings for the handler number typed so far (no write;
    the assign action checks again). Audited when it shows conflicts: they come from the
    handler's self-check."""
    lead = access.get_lead_for_user(request.user, pk)
    if not access.can_manage_lead(request.user, lead):
        raise PermissionDenied
    number = request.GET.get("handler", "").strip()
    handler = selectors.officer_by_number(request.user, number)
    ctx = assign_conflicts_context(request.user, lead, handler, number)
    if ctx["assign_conflicts"]:
        audit_record(
            actor=request.user,
            action="leads.lead.conflicts_checked",
            verb=AuditVerb.READ,
            target=lead,
            data={"handler": handler.pk, "conflicts": ctx["assign_conflicts"]},
            request=request,
        )
    return render(request, "leads/partials/_assign_conflicts.html", ctx)
