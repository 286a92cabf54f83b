"""Oversight pages (L6, L7, L10, L11): the oversight card of the lead page, the 督办/逾期
board, and risk notes. Thin like the other views: scope through leads.access and
leads.selectors (invisible leads and officers give 404). The card's POST views are in
leads.views.supervision."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from rectify import access
from rectify.pagination import keyset_page

from .. import selectors, services
from ..access import (
    LEAD_BOARD_ROLES,
    LEAD_OFFICE_ROLES,
    LEAD_READER_ROLES,
    RISK_OFFICER_ROLES,
    get_officer_for_risk,
)
from ..audit import OVERSIGHT_READ, RISKNOTE_LIST_READ, RISKNOTE_READ, audit_list_read, audit_read
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
from ..models import Lead, RiskLevel
from ..workflow import LeadError

if TYPE_CHECKING:
    from rectify.models import AnyUser


def detail_context(user: AnyUser, lead: Lead, allowed: frozenset[str]) -> dict[str, Any]:
    """The oversight card of the lead page (templates/leads/partials/_oversight.html), under
    one `ov` key; which of its forms are drawn is `allowed` (leads.access.LEAD_ACTIONS). A
    handful of queries, whatever the lead's history."""
    selectors.with_flags([lead])
    assessable = []
    if access.has_role(user, *RISK_OFFICER_ROLES):
        ids = [s.officer_id for s in selectors.subjects_of(lead) if s.officer_id]
        assessable = selectors.assessable_officers(
            user, ids + ([lead.handler_id] if lead.handler_id else [])
        )
    can_list = "supervision_list" in allowed
    return {
        "ov": {
            "today": timezone.localdate(),
            "writable": lead.is_writable,
            **selectors.lead_oversight_history(lead),
            "assessable": assessable,
            "units": selectors.unit_choices(user, LEAD_OFFICE_ROLES)
            if "accountability_add" in allowed
            else [],
            "jurisdiction_targets": services.jurisdiction_choices(lead=lead)
            if "jurisdiction" in allowed
            else [],
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


# --- L11 risk notes -----------------------------------------------------------------------


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
            except LeadError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("风险研判已记录"))
                return redirect("leads:officer_risk", pk=officer.pk)
    notes = selectors.officer_risk_notes(request.user, officer)
    leads = selectors.officer_leads(request.user, officer)
    audit_read(
        actor=request.user,
        action=RISKNOTE_READ,
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
    notes = selectors.risk_notes_for(
        request.user, level=request.GET.get("level"), about=request.GET.get("about")
    )
    page = keyset_page(notes, ordering=("-at", "-id"), cursor=request.GET.get("after"), size=50)
    audit_list_read(
        actor=request.user,
        action=RISKNOTE_LIST_READ,
        objects=page.items,
        object_type="leads.risknote",
        data={"filters": request.GET.dict()},
        request=request,
    )
    return render(
        request,
        "leads/oversight/risk_notes.html",
        {"page": page, "levels": RiskLevel.choices, "params": request.GET},
    )


# --- L10 the board ------------------------------------------------------------------------------


@access.role_required(*LEAD_BOARD_ROLES)
def oversight_board(request: HttpRequest) -> HttpResponse:
    """督办 / 逾期: the user's untouched and overdue leads with whom they have reached up the
    responsibility chain. Keyset pages, oldest first; constant queries per page."""
    today = timezone.localdate()
    leads = selectors.board_leads(request.user, request.GET, today=today)
    page = keyset_page(
        leads, ordering=("received_date", "id"), cursor=request.GET.get("after"), size=50
    )
    selectors.with_flags(page.items, today=today)
    audit_list_read(
        actor=request.user,
        action=OVERSIGHT_READ,
        objects=page.items,
        data={"filters": request.GET.dict()},
        request=request,
    )
    return render(
        request,
        "leads/oversight/board.html",
        {
            "page": page,
            "figures": selectors.board_figures(request.user, today=today),
            "params": request.GET,
            "units": selectors.unit_choices(request.user, LEAD_BOARD_ROLES, max_depth=6),
            "levels": range(5),
            "untouched_days": settings.LEADS_UNTOUCHED_DAYS,
            "escalate_days": settings.LEADS_ESCALATE_DAYS,
        },
    )
