"""Where a lead counts in the maintained figures (selectors.counters), and the calls the
writers of leads make after changing them (inside their transaction)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db.models import Case, F, Q, When

from rectify import figures

from .models import Lead

# A lead counts under its handling unit when that lies within its office's jurisdiction,
# else under the office's jurisdiction unit.
_WITHIN = Q(handling_unit__path__startswith=F("office__jurisdiction__path"))
FIG_UNIT = Case(When(_WITHIN, then=F("handling_unit_id")), default=F("office__jurisdiction_id"))
FIG_PATH = Case(
    When(_WITHIN, then=F("handling_unit__path")), default=F("office__jurisdiction__path")
)


def counted_units(lead_ids: Iterable[int | None]) -> set[int]:
    """The units these leads count under (one query)."""
    ids = [i for i in lead_ids if i]
    if not ids:
        return set()
    rows = Lead.objects.filter(pk__in=ids).annotate(fig_unit=FIG_UNIT)
    return {u for u in rows.values_list("fig_unit", flat=True) if u}


def touch_leads(lead_ids: Iterable[int | None]) -> None:
    """These leads changed (inside the write's transaction): recount their units."""
    figures.touch("ld", counted_units(lead_ids))


@contextmanager
def touching(lead_ids: Iterable[int | None]) -> Iterator[None]:
    """Around a write that may move leads to another unit (assignment, jurisdiction):
    recount the units they counted under before and after."""
    ids = [i for i in lead_ids if i]
    before = counted_units(ids)
    yield
    figures.touch("ld", before | counted_units(ids))
