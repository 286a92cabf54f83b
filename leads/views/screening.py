"""Smart screening pages (L3): the as-you-type duplicate check and the screening page; the
handler conflict warnings (L4) shown as the handler is chosen.

Every query goes through leads.access.leads_visible_to(user) — recusal applies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rectify.access import role_required
from rectify.models import Officer, Role
from rectify.pagination import keyset_page
from rectify.params import id_value, ids_param
from selfcheck import access as selfcheck_access

from .. import selectors
from ..access import can_manage_lead, get_lead_for_user, leads_visible_to
from ..audit import (
    LEAD_CONFLICTS_CHECKED,
    SCREENING_READ,
    SIMILAR_READ,
    audit_list_read,
    audit_read,
)
from ..forms.lead import SPLIT
from ..models import Lead
from ..rules import conflicts
from ..rules.leniency import leniency_counts, leniency_for
from ..rules.screening import similar_leads
from ..selectors.subjects import match_subjects

if TYPE_CHECKING:
    from rectify.models import AnyUser

# Who screens leads: the office's intake and staff, and the leaders over it.
SCREENERS = (Role.INTAKE, Role.OFFICE, Role.LEADER)


@role_required(Role.INTAKE, Role.OFFICE)
def similar(request: HttpRequest) -> HttpResponse:
    """htmx endpoint for the registration form (URL name `leads:similar`).

    GET/POST `summary` (the text typed so far), `officers` (subject officer ids, repeated),
    `exclude` (the lead being edited). Returns the partial leads/partials/_similar.html.
    """
    data = request.POST if request.method == "POST" else request.GET
    text = data.get("summary", "")[:5000]
    officer_ids = [
        str(i) for i in ids_param(data, "officers") + ids_param(data, "subject_officers")
    ]
    tokens = [t for t in SPLIT.split(data.get("subjects", ""))[:20] if t]
    # the registration form's free-text subjects: officer numbers or names
    officer_ids += [str(s.officer.pk) for s in match_subjects(request.user, tokens) if s.officer]
    exclude = data.get("exclude")
    results = []
    if len(text.strip()) >= 4 or officer_ids:
        results = similar_leads(
            text=text,
            officer_ids=officer_ids,
            exclude_id=id_value(exclude),
            user=request.user,
        )
    if results:  # summaries of other leads are shown: a read of those leads
        audit_list_read(
            actor=request.user,
            action=SIMILAR_READ,
            objects=[r.lead for r in results],
            request=request,
        )
    return render(request, "leads/partials/_similar.html", {"results": results, "text": text})


@role_required(*SCREENERS)
def screening(request: HttpRequest) -> HttpResponse:
    """Officers named in several leads; leads against officers who declared nothing."""
    repeated = selectors.officers_named_repeatedly(request.user)
    leads = selectors.leads_about_undeclared_officers(request.user)
    page = keyset_page(
        leads, ordering=("-received_date", "-id"), cursor=request.GET.get("after"), size=50
    )
    leniency = leniency_for(page.items)
    # L12 figure: among visible leads about a registered officer on one of the six problems,
    # how many the officer had self-declared in time vs how many investigation found.
    figure = selectors.ledger_leniency(request.user) or leniency_counts(
        leads_visible_to(request.user)
    )
    audit_read(
        actor=request.user,
        action=SCREENING_READ,
        data={"repeated": len(repeated), "undeclared_page": len(page.items)},
        request=request,
    )
    return render(
        request,
        "leads/screening.html",
        {"repeated": repeated, "page": page, "leniency": leniency, "figure": figure},
    )


def assign_conflicts_context(
    user: AnyUser, lead: Lead, handler: Officer | None, number: str = ""
) -> dict[str, Any]:
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


def sign_conflicts_context(user: AnyUser, lead: Lead) -> dict[str, Any]:
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
    lead = get_lead_for_user(request.user, pk)
    if not can_manage_lead(request.user, lead):
        raise PermissionDenied
    number = request.GET.get("handler", "").strip()
    handler = selectors.officer_by_number(request.user, number)
    ctx = assign_conflicts_context(request.user, lead, handler, number)
    if ctx["assign_conflicts"]:
        audit_read(
            actor=request.user,
            action=LEAD_CONFLICTS_CHECKED,
            target=lead,
            data={"handler": handler.pk, "conflicts": ctx["assign_conflicts"]},
            request=request,
        )
    return render(request, "leads/partials/_assign_conflicts.html", ctx)
