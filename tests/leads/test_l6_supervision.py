"""L6: listed supervision (挂牌督办) with a named leader and deadline; jurisdiction changes
(交叉办理, 异地办理, 提级办理) recorded with a reason, moving the lead to the new unit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from leads import services
from leads.access import leads_visible_to
from leads.models import EventKind, JurisdictionChange, JurisdictionKind, LeadEvent, LeadStatus
from leads.workflow import LeadWorkflowError
from rectify.models import AuditEvent
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


# --- listed supervision -----------------------------------------------------------------------


def test_l6_listed_supervision_names_a_leader_and_a_deadline(org, assigned):
    lead = assigned()
    assert lead not in leads_visible_to(org.cadre_a.user)
    services.lead_list_supervision(
        lead=lead,
        actor=org.office_staff,
        supervisor=org.cadre_a,
        deadline=days(20),
        note="每周报告进展",
    )
    lead.refresh_from_db()
    assert lead.supervisor == org.cadre_a and lead.supervision_deadline == days(20)
    assert lead.supervision_listed_at is not None
    event = LeadEvent.objects.get(lead=lead, kind=EventKind.LISTED)
    assert "赵院长" in event.text and "每周报告进展" in event.text
    assert event.actor == org.office_staff
    assert AuditEvent.objects.filter(
        action="leads.lead.supervision_listed", object_id=str(lead.pk)
    ).exists()
    # The named supervising leader follows the lead they supervise.
    assert lead in leads_visible_to(org.cadre_a.user)


def test_l6_supervisor_must_be_a_serving_leading_cadre_not_a_subject(org, assigned):
    lead = assigned(subjects=[org.cadre_a])
    with pytest.raises(LeadWorkflowError) as exc:
        services.lead_list_supervision(
            lead=lead, actor=org.office_staff, supervisor=org.officer_a, deadline=days(5)
        )
    assert str(exc.value) == services.SUPERVISOR_NOT_CADRE
    with pytest.raises(LeadWorkflowError) as exc:
        services.lead_list_supervision(
            lead=lead, actor=org.office_staff, supervisor=org.cadre_a, deadline=days(5)
        )
    assert str(exc.value) == services.SUPERVISOR_IS_SUBJECT
    with pytest.raises(LeadWorkflowError) as exc:
        services.lead_list_supervision(
            lead=lead, actor=org.office_staff, supervisor=org.unit_head, deadline=days(-1)
        )
    assert str(exc.value) == services.DEADLINE_PAST
    lead.refresh_from_db()
    assert lead.supervisor is None


def test_l6_office_and_leader_list_through_the_page_others_may_not(client, org, assigned):
    lead = assigned()
    url = reverse("leads:supervision_list", args=[lead.pk])
    data = {"supervisor": "A101", "deadline": days(10).isoformat(), "note": "限期查结"}
    client.force_login(org.handler.user)
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert 'id="ov-list-form"' not in page
    assert client.post(url, data).status_code == 403
    client.force_login(org.outsider)
    assert client.post(url, data).status_code == 404
    client.force_login(org.chief)  # a leader of the jurisdiction
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert 'id="ov-list-form"' in page and "data-confirm" in page
    response = client.post(url, data, follow=True)
    assert "已挂牌督办" in messages_of(response)
    lead.refresh_from_db()
    assert lead.supervisor == org.unit_head
    page = response.content.decode()
    assert 'id="ov-supervisor">周局长' in page
    # Bad input: a clear message, nothing changed.
    client.force_login(org.office_staff)
    response = client.post(url, {"supervisor": "NOPE", "deadline": ""}, follow=True)
    text = messages_of(response)
    assert "督办期限" in text
    response = client.post(url, {"supervisor": "NOPE", "deadline": days(3)}, follow=True)
    assert "找不到该警号" in messages_of(response)
    lead.refresh_from_db()
    assert lead.supervisor == org.unit_head and lead.supervision_deadline == days(10)


def test_l6_supervision_overdue_shows_a_badge(client, org, assigned):
    lead = assigned()
    services.lead_list_supervision(
        lead=lead, actor=org.office_staff, supervisor=org.cadre_a, deadline=days(1)
    )
    type(lead).objects.filter(pk=lead.pk).update(supervision_deadline=days(-2))
    client.force_login(org.office_staff)
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert "督办逾期" in page


def test_l6_unlisting_needs_a_reason(client, org, assigned):
    lead = assigned()
    services.lead_list_supervision(
        lead=lead, actor=org.office_staff, supervisor=org.cadre_a, deadline=days(5)
    )
    url = reverse("leads:supervision_unlist", args=[lead.pk])
    client.force_login(org.office_staff)
    response = client.post(url, {"reason": ""}, follow=True)
    assert "撤销理由" in messages_of(response)
    lead.refresh_from_db()
    assert lead.supervisor == org.cadre_a
    client.post(url, {"reason": "已查清，转常规办理"})
    lead.refresh_from_db()
    assert lead.supervisor is None and lead.supervision_deadline is None
    assert LeadEvent.objects.filter(lead=lead, kind=EventKind.LISTED).count() == 2


# --- jurisdiction changes ---------------------------------------------------------------------


def test_l6_jurisdiction_change_records_the_reason_and_moves_the_lead(org, assigned):
    lead = assigned()
    old_handler = org.handler.user
    assert lead in leads_visible_to(old_handler)
    assert lead in leads_visible_to(org.unit_head.user)
    change = services.lead_change_jurisdiction(
        lead=lead,
        actor=org.office_staff,
        kind=JurisdictionKind.CROSS,
        to_unit=org.court_a,
        reason="原承办单位与被反映人存在利害关系",
        handler=org.officer_a,
        deadline=days(40),
    )
    assert JurisdictionChange.objects.get() == change
    assert (change.from_unit, change.to_unit) == (org.police_a, org.court_a)
    assert change.reason == "原承办单位与被反映人存在利害关系"
    lead.refresh_from_db()
    assert lead.handling_unit == org.court_a and lead.handler == org.officer_a
    assert lead.deadline == days(40) and lead.status == LeadStatus.HANDLING
    # The old handler and the old unit's head lose the lead; the new handler has it.
    assert lead not in leads_visible_to(old_handler)
    assert lead not in leads_visible_to(org.unit_head.user)
    assert lead in leads_visible_to(org.officer_a.user)
    event = LeadEvent.objects.get(lead=lead, kind=EventKind.JURISDICTION)
    assert "交叉办理" in event.text and "甲区法院" in event.text and "利害关系" in event.text
    assert AuditEvent.objects.filter(
        action="leads.lead.jurisdiction_changed", object_id=str(lead.pk)
    ).exists()


def test_l6_jurisdiction_rules_for_each_kind(org, register, assigned):
    lead = assigned()

    def change(kind, unit, **kw):
        with pytest.raises(LeadWorkflowError) as exc:
            services.lead_change_jurisdiction(
                lead=lead, actor=org.office_staff, kind=kind, to_unit=unit, reason="理由", **kw
            )
        return str(exc.value)

    assert change(JurisdictionKind.CROSS, org.police_a) == services.SAME_UNIT
    assert change(JurisdictionKind.HIGHER, org.station_a1) == services.NOT_HIGHER
    assert change(JurisdictionKind.ELSEWHERE, org.station_a1) == services.INSIDE_OLD_UNIT
    assert change(JurisdictionKind.CROSS, org.court_a, handler=org.handler) == (
        "承办人须为承办单位（含下级）的干警"
    )
    with pytest.raises(LeadWorkflowError):
        services.lead_change_jurisdiction(
            lead=lead,
            actor=org.office_staff,
            kind=JurisdictionKind.CROSS,
            to_unit=org.court_a,
            reason="  ",
        )
    unscreened = register()
    with pytest.raises(LeadWorkflowError) as exc:
        services.lead_change_jurisdiction(
            lead=unscreened,
            actor=org.office_staff,
            kind=JurisdictionKind.CROSS,
            to_unit=org.court_a,
            reason="理由",
        )
    assert str(exc.value) == services.JURISDICTION_STATUS
    assert not JurisdictionChange.objects.exists()
    # Higher-level handling goes up the tree.
    services.lead_change_jurisdiction(
        lead=lead,
        actor=org.office_staff,
        kind=JurisdictionKind.HIGHER,
        to_unit=org.district_a,
        reason="案情复杂，提级办理",
    )
    lead.refresh_from_db()
    assert lead.handling_unit == org.district_a and lead.handler is None


def test_l6_jurisdiction_change_through_the_page_then_a_new_handler(client, org, assigned):
    lead = assigned()
    client.force_login(org.handler.user)
    url = reverse("leads:jurisdiction", args=[lead.pk])
    # 甲区法院 is in the office's own district: 交叉办理 (异地办理 is another district's unit).
    form = {"kind": "cross", "unit": org.court_a.pk, "reason": "交叉办理以避嫌"}
    assert client.post(url, form).status_code == 403
    client.force_login(org.office_staff)
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert 'id="ov-jurisdiction-form"' in page and "原承办人不再承办" in page
    response = client.post(url, {**form, "reason": ""}, follow=True)
    assert "变更理由" in messages_of(response)
    response = client.post(url, {**form, "unit": org.court_b.pk}, follow=True)  # not theirs
    assert "管辖范围" in messages_of(response)
    assert not JurisdictionChange.objects.exists()
    response = client.post(url, form, follow=True)
    assert "管辖已变更" in messages_of(response)
    lead.refresh_from_db()
    assert lead.handling_unit == org.court_a and lead.handler is None
    page = response.content.decode()
    assert 'id="ov-assign-form"' in page and "交叉办理以避嫌" in page
    # The old handler can no longer reach the lead.
    client.force_login(org.handler.user)
    assert client.get(reverse("leads:detail", args=[lead.pk])).status_code == 404
    # The office assigns a handler of the new unit.
    client.force_login(org.office_staff)
    client.post(
        reverse("leads:assign", args=[lead.pk]),
        {
            "route": lead.route,
            "unit": org.court_a.pk,
            "handler": "A001",
            "deadline": days(30).isoformat(),
        },
    )
    lead.refresh_from_db()
    assert lead.handler == org.officer_a
    client.force_login(org.officer_a.user)
    assert client.get(reverse("leads:detail", args=[lead.pk])).status_code == 200


def test_l6_jurisdiction_offers_the_units_each_kind_needs(client, org, assigned):
    higher_city = UnitFactory(parent=org.city, code="C-POL", name="测试市公安局")
    lead = assigned()  # handled by 甲区公安分局, office 甲区 (jurisdiction 甲区)
    targets = {
        kind: set(services.jurisdiction_targets(lead=lead, kind=kind))
        for kind in JurisdictionKind.values
    }
    assert targets[JurisdictionKind.CROSS] == {org.district_a, org.court_a}
    assert targets[JurisdictionKind.ELSEWHERE] == {org.district_b, org.court_b}
    assert {org.city, higher_city, org.district_a, org.province} <= targets["higher"]
    assert not targets["higher"] & {org.police_a, org.station_a1, org.court_b}
    client.force_login(org.office_staff)
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert "乙区法院" in page and "测试市公安局" in page
    url = reverse("leads:jurisdiction", args=[lead.pk])
    # A unit of the wrong kind: a clear message, nothing moves.
    response = client.post(
        url, {"kind": "higher", "unit": org.court_b.pk, "reason": "案情复杂"}, follow=True
    )
    assert services.NOT_A_TARGET in messages_of(response)
    client.post(url, {"kind": "elsewhere", "unit": org.court_b.pk, "reason": "异地办理以避嫌"})
    lead.refresh_from_db()
    assert lead.handling_unit == org.court_b
    client.post(url, {"kind": "higher", "unit": higher_city.pk, "reason": "提级办理"})
    lead.refresh_from_db()
    assert lead.handling_unit == higher_city
    kinds = list(
        JurisdictionChange.objects.filter(lead=lead).order_by("id").values_list("kind", flat=True)
    )
    assert kinds == ["elsewhere", "higher"]
    # The office still sees the lead it moved out of its own tree.
    assert client.get(reverse("leads:detail", args=[lead.pk])).status_code == 200
