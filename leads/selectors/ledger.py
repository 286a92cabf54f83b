"""The ledger (L5): list relations, the ledger filter and the office figures."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet, Subquery, Value
from django.utils.translation import gettext_lazy

from rectify.access import assignments_of, has_role, scope_paths, unit_q
from rectify.models import Campaign, ChronicProblem, Office, Role, Unit, UnitFigureTotal
from rectify.params import date_param, id_param

from ..access import lead_import_jobs_visible_to, leads_visible_to, my_officer_ids, recused_q
from ..figures import FIG_PATH
from ..models import (
    FOCUS_AREAS,
    OPEN_STATUSES,
    Channel,
    Lead,
    LeadImportJob,
    LeadSubject,
)
from ..rules.leniency import leniency_aggregates, leniency_from_row
from .counters import hidden as figures_hidden
from .deadlines import DISPOSED_STATUSES, NOT_RECEIVED, S, overdue_q

if TYPE_CHECKING:
    from collections.abc import Mapping

    from rectify.models import AnyUser


def with_list_relations(leads: QuerySet) -> QuerySet:
    return leads.select_related("office", "channel", "handling_unit", "handler").prefetch_related(
        Prefetch(
            "subjects",
            queryset=LeadSubject.objects.select_related("officer").order_by("id"),
            to_attr="subject_list",
        )
    )


def ledger_filter(leads: QuerySet, params: Mapping[str, Any]) -> QuerySet:
    """The ledger's GET filters (same names as the export): office, status, category, channel,
    unit (handling-unit subtree), from / to (received date), q (number or summary), overdue."""
    office = id_param(params, "office")
    if office:
        leads = leads.filter(office_id=office)
    status = params.get("status")
    if status in S.values:
        leads = leads.filter(status=status)
    elif status == "open":
        leads = leads.filter(status__in=OPEN_STATUSES)
    category = params.get("category")
    if category == "focus":  # L8: the four focus areas of investigation
        leads = leads.filter(category__in=FOCUS_AREAS)
    elif category == "chronic":  # the six chronic problems
        leads = leads.filter(category__in=ChronicProblem.values)
    elif category:
        leads = leads.filter(category=category)
    channel = id_param(params, "channel")
    if channel:
        leads = leads.filter(channel_id=channel)
    unit = id_param(params, "unit")
    if unit:
        path = Unit.objects.filter(pk=unit).values_list("path", flat=True).first()
        leads = leads.filter(handling_unit__path__startswith=path) if path else leads.none()
    for name, lookup in (("from", "received_date__gte"), ("to", "received_date__lte")):
        day = date_param(params, name)
        if day:
            leads = leads.filter(**{lookup: day})
    q = (params.get("q") or "").strip()
    if q:
        leads = leads.filter(Q(number__icontains=q) | Q(summary__icontains=q))
    if params.get("overdue"):
        leads = leads.filter(overdue_q())
    return leads


def figure_params(params: Mapping[str, Any]) -> dict:
    """The ledger filters that select which leads the figures count (period, subtree, office,
    category, channel, search); status and overdue are what the figures break down."""
    return {k: v for k, v in params.items() if k not in ("status", "overdue", "after")}


FIGURE_DEFINITIONS = {
    "received": gettext_lazy(
        "已登记受理的线索（含已移交、予以了结的）；并案的线索计入主线索，不重复计算；"
        "网上举报登记后才计入"
    ),
    "pending": gettext_lazy("网上举报等尚未登记受理的线索，不计入受理"),
    "screened": gettext_lazy("受理后已筛查处置的线索：交办、暂存、移交、予以了结等"),
    "handling": gettext_lazy("正在办理的线索：办理中、查否待签字、已移交待反馈"),
    "concluded": gettext_lazy("已有处置结果的线索：已办结（含移交后已反馈）、已销号、予以了结"),
    "crossed_off": gettext_lazy("办结后已销号的线索"),
    "closure_rate": gettext_lazy("查结率 = 办结 ÷ 受理 × 100%；受理的线索全部办结时为 100%"),
    "overdue": gettext_lazy("超过受理时限未筛查、或超过办理期限未办结的线索"),
    "merged": gettext_lazy("作为重复线索并入主线索的件数，随主线索计算，不计入受理"),
}


@dataclass
class LedgerFigures:
    received: int = 0
    pending: int = 0
    screened: int = 0
    handling: int = 0
    concluded: int = 0
    crossed_off: int = 0
    overdue: int = 0
    merged: int = 0

    @property
    def closure_rate(self) -> float | None:
        """查结率 = disposed (办结) / received (受理), in percent (None when nothing was
        received)."""
        if not self.received:
            return None
        return round(100.0 * self.concluded / self.received, 1)


def ledger_figures(
    user: AnyUser,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    leads: QuerySet | None = None,
) -> LedgerFigures:
    """Counts over the user's scope, as offices count them (see FIGURE_DEFINITIONS): the
    whole scope from the maintained counters (`scope_totals`) where they count exactly the
    user's leads, otherwise (a period, a filtered queryset) in one aggregate query."""
    if leads is None and not date_from and not date_to:
        counts = scope_totals(user)
        if counts is not None:
            return figures_from_totals(counts)
    leads = leads_visible_to(user) if leads is None else leads
    if date_from:
        leads = leads.filter(received_date__gte=date_from)
    if date_to:
        leads = leads.filter(received_date__lte=date_to)
    row = leads.aggregate(**_figure_aggregates())
    return LedgerFigures(**{k: v or 0 for k, v in row.items()})


