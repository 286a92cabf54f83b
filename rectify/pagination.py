"""Keyset ("seek") pagination for big ledgers: no OFFSET, no COUNT(*) per page.

`keyset_page(qs, ordering=("-received_at", "-id"), cursor=request.GET.get("after"))`
returns one page plus an opaque cursor for the next one. The last ordering field must be
unique (use the primary key) so that rows are never skipped or repeated.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q, QuerySet


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


def _encode(values: list[Any]) -> str:
    raw = json.dumps(values, cls=DjangoJSONEncoder).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> list[Any] | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError):
        return None
    return values if isinstance(values, list) else None


def keyset_page(
    queryset: QuerySet,
    *,
    ordering: Sequence[str] = ("-id",),
    cursor: str | None = None,
    size: int = 50,
) -> Page:
    names = [o.lstrip("-") for o in ordering]
    queryset = queryset.order_by(*ordering)
    values = _decode(cursor) if cursor else None
    if values is not None and len(values) == len(names):
        parsed = [_field(queryset, n).to_python(v) for n, v in zip(names, values, strict=True)]
        after = Q()
        for i, (order, value) in enumerate(zip(ordering, parsed, strict=True)):
            op = "lt" if order.startswith("-") else "gt"
            step = Q(**{f"{names[i]}__{op}": value})
            for prev_name, prev_value in zip(names[:i], parsed[:i], strict=True):
                step &= Q(**{prev_name: prev_value})
            after |= step
        queryset = queryset.filter(after)
    rows = list(queryset[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = _encode([_value_of(last, n) for n in names])
    return Page(items=rows, next_cursor=next_cursor, has_previous=values is not None)


def _value_of(obj: Any, name: str) -> Any:
    for part in name.split("__"):
        obj = obj[part] if isinstance(obj, dict) else getattr(obj, part)
    return obj
