"""Counters for the dashboard tests, written straight into `UnitFigure` (the figure sources
are another part of #13): `set_figures(campaign, unit, {"sc.expected": 10, ...})`."""

from __future__ import annotations

import datetime as dt

from rectify import figures
from rectify.models import Role, UnitFigure, UnitFigureDay, UnitFigureTotal
from tests.factories import UserFactory, grant


def set_figures(campaign, unit, values: dict[str, int]) -> None:
    for key, value in values.items():
        UnitFigure.objects.update_or_create(
            campaign=campaign, unit=unit, key=key, defaults={"value": value}
        )
    figures.retotal(campaign)  # the subtree totals the writers keep beside the counters


def snapshot_of(campaign, unit, day: dt.date, values: dict[str, int]) -> None:
    UnitFigureDay.objects.update_or_create(
        campaign=campaign, unit=unit, day=day, defaults={"values": values}
    )


def province_leader(org, username: str = "gov"):
    user = UserFactory(username=username)
    grant(user, Role.LEADER, org.province)
    return user


def blank_figures() -> None:
    """Drop the counters the fixtures' own rows produced (once the figure sources keep them),
    so a test's `set_figures` are the only figures."""
    UnitFigure.objects.all().delete()
    UnitFigureTotal.objects.all().delete()
    UnitFigureDay.objects.all().delete()
