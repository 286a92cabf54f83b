"""Public acceptance survey results (O4), feeding condition (2) of the three don'ts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count

from rectify.models import Campaign

from ..models import Item, RemediationPolicy, SurveyResponse


def policy_for(campaign: Campaign) -> RemediationPolicy:
    """The campaign's remediation settings (defaults until an administrator changes them)."""
    policy, _created = RemediationPolicy.objects.get_or_create(campaign=campaign)
    return policy


@dataclass(frozen=True)
class SurveySummary:
    responses: int
    average: Decimal | None
    min_responses: int
    threshold: Decimal

    @property
    def passed(self) -> bool:
        return (
            self.responses >= self.min_responses
            and self.average is not None
            and self.average >= self.threshold
        )


def item_survey_summary(item: Item) -> SurveySummary:
    """Responses to the item's own survey: how many, their average, and the campaign's bar."""
    policy = policy_for(item.plan.campaign)
    row = SurveyResponse.objects.filter(item=item).aggregate(n=Count("id"), avg=Avg("satisfaction"))
    average = None if row["avg"] is None else Decimal(str(row["avg"])).quantize(Decimal("0.01"))
    return SurveySummary(
        responses=row["n"],
        average=average,
        min_responses=policy.survey_min_responses,
        threshold=policy.survey_threshold,
    )
