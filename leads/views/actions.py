"""The actions posted from a lead's page (triage, handling, signatures, replies), one URL
and one view each, in the shape of healthchecks' `pause`: load the lead with
get_lead_for_user (404 when invisible), check the action's predicate in
leads.access.LEAD_ACTIONS (403), validate the form (the page again with the errors, 422),
call one service, and go back to the lead's page (PRG) with its message or its refusal.
The oversight card's actions are in leads.views.supervision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rectify import access

from .. import forms, selectors, services
from ..access import LEAD_ACTIONS, get_lead_for_user, may_act
from ..models import Lead, LeadConclusion, SignatureRole
from ..rules.conflicts import HandlerConflictError
from ..workflow import LeadError
from . import screening
from .detail import back_to_lead, form_refused, lead_page, refusal_message

NO_SUCH_LEAD = gettext_lazy("找不到该编号的线索")


def _lead_for(request: HttpRequest, pk: int, *names: str) -> Lead:
    """The visible lead (404 otherwise) if the user may do one of the actions `names` to it
    (403 otherwise)."""
    lead = get_lead_for_user(request.user, pk)
    if not may_act(request.user, lead, *names):
        raise PermissionDenied
    return lead


# --- triage (L3, L4) ----------------------------------------------------------------------


@login_required
@require_POST
def lead_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_for(request, pk, "transfer")
    form = forms.TransferForm(request.POST, auto_id="transfer-%s")
    if not form.is_valid():
        return form_refused(request, lead, form, slot="transfer_form")
    d = form.cleaned_data
    try:
        services.lead_transfer(
            lead=lead,
            actor=request.user,
            body=d["body"],
            date=d["date"],
            reason=d["reason"],
            request=request,
        )
    except LeadError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("已移交纪委监委"))
    return back_to_lead(request, lead)


@login_required
@require_POST
def lead_transfer_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_for(request, pk, "feedback")
    form = forms.TransferFeedbackForm(request.POST, auto_id="feedback-%s")
    if not form.is_valid():
        return form_refused(request, lead, form, slot="feedback_form")
    try:
        services.lead_transfer_feedback(
            lead=lead,
            actor=request.user,
            feedback=form.cleaned_data["feedback"],
            conclusion=form.cleaned_data["conclusion"],
            request=request,
        )
    except LeadError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("已登记纪委监委反馈"))
    return back_to_lead(request, lead)


@login_required
@require_POST
def lead_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """交办 from the triage card, or 指定承办人 from the oversight card once a change of
    jurisdiction left the lead without a handler. Past deadlines and handler conflicts are
    warnings: the page again with the values kept, to confirm on a second submit."""
    lead = _lead_for(request, pk, "assign", "name_handler")
    # The triage card has the confirmation box and the conflict list; the oversight card
    # does not, so there these come back as plain refusals.
    triage = LEAD_ACTIONS["assign"](request.user, lead)
    slot = "assign_form" if triage else "ov.assign_form"
    form = forms.AssignForm(
        request.POST, auto_id="assign-%s" if triage else "ov-assign-%s", user=request.user
    )
    kept = {"assign_unit_value": request.POST.get("unit", "")}
    if not form.is_valid():
        past = services.DEADLINE_IN_PAST in form.errors.get("deadline", [])
        if triage and past and "handler" not in form.errors:
            messages.warning(request, services.DEADLINE_IN_PAST)
            return lead_page(
                request, lead, status=422, assign_form=form, assign_confirm_past=True, **kept
            )
        return form_refused(request, lead, form, slot=slot, **kept)
    d = form.cleaned_data
    unit = access.get_unit_for_user(request.user, d["unit"])
    handler = d["handler"]
    try:
        services.lead_assign(
            lead=lead,
            actor=request.user,
            unit=unit,
            handler=handler,
            deadline=d["deadline"],
            route=d["route"],
            reason=d["reason"],
            override_reason=d["override_reason"],
            past_deadline_confirmed=d["confirm_past_deadline"],
            request=request,
        )
    except HandlerConflictError as exc:
        if not triage:
            messages.error(request, refusal_message(exc))
            return back_to_lead(request, lead)
        # Not assigned: the page again, the values kept, the reasons and the override field.
        messages.warning(request, str(exc))
        return lead_page(
            request,
            lead,
            assign_form=form,
            assign_unit_value=str(unit.pk),
            **screening.assign_conflicts_context(request.user, lead, handler, handler.number),
        )
    except LeadError as exc:
        messages.error(request, refusal_message(exc))
    else:
        if d["override_reason"].strip():
            messages.success(request, _("已交办（已记录回避提示及仍然交办的理由）"))
        else:
            messages.success(request, _("已交办"))
    return back_to_lead(request, lead)


@login_required
@require_POST
def lead_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """并案 from the triage card (by number) or 并入此线索 from the duplicate panel (by id)."""
    lead = _lead_for(request, pk, "merge", "merge_into")
    form = forms.MergeForm(request.POST, auto_id="merge-%s")
    into = None
    if form.is_valid():
        d = form.cleaned_data
        into = selectors.merge_target(request.user, pk=d["into_id"], number=d["into"])
        if into is None:
            form.add_error("into", NO_SUCH_LEAD)
    if into is None:
        return form_refused(request, lead, form, slot="merge_form")
    try:
        services.lead_merge(
            lead=lead,
            into=into,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            request=request,
        )
    except LeadError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("已并入线索 %(n)s") % {"n": into.number})
    return back_to_lead(request, lead)


@login_required
@require_POST
def lead_hold(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_for(request, pk, "hold")
    form = forms.ActionReasonForm(request.POST)
    if not form.is_valid():
        return form_refused(request, lead, form)
    try:
        services.lead_hold(
            lead=lead, actor=request.user, reason=form.cleaned_data["reason"], request=request
        )
    except LeadError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("已暂存待查"))
    return back_to_lead(request, lead)


@login_required
@require_POST
def lead_close(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_for(request, pk, "close")
    form = forms.ActionReasonForm(request.POST)
    if not form.is_valid():
        return form_refused(request, lead, form)
    try:
        services.lead_close(
            lead=lead, actor=request.user, reason=form.cleaned_data["reason"], request=request
        )
    except LeadError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("已予以了结"))
    return back_to_lead(request, lead)


# --- handling (L5, L7, L9) ------------------------------------------------------------------


@login_required
@require_POST
def lead_event_add(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_for(request, pk, "event")
    form = forms.EventForm(request.POST, auto_id="event-%s")
    if not form.is_valid():
        return form_refused(request, lead, form, slot="event_form")
    d = form.cleaned_data
    try:
        services.lead_add_event(
            lead=lead,
            actor=request.user,
            kind=d["kind"],
            text=d["text"],
            participants=d["participants"],
            conclusion=d["conclusion"],
            request=request,
        )
    except LeadError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("已记录"))
    return back_to_lead(request, lead)


@login_required
@require_POST
def lead_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_for(request, pk, "conclude")
    form = forms.ConcludeForm(request.POST, auto_id="conclude-%s")
    if not form.is_valid():
        return form_refused(request, lead, form, slot="conclude_form")
    d = form.cleaned_data
    try:
        services.lead_conclude(
            lead=lead,
            actor=request.user,
            conclusion=d["conclusion"],
            result=d["result"],
            disposition_form=d["disposition_form"],
            dealt_with=d["dealt_with"],
            request=request,
        )
    except LeadError as exc:
        messages.error(request, refusal_message(exc))
    else:
        if d["conclusion"] == LeadConclusion.UNFOUNDED:
            messages.success(request, _("查否结论已提交，待承办人和承办单位主要负责人签字背书"))
        else:
            messages.success(request, _("已办结"))
    return back_to_lead(request, lead)


@login_required
@require_POST
def lead_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """签字背书 as the handler or as the unit head (the posted `role`); the service checks
    again (own account, own part, exact text, conflicts)."""
    lead = _lead_for(request, pk, "sign_handler", "sign_head")
    form = forms.SignForm(request.POST)
    if not form.is_valid():
        return form_refused(request, lead, form)
    role = form.cleaned_data["role"]
    as_head = role == SignatureRole.UNIT_HEAD
    if not LEAD_ACTIONS["sign_head" if as_head else "sign_handler"](request.user, lead):
        raise PermissionDenied
    override_reason = form.cleaned_data["override_reason"]
    try:
        services.lead_sign(
            lead=lead,
            actor=request.user,
            role=role,
            override_reason=override_reason,
            request=request,
        )
    except HandlerConflictError as exc:
        if not as_head:
            messages.error(request, str(exc))
            return back_to_lead(request, lead)
        # The page again with the warnings (sign_conflicts) and the reason field.
        messages.warning(request, str(exc))
        return lead_page(request, lead, status=422)
    except LeadError as exc:
        messages.error(request, refusal_message(exc))
    else:
        if override_reason.strip():
            messages.success(request, _("已签字背书（已记录回避提示及仍然签字的理由）"))
        else:
            messages.success(request, _("已签字背书"))
    return back_to_lead(request, lead)


@login_required
@require_POST
def lead_cross_off(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_for(request, pk, "cross_off")
    try:
        services.lead_cross_off(lead=lead, actor=request.user, request=request)
    except LeadError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("已销号"))
    return back_to_lead(request, lead)


@login_required
@require_POST
def lead_reply(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_for(request, pk, "reply")
    form = forms.ReplyPostForm(request.POST)
    if not form.is_valid():
        return form_refused(request, lead, form)
    try:
        services.lead_reply(
            lead=lead, actor=request.user, text=form.cleaned_data["text"], request=request
        )
    except LeadError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("已答复举报人"))
    return back_to_lead(request, lead)
