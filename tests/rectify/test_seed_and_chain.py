from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from rectify.models import Office, Officer, Role, RoleAssignment, Unit, User
from rectify.selectors import escalation_target, responsibility_chain

DEMO_USERS = [
    "officer",
    "cadre",
    "reviewer",
    "intake",
    "office",
    "handler",
    "unithead",
    "leader",
    "admin",
]


@pytest.mark.django_db
def test_seed_demo_builds_the_province_and_is_idempotent():
    call_command("seed_demo", stdout=StringIO())
    counts = (Unit.objects.count(), Officer.objects.count(), User.objects.count())
    assert Unit.objects.filter(name="秦皇岛经济技术开发区").exists()
    assert {"QHD-HG", "QHD-BDH", "QHD-KFQ", "QHD-JY"} <= set(
        Unit.objects.values_list("code", flat=True)
    )
    assert 280 <= Officer.objects.count() <= 400
    assert Officer.objects.filter(is_leading_cadre=True).exists()
    assert Office.objects.filter(short_name="开发区").exists()
    for username in DEMO_USERS:
        user = User.objects.get(username=username)
        assert user.check_password("rectify-demo"), username
    assert RoleAssignment.objects.filter(user__username="leader", role=Role.LEADER).exists()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "nothing changed" in out.getvalue()
    assert (Unit.objects.count(), Officer.objects.count(), User.objects.count()) == counts


@pytest.mark.django_db
def test_o2_escalation_walks_up_the_responsibility_chain(org):
    from tests.factories import OfficerFactory

    station_chief = OfficerFactory(unit=org.station_a1, name="所长")
    bureau_head = OfficerFactory(unit=org.police_a, name="局长")
    district_secretary = OfficerFactory(unit=org.district_a, name="书记")
    Unit.objects.filter(pk=org.station_a1.pk).update(direct_responsible=station_chief)
    Unit.objects.filter(pk=org.police_a.pk).update(
        direct_responsible=bureau_head, primary_responsible=bureau_head
    )
    Unit.objects.filter(pk=org.district_a.pk).update(primary_responsible=district_secretary)
    org.station_a1.refresh_from_db()
    chain = responsibility_chain(org.station_a1)
    assert [link.unit.code for link in chain][:3] == ["DA-POL-1", "DA-POL", "DA"]
    assert escalation_target(org.station_a1, steps=0).person == station_chief
    assert escalation_target(org.station_a1, steps=1).person == bureau_head
    assert escalation_target(org.station_a1, steps=2).person == district_secretary
    assert escalation_target(org.station_a1, steps=9).person == district_secretary
