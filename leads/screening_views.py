"""Smart screening pages (L3): the as-you-type duplicate check and the screening page.

Every query goes through rectify.access.leads_visible_to(user) — recusal applies.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rectify import access
from rectify.access import role_required
from rectify.audit import audit_record
from rectify.models import AuditVerb, Campaign, Role
from rectify.pagination import keyset_page
from rectify.params import id_value, ids_param

from .forms import SPLIT
from .screening import similar_leads
from .selectors import match_subjects

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
        audit_record(
            actor=request.user,
            action="leads.similar.read",
            verb=AuditVerb.READ,
            object_type="leads.lead",
            data={"ids": [r.lead.pk for r in results]},
            request=request,
        )
    return render(request, "leads/partials/_similar.html", {"results": results, "text": text})


def _subject_leads(user):
    from .models import LeadSubject

    return LeadSubject.objects.filter(
        lead__in=access.leads_visible_to(user).values("id"), officer__isnull=False
    )


@role_required(*SCREENERS)
def screening(request: HttpRequest) -> HttpResponse:
    """Officers named in several leads; leads against officers who declared nothing."""
    from selfcheck.selectors import officer_ids_with_any_declaration

    from .leniency import leniency_counts, leniency_for
    from .models import LeadSubject

    repeated = list(
        _subject_leads(request.user)
        .values("officer_id", "officer__name", "officer__number", "officer__unit__name")
        .annotate(n=Count("lead_id", distinct=True))
        .filter(n__gte=2)
        .order_by("-n", "officer__name")[:100]
    )
    declared = officer_ids_with_any_declaration(campaign=Campaign.current())
    undeclared_subject = LeadSubject.objects.filter(
        lead_id=OuterRef("pk"), officer__isnull=False
    ).exclude(officer_id__in=declared)
    leads = (
        access.leads_visible_to(request.user)
        .filter(Exists(undeclared_subject))
        .select_related("office", "channel")
    )
    page = keyset_page(
        leads, ordering=("-received_date", "-id"), cursor=request.GET.get("after"), size=50
    )
    leniency = leniency_for(page.items)
    # L12 figure: among visible leads about a registered officer on one of the six problems,
    # how many the officer had self-declared in time vs how many investigation found.
    figure = leniency_counts(access.leads_visible_to(request.user))
    audit_record(
        actor=request.user,
        action="leads.screening.viewed",
        verb=AuditVerb.READ,
        data={"repeated": len(repeated), "undeclared_page": len(page.items)},
        request=request,
    )
    return render(
        request,
        "leads/screening.html",
        {"repeated": repeated, "page": page, "leniency": leniency, "figure": figure},
    )
