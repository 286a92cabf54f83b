"""Keyset ("seek") pagination for big ledgers: no OFFSET, no COUNT(*) per page.

`keyset_page(qs, ordering=("-received_at", "-id"), cursor=request.GET.get("after"))`
returns one page plus an opaque cursor for the next one. The last ordering field must be
unique (use the primary key) so that rows are never skipped or repeated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from .params import cursor_values, encode_cursor


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None
    has_previous: bool

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def _field(queryset: QuerySet, name: str):
    model = queryset.model
    parts = name.split("__")
    field = None
    for part in parts:
        field = model._meta.get_field(part)
        if field.is_relation:
            model = field.related_model
    return field


def keyset_page(
    queryset: QuerySet,
    *,
    ordering: Sequence[str] = ("-id",),
    cursor: str | None = None,
    size: int = 50,
) -> Page:
    names = [o.lstrip("-") for o in ordering]
    queryset = queryset.order_by(*ordering)
    # A forged or stale cursor is garbage: the list starts at the first page (rectify.params).
    parsed = cursor_values(cursor, [_field(queryset, n) for n in names])
    if parsed is not None:
        after = Q()
        for i, (order, value) in enumerate(zip(ordering, parsed, strict=True)):
            op = "lt" if order.startswith("-") else "gt"
            step = Q(**{f"{names[i]}__{op}": value})
            for prev_name, prev_value in zip(names[:i], parsed[:i], strict=True):
                step &= Q(**{prev_name: prev_value})
            after |= step
        queryset = queryset.filter(after)
        if len(names) > 1 and parsed[0] is not None:
            # The same rows, said as a range on the first column too: the OR above is only a
            # filter to PostgreSQL, which then walked the index from the top and threw away
            # every row of the pages before (1,015 rows on page 21 of the lead ledger); a
            # bound on the first column is an index condition.
            bound = "lte" if ordering[0].startswith("-") else "gte"
            queryset = queryset.filter(**{f"{names[0]}__{bound}": parsed[0]})
    rows = list(queryset[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = encode_cursor([_value_of(last, n) for n in names])
    return Page(items=rows, next_cursor=next_cursor, has_previous=parsed is not None)


def _value_of(obj: Any, name: str) -> Any:
    for part in name.split("__"):
        obj = obj[part] if isinstance(obj, dict) else getattr(obj, part)
    return obj
