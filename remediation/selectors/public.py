"""Reads of public commitments, survey results, practical matters and typical cases
(O4–O6). Every list costs a fixed number of queries whatever its size."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, Q
from django.utils import timezone

from rectify.access import scope_paths, units_visible_to
from rectify.approval import ApprovalStatus
from rectify.models import Campaign, Unit
from rectify.pagination import Page, keyset_page

from ..access import (
    MATTER_MANAGER_ROLES,
    MATTER_READER_ROLES,
    PUBLIC_MANAGER_ROLES,
    can_manage_public_of,
    commitments_visible_to,
    items_visible_to,
    matters_visible_to,
    survey_units_q,
    typical_cases_visible_to,
)
from ..models import (
    Commitment,
    Document,
    Item,
    PracticalMatter,
    RemediationPolicy,
    SurveyResponse,
    TypicalCase,
)
from .surveys import item_survey_summary, policy_for

if TYPE_CHECKING:
    from rectify.models import AnyUser

SCORES = (1, 2, 3, 4, 5)


def _score_counts() -> dict[str, Any]:
    return {f"s{k}": Count("id", filter=Q(satisfaction=k)) for k in SCORES}


def _average(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


@dataclass
class SurveyRow:
    """One line of results: how many answered, the average, the count per score."""

    key: Any
    label: str
    responses: int
    average: Decimal | None
    counts: list[int] = field(default_factory=list)

    @property
    def bars(self) -> list[tuple[int, int, int, int]]:
        """(score, count, percent of answers, percent rounded to tens for the bar's CSS
        class: no inline style, which the CSP forbids), highest score first."""
        total = self.responses or 1
        rows = []
        for k, n in zip(SCORES, self.counts, strict=True):
            pct = round(100 * n / total)
            rows.append((k, n, pct, int(round(pct, -1))))
        return rows[::-1]


def _row(key: Any, label: str, values: dict) -> SurveyRow:
    return SurveyRow(
        key=key,
        label=label,
        responses=values["n"],
        average=_average(values["avg"]),
        counts=[values[f"s{k}"] for k in SCORES],
    )


def survey_results_by_unit(user: AnyUser) -> list[SurveyRow]:
    """Results per unit (all answers of the unit: its own survey and its items'), for the
    units of the user's office or leader subtrees; one grouped query."""
    rows = (
        SurveyResponse.objects.filter(survey_units_q(user))
        .values("unit_id", "unit__name", "unit__path")
        .annotate(n=Count("id"), avg=Avg("satisfaction"), **_score_counts())
        .order_by("unit__path")
    )
    return [_row(r["unit_id"], r["unit__name"], r) for r in rows]


def survey_results_by_item(user: AnyUser, *, cursor: str | None, size: int = 50) -> Page:
    """Results per item the user may see (recusal included), by item number, a keyset page
    of one grouped query."""
    qs = (
        SurveyResponse.objects.filter(
            survey_units_q(user), item_id__in=items_visible_to(user).values("id")
        )
        .values("item_id", "item__number", "item__description", "unit__name")
        .annotate(n=Count("id"), avg=Avg("satisfaction"), **_score_counts())
    )
    page = keyset_page(qs, ordering=("item__number",), cursor=cursor, size=size)
    rows = []
    for r in page.items:
        row = _row(r["item_id"], r["item__number"], r)
        row.description = r["item__description"]  # type: ignore[attr-defined]
        row.unit_name = r["unit__name"]  # type: ignore[attr-defined]
        rows.append(row)
    page.items = rows
    return page


def item_survey_distribution(item: Item) -> SurveyRow:
    values = SurveyResponse.objects.filter(item=item).aggregate(
        n=Count("id"), avg=Avg("satisfaction"), **_score_counts()
    )
    return _row(item.pk, item.number, values)


def item_survey_part(user: AnyUser, item: Item) -> dict[str, Any]:
    """The item page's survey box (templates/remediation/item/_survey.html): the summary
    against the campaign's bar, the distribution, and whether the user may print slips."""
    return {
        "survey_summary": item_survey_summary(item),
        "survey_distribution": item_survey_distribution(item),
        "can_print_survey": can_manage_public_of(user, item.unit),
    }


def units_for_public_management(user: AnyUser, limit: int = 500) -> list[Unit]:
    return list(units_visible_to(user, PUBLIC_MANAGER_ROLES).order_by("path")[:limit])


def visible_item_by_number(user: AnyUser, number: str) -> Item | None:
    """The item with this stable number, if the user may see it (a survey batch's item)."""
    return (
        items_visible_to(user)
        .filter(number=number.strip())
        .select_related("unit", "plan__campaign")
        .first()
    )


def current_policy() -> RemediationPolicy | None:
    """The current campaign's survey bar (threshold, minimum responses), shown with results."""
    campaign = Campaign.current()
    return policy_for(campaign) if campaign is not None else None


# --- commitments ---------------------------------------------------------------------------


def commitment_list(user: AnyUser, *, cursor: str | None, size: int = 50) -> Page:
    qs = commitments_visible_to(user).select_related("unit")
    return keyset_page(qs, ordering=("-created_at", "-id"), cursor=cursor, size=size)


# --- the public page of a unit -------------------------------------------------------------


@dataclass
class PublicUnitPage:
    unit: Unit
    commitments: list[Commitment]
    matters: list[PracticalMatter]
    cases: list[TypicalCase]


PUBLIC_LIST_MAX = 200


def public_unit_page(unit_pk: int) -> PublicUnitPage | None:
    """What anybody may read about a unit: its published commitments, its public practical
    matters (no owner name: the public sees the unit's promise), its approved typical
    cases. None for a unit that does not exist. Four queries."""
    unit = Unit.objects.filter(pk=unit_pk).first()
    if unit is None:
        return None
    commitments = Commitment.objects.filter(unit=unit, is_published=True).order_by(
        "-published_on", "-id"
    )[:PUBLIC_LIST_MAX]
    matters = PracticalMatter.objects.filter(unit=unit, is_public=True).order_by("deadline", "id")[
        :PUBLIC_LIST_MAX
    ]
    cases = TypicalCase.objects.filter(unit=unit, status=ApprovalStatus.PUBLISHED).order_by(
        "-decided_at", "-id"
    )[:PUBLIC_LIST_MAX]
    return PublicUnitPage(unit, list(commitments), list(matters), list(cases))


def public_commitments_of(unit: Unit) -> list[Commitment]:
    return list(
        Commitment.objects.filter(unit=unit, is_published=True).order_by("-published_on", "-id")[
            :PUBLIC_LIST_MAX
        ]
    )


# --- practical matters ---------------------------------------------------------------------


@dataclass(frozen=True)
class MatterFilters:
    unit: Unit | None = None
    state: str = ""  # "", "open", "done", "overdue"
    q: str = ""


def matter_list(
    user: AnyUser, filters: MatterFilters, *, cursor: str | None, size: int = 50
) -> Page:
    qs = matters_visible_to(user).select_related("unit", "owner")
    if filters.unit is not None:
        qs = qs.filter(unit__path__startswith=filters.unit.path)
    today = timezone.localdate()
    if filters.state == "open":
        qs = qs.filter(completed_at__isnull=True)
    elif filters.state == "done":
        qs = qs.filter(completed_at__isnull=False)
    elif filters.state == "overdue":
        qs = qs.filter(completed_at__isnull=True, deadline__lt=today)
    if filters.q:
        qs = qs.filter(Q(title__contains=filters.q) | Q(commitment__contains=filters.q))
    return keyset_page(qs, ordering=("-created_at", "-id"), cursor=cursor, size=size)


@dataclass
class RateRow:
    unit: Unit
    total: int
    done: int
    overdue: int

    @property
    def rate(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None


RATE_UNITS_MAX = 30


def matter_completion_rates(user: AnyUser, root: Unit | None) -> list[RateRow]:
    """Completion per unit subtree: the root (the filtered unit, or the user's first scope
    root) and its children, each counting its whole subtree. Three queries at most."""
    if root is None:
        paths = scope_paths(user, MATTER_READER_ROLES)
        root = Unit.objects.filter(path=paths[0]).first() if paths else None
    if root is None:
        return []
    children = Unit.objects.filter(path__startswith=root.path, depth=root.depth + 1)
    units = [root, *children.order_by("path")[: RATE_UNITS_MAX - 1]]
    today = timezone.localdate()
    counts: dict[str, Any] = {}
    for unit in units:
        inside = Q(unit__path__startswith=unit.path)
        counts[f"t{unit.pk}"] = Count("id", filter=inside)
        counts[f"d{unit.pk}"] = Count("id", filter=inside & Q(completed_at__isnull=False))
        counts[f"o{unit.pk}"] = Count(
            "id", filter=inside & Q(completed_at__isnull=True, deadline__lt=today)
        )
    values = matters_visible_to(user).aggregate(**counts) if counts else {}
    return [RateRow(u, values[f"t{u.pk}"], values[f"d{u.pk}"], values[f"o{u.pk}"]) for u in units]


# --- typical cases -------------------------------------------------------------------------


def typical_case_list(user: AnyUser, *, cursor: str | None, size: int = 50) -> Page:
    qs = typical_cases_visible_to(user).select_related("unit")
    return keyset_page(qs, ordering=("-created_at", "-id"), cursor=cursor, size=size)


def units_for_matters(user: AnyUser, limit: int = 500) -> list[Unit]:
    return list(units_visible_to(user, MATTER_MANAGER_ROLES).order_by("path")[:limit])


def matter_evidence(matter: PracticalMatter) -> Document | None:
    """The matter's evidence file with its content (loaded only for the download)."""
    if matter.evidence_id is None:
        return None
    return Document.objects.filter(pk=matter.evidence_id).first()


def today() -> object:
    return timezone.localdate()
