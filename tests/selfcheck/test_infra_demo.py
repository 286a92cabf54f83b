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


def test_it_gives_the_demo_accounts_something_to_do(db, campaign):
    from rectify.models import Role, UnitKind, UnitLevel
    from selfcheck.models import CaseStatus, ItemConfig, ReportStatus
    from tests.factories import OfficeFactory, UnitFactory, UserFactory, grant, officer_with_login

    hb = UnitFactory(code="HB", name="河北省", kind=UnitKind.REGION, level=UnitLevel.PROVINCE)
    qhd = UnitFactory(
        parent=hb, code="QHD", name="秦皇岛市", kind=UnitKind.REGION, level=UnitLevel.CITY
    )
    kfq = UnitFactory(parent=qhd, code="QHD-KFQ", name="开发区", kind=UnitKind.REGION)
    ga = UnitFactory(parent=kfq, code="QHD-KFQ-GA", name="开发区公安分局", kind=UnitKind.POLICE)
    st = UnitFactory(parent=ga, code="QHD-KFQ-GA-01", name="一派出所", kind=UnitKind.STATION)
    zfw = UnitFactory(parent=kfq, code="QHD-KFQ-ZFW", name="开发区政法委", kind=UnitKind.COMMITTEE)
    office = OfficeFactory(short_name="开发区", host_unit=zfw, jurisdiction=kfq)
    officer = officer_with_login(st, "officer", name="刘警官", number="K001")
    cadre = officer_with_login(ga, "cadre", name="副局长", number="K002", is_leading_cadre=True)
    for i in range(12):
        OfficerFactory(unit=st if i % 2 else ga, number=f"K1{i:02d}")
    grant(UserFactory(username="reviewer"), Role.REVIEWER, kfq)
    grant(UserFactory(username="office"), Role.OFFICE, kfq, office)
    grant(UserFactory(username="leader"), Role.LEADER, qhd)

    seed_demo_data(campaign=campaign, rng=random.Random(2021))

    report = officer.selfchecks.get()
    assert report.status == ReportStatus.RETURNED and report.return_reason
    assert report.questions.get().answered_at is not None
    assert cadre.selfchecks.get().status == ReportStatus.DRAFT
    assert ItemConfig.objects.filter(unit=ga).exists()
    assert WarningCase.objects.filter(status=CaseStatus.PENDING).count() == 1
    assert WarningCase.objects.filter(status=CaseStatus.PUBLISHED).count() == 2
    assert SelfCheckReport.objects.filter(status=ReportStatus.SUBMITTED).exists()
