from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from rectify.access import has_role, units_visible_to
from rectify.demo import DEMO_PASSWORD
from rectify.models import AuditEvent, Campaign, Office, Officer, Role, RoleAssignment, Unit, User

DISTRICTS = ["QHD-HG", "QHD-BDH", "QHD-KFQ"]


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _snapshot():
    return (
        sorted(
            Unit.objects.values_list("code", "path", "primary_responsible", "direct_responsible")
        ),
        sorted(Officer.objects.values_list("number", "name", "unit__code", "position", "user")),
        sorted(User.objects.values_list("username", "password", "is_superuser")),
        sorted(RoleAssignment.objects.values_list("user__username", "role", "unit__code")),
        sorted(Office.objects.values_list("short_name", "host_unit__code", "jurisdiction__code")),
        list(Campaign.objects.values_list("name", "is_current", "selfcheck_deadline")),
    )


@pytest.mark.django_db
def test_it_builds_the_contract_units_and_offices():
    _seed()
    codes = set(Unit.objects.values_list("code", flat=True))
    city = {"HB", "HB-ZFW", "QHD", "QHD-ZFW", "QHD-FY", "QHD-JCY", "QHD-GA", "QHD-SFJ", "QHD-JY"}
    assert city <= codes
    for district in DISTRICTS:
        assert {f"{district}{s}" for s in ["", "-ZFW", "-FY", "-JCY", "-GA", "-SFJ"]} <= codes
        assert f"{district}-GA-01" in codes
    kfq = Unit.objects.get(code="QHD-KFQ")
    assert kfq.name == "秦皇岛经济技术开发区"
    assert Unit.objects.get(code="QHD-KFQ-GA-01").path.startswith(kfq.path)
    offices = dict(Office.objects.values_list("short_name", "host_unit__code"))
    assert offices == {
        "海港区": "QHD-HG-ZFW",
        "北戴河区": "QHD-BDH-ZFW",
        "开发区": "QHD-KFQ-ZFW",
        "秦皇岛市": "QHD-ZFW",
        "河北省": "HB-ZFW",
    }
    assert 280 <= Officer.objects.count() <= 400
    cadres = Officer.objects.filter(is_leading_cadre=True)
    assert cadres.filter(position__in=["局长", "院长", "检察长", "书记"]).exists()
    assert not Unit.objects.exclude(kind="region").filter(primary_responsible=None).exists()
    assert len(set(Officer.objects.values_list("name", flat=True))) > 200  # varied names


@pytest.mark.django_db
def test_it_creates_one_account_per_role_with_the_contract_scopes():
    _seed()
    users = {u.username: u for u in User.objects.all()}
    for username in ["officer", "cadre", "reviewer", "intake", "office"]:
        assert users[username].check_password(DEMO_PASSWORD)
    for username in ["handler", "unithead", "leader", "admin"]:
        assert users[username].check_password(DEMO_PASSWORD)
    assert not any(u.must_change_password for u in users.values())
    officer = users["officer"].officer
    assert officer.unit.code.startswith("QHD-KFQ-GA-") and not officer.is_leading_cadre
    cadre = users["cadre"].officer
    assert (cadre.unit.code, cadre.position, cadre.is_leading_cadre) == (
        "QHD-KFQ-GA",
        "副局长",
        True,
    )
    head = users["unithead"].officer
    assert head.position == "局长" and head.unit.primary_responsible_id == head.pk
    handler = users["handler"].officer
    assert handler.unit.code == "QHD-KFQ-GA" and "纪检监察室" in handler.position
    grants = set(RoleAssignment.objects.values_list("user__username", "role", "unit__code"))
    assert {
        ("officer", Role.OFFICER, officer.unit.code),
        ("cadre", Role.OFFICER, "QHD-KFQ-GA"),
        ("reviewer", Role.REVIEWER, "QHD-KFQ"),
        ("intake", Role.INTAKE, "QHD-KFQ"),
        ("office", Role.OFFICE, "QHD-KFQ"),
        ("handler", Role.HANDLER, "QHD-KFQ-GA"),
        ("unithead", Role.UNIT_HEAD, "QHD-KFQ-GA"),
        ("leader", Role.LEADER, "HB"),
        ("admin", Role.ADMIN, "HB"),
    } <= grants
    office_of = dict(
        RoleAssignment.objects.filter(role__in=[Role.INTAKE, Role.OFFICE]).values_list(
            "user__username", "office__short_name"
        )
    )
    assert office_of == {"intake": "开发区", "office": "开发区"}
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert has_role(users["leader"], Role.LEADER)
    leader_units = set(units_visible_to(users["leader"]).values_list("code", flat=True))
    assert {"HB", "QHD", "QHD-KFQ-GA-01"} <= leader_units


@pytest.mark.django_db
def test_it_opens_one_current_campaign_with_the_cadre_deadline_first():
    _seed()
    campaign = Campaign.current()
    assert Campaign.objects.filter(is_current=True).count() == 1
    from django.utils import timezone

    today = timezone.localdate()
    assert campaign.selfcheck_start <= today <= campaign.selfcheck_deadline
    assert campaign.cadre_deadline < campaign.selfcheck_deadline


@pytest.mark.django_db
def test_a_second_run_changes_nothing():
    _seed()
    before, events = _snapshot(), AuditEvent.objects.count()
    out = _seed()
    assert "nothing changed" in out
    assert _snapshot() == before
    assert AuditEvent.objects.count() == events  # nothing written, so nothing audited
