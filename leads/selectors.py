"""Reads of the leads app. Every queryset starts from rectify.access.leads_visible_to(user)
(recusal applies), and list pages cost a constant number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rectify import access
from rectify.models import ChronicProblem, Role, Unit
from rectify.params import date_param, id_param

from .models import (
    FOCUS_AREAS,
    OPEN_STATUSES,
    PUBLIC_KINDS,
    UNSCREENED,
    Lead,
    LeadStatus,
    LeadSubject,
    Signature,
    SignatureRole,
)

S = LeadStatus


def intake_cutoff(today: dt.date | None = None) -> dt.date:
    """Leads received before this day and still unscreened are overdue for intake (L2)."""
    today = today or timezone.localdate()
    return today - dt.timedelta(days=settings.LEADS_INTAKE_DAYS)


def intake_overdue_q(today: dt.date | None = None) -> Q:
    return Q(status__in=UNSCREENED, received_date__lt=intake_cutoff(today))


def handling_overdue_q(today: dt.date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(status__in=OPEN_STATUSES, deadline__lt=today)


def overdue_q(today: dt.date | None = None) -> Q:
    return intake_overdue_q(today) | handling_overdue_q(today)


def with_list_relations(leads: QuerySet) -> QuerySet:
    return leads.select_related("office", "channel", "handling_unit", "handler").prefetch_related(
        Prefetch("subjects", queryset=LeadSubject.objects.order_by("id"), to_attr="subject_list")
    )


def ledger_filter(leads: QuerySet, params) -> QuerySet:
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


def figure_params(params) -> dict:
    """The ledger filters that select which leads the figures count (period, subtree, office,
    category, channel, search); status and overdue are what the figures break down."""
    return {k: v for k, v in params.items() if k not in ("status", "overdue", "after")}


def intake_queue(user) -> QuerySet:
    """Unregistered and unscreened leads of the user's offices, oldest first."""
    return with_list_relations(
        access.leads_visible_to(user).filter(
            access.unit_q(user, access.LEAD_OFFICE_ROLES, prefix="office__jurisdiction__"),
            status__in=UNSCREENED,
        )
    )


# How offices count (L5). A merged lead is counted once, with its main lead; an online report
# is 待受理 until registered and not yet 受理; 办结 is every disposition: concluded (including
# a transfer whose feedback came back, which concludes it), crossed off, or 予以了结.
NOT_RECEIVED = (S.UNREGISTERED, S.MERGED)
DISPOSED_STATUSES = (S.CONCLUDED, S.CROSSED_OFF, S.CLOSED)
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
    user,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    leads: QuerySet | None = None,
) -> LedgerFigures:
    """Counts over the user's scope, as offices count them (see FIGURE_DEFINITIONS), in one
    aggregate query."""
    leads = access.leads_visible_to(user) if leads is None else leads
    if date_from:
        leads = leads.filter(received_date__gte=date_from)
    if date_to:
        leads = leads.filter(received_date__lte=date_to)
    received = ~Q(status__in=NOT_RECEIVED)
    row = leads.aggregate(
        received=Count("id", filter=received),
        pending=Count("id", filter=Q(status=S.UNREGISTERED)),
        screened=Count("id", filter=received & ~Q(status=S.REGISTERED)),
        handling=Count("id", filter=Q(status__in=(S.HANDLING, S.SIGNING, S.TRANSFERRED))),
        concluded=Count("id", filter=Q(status__in=DISPOSED_STATUSES)),
        crossed_off=Count("id", filter=Q(status=S.CROSSED_OFF)),
        overdue=Count("id", filter=overdue_q()),
        merged=Count("id", filter=Q(status=S.MERGED)),
    )
    return LedgerFigures(**{k: v or 0 for k, v in row.items()})


def awaiting_signature(user) -> QuerySet:
    """Leads in SIGNING where the user still has a part to sign (as handler or unit head)."""
    leads = access.leads_visible_to(user).filter(status=S.SIGNING)
    live = Signature.objects.filter(voided_at__isnull=True)
    handler_signed = live.filter(role=SignatureRole.HANDLER).values("lead_id")
    head_signed = live.filter(role=SignatureRole.UNIT_HEAD).values("lead_id")
    as_handler = Q(handler__user_id=user.pk) & ~Q(pk__in=handler_signed)
    as_head = (
        access.unit_q(user, [Role.UNIT_HEAD], prefix="handling_unit__")
        & ~Q(handler__user_id=user.pk)
        & ~Q(pk__in=head_signed)
    )
    return leads.filter(as_handler | as_head)


def my_leads(user) -> QuerySet:
    return access.leads_visible_to(user).filter(handler__user_id=user.pk)


def lead_timeline(lead: Lead):
    return lead.events.select_related("actor").order_by("at", "id")


