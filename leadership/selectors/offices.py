"""The chain of offices: an office reports to the office of the nearest ancestor unit that
has one (a district's office to the city's, skipping units without an office)."""

from __future__ import annotations

from rectify.models import Office, Unit


def superior_office(office: Office) -> Office | None:
    unit = office.jurisdiction
    paths = [unit.path[:i] for i in range(Unit.steplen, len(unit.path), Unit.steplen)]
    return (
        Office.objects.filter(jurisdiction__path__in=paths)
        .select_related("jurisdiction")
        .order_by("-jurisdiction__depth")
        .first()
    )


def subordinate_offices(office: Office) -> list[Office]:
    """The offices that report to this one: in its subtree, with no office between."""
    root = office.jurisdiction
    below = list(
        Office.objects.filter(jurisdiction__path__startswith=root.path)
        .exclude(pk=office.pk)
        .select_related("jurisdiction")
        .order_by("jurisdiction__path")
    )
    paths = [o.jurisdiction.path for o in below]
    return [
        o
        for o in below
        if not any(o.jurisdiction.path.startswith(p) and o.jurisdiction.path != p for p in paths)
    ]
