"""The chain of offices for the O7 tests: a city office above the two district offices."""

from __future__ import annotations

from types import SimpleNamespace

from rectify import figures
from rectify.models import Role, UnitFigure
from tests.factories import OfficeFactory, UserFactory, grant


def make_chain(org) -> SimpleNamespace:
    city_office = OfficeFactory(
        name="测试市教育整顿办", short_name="测试市", host_unit=org.city, jurisdiction=org.city
    )
    city_staff = UserFactory(username="office_city")
    grant(city_staff, Role.OFFICE, org.city, city_office)
    return SimpleNamespace(org=org, city_office=city_office, city_staff=city_staff)


def put(campaign, unit, values: dict[str, int]) -> None:
    """Counters written directly (the figure sources fill them in real use)."""
    for key, value in values.items():
        UnitFigure.objects.update_or_create(
            campaign=campaign, unit=unit, key=key, defaults={"value": value}
        )
    figures.retotal(campaign)  # the subtree totals the writers keep beside the counters