def public_timeline(lead: Lead):
    """What the reporter may read: replies from the office and their own messages."""
    return lead.events.filter(kind__in=PUBLIC_KINDS).order_by("at", "id")


def merged_leads(user, lead: Lead) -> list[Lead]:
    """The duplicates merged into `lead` that the user may see (recusal applies to each),
    with their reporters' messages in `reporter_messages`, oldest first (two queries)."""
    from .models import EventKind, LeadEvent

    return list(
        access.leads_visible_to(user)
        .filter(merged_into=lead)
        .select_related("channel")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=LeadEvent.objects.filter(kind=EventKind.REPORTER).order_by("at", "id"),
                to_attr="reporter_messages",
            )
        )
        .order_by("received_date", "id")
    )


def public_status(lead: Lead) -> str:
    """A coarse status for the reporter (no internal detail). A merged duplicate's reporter
    follows the main lead, which is where their report is handled."""
    if lead.status == S.MERGED and lead.merged_into_id:
        main = public_status(lead.merged_into) if lead.merged_into.status != S.MERGED else ""
        return (
            _("已与其他线索合并办理：%(status)s") % {"status": main}
            if main
            else _("已与其他线索合并办理")
        )
    if lead.status == S.UNREGISTERED:
        return _("已收到，待受理")
    if lead.status in (S.REGISTERED,):
        return _("已受理，正在筛查")
    if lead.status in (S.HANDLING, S.SIGNING, S.HELD, S.TRANSFERRED):
        return _("正在办理")
    if lead.status == S.MERGED:
        return _("已与其他线索合并办理")
    if lead.status == S.CLOSED:
        return _("已了结")
    return _("已办结")


def has_original(lead: Lead) -> bool:
    from .models import LeadOriginal

    return lead.is_public and LeadOriginal.objects.filter(lead=lead).exists()


def original_of(lead: Lead):
    from .models import LeadOriginal

    return LeadOriginal.objects.filter(lead=lead).first()


def original_files(lead: Lead) -> QuerySet:
    """The files the reporter sent with the public report (without their contents)."""
    return lead.attachments.filter(from_reporter=True).defer("content").order_by("id")


def subjects_of(lead: Lead) -> list:
    return list(lead.subjects.select_related("officer__unit").order_by("id"))


def subject_candidate(lead: Lead, pk: int):
    from .models import LeadSubjectCandidate

    return (
        LeadSubjectCandidate.objects.filter(lead=lead, pk=pk)
        .select_related("officer__unit", "lead")
        .first()
    )


def lead_is_visible(user, lead: Lead) -> bool:
    return access.leads_visible_to(user).filter(pk=lead.pk).exists()


def subject_candidates_for(user, lead_ids) -> dict[int, dict]:
    """Pending recusal candidates (被反映人待确认) of these leads, for the intake queue and
    the lead page: per lead, the candidates the user may see (with the officer and unit)
    and how many others there are outside the user's scope (counted, never named). Two
    queries."""
    from .models import CandidateState, LeadSubjectCandidate

    rows = list(
        LeadSubjectCandidate.objects.filter(
            lead_id__in=list(lead_ids), state=CandidateState.PENDING
        )
        .exclude(officer__user_id=user.pk)
        .order_by("lead_id", "name", "officer_id")
    )
    shown = {
        o.pk: o
        for o in access.officers_visible_to(user).filter(pk__in={r.officer_id for r in rows})
    }
    out: dict[int, dict] = {}
    for row in rows:
        entry = out.setdefault(row.lead_id, {"candidates": [], "hidden": 0})
        if row.officer_id in shown:
            row.shown_officer = shown[row.officer_id]
            entry["candidates"].append(row)
        else:
            entry["hidden"] += 1
    return out


def officer_by_number(user, number: str):
    """The active officer with that number (警号) among those the user may see, or None
    (the handler field of the triage and jurisdiction forms, and the conflict hint)."""
    number = (number or "").strip()
    if not number:
        return None
    return access.officers_visible_to(user).filter(number=number, is_active=True).first()


def match_subjects(user, tokens: list[str], unit_text: str = "") -> list:
    """Subjects typed as officer numbers or names, matched against the officers the user may
    see (a name only when it is unambiguous); the rest is kept as free text. One query."""
    from .services import SubjectInput

    if not tokens:
        return []
    officers = list(
        access.officers_visible_to(user).filter(Q(number__in=tokens) | Q(name__in=tokens))
    )
    by_number = {o.number: o for o in officers}
    by_name: dict[str, list] = {}
    for o in officers:
        by_name.setdefault(o.name, []).append(o)
    out = []
    for token in tokens:
        officer = by_number.get(token)
        if officer is None and len(by_name.get(token, [])) == 1:
            officer = by_name[token][0]
        if officer is not None:
            out.append(SubjectInput(name=officer.name, officer=officer))
        else:
            out.append(SubjectInput(name=token, unit_name=unit_text))
    return out
