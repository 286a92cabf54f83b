"""Intake follow-ups on a lead: the original public report (原始举报内容, audited read),
confirming or ruling out the officers a typed subject may mean (被反映人待确认), and edits of
the registration details (each change a timeline event). Scope through rectify.access,
writes through leads.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rectify import access

from . import forms, selectors, services
from .models import Lead, LeadStatus
from .workflow import LeadWorkflowError

RECUSED_NOTICE = gettext_lazy(
    "被反映人可能是您本人（同名或同号），按回避规定该线索由本办公室其他受理人员办理，您已看不到它"
)


def detail_context(user, lead: Lead) -> dict:
    """What the lead page shows of intake's follow-ups (no reads of the original here: the
    original has its own audited page)."""
    manage = access.can_manage_lead(user, lead)
    pending = selectors.subject_candidates_for(user, [lead.pk]).get(lead.pk) if manage else None
    return {
        "subject_pending": pending,
        "has_original": access.can_read_original_report(user, lead)
        and selectors.has_original(lead),
        "can_edit_details": manage and lead.is_writable and lead.status != LeadStatus.UNREGISTERED,
    }


@login_required
def lead_original(request: HttpRequest, pk: int) -> HttpResponse:
    """The public report as submitted (text, subject, category, the reporter's files)."""
    lead = access.get_lead_for_user(request.user, pk)
    if not access.can_read_original_report(request.user, lead):
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
    lead = access.get_lead_for_user(request.user, pk)
    candidate = selectors.subject_candidate(lead, candidate_pk)
    # An officer outside the user's scope is not theirs to see: same 404 as a missing one.
    if candidate is None or not access.can_decide_subject_candidate(request.user, lead, candidate):
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
        except LeadWorkflowError as exc:
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
    lead = access.get_lead_for_user(request.user, pk)
    if not (
        access.can_manage_lead(request.user, lead)
        and lead.is_writable
        and lead.status != LeadStatus.UNREGISTERED
    ):
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
        except LeadWorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("登记信息已修改，修改记录已写入办理过程"))
            if not selectors.lead_is_visible(request.user, lead):
                messages.info(request, RECUSED_NOTICE)
                return redirect("leads:intake")
            return redirect("leads:detail", pk=lead.pk)
    return render(request, "leads/edit.html", {"lead": lead, "form": form})
