"""What changed between two submitted versions of a report (pure: reads only
the versions' frozen content)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import ReportVersion


@dataclass
class DiffResult:
    items: list[dict] = field(default_factory=list)  # {number,label,state,a,b}
    business_added: list[dict] = field(default_factory=list)
    business_removed: list[dict] = field(default_factory=list)
    business_changed: list[dict] = field(default_factory=list)  # {"a": row, "b": row, "fields"}
    lending_added: list[dict] = field(default_factory=list)
    lending_removed: list[dict] = field(default_factory=list)
    lending_changed: list[dict] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return any(i["state"] != "same" for i in self.items) or any(
            (
                self.business_added,
                self.business_removed,
                self.business_changed,
                self.lending_added,
                self.lending_removed,
                self.lending_changed,
            )
        )


def _rows_diff(
    a: list[dict], b: list[dict], identity: tuple[str, ...]
) -> tuple[list[dict], list[dict], list[dict]]:
    """Rows only in b (added), only in a (removed), and rows with the same identity
    (e.g. same person and enterprise) whose other fields differ (changed)."""

    def ident(r: dict) -> tuple:
        return tuple(r.get(k, "") for k in identity)

    left = {ident(r): r for r in a}
    right = {ident(r): r for r in b}
    added = [r for k, r in right.items() if k not in left]
    removed = [r for k, r in left.items() if k not in right]
    changed = []
    for k, rb in right.items():
        ra = left.get(k)
        if ra is not None and ra != rb:
            fields = [f for f in sorted(set(ra) | set(rb)) if ra.get(f) != rb.get(f)]
            changed.append({"a": ra, "b": rb, "fields": fields})
    return added, removed, changed


def versions_diff(a: ReportVersion, b: ReportVersion) -> DiffResult:
    """What changed from version `a` to version `b` (added / removed / changed)."""
    result = DiffResult()
    items_a = {i["key"]: i for i in a.content.get("items", [])}
    items_b = {i["key"]: i for i in b.content.get("items", [])}
    order = list(items_b) + [k for k in items_a if k not in items_b]
    for k in order:
        ia, ib = items_a.get(k), items_b.get(k)
        if ia is None:
            state = "added"
        elif ib is None:
            state = "removed"
        elif (ia["yes"], ia["details"], ia["date"]) != (ib["yes"], ib["details"], ib["date"]):
            state = "changed"
        else:
            state = "same"
        base = ib or ia
        result.items.append(
            {"number": base["number"], "label": base["label"], "state": state, "a": ia, "b": ib}
        )
    result.business_added, result.business_removed, result.business_changed = _rows_diff(
        a.content.get("business", []),
        b.content.get("business", []),
        ("relation", "name", "enterprise"),
    )
    result.lending_added, result.lending_removed, result.lending_changed = _rows_diff(
        a.content.get("lending", []), b.content.get("lending", []), ("counterparty", "date")
    )
    return result
