"""Reads of what remediation produced: rules (R7), rotations (R8), meetings (O3).

Lists take the visible set from remediation.access and the page's GET filters; figures per
unit subtree are one conditional aggregate over the listed units (a constant number of
queries whatever the data). The item page and the lead page get their parts from here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from leads.access import leads_visible_to
from rectify.access import scope_paths, unit_q, units_visible_to
from rectify.models import AnyUser, Campaign, Officer, Role, RoleAssignment, Unit
from rectify.params import date_param, id_param
from rectify.ui import PageSection

from ..access import (
    OUTPUT_READER_ROLES,
    items_visible_to,
    meetings_visible_to,
    rotations_visible_to,
    rules_visible_to,
)
from ..models import Document, Item, Meeting, MeetingKind, Rotation, RotationKind, Rule, RuleStatus
from .surveys import policy_for

SUBTREE_ROWS_MAX = 40


def chosen_unit(user: AnyUser, params: object) -> Unit | None:
    """The `?unit=` filter as a unit the user reads remediation of (None: not chosen or
    not theirs; an invisible unit filters nothing rather than answering empty)."""
    pk = id_param(params, "unit")  # type: ignore[arg-type]
    if pk is None:
        return None
    return units_visible_to(user, OUTPUT_READER_ROLES).filter(pk=pk).first()


def filter_units(user: AnyUser) -> QuerySet[Unit]:
    """Units offered in a list's unit-subtree filter (top levels of the user's scope)."""
    return units_visible_to(user, OUTPUT_READER_ROLES).filter(depth__lte=5).order_by("path")[:300]


def _text(params: object, name: str) -> str:
    return (params.get(name) or "").strip()[:100]  # type: ignore[attr-defined]


# --- figures per unit subtree --------------------------------------------------------------


@dataclass(frozen=True)
class SubtreeCount:
    unit: Unit
    count: int
    is_base: bool


def subtree_counts(
    user: AnyUser, qs: QuerySet, *, unit: Unit | None, path_field: str
) -> list[SubtreeCount]:
    """Rows of `qs` per unit subtree: the chosen unit (else the roots of the user's scope)
    and their direct children. Two queries: the units, then one aggregate."""
    if unit is not None:
        bases = [unit]
    else:
        roots = scope_paths(user, OUTPUT_READER_ROLES)
        bases = list(Unit.objects.filter(path__in=roots).order_by("path")[:10])
    if not bases:
        return []
    children_q = Q(pk__in=[])
    for base in bases:
        children_q |= Q(path__startswith=base.path, depth=base.depth + 1)
    children = list(Unit.objects.filter(children_q).order_by("path")[:SUBTREE_ROWS_MAX])
    units = [(b, True) for b in bases] + [(c, False) for c in children]
    aggregates = {
        f"u{i}": Count("id", filter=Q(**{f"{path_field}__startswith": u.path}))
        for i, (u, _b) in enumerate(units)
    }
    row = qs.order_by().aggregate(**aggregates)
    return [SubtreeCount(u, row[f"u{i}"], base) for i, (u, base) in enumerate(units)]


# --- rules (R7) ----------------------------------------------------------------------------


def rule_list(user: AnyUser, params: object) -> QuerySet[Rule]:
    """Visible rules filtered by `unit` (subtree), `status`, `q` (title or summary)."""
    rules = rules_visible_to(user)
    unit = chosen_unit(user, params)
    if unit is not None:
        rules = rules.filter(unit__path__startswith=unit.path)
    status = params.get("status")  # type: ignore[attr-defined]
    if status in RuleStatus.values:
        rules = rules.filter(status=status)
    q = _text(params, "q")
    if q:
        rules = rules.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    return rules


def with_rule_relations(rules: QuerySet[Rule]) -> QuerySet[Rule]:
    return rules.select_related("unit", "revises").annotate(item_count=Count("items"))


def rule_items(user: AnyUser, rule: Rule) -> list[Item]:
    """The rule's items the user may see (the others are counted, not shown)."""
    return list(items_visible_to(user).filter(rules=rule).select_related("unit").order_by("number"))


# --- rotations (R8) ------------------------------------------------------------------------


def rotation_list(user: AnyUser, params: object) -> QuerySet[Rotation]:
    """Visible rotations filtered by `unit` (from or to subtree), `kind`, `pending`,
    `from`/`to` (effective date) and `q` (officer name or number, post)."""
    rotations = rotations_visible_to(user)
    unit = chosen_unit(user, params)
    if unit is not None:
        rotations = rotations.filter(
            Q(from_unit__path__startswith=unit.path) | Q(to_unit__path__startswith=unit.path)
        )
    kind = params.get("kind")  # type: ignore[attr-defined]
    if kind in RotationKind.values:
        rotations = rotations.filter(kind=kind)
    if params.get("pending"):  # type: ignore[attr-defined]
        rotations = rotations.filter(applied_at__isnull=True)
    for name, lookup in (("from", "effective_date__gte"), ("to", "effective_date__lte")):
        day = date_param(params, name)  # type: ignore[arg-type]
        if day:
            rotations = rotations.filter(**{lookup: day})
    q = _text(params, "q")
    if q:
        rotations = rotations.filter(
            Q(officer__name__contains=q)
            | Q(officer__number__startswith=q)
            | Q(from_post__contains=q)
            | Q(to_post__contains=q)
        )
    return rotations


def with_rotation_relations(rotations: QuerySet[Rotation]) -> QuerySet[Rotation]:
    return rotations.select_related("officer", "from_unit", "to_unit")


def rotation_roles_left_behind(rotation: Rotation) -> list:
    """Roles other than OFFICER the officer holds over the old unit that do not cover the
    new one: not moved by the rotation, listed for the office to act on."""
    user_id = rotation.officer.user_id
    if user_id is None:
        return []
    rows = (
        RoleAssignment.objects.filter(user_id=user_id)
        .exclude(role=Role.OFFICER)
        .select_related("unit")
        .order_by("role", "unit__path")
    )
    old, new = rotation.from_unit.path, rotation.to_unit.path
    return [a for a in rows if old.startswith(a.unit.path) and not new.startswith(a.unit.path)]


# --- tenure on sensitive posts (R8: 到期未轮岗) ----------------------------------------------

POST_START_UNKNOWN = "任职起始日期未知"


@dataclass(frozen=True)
class TenureRule:
    years: int
    keywords: list[str]
    cutoff: dt.date  # a post held since this day or earlier is overdue

    @property
    def configured(self) -> bool:
        return bool(self.keywords)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def tenure_rule(today: dt.date) -> TenureRule:
    """The current campaign's rotation period and sensitive-post keywords."""
    campaign = Campaign.current()
    if campaign is None:
        return TenureRule(years=0, keywords=[], cutoff=today)
    policy = policy_for(campaign)
    keywords = [k.strip() for k in policy.sensitive_posts.splitlines() if k.strip()][:50]
    years = policy.rotation_years
    return TenureRule(years=years, keywords=keywords, cutoff=years_before(today, years))


def tenure_overdue(user: AnyUser, params: object, rule: TenureRule) -> QuerySet[Officer]:
    """Active officers of the user's scope on a sensitive post (position contains a
    keyword) held since `rule.cutoff` or earlier, or since a day nobody recorded. The post
    start (`post_start`) is the latest applied rotation of the officer, else
    Officer.post_since; None when neither is known (shown as unknown, never guessed)."""
    if not rule.configured:
        return Officer.objects.none()
    sensitive = Q(pk__in=[])
    for word in rule.keywords:
        sensitive |= Q(position__contains=word)
    latest = (
        Rotation.objects.filter(officer_id=OuterRef("pk"), applied_at__isnull=False)
        .order_by("-effective_date", "-id")
        .values("effective_date")[:1]
    )
    officers = (
        Officer.objects.filter(unit_q(user, OUTPUT_READER_ROLES, prefix="unit__"))
        .filter(sensitive, is_active=True)
        .annotate(post_start=Coalesce(Subquery(latest), F("post_since")))
        .filter(Q(post_start__lte=rule.cutoff) | Q(post_start__isnull=True))
    )
    unit = chosen_unit(user, params)
    if unit is not None:
        officers = officers.filter(unit__path__startswith=unit.path)
    if params.get("unknown") == "1":  # type: ignore[attr-defined]
        officers = officers.filter(post_start__isnull=True)
    elif params.get("unknown") == "0":  # type: ignore[attr-defined]
        officers = officers.filter(post_start__isnull=False)
    q = _text(params, "q")
    if q:
        officers = officers.filter(Q(name__contains=q) | Q(number__startswith=q))
    return officers.select_related("unit")


# --- meetings (O3) -------------------------------------------------------------------------


def meeting_list(user: AnyUser, params: object) -> QuerySet[Meeting]:
    """Visible meetings filtered by `kind`, `unit` (subtree), `from`/`to` (date) and `q`
    (title, decisions, other participants)."""
    meetings = meetings_visible_to(user)
    unit = chosen_unit(user, params)
    if unit is not None:
        meetings = meetings.filter(unit__path__startswith=unit.path)
    kind = params.get("kind")  # type: ignore[attr-defined]
    if kind in MeetingKind.values:
        meetings = meetings.filter(kind=kind)
    for name, lookup in (("from", "date__gte"), ("to", "date__lte")):
        day = date_param(params, name)  # type: ignore[arg-type]
        if day:
            meetings = meetings.filter(**{lookup: day})
    q = _text(params, "q")
    if q:
        meetings = meetings.filter(
            Q(title__icontains=q) | Q(decisions__icontains=q) | Q(other_participants__contains=q)
        )
    return meetings


def with_meeting_relations(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.select_related("unit").annotate(
        lead_count=Count("leads", distinct=True), item_count=Count("items", distinct=True)
    )


@dataclass
class MeetingLinks:
    leads: list
    items: list[Item]
    participants: list[Officer]
    hidden_leads: int
    hidden_items: int


def meeting_links(user: AnyUser, meeting: Meeting) -> MeetingLinks:
    """What a meeting page shows of its links: only the leads and items the viewer may see
    (the rest are counted, never named); participants in full (they attended)."""
    all_leads = list(meeting.leads.values_list("pk", flat=True))
    leads = list(leads_visible_to(user).filter(pk__in=all_leads).order_by("number", "id"))
    all_items = list(meeting.items.values_list("pk", flat=True))
    items = list(
        items_visible_to(user).filter(pk__in=all_items).select_related("unit").order_by("number")
    )
    participants = list(meeting.participants.select_related("unit").order_by("unit__path", "name"))
    return MeetingLinks(
        leads=leads,
        items=items,
        participants=participants,
        hidden_leads=len(all_leads) - len(leads),
        hidden_items=len(all_items) - len(items),
    )


# --- parts of other pages ------------------------------------------------------------------


def item_outputs_part(user: AnyUser, item: Item) -> dict:
    """The item page's rules and meetings (registered in ITEM_PAGE_PARTS)."""
    rules = list(
        rules_visible_to(user).filter(items=item).select_related("unit").order_by("-created_at")
    )
    meetings = list(
        meetings_visible_to(user).filter(items=item).select_related("unit").order_by("-date", "-id")
    )
    return {"item_rules": rules, "item_meetings": meetings}


def lead_meetings_section(user: AnyUser, lead: object) -> PageSection | None:
    """The lead page's 会商记录 section (registered in leads.ui.LEAD_PAGE_SECTIONS): the
    meetings linked to the lead that the viewer may see, oldest first."""
    meetings = list(
        meetings_visible_to(user)
        .filter(leads=lead)
        .select_related("unit")
        .order_by("date", "id")[:50]
    )
    if not meetings:
        return None
    return PageSection(
        template="remediation/partials/_lead_meetings.html",
        context={"meetings": meetings},
        order=60,
    )


def rule_document(rule: Rule) -> Document | None:
    """The rule's document with its content (for the download view)."""
    if rule.document_id is None:
        return None
    return Document.objects.filter(pk=rule.document_id).first()


def keep_hidden_items(user: AnyUser, rule: Rule, chosen: list[Item]) -> list[Item]:
    """An editor who cannot see some of a rule's items keeps them linked on save."""
    hidden = list(rule.items.exclude(pk__in=items_visible_to(user).values("id")))
    return list(chosen) + hidden
