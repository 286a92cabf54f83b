"""Rules produced (R7), officer rotations (R8) and meeting records (O3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leads.models import Lead, LeadSubject
from rectify.models import Role, RoleAssignment
from remediation.models import (
    Meeting,
    MeetingKind,
    RemediationPolicy,
    Rotation,
    RotationKind,
    Rule,
    RuleStatus,
)
from remediation.selectors.outputs import item_outputs_part, subtree_counts
from remediation.services import rules as rule_services
from remediation.services.meetings import meeting_save
from remediation.services.rotations import (
    ROTATION_NOT_YOURS,
    rotation_apply,
    rotation_create,
)
from remediation.tasks import remediation_apply_rotations
from selfcheck.access import selfchecks_visible_to
from tests.factories import OfficerFactory, UserFactory, grant, outputs_item


def login(client, user):
    client.force_login(user)
    return client


# --- R7 rules --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_r7_rule_linked_to_items_counted_per_subtree(org):
    item_court = outputs_item(org.court_a, "ZZ-A-001")
    item_police = outputs_item(org.police_a, "ZZ-A-002")
    rule = rule_services.rule_create(
        actor=org.office_staff,
        unit=org.court_a,
        title="干预司法登记报告制度",
        issued_on=timezone.localdate(),
        items=[item_court, item_police],
        issue=True,
    )
    rule_services.rule_create(actor=org.office_staff, unit=org.station_a1, title="接处警规范")
    assert rule.status == RuleStatus.ISSUED
    assert set(rule.items.all()) == {item_court, item_police}
    counts = {
        c.unit.code: c.count
        for c in subtree_counts(
            org.office_staff, Rule.objects.all(), unit=None, path_field="unit__path"
        )
    }
    assert counts == {"DA": 2, "DA-COURT": 1, "DA-POL": 1}
    # The item page part shows the rule; the list page shows the counts.
    assert item_outputs_part(org.office_staff, item_court)["item_rules"] == [rule]
    client = login(Client(), org.office_staff)
    page = client.get(reverse("remediation:rule_list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "干预司法登记报告制度" in text and 'id="subtree-counts"' in text
    # Another district's office sees neither the rule nor its counts.
    other = login(Client(), org.outsider)
    assert (
        "干预司法登记报告制度" not in other.get(reverse("remediation:rule_list")).content.decode()
    )
    assert other.get(reverse("remediation:rule_detail", args=[rule.pk])).status_code == 404


@pytest.mark.django_db
def test_r7_revision_marks_earlier_revised(org):
    today = timezone.localdate()
    first = rule_services.rule_create(
        actor=org.office_staff, unit=org.court_a, title="旧制度", issued_on=today, issue=True
    )
    second = rule_services.rule_create(
        actor=org.office_staff, unit=org.court_a, title="新制度", issued_on=today, revises=first
    )
    first.refresh_from_db()
    assert first.status == RuleStatus.ISSUED  # a draft revision changes nothing yet
    rule_services.rule_issue(rule=second, actor=org.office_staff)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (RuleStatus.REVISED, RuleStatus.ISSUED)
    # A revised rule cannot be revised again, nor a draft issued twice.
    with pytest.raises(rule_services.RuleError) as exc:
        rule_services.rule_create(
            actor=org.office_staff, unit=org.court_a, title="再修订", revises=first
        )
    assert str(exc.value) == str(rule_services.RULE_REVISES_NOT_ISSUED)
    with pytest.raises(rule_services.RuleError):
        rule_services.rule_issue(rule=second, actor=org.office_staff)


@pytest.mark.django_db
def test_r7_issued_revision_keeps_its_text_but_takes_more_items(org, client):
    today = timezone.localdate()
    first = rule_services.rule_create(
        actor=org.office_staff, unit=org.court_a, title="旧制度", issued_on=today, issue=True
    )
    second = rule_services.rule_create(
        actor=org.office_staff,
        unit=org.court_a,
        title="新制度",
        issued_on=today,
        revises=first,
        issue=True,
    )
    item = outputs_item(org.court_a, "ZZ-A-050")
    login(client, org.office_staff)
    url = reverse("remediation:rule_edit", args=[second.pk])
    assert 'name="title"' not in client.get(url).content.decode()
    response = client.post(url, {"item_numbers": "ZZ-A-050", "title": "改名"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.title == "新制度" and list(second.items.all()) == [item]
    assert second.revises == first


@pytest.mark.django_db
def test_r7_rule_form_refuses_invisible_item_and_bad_file_in_chinese(org, client):
    outputs_item(org.court_b, "ZZ-B-001")  # another district's item: not choosable
    login(client, org.office_staff)
    response = client.post(
        reverse("remediation:rule_create"),
        {
            "title": "制度",
            "unit": org.court_a.pk,
            "item_numbers": "ZZ-B-001",
            "issued_on": "2026-13-40",
            "document": SimpleUploadedFile("x.exe", b"MZ..."),
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "找不到以下整改问题编号" in text and "ZZ-B-001" in text
    assert "请输入有效的日期" in text
    assert not Rule.objects.exists()
    response = client.post(
        reverse("remediation:rule_create"),
        {"title": "制度", "unit": org.court_a.pk, "document": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert response.status_code == 200 and not Rule.objects.exists()
    assert "x.exe" in response.content.decode()


@pytest.mark.django_db
def test_r7_rule_document_download_is_audited_attachment(org, client):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    rule = rule_services.rule_create(
        actor=org.office_staff,
        unit=org.court_a,
        title="制度",
        upload=SimpleUploadedFile("制度.pdf", pdf, content_type="application/pdf"),
    )
    login(client, org.office_staff)
    response = client.get(reverse("remediation:rule_document", args=[rule.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response.content == pdf
    from rectify.models import AuditEvent

    assert AuditEvent.objects.filter(action="remediation.document.downloaded").exists()


# --- R8 rotations ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_r8_rotation_moves_officer_on_effective_date(org):
    from selfcheck.models import SelfCheckReport

    officer = org.officer_a  # 甲区法院 → 甲区公安分局
    report = SelfCheckReport.objects.create(officer=officer, campaign=org.campaign)
    other_reviewer = UserFactory(username="reviewer_pol")
    grant(other_reviewer, Role.REVIEWER, org.police_a)
    today = timezone.localdate()
    day = today + dt.timedelta(days=3)
    rotation = rotation_create(
        actor=org.office_staff,
        officer=officer,
        to_unit=org.police_a,
        to_post="法制员",
        effective_date=day,
        reason="交流",
        kind=RotationKind.EXCHANGE,
        today=today,
    )
    officer.refresh_from_db()
    assert officer.unit == org.court_a and rotation.applied_at is None
    assert not selfchecks_visible_to(other_reviewer).filter(pk=report.pk).exists()
    # The day before: nothing moves. On the day: the daily task moves the officer.
    with _frozen(day - dt.timedelta(days=1)):
        assert remediation_apply_rotations() == 0
    with _frozen(day):
        assert remediation_apply_rotations() == 1
    officer.refresh_from_db()
    rotation.refresh_from_db()
    assert (officer.unit, officer.position, officer.post_since) == (org.police_a, "法制员", day)
    assert rotation.applied_at is not None
    # Their OFFICER role follows them; their self-check is now reviewed at the new unit.
    roles = set(RoleAssignment.objects.filter(user=officer.user).values_list("role", "unit"))
    assert roles == {(Role.OFFICER, org.police_a.pk)}
    from rectify.access import forget_assignments

    forget_assignments(other_reviewer)
    assert selfchecks_visible_to(other_reviewer).filter(pk=report.pk).exists()
    assert selfchecks_visible_to(officer.user).filter(pk=report.pk).exists()


class _frozen:
    """timezone.localdate() answers `day` (the task reads the clock, not an argument)."""

    def __init__(self, day: dt.date) -> None:
        self.day = day

    def __enter__(self):
        from unittest import mock

        self.patch = mock.patch(
            "remediation.services.rotations.timezone.localdate", return_value=self.day
        )
        self.patch.start()

    def __exit__(self, *exc):
        self.patch.stop()


@pytest.mark.django_db
def test_r8_rotation_idempotent(org):
    today = timezone.localdate()
    grant(org.officer_a.user, Role.REVIEWER, org.court_a)
    rotation = rotation_create(
        actor=org.office_staff,
        officer=org.officer_a,
        to_unit=org.station_a1,
        to_post="社区民警",
        effective_date=today,
        reason="轮岗",
        kind=RotationKind.ROTATION,
    )
    assert rotation.applied_at is not None  # today: applied at once
    first = rotation.applied_at
    assert rotation_apply(rotation=rotation) is False
    assert remediation_apply_rotations() == 0
    rotation.refresh_from_db()
    assert rotation.applied_at == first
    officer = org.officer_a
    officer.refresh_from_db()
    assert officer.unit == org.station_a1
    assert RoleAssignment.objects.filter(user=officer.user, role=Role.OFFICER).count() == 1
    # The reviewer role over the old unit is not moved: the rotation page lists it.
    assert RoleAssignment.objects.filter(
        user=officer.user, role=Role.REVIEWER, unit=org.court_a
    ).exists()
    client = login(Client(), org.office_staff)
    page = client.get(reverse("remediation:rotation_detail", args=[rotation.pk]))
    assert "审核员 · 甲区法院" in page.content.decode()


@pytest.mark.django_db
def test_r8_rotation_across_districts_needs_the_shared_office(org, client):
    with pytest.raises(Exception) as exc:
        rotation_create(
            actor=org.office_staff,
            officer=org.officer_a,
            to_unit=org.court_b,
            to_post="法官助理",
            effective_date=timezone.localdate(),
            reason="交流",
            kind=RotationKind.EXCHANGE,
        )
    assert str(exc.value) == str(ROTATION_NOT_YOURS)
    city_office = UserFactory(username="office_city")
    grant(city_office, Role.OFFICE, org.city)
    rotation = rotation_create(
        actor=city_office,
        officer=org.officer_a,
        to_unit=org.court_b,
        to_post="法官助理",
        effective_date=timezone.localdate(),
        reason="交流",
        kind=RotationKind.EXCHANGE,
    )
    assert rotation.applied_at is not None
    # Both districts' offices see it; the form answers bad input in Chinese.
    login(client, org.outsider)
    assert client.get(reverse("remediation:rotation_detail", args=[rotation.pk])).status_code == 200
    login(client, org.office_staff)
    response = client.post(reverse("remediation:rotation_create"), {"officer": "不存在的人"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "找不到该警号或姓名" in text and "请填写新岗位" in text and "请填写日期" in text


@pytest.mark.django_db
def test_r8_sensitive_post_overdue_flag(org, client):
    today = timezone.localdate()
    RemediationPolicy.objects.create(
        campaign=org.campaign, rotation_years=5, sensitive_posts="执行\n审批"
    )
    long_ago = OfficerFactory(
        unit=org.court_a,
        name="老执行",
        position="执行局法官",
        post_since=today.replace(year=today.year - 6),
    )
    recent = OfficerFactory(
        unit=org.court_a,
        name="新执行",
        position="执行员",
        post_since=today.replace(year=today.year - 1),
    )
    unknown = OfficerFactory(unit=org.court_a, name="未知者", position="审批科员")
    OfficerFactory(unit=org.court_a, name="普通", position="书记员", post_since=dt.date(2000, 1, 1))
    # A rotation into the post wins over an old post_since.
    moved = OfficerFactory(
        unit=org.court_a, name="刚轮岗", position="执行员", post_since=dt.date(2001, 1, 1)
    )
    rotation = Rotation.objects.create(
        officer=moved,
        from_unit=org.court_a,
        to_unit=org.court_a,
        to_post="执行员",
        effective_date=today - dt.timedelta(days=30),
        reason="轮岗",
        kind=RotationKind.ROTATION,
        applied_at=timezone.now(),
    )
    assert rotation.pk
    login(client, org.office_staff)
    text = client.get(reverse("remediation:rotation_overdue")).content.decode()
    assert long_ago.name in text and unknown.name in text
    assert "任职起始日期未知" in text
    assert recent.name not in text and "普通" not in text and "刚轮岗" not in text
    login(client, org.outsider)
    assert long_ago.name not in client.get(reverse("remediation:rotation_overdue")).content.decode()


# --- O3 meetings -----------------------------------------------------------------------------


def _lead(org, number, *subjects):
    lead = Lead.objects.create(
        number=number, office=org.office_a, summary="反映问题", category="interference"
    )
    for officer in subjects:
        LeadSubject.objects.create(lead=lead, officer=officer, name=officer.name)
    return lead


@pytest.mark.django_db
def test_o3_meeting_linked_to_lead_and_item_shows_on_both(org, client):
    lead = _lead(org, "甲区-2026-001")
    item = outputs_item(org.court_a, "ZZ-A-010")
    login(client, org.office_staff)
    response = client.post(
        reverse("remediation:meeting_create"),
        {
            "unit": org.district_a.pk,
            "date": timezone.localdate().isoformat(),
            "kind": MeetingKind.LEAD_HANDOVER,
            "title": "线索移交会商",
            "decisions": "移交纪委监委",
            "other_participants": "区纪委 王某",
            "lead_numbers": "甲区-2026-001",
            "item_numbers": "ZZ-A-010",
            "participant_0": org.officer_a.number,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get()
    assert list(meeting.leads.all()) == [lead] and list(meeting.items.all()) == [item]
    assert list(meeting.participants.all()) == [org.officer_a]
    lead_page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert "线索移交会商" in lead_page and 'id="linked-entries"' in lead_page
    assert item_outputs_part(org.office_staff, item)["item_meetings"] == [meeting]
    detail = client.get(reverse("remediation:meeting_detail", args=[meeting.pk])).content.decode()
    assert "甲区-2026-001" in detail and "区纪委 王某" in detail


@pytest.mark.django_db
def test_o3_meeting_recusal(org, client):
    # The chief (a leader of the city) is not a lead reader of the district's leads as a
    # subject: make a leader of district A who is a subject of the linked lead.
    subject = OfficerFactory(unit=org.district_a, name="被反映领导", number="A777")
    subject.user = UserFactory(username="leader_subject")
    subject.save()
    grant(subject.user, Role.LEADER, org.district_a)
    lead = _lead(org, "甲区-2026-002", subject)
    plain_lead = _lead(org, "甲区-2026-003")
    meeting = meeting_save(
        actor=org.office_staff,
        unit=org.district_a,
        date=timezone.localdate(),
        kind=MeetingKind.CASE,
        title="案件查处会商",
        decisions="立案审查",
        leads=[lead],
    )
    other = meeting_save(
        actor=org.office_staff,
        unit=org.district_a,
        date=timezone.localdate(),
        kind=MeetingKind.CONSULTATION,
        title="一般会商",
        decisions="议定",
        leads=[plain_lead],
    )
    login(client, subject.user)
    assert client.get(reverse("remediation:meeting_detail", args=[meeting.pk])).status_code == 404
    listing = client.get(reverse("remediation:meeting_list")).content.decode()
    assert "案件查处会商" not in listing and "一般会商" in listing
    # A unit head of police_a sees neither lead (not the leads' handler): the meeting of
    # their unit's subtree?  The district meeting is above them: invisible. Make one at
    # police_a linked to the plain lead: visible, but the lead is not named.
    police_meeting = meeting_save(
        actor=org.office_staff,
        unit=org.police_a,
        date=timezone.localdate(),
        kind=MeetingKind.CONSULTATION,
        title="分局会商",
        decisions="议定",
        leads=[plain_lead],
    )
    login(client, org.unit_head.user)
    page = client.get(reverse("remediation:meeting_detail", args=[police_meeting.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "甲区-2026-003" not in text
    assert "1 条线索" in text
    assert other.pk


@pytest.mark.django_db
def test_o3_meeting_form_errors_in_chinese(org, client):
    login(client, org.office_staff)
    response = client.post(
        reverse("remediation:meeting_create"),
        {
            "unit": org.court_b.pk,
            "date": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
            "kind": "nonsense",
            "title": "",
            "decisions": "",
            "lead_numbers": "不存在-001",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    for message in (
        "请选择您管辖范围内的单位",
        "日期不能晚于今天",
        "请填写会议名称",
        "请填写议定事项",
        "找不到以下线索编号",
    ):
        assert message in text, message
    assert not Meeting.objects.exists()


# --- lists: constant queries, 404s ------------------------------------------------------------


def _fill(org, n: int, offset: int) -> None:
    today = timezone.localdate()
    for i in range(n):
        item = outputs_item(org.court_a, f"ZZ-Q-{offset + i:03d}")
        rule_services.rule_create(
            actor=org.office_staff, unit=org.court_a, title=f"制度{offset + i}", items=[item]
        )
        officer = OfficerFactory(unit=org.court_a, position="执行员")
        Rotation.objects.create(
            officer=officer,
            from_unit=org.court_a,
            to_unit=org.police_a,
            to_post="民警",
            effective_date=today,
            reason="r",
            kind=RotationKind.ROTATION,
        )
        meeting_save(
            actor=org.office_staff,
            unit=org.district_a,
            date=today,
            kind=MeetingKind.CONSULTATION,
            title=f"会商{offset + i}",
            decisions="d",
            items=[item],
            leads=[_lead(org, f"甲区-Q-{offset + i:03d}")],
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "remediation:rule_list",
        "remediation:rotation_list",
        "remediation:meeting_list",
        "remediation:rotation_overdue",
    ],
)
def test_it_lists_with_a_constant_number_of_queries(org, client, url):
    RemediationPolicy.objects.create(campaign=org.campaign, sensitive_posts="执行")
    login(client, org.office_staff)
    _fill(org, 2, 0)
    client.get(reverse(url))  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(url)).status_code == 200
    _fill(org, 12, 100)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse(url)).status_code == 200
    assert len(large) == len(small)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "rule_detail",
        "rotation_detail",
        "meeting_detail",
        "rule_edit",
        "meeting_edit",
        "rule_document",
    ],
)
def test_it_answers_404_for_invisible_and_missing(org, client, name):
    rule = rule_services.rule_create(actor=org.office_staff, unit=org.court_a, title="制度")
    rotation = rotation_create(
        actor=org.office_staff,
        officer=org.officer_a2,
        to_unit=org.police_a,
        to_post="民警",
        effective_date=timezone.localdate(),
        reason="r",
        kind=RotationKind.ROTATION,
    )
    meeting = meeting_save(
        actor=org.office_staff,
        unit=org.district_a,
        date=timezone.localdate(),
        kind=MeetingKind.PUBLICITY,
        title="宣传",
        decisions="d",
    )
    pk = {"rule": rule.pk, "rotation": rotation.pk, "meeting": meeting.pk}[name.split("_")[0]]
    login(client, org.outsider)
    assert client.get(reverse(f"remediation:{name}", args=[pk])).status_code == 404
    assert client.get(reverse(f"remediation:{name}", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_it_ignores_garbage_filters(org, client):
    login(client, org.office_staff)
    for url in ("remediation:rule_list", "remediation:rotation_list", "remediation:meeting_list"):
        response = client.get(
            reverse(url), {"unit": "²", "from": "2026-99-99", "after": "garbage", "kind": "x"}
        )
        assert response.status_code == 200


@pytest.mark.django_db
def test_it_seeds_demo_outputs_once(org):
    import random

    from remediation.dev.outputs_demo import seed_outputs

    staff = UserFactory(username="office")
    grant(staff, Role.OFFICE, org.district_a, org.office_a)
    for i in range(12):
        OfficerFactory(unit=org.court_a, number=f"DEMO{i:02d}")
    seed_outputs(campaign=org.campaign, rng=random.Random(1))
    counts = (Rule.objects.count(), Rotation.objects.count(), Meeting.objects.count())
    assert counts[0] >= 2 and counts[1] == 4 and counts[2] == len(MeetingKind.choices)
    assert Rule.objects.filter(status=RuleStatus.REVISED).count() == 1
    seed_outputs(campaign=org.campaign, rng=random.Random(1))
    assert (Rule.objects.count(), Rotation.objects.count(), Meeting.objects.count()) == counts
