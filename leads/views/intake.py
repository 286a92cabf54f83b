"""Intake pages (L1, L2): the intake queue, registering a lead, the original public report
(audited read), confirming or ruling out the officers a typed subject may mean, and edits of
the registration details (each change a timeline event).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rectify import access
from rectify.pagination import keyset_page

from .. import forms, selectors, services
from ..access import (
    LEAD_ACTIONS,
    LEAD_OFFICE_ROLES,
    can_decide_subject_candidate,
    can_manage_lead,
    can_read_original_report,
    get_lead_for_user,
    lead_offices_for,
)
from ..audit import INTAKE_READ, audit_list_read
from ..models import Lead, LeadStatus
from ..workflow import LeadError

if TYPE_CHECKING:
    from rectify.models import AnyUser

S = LeadStatus


# --- intake (L1, L2) --------------------------------------------------------------------


@access.role_required(*LEAD_OFFICE_ROLES)
def intake_queue(request: HttpRequest) -> HttpResponse:
    leads = selectors.intake_queue(request.user)
    page = keyset_page(leads, ordering=("received_date", "id"), cursor=request.GET.get("after"))
    cutoff = selectors.intake_cutoff()
    pending = selectors.subject_candidates_for(request.user, [lead.pk for lead in page.items])
    for lead in page.items:
        lead.intake_overdue = lead.received_date < cutoff
        lead.subject_pending = pending.get(lead.pk)
    audit_list_read(actor=request.user, action=INTAKE_READ, objects=page.items, request=request)
    return render(
        request,
        "leads/intake.html",
        {"page": page, "intake_days": settings.LEADS_INTAKE_DAYS},
    )


@access.role_required(*LEAD_OFFICE_ROLES)
def lead_register(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    existing = None
    offices = lead_offices_for(request.user)
    if pk is not None:
        existing = get_lead_for_user(request.user, pk)
        if not LEAD_ACTIONS["register"](request.user, existing):
            raise PermissionDenied
    initial = {}
    if existing:
        initial = {
            "office": existing.office_id,
            "received_date": existing.received_date,
            "channel": existing.channel_id,
            "category": existing.category,
            "summary": existing.summary,
            "subjects": "、".join(s.name for s in existing.subjects.all()),
            "subject_unit_text": next((s.unit_name for s in existing.subjects.all()), ""),
            "reporter_anonymous": existing.reporter_anonymous,
        }
    form = forms.RegisterForm(
        request.POST or None,
        request.FILES or None,
        offices=offices,
        initial=initial,
        keeps_reporter=bool(existing and existing.is_public),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        subjects = selectors.match_subjects(
            request.user, form.subject_tokens(), data.get("subject_unit_text", "")
        )
        try:
            lead = services.lead_register(
                office=data["office"],
                actor=request.user,
                received_date=data["received_date"],
                channel=data["channel"],
                category=data["category"],
                summary=data["summary"],
                subjects=subjects,
                reporter_anonymous=data.get("reporter_anonymous", True),
                reporter_name=data.get("reporter_name", ""),
                reporter_contact=data.get("reporter_contact", ""),
                lead=existing,
                uploads=data["attachments"],
                request=request,
            )
        except LeadError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("线索已登记：%(n)s") % {"n": lead.number})
            if not selectors.lead_is_visible(request.user, lead):
                # A subject may be the registrar (recusal by identity): the lead is for the
                # office's other intake staff now.
                messages.info(request, RECUSED_NOTICE)
                return redirect("leads:intake")
            return redirect("leads:detail", pk=lead.pk)
    similar, similar_text = [], ""
    if request.method == "POST" or existing:  # without JavaScript: shown after a submit
        similar_text = (request.POST.get("summary") if request.method == "POST" else "") or (
            existing.summary if existing else ""
        )
        similar = selectors.similar_for(
            request.user,
            text=similar_text,
            tokens=form.subject_tokens() if form.is_bound and form.is_valid() else [],
            exclude=existing.pk if existing else None,
        )
    return render(
        request,
        "leads/register.html",
        {"form": form, "existing": existing, "similar": similar, "similar_text": similar_text},
    )


RECUSED_NOTICE = gettext_lazy(
    "被反映人可能是您本人（同名或同号），按回避规定该线索由本办公室其他受理人员办理，您已看不到它"
)


def detail_context(user: AnyUser, lead: Lead) -> dict[str, Any]:
    """What the lead page shows of intake's follow-ups (no reads of the original here: the
    original has its own audited page)."""
    manage = can_manage_lead(user, lead)
    pending = selectors.subject_candidates_for(user, [lead.pk]).get(lead.pk) if manage else None
    return {
        "subject_pending": pending,
        "has_original": can_read_original_report(user, lead) and selectors.has_original(lead),
    }


@login_required
def lead_original(request: HttpRequest, pk: int) -> HttpResponse:
    """The public report as submitted (text, subject, category, the reporter's files)."""
    lead = get_lead_for_user(request.user, pk)
    if not can_read_original_report(request.user, lead):
        raise PermissionDenied
    original = selectors.original_of(lead)
    if original is None:
        raise Http404
    services.lead_original_record_read(lead=lead, actor=request.user, request=request)
    response = render(
        request,
        "leads/original.html",
        {"lead": lead, "original": original, "files": selectors.original_files(lead)},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def subject_decide(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    """确认为此人 / 排除 for one candidate; back to the queue or the lead page."""
    lead = get_lead_for_user(request.user, pk)
    candidate = selectors.subject_candidate(lead, candidate_pk)
    # An officer outside the user's scope is not theirs to see: same 404 as a missing one.
    if candidate is None or not can_decide_subject_candidate(request.user, lead, candidate):
        raise Http404
    decision = request.POST.get("decision")
    if decision not in ("confirm", "rule_out"):
        messages.error(request, _("请选择确认或排除"))
    else:
        try:
            services.lead_subject_candidate_decide(
                candidate=candidate,
                actor=request.user,
                confirm=decision == "confirm",
                request=request,
            )
        except LeadError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("已确认被反映人") if decision == "confirm" else _("已排除同名干警")
            )
    if request.POST.get("next") == "intake":
        return redirect("leads:intake")
    return redirect("leads:detail", pk=lead.pk)


@login_required
def lead_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit summary, category and subjects of a registered lead (old → new on the timeline)."""
    lead = get_lead_for_user(request.user, pk)
    if not LEAD_ACTIONS["edit"](request.user, lead):
        raise PermissionDenied
    subjects = selectors.subjects_of(lead)
    initial = {
        "category": lead.category,
        "summary": lead.summary,
        "subjects": "、".join(s.name for s in subjects),
        "subject_unit_text": next((s.unit_name for s in subjects if not s.officer_id), ""),
    }
    form = forms.DetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        typed = selectors.match_subjects(
            request.user, form.subject_tokens(), data.get("subject_unit_text", "")
        )
        try:
            services.lead_details_change(
                lead=lead,
                actor=request.user,
                summary=data["summary"],
                category=data["category"],
                subjects=typed,
                request=request,
            )
        except LeadError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("登记信息已修改，修改记录已写入办理过程"))
            if not selectors.lead_is_visible(request.user, lead):
                messages.info(request, RECUSED_NOTICE)
                return redirect("leads:intake")
            return redirect("leads:detail", pk=lead.pk)
    return render(request, "leads/edit.html", {"lead": lead, "form": form})
