"""The ledger (L5), its Excel export (filtered exactly like the page, scoped, audited) and
the handler's and unit head's own work page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from rectify import access
from rectify.models import AuditVerb, Role
from rectify.pagination import keyset_page
from rectify.params import id_param

from .. import selectors
from ..access import LEAD_OFFICE_ROLES, LEAD_READER_ROLES, leads_visible_to
from ..audit import LEDGER_EXPORTED, LEDGER_READ, MY_WORK_READ, audit_list_read, audit_read
from ..ledger.exporter import ledger_xlsx
from ..models import LeadCategory, LeadStatus
from ..rules.leniency import leniency_for
from ..selectors.ledger import ledger_filter

if TYPE_CHECKING:
    pass

S = LeadStatus


# --- ledger (L5) -------------------------------------------------------------------------


FIGURE_LABELS = (
    ("received", gettext_lazy("受理")),
    ("pending", gettext_lazy("待受理")),
    ("screened", gettext_lazy("已筛查")),
    ("handling", gettext_lazy("在办")),
    ("concluded", gettext_lazy("办结")),
    ("crossed_off", gettext_lazy("销号")),
    ("closure_rate", gettext_lazy("查结率")),
    ("overdue", gettext_lazy("逾期")),
    ("merged", gettext_lazy("并案")),
)


def _figure_cards(figures: selectors.LedgerFigures) -> list[tuple[str, str, str, str]]:
    """(key, label, shown value, definition) of each ledger figure, in display order."""
    cards = []
    for key, label in FIGURE_LABELS:
        value = getattr(figures, key)
        if key == "closure_rate":
            value = "—" if value is None else f"{value}%"
        cards.append((key, label, str(value), selectors.FIGURE_DEFINITIONS[key]))
    return cards


@access.role_required(*LEAD_READER_ROLES)
def ledger(request: HttpRequest) -> HttpResponse:
    visible = leads_visible_to(request.user)
    leads = selectors.with_list_relations(selectors.ledger_filter(visible, request.GET))
    page = keyset_page(
        leads, ordering=("-received_date", "-id"), cursor=request.GET.get("after"), size=50
    )
    # L5/L12 figures for the chosen period, subtree, office, category, channel or search —
    # not narrowed by status (the figures are the statuses) or by the page cursor.
    chosen = {k: v for k, v in selectors.figure_params(request.GET).items() if v}
    counted = selectors.ledger_filter(visible, chosen)
    leniency = leniency_for(page.items)
    # The whole scope (no filter chosen): from the maintained counters where they count
    # exactly the user's leads (selectors.scope_totals), else from the rows.
    # One read of the counters serves both figures (each used to read them again).
    whole = None if chosen else selectors.scope_totals(request.user)
    if whole is not None:
        figures = selectors.figures_from_totals(whole)
        leniency_figure = selectors.leniency_from_totals(whole)
    else:
        figures, leniency_figure = selectors.ledger_figures_with_leniency(counted)
    today = timezone.localdate()
    cutoff = selectors.intake_cutoff(today)
    # The labels once per page, not a lookup of the choices per row and column.
    status_labels = {value: str(label) for value, label in S.choices}
    category_labels = {value: str(label) for value, label in LeadCategory.choices}
    for lead in page.items:
        lead.status_label = status_labels.get(lead.status, lead.status)
        lead.category_label = category_labels.get(lead.category, lead.category)
        lead.flag_overdue = (lead.is_open and lead.deadline and lead.deadline < today) or (
            lead.status in (S.UNREGISTERED, S.REGISTERED) and lead.received_date < cutoff
        )
    audit_list_read(
        actor=request.user,
        action=LEDGER_READ,
        objects=page.items,
        data={"filters": request.GET.dict()},
        request=request,
    )
    return render(
        request,
        "leads/ledger.html",
        {
            "page": page,
            "figures": figures,
            "figure_cards": _figure_cards(figures),
            "leniency": leniency,
            "leniency_figure": leniency_figure,
            "office_tools": access.has_role(request.user, *LEAD_OFFICE_ROLES),
            "can_screen": access.has_role(request.user, Role.INTAKE, Role.OFFICE, Role.LEADER),
            "statuses": S.choices,
            "categories": LeadCategory.choices,
            "channels": selectors.ledger_channels(),
            # Up to UNIT_CHOICES_MAX options: their names only, the chosen one by id.
            "units": selectors.unit_choices(request.user, LEAD_READER_ROLES, max_depth=6).only(
                "id", "name"
            ),
            "chosen_unit": id_param(request.GET, "unit"),
            "params": request.GET,
        },
    )


# --- handler and unit head pages --------------------------------------------------------


@access.role_required(Role.HANDLER, Role.UNIT_HEAD)
def my_work(request: HttpRequest) -> HttpResponse:
    mine = selectors.with_list_relations(selectors.my_leads(request.user)).order_by(
        "deadline", "id"
    )[:200]
    to_sign = selectors.with_list_relations(selectors.awaiting_signature(request.user)).order_by(
        "id"
    )[:200]
    mine, to_sign = list(mine), list(to_sign)
    audit_list_read(
        actor=request.user, action=MY_WORK_READ, objects=mine + to_sign, request=request
    )
    return render(request, "leads/my_work.html", {"mine": mine, "to_sign": to_sign})


@login_required
def ledger_export(request: HttpRequest) -> HttpResponse:
    """URL name `leads:ledger_export`; pass the ledger page's query string along."""
    leads = ledger_filter(leads_visible_to(request.user), request.GET)
    params = {k: v for k, v in request.GET.items() if k != "after"}
    audit_read(
        actor=request.user,
        action=LEDGER_EXPORTED,
        verb=AuditVerb.EXPORT,
        data={"filters": params, "rows": leads.count()},
        request=request,
    )
    return ledger_xlsx(leads=leads, user=request.user, request=request)
