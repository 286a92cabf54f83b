"""The leads' maintained figures (`rectify.figures`, source "ld").

A lead counts under its handling unit when that lies within its office's jurisdiction, else
under the office's jurisdiction unit: every lead of an office counts within the subtree of
that office's jurisdiction, so a leader's subtree totals are the leads of the offices in it
(leads_visible_to), less `hidden`.

Keys, as ledger.ledger_figures and rules.leniency.leniency_counts define them:
received pending screened handling concluded crossed_off overdue merged (ledger figures);
listed (open, under listed supervision 挂牌督办); transferred (received and transferred to
the discipline commission); self_declared / found (L12: chronic-problem leads whose subject
officer declared it in time / did not); dealt and dealt:<form> (disposed leads with a
disposition under the four forms: leads, not people — who was dealt with is free text,
Lead.dealt_with); category:<category> and channel:<channel code> (received leads).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify.access import has_role, scope_paths, unit_q
from rectify.figures import FigureSource
from rectify.models import ChronicProblem, Office, Role, Unit
from selfcheck.selectors import declared_before_day

from ..access import my_officer_ids
from ..figures import FIG_PATH, FIG_UNIT
from ..models import (
    OPEN_STATUSES,
    CandidateState,
    DispositionForm,
    Lead,
    LeadCategory,
    LeadSubject,
    LeadSubjectCandidate,
)
from .deadlines import DISPOSED_STATUSES, NOT_RECEIVED, S, overdue_q

if TYPE_CHECKING:
    from rectify.models import Campaign

LABELS = {
    "ld.received": _("受理"),
    "ld.pending": _("待受理"),
    "ld.screened": _("已筛查"),
    "ld.handling": _("在办"),
    "ld.concluded": _("办结"),
    "ld.crossed_off": _("销号"),
    "ld.overdue": _("线索逾期"),
    "ld.merged": _("并案"),
    "ld.listed": _("挂牌督办"),
    "ld.transferred": _("移交纪委监委"),
    "ld.self_declared": _("主动自查申报"),
    "ld.found": _("组织查处发现"),
    "ld.dealt": _("运用“四种形态”处理"),
}


def _labels() -> dict:
    out = dict(LABELS)
    for value, label in DispositionForm.choices:
        out[f"ld.dealt:{value}"] = label
    for value, label in LeadCategory.choices:
        out[f"ld.category:{value}"] = label
    return out


def _aggregates(today: dt.date) -> dict[str, Any]:
    received = ~Q(status__in=NOT_RECEIVED)
    # L12, as leniency_counts counts it (over every lead, whatever its status).
    officers = LeadSubject.objects.filter(lead_id=OuterRef("pk"), officer__isnull=False)
    in_time = officers.filter(
        declared_before_day(
            officer_id=OuterRef("officer_id"),
            key=OuterRef(OuterRef("category")),
            day=OuterRef(OuterRef("received_date")),
        )
    )
    chronic = Q(category__in=ChronicProblem.values)
    dealt = Q(status__in=DISPOSED_STATUSES) & ~Q(disposition_form="")
    aggregates = {
        "ld.received": Count("id", filter=received),
        "ld.pending": Count("id", filter=Q(status=S.UNREGISTERED)),
        "ld.screened": Count("id", filter=received & ~Q(status=S.REGISTERED)),
        "ld.handling": Count("id", filter=Q(status__in=(S.HANDLING, S.SIGNING, S.TRANSFERRED))),
        "ld.concluded": Count("id", filter=Q(status__in=DISPOSED_STATUSES)),
        "ld.crossed_off": Count("id", filter=Q(status=S.CROSSED_OFF)),
        "ld.overdue": Count("id", filter=overdue_q(today)),
        "ld.merged": Count("id", filter=Q(status=S.MERGED)),
        "ld.listed": Count("id", filter=Q(status__in=OPEN_STATUSES, supervisor__isnull=False)),
        "ld.transferred": Count(
            "id", filter=received & (Q(status=S.TRANSFERRED) | Q(transfer_date__isnull=False))
        ),
        "ld.self_declared": Count("id", filter=chronic & Exists(in_time)),
        "ld.found": Count("id", filter=chronic & Exists(officers) & ~Exists(in_time)),
    }
    for form in DispositionForm.values:
        aggregates[f"ld.dealt:{form}"] = Count("id", filter=dealt & Q(disposition_form=form))
    for category in LeadCategory.values:
        aggregates[f"ld.category:{category}"] = Count("id", filter=received & Q(category=category))
    return aggregates


def _counts(leads: QuerySet, group: str, today: dt.date) -> dict[Any, Counter]:
    """{group value: Counter of keys} in one grouped query (by group and channel: the
    channels are configurable, so they are a grouping column, not an aggregate each)."""
    out: dict[Any, Counter] = {}
    rows = leads.values(group, "channel__code").annotate(**_aggregates(today)).order_by()
    for row in rows:
        where = row.pop(group)
        code = row.pop("channel__code")
        counts = out.setdefault(where, Counter())
        counts.update({k: v for k, v in row.items() if v})
        if code and row["ld.received"]:
            counts[f"ld.channel:{code}"] += row["ld.received"]
    for counts in out.values():
        dealt = sum(v for k, v in counts.items() if k.startswith("ld.dealt:"))
        if dealt:
            counts["ld.dealt"] = dealt
    return out


def compute(campaign: Campaign, unit_ids: list[int] | None, today: dt.date) -> dict:
    """{(unit id, key): value} for the leads counted under these units (None: all)."""
    leads = Lead.objects.all()
    if unit_ids is not None:
        # The indexed superset first (handling unit, or an office of that jurisdiction):
        # a writer's touch reads its unit's leads, not the whole ledger.
        offices = Office.objects.filter(jurisdiction_id__in=unit_ids).values("id")
        leads = leads.filter(Q(handling_unit_id__in=unit_ids) | Q(office_id__in=offices))
    leads = leads.annotate(fig_unit=FIG_UNIT)
    if unit_ids is not None:
        leads = leads.filter(fig_unit__in=unit_ids)
    return {
        (unit_id, key): value
        for unit_id, counts in _counts(leads, "fig_unit", today).items()
        for key, value in counts.items()
        if unit_id is not None
    }


def hidden(user: Any, campaign: Campaign, unit: Unit, width: int) -> dict[str, Counter]:
    """The leads counted under `unit` that the user may not see (leads_visible_to: recusal,
    offices outside their scope), by branch: one grouped query over those rows only.

    The rows are found from what hides them, not by comparing every lead under `unit` with
    the visible set (a pass over the whole ledger at the province root): the leads that
    name the user (their officer's subject and candidate rows, an indexed id lookup), and
    the leads of offices the user does not hold (under `unit`, or above it and handled
    inside it), less those the user sees as handler, supervisor or unit head. When there
    are none, no grouped query runs."""
    if not getattr(user, "is_authenticated", False):
        return _hidden_rows(Lead.objects.all(), unit, width)
    roles = (Role.INTAKE, Role.OFFICE, Role.LEADER)
    mine_paths = scope_paths(user, roles)
    step = Unit.steplen
    above = [unit.path[:i] for i in range(step, len(unit.path), step)]
    above = [a for a in above if not any(a.startswith(p) for p in mine_paths)]
    inside = outside = None  # offices not the user's: under the unit, above it
    if not any(unit.path.startswith(p) for p in mine_paths):
        inside = (
            Office.objects.filter(jurisdiction__path__startswith=unit.path)
            .exclude(unit_q(user, roles, prefix="jurisdiction__"))
            .values("id")
        )
    if above:
        outside = Office.objects.filter(jurisdiction__path__in=above).values("id")
    me = my_officer_ids(user)
    recused: list[int] = []
    if me:
        recused = list(
            LeadSubject.objects.filter(officer_id__in=me)
            .order_by()
            .values_list("lead_id", flat=True)
            .union(
                LeadSubjectCandidate.objects.filter(officer_id__in=me)
                .exclude(state=CandidateState.RULED_OUT)
                .order_by()
                .values_list("lead_id", flat=True)
            )
        )
    if inside is None and outside is None and not recused:
        return {}
    others = Q()
    if inside is not None:
        others |= Q(office_id__in=inside)
    if outside is not None:
        handled = Unit.objects.filter(path__startswith=unit.path).values("id")
        others |= Q(office_id__in=outside, handling_unit_id__in=handled)
    if others:
        seen = Q()  # visible otherwise than through an office (leads_visible_to)
        if me:
            seen |= Q(handler_id__in=me) | Q(supervisor_id__in=me)
        if has_role(user, Role.UNIT_HEAD):
            seen |= Q(handling_unit_id__in=Unit.objects.filter(unit_q(user, [Role.UNIT_HEAD])))
        if seen:
            others &= ~seen
    rows = Q(pk__in=recused) | others if recused else others
    # The ids first (a light indexed query): the grouped count, costly to plan with its
    # forty filtered aggregates, runs only when something is hidden.
    ids = list(_near(Lead.objects.filter(rows), unit).values_list("pk", flat=True))
    if not ids:
        return {}
    return _hidden_rows(Lead.objects.filter(pk__in=ids), unit, width)


def _near(leads: QuerySet, unit: Unit) -> QuerySet:
    """The leads counted under `unit` (annotated with the path they count under)."""
    near = Q(handling_unit__path__startswith=unit.path) | Q(
        office__jurisdiction__path__startswith=unit.path
    )
    return leads.filter(near).annotate(fig_path=FIG_PATH).filter(fig_path__startswith=unit.path)


def _hidden_rows(leads: QuerySet, unit: Unit, width: int) -> dict[str, Counter]:
    leads = _near(leads, unit).annotate(branch=Substr("fig_path", 1, width))
    return {b: c for b, c in _counts(leads, "branch", timezone.localdate()).items() if b}


def source() -> FigureSource:
    return FigureSource(name="ld", compute=compute, labels=_labels(), hidden=hidden)
