"""A lead's page, the reveal of the reporter's identity and the archive sheet; and the two
ways an action view answers when it does not redirect: the page again with a refused form,
or with a warning to confirm (leads.views.actions, leads.views.supervision)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import forms, selectors, services, ui
from ..access import LEAD_OFFICE_ROLES, get_lead_for_user, lead_actions_for
from ..audit import LEAD_ARCHIVE_PRINTED, LEAD_MERGED_READ, audit_list_read, audit_read
from ..models import Lead, LeadConclusion, LeadStatus
from ..workflow import LeadError, LeadWorkflowError
from . import attachments, intake, oversight, screening

if TYPE_CHECKING:
    from django import forms as django_forms

    from rectify.models import AnyUser

S = LeadStatus

# The actions drawn on the page's actions card (left out when none is allowed).
CARD_ACTIONS = frozenset(
    [
        "register",
        "assign",
        "feedback",
        "conclude",
        "sign_handler",
        "sign_head",
        "cross_off",
        "event",
        "reply",
    ]
)


def detail_context(user: AnyUser, lead: Lead, **extra: Any) -> dict[str, Any]:
    """Everything templates/leads/detail.html draws. Which buttons and forms it shows is
    `allowed`, the names of leads.access.LEAD_ACTIONS the user may do now."""
    allowed = lead_actions_for(user, lead)
    signatures = selectors.signatures_of(lead)
    subjects = selectors.subjects_of(lead)
    similar = []
    if allowed & {"register", "assign"}:  # L3: the office's staff, before triage
        similar = selectors.similar_for(
            user,
            text=lead.summary,
            officer_ids=[s.officer_id for s in subjects if s.officer_id],
            exclude=lead.pk,
        )
    for s in similar:
        s.can_merge_into = "merge_into" in allowed and s.lead.status not in (
            S.UNREGISTERED,
            S.MERGED,
        )
    ctx = {
        "lead": lead,
        "allowed": allowed,
        "has_actions": bool(allowed & CARD_ACTIONS),
        "merge_lead": lead if "merge_into" in allowed else None,
        "subjects": subjects,
        "similar": similar,
        "merged": selectors.merged_leads(user, lead),
        "status_labels": dict(S.choices),
        "timeline": ui.lead_timeline_for(user, lead),
        "signatures": signatures,
        "live": {s.role: s for s in signatures if s.binds(lead)},
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
        "handler_units": selectors.unit_choices(user, LEAD_OFFICE_ROLES)
        if "assign" in allowed
        else [],
        "unfounded": LeadConclusion.UNFOUNDED,
    }
    ctx.update(attachments.attachment_context(user, lead))
    ctx.update(intake.detail_context(user, lead))
    if "sign_head" in allowed:
        ctx.update(screening.sign_conflicts_context(user, lead))
    ctx.update(oversight.detail_context(user, lead, allowed))
    ctx["page_sections"] = ui.lead_page_sections(user, lead)
    ctx.update(extra)
    return ctx


def lead_page(request: HttpRequest, lead: Lead, *, status: int = 200, **extra: Any) -> HttpResponse:
    """The lead's page with `extra` in its context (a bound form, warnings to confirm)."""
    return render(
        request, "leads/detail.html", detail_context(request.user, lead, **extra), status=status
    )


def form_refused(
    request: HttpRequest,
    lead: Lead,
    form: django_forms.Form,
    *,
    slot: str | None = None,
    **extra: Any,
) -> HttpResponse:
    """An invalid action form: the lead's page again (422, nothing stored) with the errors
    in a message, and beside the fields when the page draws the form kept in `slot` (a
    context key, or `ov.<key>` for the oversight card)."""
    messages.error(request, forms.form_errors(form))
    ctx = detail_context(request.user, lead, **extra)
    if slot and slot.startswith("ov."):
        ctx["ov"][slot[3:]] = form
    elif slot:
        ctx[slot] = form
    return render(request, "leads/detail.html", ctx, status=422)


def refusal_message(exc: LeadError) -> str:
    """A service's refusal as shown to the user, with the conflicts it names (if any)."""
    conflicts = getattr(exc, "conflicts", None)
    return f"{exc}：{'；'.join(conflicts)}" if conflicts else str(exc)


def back_to_lead(request: HttpRequest, lead: Lead, *, anchor: str = "") -> HttpResponse:
    """PRG: back to the lead's page (at `anchor`), where the messages are shown."""
    return redirect(reverse("leads:detail", args=[lead.pk]) + (f"#{anchor}" if anchor else ""))


@login_required
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_lead_for_user(request.user, pk)
    services.lead_record_read(lead=lead, actor=request.user, request=request)
    ctx = detail_context(request.user, lead)
    if ctx["merged"]:  # their texts and reporters' messages are shown: a read of each
        audit_list_read(
            actor=request.user,
            action=LEAD_MERGED_READ,
            objects=ctx["merged"],
            data={"main": lead.pk},
            request=request,
        )
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
    response = lead_page(request, lead, revealed={"name": name, "contact": contact})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def lead_archive_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Printable A4 archive sheet of a concluded lead (conclusion and signatures)."""
    lead = get_lead_for_user(request.user, pk)
    if lead.concluded_at is None:
        raise PermissionDenied
    audit_read(
        actor=request.user,
        action=LEAD_ARCHIVE_PRINTED,
        target=lead,
        request=request,
    )
    return render(
        request,
        "leads/archive_sheet.html",
        {
            "lead": lead,
            "signatures": selectors.live_signatures_of(lead),
            "subjects": selectors.subjects_of(lead),
        },
    )
