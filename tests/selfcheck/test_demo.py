from __future__ import annotations

import random

import pytest

from rectify.models import Officer
from selfcheck.demo import seed_demo_data
from selfcheck.models import ReportVersion, SelfCheckReport, Talk, WarningCase
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        sorted(SelfCheckReport.objects.values_list("officer_id", "status")),
        ReportVersion.objects.count(),
        Talk.objects.count(),
        WarningCase.objects.count(),
    )


def test_it_seeds_a_mix_idempotently(org):
    for i in range(40):
        OfficerFactory(unit=[org.court_a, org.station_a1, org.court_b][i % 3], number=f"D{i:03d}")
    seed_demo_data(campaign=org.campaign, rng=random.Random(7))
    first = _snapshot()
    statuses = {s for _, s in first[0]}
    assert {"draft", "submitted", "accepted", "returned"} <= statuses
    assert first[1] > 5 and first[2] > 0 and first[3] == 3
    seed_demo_data(campaign=org.campaign, rng=random.Random(7))
    assert _snapshot() == first
    assert Officer.objects.count() >= 40
