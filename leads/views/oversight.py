"""Oversight pages (L6, L7, L10, L11): the oversight card of the lead page and its POST
views, the 督办/逾期 board, and risk notes. Thin like the other views: scope through
rectify.access (invisible leads and officers give 404), write through leads.services, and
show a service's refusal as a message on the lead page (PRG)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rectify import access
from rectify.audit import audit_record
from rectify.forms import ScopedForm
from rectify.models import AuditVerb
from rectify.pagination import keyset_page

from .. import selectors, services
from ..access import (
    LEAD_BOARD_ROLES,
    LEAD_OFFICE_ROLES,
    LEAD_READER_ROLES,
    RISK_OFFICER_ROLES,
    can_add_accountability,
    can_change_jurisdiction,
    can_list_supervision,
    can_manage_lead,
    can_write_lead_risk,
    can_write_supervision_note,
    get_lead_for_user,
    get_officer_for_risk,
    leads_visible_to,
    risk_notes_visible_to,
    risk_officers_visible_to,
)
from ..forms.lead import AssignForm
from ..forms.oversight import (
    AccountabilityForm,
    JurisdictionForm,
    ListSupervisionForm,
    RiskNoteForm,
    SupervisionNoteForm,
    UnlistSupervisionForm,
    form_errors,
)
from ..models import EventKind, JurisdictionKind, LeadStatus, RiskLevel
from ..workflow import LeadWorkflowError

S = LeadStatus

NO_SUCH_UNIT = _("请从您管辖范围内的单位中选择")


def detail_context(user, lead) -> dict:
    """The oversight card of the lead page (templates/leads/partials/_oversight.html), under
    one `ov` key. A handful of queries, whatever the lead's history."""
    writable = lead.is_writable
    manage = can_manage_lead(user, lead)
    can_list = writable and lead.is_open and can_list_supervision(user, lead)
    can_jurisdiction = (
        writable and lead.status in (S.HANDLING, S.HELD) and can_change_jurisdiction(user, lead)
    )
    can_risk = writable and can_write_lead_risk(user, lead)
    can_accountability = can_add_accountability(user, lead)
    selectors.with_flags([lead])
    subject_ids = [s.officer_id for s in lead.subjects.all() if s.officer_id]
    assessable = []
    if access.has_role(user, *RISK_OFFICER_ROLES):
        ids = subject_ids + ([lead.handler_id] if lead.handler_id else [])
        assessable = list(risk_officers_visible_to(user).filter(pk__in=ids))
    units = []
    if can_accountability:
        units = access.units_visible_to(user, LEAD_OFFICE_ROLES).order_by("path")[:300]
    # One list per kind (optgroups: it works without JavaScript), 300 units at most each.
    targets = (
        [
            (value, label, list(services.jurisdiction_targets(lead=lead, kind=value)[:300]))
            for value, label in JurisdictionKind.choices
        ]
        if can_jurisdiction
        else []
    )
    return {
        "ov": {
            "today": timezone.localdate(),
            "writable": writable,
            "can_list": can_list,
            "can_unlist": writable and lead.supervisor_id is not None and can_list,
            "can_note": writable and lead.is_screened and can_write_supervision_note(user, lead),
            "can_jurisdiction": can_jurisdiction,
            "needs_handler": manage
            and writable
            and lead.status == S.HANDLING
            and lead.handler_id is None,
            "can_risk": can_risk,
            "can_accountability": can_accountability,
            "changes": list(
                lead.jurisdiction_changes.select_related("from_unit", "to_unit", "actor")
            ),
            "risk_notes": list(lead.risk_notes.select_related("actor")),
            "accountabilities": list(lead.accountabilities.select_related("unit", "actor")),
            "escalations": list(lead.escalations.select_related("unit", "person")),
            "assessable": assessable,
            "units": units,
            "jurisdiction_targets": targets,
            "list_form": ListSupervisionForm(
                auto_id="ov-list-%s",
                initial={
                    "supervisor": lead.supervisor,
                    "deadline": lead.supervision_deadline,
                    "note": services.supervision_requirements(lead) if can_list else "",
                },
            ),
            "unlist_form": UnlistSupervisionForm(auto_id="ov-unlist-%s"),
            "note_form": SupervisionNoteForm(auto_id="ov-note-%s"),
            "jurisdiction_form": JurisdictionForm(auto_id="ov-jur-%s"),
            "assign_form": AssignForm(auto_id="ov-assign-%s"),
            "risk_form": RiskNoteForm(auto_id="ov-risk-%s"),
            "accountability_form": AccountabilityForm(auto_id="ov-acc-%s"),
        }
    }


