"""A lead's page, the reveal of the reporter's identity and the archive sheet."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from rectify import access
from rectify.audit import audit_record
from rectify.models import AuditVerb

from .. import forms, selectors, services, ui
from ..access import (
    LEAD_OFFICE_ROLES,
    can_handle_lead,
    can_manage_lead,
    can_reveal_reporter,
    get_lead_for_user,
)
from ..models import LeadConclusion, LeadStatus, SignatureRole
from ..workflow import LeadWorkflowError
from . import attachments, intake, screening
from .ledger import _audit_list_read
from .oversight import detail_context as oversight_context

S = LeadStatus


# --- detail and actions --------------------------------------------------------------------


def _detail_context(request, lead, **extra) -> dict:
    user = request.user
    manage = can_manage_lead(user, lead)
    handle = can_handle_lead(user, lead)
    signatures = selectors.signatures_of(lead)
    live = {s.role: s for s in signatures if s.binds(lead)}
    can_sign_handler = lead.status == S.SIGNING and handle and SignatureRole.HANDLER not in live
    can_sign_head = (
        lead.status == S.SIGNING
        and not handle
        and SignatureRole.UNIT_HEAD not in live
        and services.is_unit_head_of(user, lead.handling_unit)
    )
    writable = lead.is_writable
    subjects = list(lead.subjects.select_related("officer__unit"))
    similar = []
    if manage and lead.status in (S.UNREGISTERED, S.REGISTERED, S.HELD):  # L3 before triage
        similar = intake._similar_for(
            user,
            text=lead.summary,
            officer_ids=[s.officer_id for s in subjects if s.officer_id],
            exclude=lead.pk,
        )
    # 并入此线索 from the duplicate panel: this lead into a registered, unmerged one.
    can_merge = (
        writable
        and manage
        and lead.status in (S.UNREGISTERED, S.REGISTERED, S.HELD)
        and lead.merged_into_id is None
    )
    for s in similar:
        s.can_merge_into = can_merge and s.lead.status not in (S.UNREGISTERED, S.MERGED)
    ctx = {
        "lead": lead,
        "merge_lead": lead if can_merge else None,
        "subjects": subjects,
        "similar": similar,
        "merged": selectors.merged_leads(user, lead),
        "status_labels": dict(S.choices),
        "timeline": selectors.lead_timeline(lead),
        "signatures": signatures,
        "live": live,
        "manage": manage,
        "handle": handle,
        "writable": writable,
        "can_reveal": can_reveal_reporter(user, lead) and not lead.reporter_anonymous,
        "can_triage": manage and lead.status in (S.REGISTERED, S.HELD),
        "can_register": manage and lead.status == S.UNREGISTERED,
        "can_conclude": handle and lead.status in (S.HANDLING, S.SIGNING) and writable,
        "can_note": (handle or manage) and writable and lead.is_screened,
        "can_sign_handler": can_sign_handler,
        "can_sign_head": can_sign_head,
        "can_cross_off": manage and lead.status == S.CONCLUDED,
        "can_feedback": manage and lead.status == S.TRANSFERRED,
        "can_reply": manage and lead.is_public,
        "transfer_form": forms.TransferForm(auto_id="transfer-%s"),
        "assign_form": forms.AssignForm(auto_id="assign-%s"),
        "merge_form": forms.MergeForm(auto_id="merge-%s"),
        "reason_form": forms.ReasonForm(auto_id="reason-%s"),
        "event_form": forms.EventForm(auto_id="event-%s"),
        "conclude_form": forms.ConcludeForm(
            auto_id="conclude-%s",
            initial={
                "conclusion": lead.conclusion,
                "result": lead.result,
                "disposition_form": lead.disposition_form,
                "dealt_with": lead.dealt_with,
            },
        ),
        "feedback_form": forms.TransferFeedbackForm(auto_id="feedback-%s"),
        "reply_form": forms.ReplyForm(auto_id="reply-%s"),
        "handler_units": access.units_visible_to(user, LEAD_OFFICE_ROLES).order_by("path")[:300]
        if manage
        else [],
        "unfounded": LeadConclusion.UNFOUNDED,
    }
    ctx["has_actions"] = any(
        ctx[k]
        for k in (
            "can_register",
            "can_triage",
            "can_feedback",
            "can_conclude",
            "can_sign_handler",
            "can_sign_head",
            "can_cross_off",
            "can_note",
            "can_reply",
        )
    )
    ctx.update(attachments.attachment_context(user, lead))
    ctx.update(intake.detail_context(user, lead))
    if can_sign_head:
        ctx.update(screening.sign_conflicts_context(user, lead))
    ctx.update(oversight_context(user, lead))
    ctx["page_sections"] = ui.lead_page_sections(user, lead)
    ctx.update(extra)
    return ctx


@login_required
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_lead_for_user(request.user, pk)
    services.lead_record_read(lead=lead, actor=request.user, request=request)
    ctx = _detail_context(request, lead)
    if ctx["merged"]:  # their texts and reporters' messages are shown: a read of each
        _audit_list_read(request, "leads.lead.merged_read", ctx["merged"], main=lead.pk)
    return render(request, "leads/detail.html", ctx)


@login_required
@require_POST
def lead_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_lead_for_user(request.user, pk)
    try:
        name, contact = services.lead_reveal_reporter(
            lead=lead, actor=request.user, request=request
        )
    except LeadWorkflowError as exc:
        raise PermissionDenied(str(exc)) from exc
    response = render(
        request,
        "leads/detail.html",
        _detail_context(request, lead, revealed={"name": name, "contact": contact}),
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def lead_archive_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Printable A4 archive sheet of a concluded lead (conclusion and signatures)."""
    lead = get_lead_for_user(request.user, pk)
    if lead.concluded_at is None:
        raise PermissionDenied
    audit_record(
        actor=request.user,
        action="leads.lead.archive_printed",
        verb=AuditVerb.READ,
        target=lead,
        request=request,
    )
    signatures = selectors.live_signatures_of(lead)
    return render(
        request,
        "leads/archive_sheet.html",
        {"lead": lead, "signatures": signatures, "subjects": lead.subjects.all()},
    )
