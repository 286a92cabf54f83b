"""What officers declared, for the leads app (leniency, conflict hints, screening)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.expressions import Combinable

from rectify.models import Campaign, ChronicProblem, Officer

from ..models import (
    BusinessRow,
    LendingRow,
    ReportVersion,
    SelfCheckReport,
    VersionAnswer,
)


def declarations_before(
    *, officer_ids: Iterable[int], before: dt.datetime
) -> dict[int, dict[str, dt.datetime]]:
    """{officer id: {ChronicProblem value: submitted_at of the earliest in-window version that
    declared "yes" on it, before `before`}}. One query whatever the number of officers.

    `in_window` was fixed at submission from the deadline that applied to the officer then
    (selfcheck_start <= date <= Campaign.deadline_for(officer)).
    """
    rows = (
        VersionAnswer.objects.filter(
            yes=True,
            key__in=ChronicProblem.values,
            version__in_window=True,
            version__submitted_at__lt=before,
            version__report__officer_id__in=list(officer_ids),
        )
        .values_list("version__report__officer_id", "key", "version__submitted_at")
        .order_by("version__submitted_at")
    )
    result: dict[int, dict[str, dt.datetime]] = {}
    for officer_id, key, submitted_at in rows:
        result.setdefault(officer_id, {}).setdefault(key, submitted_at)
    return result


def declared_before_day(
    *, officer_id: int | Combinable, key: str | Combinable, day: dt.date | Combinable
) -> Exists:
    """A SQL condition: the officer declared "yes" on `key` in a version submitted inside
    the window and before `day` (in the project's time zone). The arguments may be
    expressions (OuterRef), so a whole ledger is counted in one query (leads' L12 figure)."""
    return Exists(
        VersionAnswer.objects.filter(
            yes=True,
            key=key,
            version__in_window=True,
            version__report__officer_id=officer_id,
            version__submitted_at__date__lt=day,
        )
    )


def officer_ids_with_any_declaration(*, campaign: Campaign | None = None) -> QuerySet:
    """Officer ids whose latest submitted version declares at least one "yes"."""
    reports = SelfCheckReport.objects.filter(latest_version__isnull=False)
    if campaign is not None:
        reports = reports.filter(campaign=campaign)
    return (
        reports.filter(
            Exists(VersionAnswer.objects.filter(version_id=OuterRef("latest_version_id"), yes=True))
        )
        .values_list("officer_id", flat=True)
        .distinct()
    )


def declared_ties(*, officer: Officer) -> dict[str, str]:
    """{declared name: kind} of the officer's latest submitted version, kind being
    "relative" (a relative's name), "enterprise" or "counterparty" (lending); the conflict
    hint says the kind to users who may not read the declaration."""
    latest = (
        ReportVersion.objects.filter(report__officer=officer)
        .order_by("-submitted_at", "-id")
        .values_list("id", flat=True)
        .first()
    )
    if latest is None:
        return {}
    ties: dict[str, str] = {}
    for name, enterprise in BusinessRow.objects.filter(version_id=latest).values_list(
        "name", "enterprise"
    ):
        if name:
            ties.setdefault(name, "relative")
        if enterprise:
            ties.setdefault(enterprise, "enterprise")
    for counterparty in LendingRow.objects.filter(version_id=latest).values_list(
        "counterparty", flat=True
    ):
        if counterparty:
            ties.setdefault(counterparty, "counterparty")
    ties.pop(officer.name, None)
    return ties


def declared_names(*, officer: Officer) -> set[str]:
    """Relatives' names, enterprise names and counterparties of the officer's latest submitted
    version (for conflict warnings when assigning a lead handler)."""
    return set(declared_ties(officer=officer))
