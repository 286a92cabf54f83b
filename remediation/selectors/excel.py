"""Reads behind the problem-list Excel pages: the export rows of the ledger (canonical
layout, the one the import reads back) and the uploader's recent imports.

The export writes only the item's own fields: never a source lead's content or reporter
(an item holds none), and only items the user may see (the ledger's filters applied to
remediation.access.items_visible_to, so recusal holds)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet

from ..models import Item, Measure, ProblemListImport
from ..rules.problem_list import N_PREFIX, person_text, problem_label, tags_text

if TYPE_CHECKING:
    from rectify.models import AnyUser

EXPORT_CHUNK = 1000
RECENT_IMPORTS = 20


def export_queryset(items: QuerySet[Item]) -> QuerySet[Item]:
    """The rows with their relations: a constant number of queries per chunk."""
    return (
        items.select_related("plan__n_item", "unit", "responsible_unit", "responsible_person")
        .prefetch_related(Prefetch("measures", queryset=Measure.objects.order_by("id")))
        .order_by("unit__path", "number", "id")
    )


def item_problem_text(item: Item) -> str:
    plan = item.plan
    if plan.problem:
        return problem_label(plan.problem)
    return f"{N_PREFIX}{plan.n_item.text}" if plan.n_item_id else ""


def item_row(item: Item) -> list[Any]:
    """One row in the order of rules.problem_list.COLUMNS."""
    return [
        item.number,
        item.unit.name,
        item_problem_text(item),
        item.description,
        str(item.get_kind_display()),
        tags_text(item),
        str(item.get_origin_display()),
        item.cause_ideals,
        item.cause_purpose,
        item.cause_party_spirit,
        item.cause_discipline,
        item.responsible_unit.name,
        person_text(item.responsible_person),
        item.deadline,
        "\n".join(m.text for m in item.measures.all()),
        str(item.get_status_display()),
    ]


def export_rows(items: QuerySet[Item]) -> Iterator[list[Any]]:
    for item in export_queryset(items).iterator(chunk_size=EXPORT_CHUNK):
        yield item_row(item)


def recent_imports(user: AnyUser) -> list[ProblemListImport]:
    return list(
        ProblemListImport.objects.filter(created_by_id=user.pk)
        .select_related("unit")
        .defer("content", "preview", "errors")[:RECENT_IMPORTS]
    )
