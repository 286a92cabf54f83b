"""The oversight card's actions on a lead (L6 listed supervision and jurisdiction, L7
supervision notes, L10 accountability, L11 risk notes), one URL and one view each, shaped
like leads.views.actions: the visible lead (404), its predicate in
leads.access.LEAD_ACTIONS (403), the form (the page again with the errors, 422), one
service, back to the card (PRG)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..access import LEAD_OFFICE_ROLES, get_lead_for_user, may_act
from ..forms.oversight import (
    AccountabilityForm,
    JurisdictionForm,
    ListSupervisionForm,
    RiskNoteForm,
    SupervisionNoteForm,
    UnlistSupervisionForm,
)
from ..models import EventKind, Lead
from ..workflow import LeadError
from .detail import back_to_lead, form_refused, refusal_message

NO_SUCH_UNIT = gettext_lazy("请从您管辖范围内的单位中选择")


def _lead_for(request: HttpRequest, pk: int, name: str) -> Lead:
    """The visible lead (404 otherwise) if the user may do `name` to it (403 otherwise)."""
    lead = get_lead_for_user(request.user, pk)
    if not may_act(request.user, lead, name):
        raise PermissionDenied
    return lead


def _back(request: HttpRequest, lead: Lead) -> HttpResponse:
    return back_to_lead(request, lead, anchor="oversight")


# --- L6 listed supervision, L7 supervision notes ----------------------------------------------


@login_required
@require_POST
def supervision_list(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_for(request, pk, "supervision_list")
    form = ListSupervisionForm(request.POST, auto_id="ov-list-%s", user=request.user)
    if not form.is_valid():
        return form_refused(request, lead, form, slot="ov.list_form")
    d = form.cleaned_data
    try:
        services.lead_list_supervision(
            lead=lead,
            actor=request.user,
            supervisor=d["supervisor"],
            deadline=d["deadline"],
            note=d["note"],
            request=request,
        )
    except LeadError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("已挂牌督办"))
    return _back(request, lead)


@login_required
@require_POST
def supervision_unlist(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_for(request, pk, "supervision_unlist")
    form = UnlistSupervisionForm(request.POST, auto_id="ov-unlist-%s")
    if not form.is_valid():
        return form_refused(request, lead, form, slot="ov.unlist_form")
    try:
        services.lead_unlist_supervision(
            lead=lead, actor=request.user, reason=form.cleaned_data["reason"], request=request
        )
    except LeadError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("已撤销挂牌督办"))
    return _back(request, lead)


@login_required
@require_POST
def supervision_note(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_for(request, pk, "supervision_note")
    form = SupervisionNoteForm(request.POST, auto_id="ov-note-%s")
    if not form.is_valid():
        return form_refused(request, lead, form, slot="ov.note_form")
    try:
        services.lead_add_event(
            lead=lead,
            actor=request.user,
            kind=EventKind.SUPERVISION,
            text=form.cleaned_data["text"],
            request=request,
        )
    except LeadError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("督办意见已记录"))
    return _back(request, lead)


# --- L6 jurisdiction changes ----------------------------------------------------------------


@login_required
@require_POST
def jurisdiction_change(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_for(request, pk, "jurisdiction")
    form = JurisdictionForm(request.POST, auto_id="ov-jur-%s", user=request.user)
    if not form.is_valid():
        return form_refused(request, lead, form, slot="ov.jurisdiction_form")
    d = form.cleaned_data
    try:
        services.lead_change_jurisdiction(
            lead=lead,
            actor=request.user,
            kind=d["kind"],
            to_unit=services.jurisdiction_target(lead=lead, kind=d["kind"], pk=d["unit"]),
            reason=d["reason"],
            handler=d["handler"],
            deadline=d["deadline"],
            override_reason=d["override_reason"],
            request=request,
        )
    except LeadError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("管辖已变更"))
    return _back(request, lead)


# --- L11 risk notes, L10 accountability -----------------------------------------------------


@login_required
@require_POST
def lead_risk_add(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_for(request, pk, "risk_add")
    form = RiskNoteForm(request.POST, auto_id="ov-risk-%s")
    if not form.is_valid():
        return form_refused(request, lead, form, slot="ov.risk_form")
    d = form.cleaned_data
    try:
        services.risk_note_add(
            actor=request.user,
            lead=lead,
            level=d["level"],
            text=d["text"],
            measures=d["measures"],
            request=request,
        )
    except LeadError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("风险研判已记录"))
    return _back(request, lead)


@login_required
@require_POST
def accountability_add(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_for(request, pk, "accountability_add")
    form = AccountabilityForm(request.POST, auto_id="ov-acc-%s", user=request.user)
    unit = None
    if form.is_valid() and form.cleaned_data["unit"]:
        unit = selectors.unit_choice(request.user, LEAD_OFFICE_ROLES, form.cleaned_data["unit"])
        if unit is None:  # out of the user's scope: as if it were not in the list
            form.add_error("unit", NO_SUCH_UNIT)
    if not form.is_valid():
        return form_refused(request, lead, form, slot="ov.accountability_form")
    d = form.cleaned_data
    try:
        services.accountability_add(
            lead=lead,
            actor=request.user,
            officer=d["officer"],
            person_name=d["person_name"],
            unit=unit,
            measure=d["measure"],
            reason=d["reason"],
            request=request,
        )
    except LeadError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("追责问责已记录"))
    return _back(request, lead)