def _message(exc: LeadWorkflowError) -> str:
    conflicts = getattr(exc, "conflicts", None)
    return f"{exc}：{'；'.join(conflicts)}" if conflicts else str(exc)


def _lead_post(
    request: HttpRequest,
    pk: int,
    *,
    allowed: Callable,
    form_class,
    run: Callable,
    success: str,
) -> HttpResponse:
    """Load the visible lead (404), check the permission (403), validate the form, call the
    service; errors come back as messages on the lead page."""
    lead = get_lead_for_user(request.user, pk)
    if not allowed(request.user, lead):
        raise PermissionDenied
    form = (
        form_class(request.POST, user=request.user)
        if issubclass(form_class, ScopedForm)
        else form_class(request.POST)
    )
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        try:
            run(lead, form.cleaned_data)
        except LeadWorkflowError as exc:
            messages.error(request, _message(exc))
        else:
            messages.success(request, success)
    return redirect(reverse("leads:detail", args=[lead.pk]) + "#oversight")


def _jurisdiction_target(lead, kind: str, pk: int):
    unit = services.jurisdiction_targets(lead=lead, kind=kind).filter(pk=pk).first()
    if unit is None:
        raise LeadWorkflowError(services.NOT_A_TARGET)
    return unit


def _unit(user, pk):
    unit = access.units_visible_to(user, LEAD_OFFICE_ROLES).filter(pk=pk).first()
    if unit is None:
        raise LeadWorkflowError(NO_SUCH_UNIT)
    return unit


# --- L6 listed supervision, L7 supervision notes ----------------------------------------------


@login_required
@require_POST
def supervision_list(request: HttpRequest, pk: int) -> HttpResponse:
    def run(lead, d):
        services.lead_list_supervision(
            lead=lead,
            actor=request.user,
            supervisor=d["supervisor"],
            deadline=d["deadline"],
            note=d["note"],
            request=request,
        )

    return _lead_post(
        request,
        pk,
        allowed=can_list_supervision,
        form_class=ListSupervisionForm,
        run=run,
        success=_("已挂牌督办"),
    )


@login_required
@require_POST
def supervision_unlist(request: HttpRequest, pk: int) -> HttpResponse:
    def run(lead, d):
        services.lead_unlist_supervision(
            lead=lead, actor=request.user, reason=d["reason"], request=request
        )

    return _lead_post(
        request,
        pk,
        allowed=can_list_supervision,
        form_class=UnlistSupervisionForm,
        run=run,
        success=_("已撤销挂牌督办"),
    )


@login_required
@require_POST
def supervision_note(request: HttpRequest, pk: int) -> HttpResponse:
    def run(lead, d):
        services.lead_add_event(
            lead=lead,
            actor=request.user,
            kind=EventKind.SUPERVISION,
            text=d["text"],
            request=request,
        )

    return _lead_post(
        request,
        pk,
        allowed=can_write_supervision_note,
        form_class=SupervisionNoteForm,
        run=run,
        success=_("督办意见已记录"),
    )


# --- L6 jurisdiction changes ----------------------------------------------------------------


@login_required
@require_POST
def jurisdiction_change(request: HttpRequest, pk: int) -> HttpResponse:
    def run(lead, d):
        services.lead_change_jurisdiction(
            lead=lead,
            actor=request.user,
            kind=d["kind"],
            to_unit=_jurisdiction_target(lead, d["kind"], d["unit"]),
            reason=d["reason"],
            handler=d["handler"],
            deadline=d["deadline"],
            override_reason=d["override_reason"],
            request=request,
        )

    return _lead_post(
        request,
        pk,
        allowed=can_change_jurisdiction,
        form_class=JurisdictionForm,
        run=run,
        success=_("管辖已变更"),
    )


# --- L11 risk notes -----------------------------------------------------------------------


@login_required
@require_POST
def lead_risk_add(request: HttpRequest, pk: int) -> HttpResponse:
    def run(lead, d):
        services.risk_note_add(
            actor=request.user,
            lead=lead,
            level=d["level"],
            text=d["text"],
            measures=d["measures"],
            request=request,
        )

    return _lead_post(
        request,
        pk,
        allowed=can_write_lead_risk,
        form_class=RiskNoteForm,
        run=run,
        success=_("风险研判已记录"),
    )


