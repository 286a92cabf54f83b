"""L7: verification, consultation meetings (会商) with participants and a conclusion, and
supervision notes (督办) on a lead's timeline — by the office, by leaders who can see the
lead and by the named supervising leader."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from leads import services
from leads.models import EventKind, Lead, LeadConclusion, LeadEvent
from leads.workflow import LeadWorkflowError
from rectify.models import AuditEvent

pytestmark = pytest.mark.django_db


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_l7_consultation_records_participants_and_conclusion_on_the_timeline(client, org, assigned):
    lead = assigned()
    client.force_login(org.handler.user)
    url = reverse("leads:event", args=[lead.pk])
    response = client.post(
        url,
        {
            "kind": "consultation",
            "text": "会商涉案资金流向",
            "participants": "办公室、纪检监察室、承办人",
            "conclusion": "调取银行流水后再次会商",
        },
        follow=True,
    )
    assert "已记录" in messages_of(response)
    event = LeadEvent.objects.get(lead=lead, kind=EventKind.CONSULTATION)
    assert event.participants == "办公室、纪检监察室、承办人"
    assert event.data["conclusion"] == "调取银行流水后再次会商"
    assert event.actor == org.handler.user
    timeline = response.content.decode().split('id="timeline"')[1]
    assert "参加人员：办公室、纪检监察室、承办人" in timeline
    assert "会商结论：</strong>调取银行流水后再次会商" in timeline
    assert AuditEvent.objects.filter(
        action="leads.lead.consultation", object_id=str(lead.pk)
    ).exists()


def test_l7_consultation_needs_participants_and_a_conclusion(client, org, assigned):
    lead = assigned()
    with pytest.raises(LeadWorkflowError) as exc:
        services.lead_add_event(
            lead=lead, actor=org.office_staff, kind="consultation", text="会商", conclusion="x"
        )
    assert str(exc.value) == services.CONSULTATION_NEEDS_PARTICIPANTS
    with pytest.raises(LeadWorkflowError) as exc:
        services.lead_add_event(
            lead=lead, actor=org.office_staff, kind="consultation", text="会商", participants="甲"
        )
    assert str(exc.value) == services.CONSULTATION_NEEDS_CONCLUSION
    client.force_login(org.office_staff)
    response = client.post(
        reverse("leads:event", args=[lead.pk]),
        {"kind": "consultation", "text": "会商", "participants": "甲、乙"},
        follow=True,
    )
    assert services.CONSULTATION_NEEDS_CONCLUSION in messages_of(response)
    assert not LeadEvent.objects.filter(kind=EventKind.CONSULTATION).exists()


def test_l7_verification_and_progress_notes_on_the_timeline(org, assigned):
    lead = assigned()
    services.lead_add_event(
        lead=lead, actor=org.handler.user, kind="verification", text="询问证人二人"
    )
    services.lead_add_event(lead=lead, actor=org.handler.user, kind="note", text="已调取卷宗")
    kinds = list(LeadEvent.objects.filter(lead=lead).values_list("kind", flat=True))
    assert kinds[-2:] == ["verification", "note"]


def test_l7_supervision_note_by_a_leader_who_can_see_the_lead(client, org, assigned):
    lead = assigned()
    url = reverse("leads:supervision_note", args=[lead.pk])
    client.force_login(org.chief)
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert 'id="ov-note-form"' in page
    response = client.post(url, {"text": "请于本周内报告核查进展"}, follow=True)
    assert "督办意见已记录" in messages_of(response)
    event = LeadEvent.objects.get(lead=lead, kind=EventKind.SUPERVISION)
    assert event.actor == org.chief and event.text == "请于本周内报告核查进展"
    assert "请于本周内报告核查进展" in response.content.decode().split('id="timeline"')[1]
    response = client.post(url, {"text": ""}, follow=True)
    assert "督办意见" in messages_of(response)
    assert LeadEvent.objects.filter(kind=EventKind.SUPERVISION).count() == 1


def test_l7_supervision_notes_by_office_staff_and_the_listed_supervisor_only(client, org, assigned):
    lead = assigned()
    url = reverse("leads:supervision_note", args=[lead.pk])
    client.force_login(org.office_staff)
    client.post(url, {"text": "办公室督办：抓紧办理"})
    client.force_login(org.cadre_a.user)
    assert client.post(url, {"text": "尚未挂牌"}).status_code == 404  # cannot see the lead yet
    services.lead_list_supervision(
        lead=lead,
        actor=org.office_staff,
        supervisor=org.cadre_a,
        deadline=timezone.localdate() + dt.timedelta(days=10),
    )
    client.post(url, {"text": "督办领导：下周听取汇报"})
    for who in (org.handler.user, org.unit_head.user):  # they handle; they do not supervise
        client.force_login(who)
        assert client.post(url, {"text": "x"}).status_code == 403
    client.force_login(org.outsider)
    assert client.post(url, {"text": "x"}).status_code == 404
    notes = LeadEvent.objects.filter(lead=lead, kind=EventKind.SUPERVISION)
    assert list(notes.values_list("text", flat=True)) == [
        "办公室督办：抓紧办理",
        "督办领导：下周听取汇报",
    ]


def test_l7_handling_work_resets_the_activity_clock_but_supervision_does_not(org, register):
    lead = register()
    assert lead.last_activity_at is None
    lead = services.lead_assign(
        lead=lead,
        actor=org.office_staff,
        unit=org.police_a,
        handler=org.handler,
        deadline=timezone.localdate() + dt.timedelta(days=30),
        route="verification",
    )
    assert Lead.objects.get(pk=lead.pk).last_activity_at is not None
    old = timezone.now() - dt.timedelta(days=40)

    def activity_after(fn) -> bool:
        Lead.objects.filter(pk=lead.pk).update(last_activity_at=old)
        fn()
        return Lead.objects.get(pk=lead.pk).last_activity_at > old

    assert activity_after(
        lambda: services.lead_add_event(lead=lead, actor=org.handler.user, kind="note", text="进展")
    )
    assert not activity_after(
        lambda: services.lead_add_event(lead=lead, actor=org.chief, kind="supervision", text="督办")
    )
    assert activity_after(
        lambda: services.lead_conclude(
            lead=lead,
            actor=org.handler.user,
            conclusion=LeadConclusion.SUBSTANTIATED,
            result="属实",
            dealt_with="张三，诫勉谈话",
            disposition_form="1",
        )
    )
