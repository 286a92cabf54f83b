"""The item page's reads, and the items shown on a lead's or a self-check report's page.

`item_page(user, item)` is the one place the item page gets its context. Other parts of
remediation (acceptance and the three don'ts, escalation, rules and meetings, surveys) add
their keys by appending a callable `(user, item) -> dict` to `ITEM_PAGE_PARTS`; their
templates are included from templates/remediation/item/_<part>.html. A part reads only
what its own include shows, with a fixed number of queries. Higher apps (leadership's
督办单 and 批示) add their parts from their AppConfig.ready() and return
`{"page_sections": [PageSection, ...]}`, drawn at the end of the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ..access import (
    can_note_measure,
    can_see_plan,
    can_see_source_lead,
    can_see_source_report,
    item_actions_for,
    items_visible_to,
)
from ..models import Evidence, Item, Measure, MeasureNote

if TYPE_CHECKING:
    # leads.Lead and selfcheck.SelfCheckReport: remediation reaches those apps only
    # through their ports, so the type names are aliases, not imports.
    from django.db.models import Model as Lead
    from django.db.models import Model as SelfCheckReport

    from rectify.models import AnyUser

ItemPagePart = Callable[["AnyUser", Item], dict[str, Any]]
ITEM_PAGE_PARTS: list[ItemPagePart] = []


def item_measures(item: Item) -> list[Measure]:
    notes = MeasureNote.objects.select_related("written_by").order_by("written_at", "id")
    return list(
        Measure.objects.filter(item=item)
        .select_related("owner__unit")
        .prefetch_related(Prefetch("notes", queryset=notes))
    )


def item_evidence(item: Item) -> list[Evidence]:
    return list(
        Evidence.objects.filter(item=item)
        .select_related("document", "submitted_by", "reviewed_by", "measure")
        .defer("document__content")
    )


def item_page(user: AnyUser, item: Item) -> dict[str, Any]:
    """Everything the item page shows: the item, what the user may do to it (ITEM_ACTIONS),
    measures with notes, evidence, the subjects, the sources the user may see (a lead only
    as its number and link, never its content or reporter), then every ITEM_PAGE_PARTS
    entry merged in order."""
    measures = item_measures(item)
    for measure in measures:
        measure.item = item
        measure.can_note = can_note_measure(user, measure)
    source_lead = None
    if can_see_source_lead(user, item):
        source_lead = {"pk": item.source_lead_id, "number": item.source_lead.number}
    source_report = item.source_report_id if can_see_source_report(user, item) else None
    context: dict[str, Any] = {
        "item": item,
        "actions": item_actions_for(user, item),
        "measures": measures,
        "evidence": item_evidence(item),
        "subjects": list(item.subjects.select_related("unit")),
        "source_lead": source_lead,
        "source_report": source_report,
        "plan_visible": can_see_plan(user, item.plan),
        "today": timezone.localdate(),
    }
    for part in ITEM_PAGE_PARTS:
        context.update(part(user, item))
    return context


def items_from_lead(user: AnyUser, lead: Lead) -> QuerySet[Item]:
    """The lead's items the user may see (the lead page's section)."""
    return (
        items_visible_to(user)
        .filter(source_lead=lead)
        .select_related("unit", "plan")
        .order_by("created_at", "id")
    )


def items_from_report(user: AnyUser, report: SelfCheckReport) -> QuerySet[Item]:
    return (
        items_visible_to(user)
        .filter(source_report=report)
        .select_related("unit")
        .order_by("created_at", "id")
    )


def declared_answers(report: SelfCheckReport) -> list[Any]:
    """The latest submitted version's answers declaring a problem (yes), in form order."""
    version = report.latest_version
    if version is None:
        return []
    return list(version.answers.filter(yes=True).order_by("position"))


def declared_answer(report: SelfCheckReport, key: str) -> Any | None:
    version = report.latest_version
    if version is None:
        return None
    return version.answers.filter(yes=True, key=key).first()
