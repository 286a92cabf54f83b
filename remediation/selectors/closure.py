"""Reads of closure and escalation (R5, R6): the facts the three don'ts look at, the
acceptance history and accountability records shown on the item page, the link to the
other end of an escalation, and what the daily reminders are about."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from ..access import ITEM_CLOSURE_ACTIONS, item_visible_to, superior_unit
from ..forms.closure import EscalateForm, closure_forms
from ..models import (
    AcceptanceAttempt,
    Accountability,
    AttemptDecision,
    Evidence,
    EvidenceStatus,
    Item,
    ItemStatus,
    Measure,
    MeasureStatus,
)
from ..rules.closure import ClosureFacts, missing_conditions
from .surveys import SurveySummary, item_survey_summary

if TYPE_CHECKING:
    from rectify.models import AnyUser


def closure_facts(item: Item, *, survey: SurveySummary | None = None) -> ClosureFacts:
    """Gather what the gate looks at: four small aggregates, whatever the item's size."""
    measures = Measure.objects.filter(item=item).aggregate(
        n=Count("id"), open=Count("id", filter=~Q(status=MeasureStatus.DONE))
    )
    evidence = Evidence.objects.filter(item=item).aggregate(
        approved=Count("id", filter=Q(status=EvidenceStatus.APPROVED)),
        pending=Count("id", filter=Q(status=EvidenceStatus.SUBMITTED)),
    )
    survey = survey or item_survey_summary(item)
    upper = (
        Item.objects.filter(pk=item.escalated_to_id).select_related("unit").first()
        if item.escalated_to_id
        else None
    )
    return ClosureFacts(
        measures=measures["n"],
        measures_open=measures["open"],
        evidence_approved=evidence["approved"],
        evidence_pending=evidence["pending"],
        survey_responses=survey.responses,
        survey_average=survey.average,
        survey_min_responses=survey.min_responses,
        survey_threshold=survey.threshold,
        survey_passed=survey.passed,
        survey_waived=bool(item.survey_waiver_reason),
        accountability_records=Accountability.objects.filter(item=item).count(),
        upper_status=upper.status if upper else None,
        upper_status_label=upper.get_status_display() if upper else "",
        upper_unit_name=upper.unit.name if upper else "",
        upper_accepted=bool(upper and upper.status == ItemStatus.ACCEPTED),
    )


def closure_missing(item: Item) -> list[str]:
    """The guard passed to item_transition for → accepted: each missing condition, named."""
    return missing_conditions(closure_facts(item))


def acceptance_history(item: Item) -> list[AcceptanceAttempt]:
    """Every submission and its outcome, oldest first (a return keeps its reason)."""
    return list(
        AcceptanceAttempt.objects.filter(item=item).select_related("submitted_by", "decided_by")
    )


def accountability_records(item: Item) -> list[Accountability]:
    return list(
        Accountability.objects.filter(item=item).select_related("officer__unit", "recorded_by")
    )


@dataclass
class ClosurePart:
    """What templates/remediation/item/_closure.html draws."""

    item: Item
    missing: list[str]
    attempts: list[AcceptanceAttempt]
    records: list[Accountability]
    survey: SurveySummary
    may: dict[str, bool]
    forms: dict[str, object] = field(default_factory=dict)

    @property
    def pending(self) -> AcceptanceAttempt | None:
        last = self.attempts[-1] if self.attempts else None
        return last if last and last.decision == AttemptDecision.PENDING else None


def closure_part(user: AnyUser, item: Item, *, bound: dict | None = None) -> dict:
    """The item page's closure section: the gate's missing conditions, the acceptance
    history, accountability records, and which actions `user` may take (from
    access.ITEM_CLOSURE_ACTIONS, filtered by the item's state). `bound` replaces an empty
    form by the one that failed validation, so its errors show next to its fields."""
    survey = item_survey_summary(item)
    facts = closure_facts(item, survey=survey)
    may = {name: bool(pred(user, item)) for name, pred in ITEM_CLOSURE_ACTIONS.items()}
    open_ = item.status != ItemStatus.ACCEPTED
    rectified = item.status == ItemStatus.RECTIFIED
    may["submit"] = may["submit"] and item.status in (ItemStatus.OPEN, ItemStatus.IN_PROGRESS)
    may["accept"] = may["accept"] and rectified
    may["return"] = may["return"] and rectified
    may["accountability"] = may["accountability"] and open_
    may["no_one_to_blame"] = may["no_one_to_blame"] and open_
    may["waive_survey"] = (
        may["waive_survey"] and open_ and not item.survey_waiver_reason and not survey.passed
    )
    part = ClosurePart(
        item=item,
        missing=missing_conditions(facts),
        attempts=acceptance_history(item),
        records=accountability_records(item),
        survey=survey,
        may=may,
        forms=closure_forms(user, bound=bound),
    )
    return {"closure": part}


@dataclass(frozen=True)
class LinkedItem:
    """The other end of an escalation: linked only when the viewer may open it."""

    item: Item
    visible: bool


def escalation_part(user: AnyUser, item: Item, *, bound: object | None = None) -> dict:
    """The item page's escalation section: the superior item it was escalated to and the
    lower item it came from, each with its status, linked only if `user` may see it."""
    upper = lower = None
    if item.escalated_to_id:
        up = Item.objects.select_related("unit").get(pk=item.escalated_to_id)
        upper = LinkedItem(up, item_visible_to(user, up))
    down = Item.objects.filter(escalated_to=item).select_related("unit").first()
    if down is not None:
        lower = LinkedItem(down, item_visible_to(user, down))
    parent = superior_unit(item.unit)
    may = (
        ITEM_CLOSURE_ACTIONS["escalate"](user, item)
        and parent is not None
        and not item.escalated_to_id
        and item.status != ItemStatus.ACCEPTED
    )
    return {
        "escalation": {
            "upper": upper,
            "lower": lower,
            "parent": parent,
            "may_escalate": may,
            "form": bound or EscalateForm(),
        }
    }


# --- reminders ---------------------------------------------------------------------------


def measures_due(*, today: dt.date, horizon: dt.date) -> QuerySet[Measure]:
    """Measures not done, of items not accepted, due by `horizon` (overdue included), whose
    owner has a login and is not a subject of the item (recusal)."""
    about_owner = Item.subjects.through.objects.filter(
        item_id=OuterRef("item_id"), officer_id=OuterRef("owner_id")
    )
    return (
        Measure.objects.exclude(status=MeasureStatus.DONE)
        .exclude(item__status=ItemStatus.ACCEPTED)
        .filter(deadline__lte=horizon, owner__user__isnull=False, owner__is_active=True)
        .exclude(Exists(about_owner))
        .select_related("owner__user", "item")
        .order_by("deadline", "id")
    )


def items_due(*, today: dt.date, horizon: dt.date) -> QuerySet[Item]:
    """Items not accepted, due by `horizon` (overdue included), whose responsible person
    has a login and is not a subject of the item."""
    about_person = Item.subjects.through.objects.filter(
        item_id=OuterRef("pk"), officer_id=OuterRef("responsible_person_id")
    )
    return (
        Item.objects.exclude(status=ItemStatus.ACCEPTED)
        .filter(
            deadline__lte=horizon,
            responsible_person__user__isnull=False,
            responsible_person__is_active=True,
        )
        .exclude(Exists(about_person))
        .select_related("responsible_person__user")
        .order_by("deadline", "id")
    )