@access.role_required(*RISK_OFFICER_ROLES)
def officer_risk(request: HttpRequest, pk: int) -> HttpResponse:
    """Risk notes about one officer (office staff and leaders of the officer's subtree; never
    about oneself: 404), and the form to add one."""
    officer = get_officer_for_risk(request.user, pk)
    form = RiskNoteForm(request.POST or None, auto_id="risk-%s")
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, form_errors(form))
        else:
            d = form.cleaned_data
            try:
                services.risk_note_add(
                    actor=request.user,
                    officer=officer,
                    level=d["level"],
                    text=d["text"],
                    measures=d["measures"],
                    request=request,
                )
            except LeadWorkflowError as exc:
                messages.error(request, _message(exc))
            else:
                messages.success(request, _("风险研判已记录"))
                return redirect("leads:officer_risk", pk=officer.pk)
    notes = list(
        risk_notes_visible_to(request.user)
        .filter(officer=officer)
        .select_related("actor")
        .order_by("-at", "-id")
    )
    leads = list(
        leads_visible_to(request.user)
        .filter(subjects__officer=officer)
        .select_related("handling_unit")
        .distinct()
        .order_by("-received_date", "-id")[:50]
    )
    audit_record(
        actor=request.user,
        action="leads.risknote.read",
        verb=AuditVerb.READ,
        target=officer,
        data={"ids": [n.pk for n in notes]},
        request=request,
    )
    return render(
        request,
        "leads/oversight/officer_risk.html",
        {"officer": officer, "notes": notes, "leads": leads, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@access.role_required(*LEAD_READER_ROLES)
def risk_notes(request: HttpRequest) -> HttpResponse:
    """All risk notes the user may read (leads.access.risk_notes_visible_to), by level and
    by what they are about."""
    notes = risk_notes_visible_to(request.user).select_related("lead", "officer__unit", "actor")
    level = request.GET.get("level")
    if level in RiskLevel.values:
        notes = notes.filter(level=level)
    about = request.GET.get("about")
    if about == "lead":
        notes = notes.filter(lead__isnull=False)
    elif about == "officer":
        notes = notes.filter(officer__isnull=False)
    page = keyset_page(notes, ordering=("-at", "-id"), cursor=request.GET.get("after"), size=50)
    audit_record(
        actor=request.user,
        action="leads.risknote.list_read",
        verb=AuditVerb.READ,
        object_type="leads.risknote",
        data={"ids": [n.pk for n in page.items], "filters": request.GET.dict()},
        request=request,
    )
    return render(
        request,
        "leads/oversight/risk_notes.html",
        {"page": page, "levels": RiskLevel.choices, "params": request.GET},
    )


# --- L10 accountability and the board ---------------------------------------------------------


@login_required
@require_POST
def accountability_add(request: HttpRequest, pk: int) -> HttpResponse:
    def run(lead, d):
        services.accountability_add(
            lead=lead,
            actor=request.user,
            officer=d["officer"],
            person_name=d["person_name"],
            unit=_unit(request.user, d["unit"]) if d["unit"] else None,
            measure=d["measure"],
            reason=d["reason"],
            request=request,
        )

    return _lead_post(
        request,
        pk,
        allowed=can_add_accountability,
        form_class=AccountabilityForm,
        run=run,
        success=_("追责问责已记录"),
    )


@access.role_required(*LEAD_BOARD_ROLES)
def oversight_board(request: HttpRequest) -> HttpResponse:
    """督办 / 逾期: the user's untouched and overdue leads with whom they have reached up the
    responsibility chain. Keyset pages, oldest first; constant queries per page."""
    today = timezone.localdate()
    leads = selectors.board_filter(
        selectors.flagged_leads(request.user, today=today),
        request.GET,
        user=request.user,
        today=today,
    )
    page = keyset_page(
        leads, ordering=("received_date", "id"), cursor=request.GET.get("after"), size=50
    )
    selectors.with_flags(page.items, today=today)
    audit_record(
        actor=request.user,
        action="leads.oversight.read",
        verb=AuditVerb.READ,
        object_type="leads.lead",
        data={"ids": [lead.pk for lead in page.items], "filters": request.GET.dict()},
        request=request,
    )
    return render(
        request,
        "leads/oversight/board.html",
        {
            "page": page,
            "figures": selectors.board_figures(request.user, today=today),
            "params": request.GET,
            "units": access.units_visible_to(request.user, LEAD_BOARD_ROLES)
            .filter(depth__lte=6)
            .order_by("path")[:300],
            "levels": range(5),
            "untouched_days": settings.LEADS_UNTOUCHED_DAYS,
            "escalate_days": settings.LEADS_ESCALATE_DAYS,
        },
    )