def ledger_figures_with_leniency(leads: QuerySet) -> tuple[LedgerFigures, dict[str, int]]:
    """`ledger_figures(user, leads=leads)` and `leniency_counts(leads)` in one aggregate
    query (the ledger with a filter chosen: both count the same rows)."""
    row = leads.order_by().aggregate(**_figure_aggregates(), **leniency_aggregates())
    lenient = leniency_from_row(row)
    figures = {k: row[k] or 0 for k in LedgerFigures.__dataclass_fields__}
    return LedgerFigures(**figures), lenient


def _figure_aggregates() -> dict:
    received = ~Q(status__in=NOT_RECEIVED)
    return {
        "received": Count("id", filter=received),
        "pending": Count("id", filter=Q(status=S.UNREGISTERED)),
        "screened": Count("id", filter=received & ~Q(status=S.REGISTERED)),
        "handling": Count("id", filter=Q(status__in=(S.HANDLING, S.SIGNING, S.TRANSFERRED))),
        "concluded": Count("id", filter=Q(status__in=DISPOSED_STATUSES)),
        "crossed_off": Count("id", filter=Q(status=S.CROSSED_OFF)),
        "overdue": Count("id", filter=overdue_q()),
        "merged": Count("id", filter=Q(status=S.MERGED)),
    }


def ledger_channels() -> QuerySet[Channel]:
    """The channels offered by the ledger filter."""
    return Channel.objects.all()


def import_jobs_recent(user: AnyUser, *, limit: int = 10) -> QuerySet[LeadImportJob]:
    """The user's latest import jobs, without their files (the import page's list)."""
    return lead_import_jobs_visible_to(user).select_related("office").defer("content")[:limit]


# --- the whole scope from the maintained counters (rectify.figures) ----------------------

COUNTED_ROLES = (Role.INTAKE, Role.OFFICE, Role.LEADER)


def scope_totals(user: AnyUser) -> Counter | None:
    """The "ld." counters summed over the user's subtrees (intake, office, leader), less
    what they may not see (`figures.totals_for`: recusal, other offices' leads handled in
    the subtree) — or None when that is not exactly leads_visible_to(user): no current
    campaign, no such subtree, or a lead they see as its handler, unit head or supervisor
    that counts outside those subtrees (one EXISTS query decides). Then the callers count
    the rows as before."""
    paths = scope_paths(user, COUNTED_ROLES) if getattr(user, "is_authenticated", False) else []
    if not paths:
        return None
    # Visible otherwise than through an office of theirs: as handler or supervisor (their
    # officer) or as unit head. Those ids are known before the query, so it is an index
    # lookup on the lead's own columns (lead_handler_status, lead_supervisor_status,
    # lead_unit_status), not a pass over every visible lead; none of them, no query.
    me = my_officer_ids(user)
    other = Q()
    if me:
        other |= Q(handler_id__in=me) | Q(supervisor_id__in=me)
    if has_role(user, Role.UNIT_HEAD):
        other |= Q(handling_unit_id__in=Unit.objects.filter(unit_q(user, [Role.UNIT_HEAD])))
    if other:
        offices = Office.objects.filter(unit_q(user, COUNTED_ROLES, prefix="jurisdiction__"))
        inside = Q()
        for path in paths:
            inside |= Q(fig_path__startswith=path)
        outside = (
            Lead.objects.filter(other)
            .exclude(office_id__in=offices.values("id"))
            .exclude(recused_q(user))
            .annotate(fig_path=FIG_PATH)
            .exclude(inside)
        )
        if outside.exists():
            return None
    # The scope's units are those of the role assignments (already loaded with them).
    units = {a.unit.path: a.unit for a in assignments_of(user) if a.unit.path in paths}
    # figures.totals_for for each subtree, in one query: the current campaign's totals of
    # the subtrees' roots, and a marker row saying that there is a current campaign.
    current = Campaign.objects.filter(is_current=True).order_by("-pk").values("pk")[:1]
    totals = (
        UnitFigureTotal.objects.filter(
            campaign_id=Subquery(current),
            unit_id__in=[u.pk for u in units.values()],
            key__startswith="ld.",
        )
        .exclude(value=0)
        .order_by()
        .values_list("key", "value")
    )
    marker = (
        Campaign.objects.filter(pk=Subquery(current))
        .order_by()
        .annotate(k=Value(""), v=Value(0))
        .values_list("k", "v")
    )
    rows = list(totals.union(marker, all=True))
    if ("", 0) not in rows:
        return None  # no current campaign: no counters
    out: Counter = Counter()
    for key, value in rows:
        if key:
            out[key] += value
    for path, unit in units.items():  # less what the user may not see
        out.subtract(figures_hidden(user, None, unit, len(path)).get(path, Counter()))
    return Counter({k: v for k, v in out.items() if v > 0})


def figures_from_totals(counts: Counter) -> LedgerFigures:
    """The ledger figures of the whole scope from `scope_totals`."""
    return LedgerFigures(**{k: counts[f"ld.{k}"] for k in LedgerFigures.__dataclass_fields__})


def ledger_leniency(user: AnyUser) -> dict[str, int] | None:
    """The L12 figure of the whole scope (rules.leniency.leniency_counts over
    leads_visible_to) from the counters, or None where `scope_totals` is None."""
    counts = scope_totals(user)
    if counts is None:
        return None
    return leniency_from_totals(counts)


def leniency_from_totals(counts: Counter) -> dict[str, int]:
    """The L12 figure of the whole scope from `scope_totals` (no aggregate over the rows)."""
    total = counts["ld.received"] + counts["ld.pending"] + counts["ld.merged"]
    declared, investigated = counts["ld.self_declared"], counts["ld.found"]
    return {
        "declared": declared,
        "investigated": investigated,
        "na": total - declared - investigated,
    }
