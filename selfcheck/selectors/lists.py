"""The lists and single reads the self-check pages show, each from a visible set of
`selfcheck.access` (the views hold no query of their own)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from rectify.models import Campaign, Officer, Unit

from ..models import (
    DEFAULT_LENIENCY_TEXT,
    CampaignPolicy,
    CaseRead,
    ItemConfig,
    Notice,
    Question,
    ReportVersion,
    ReviewAction,
    SelfCheckReport,
    Talk,
    WarningCase,
)

NOTICES_SHOWN = 100
CASES_SHOWN = 200


def policy_text(campaign: Campaign) -> str:
    """The leniency policy shown above the form (the campaign's own, or the default)."""
    policy = CampaignPolicy.objects.filter(campaign=campaign).first()
    return policy.leniency_text if policy else str(DEFAULT_LENIENCY_TEXT)


def report_version(report: SelfCheckReport, number: int | None) -> ReportVersion | None:
    """Version `number` of the report (None when it has none such), or the latest."""
    if number:
        return report.versions.filter(number=number).first()
    return report.latest_version


def report_reviews(report: SelfCheckReport) -> QuerySet[ReviewAction]:
    return report.reviews.select_related("actor", "version")


def report_questions(report: SelfCheckReport) -> QuerySet[Question]:
    return report.questions.select_related("answered_by")


def questions_to_answer(*, questions: QuerySet[Question], user: object, show: str) -> QuerySet:
    """`questions` from access.selfcheck_questions_visible_to(user), less those on the
    user's own report; only unanswered ones when `show` is "open"."""
    qs = questions.exclude(report__officer__user=user).select_related(
        "report__officer__unit", "answered_by"
    )
    if show == "open":
        qs = qs.filter(answered_at__isnull=True)
    return qs


def notices_for(user: object) -> list[Notice]:
    return list(Notice.objects.filter(user=user).order_by("-created_at")[:NOTICES_SHOWN])


def item_configs_listed(*, items: QuerySet[ItemConfig], campaign: Campaign) -> QuerySet:
    """`items` from access.selfcheck_item_configs_visible_to(user), of the campaign."""
    return items.filter(campaign=campaign).select_related("unit").order_by("unit__path", "order")


def talks_listed(*, talks: QuerySet[Talk], campaign: Campaign) -> QuerySet[Talk]:
    """`talks` from access.talks_visible_to(user), of the campaign, ready for a page."""
    return talks.filter(campaign=campaign).select_related("officer__unit", "talker", "trigger")


def cases_listed(cases: QuerySet[WarningCase]) -> QuerySet[WarningCase]:
    """`cases` from access.warning_cases_visible_to(user), newest first, with read counts
    in the same query (coverage per unit is on each case's page)."""
    return (
        cases.select_related("unit")
        .annotate(n_read=Count("reads"))
        .order_by("-created_at")[:CASES_SHOWN]
    )


def case_ids_read_by(officer: Officer | None) -> set[int]:
    if officer is None:
        return set()
    return set(CaseRead.objects.filter(officer=officer).values_list("case_id", flat=True))


def case_read_by(case: WarningCase, officer: Officer | None) -> bool:
    return officer is not None and CaseRead.objects.filter(case=case, officer=officer).exists()


def reports_below(reports: QuerySet[SelfCheckReport], unit: Unit) -> QuerySet[SelfCheckReport]:
    """The reports of officers in `unit`'s subtree."""
    return reports.filter(officer__unit__path__startswith=unit.path)
