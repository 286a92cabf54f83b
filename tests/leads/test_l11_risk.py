"""L11: 苗头性问题要认真分析研判，提前做好预案 — a risk assessment note on a lead or an officer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leads import services
from leads.access import risk_notes_visible_to
from leads.models import EventKind, LeadEvent, RiskLevel, RiskNote
from leads.workflow import LeadWorkflowError
from rectify.models import AuditEvent, Role
from tests.factories import OfficerFactory, grant

pytestmark = pytest.mark.django_db


def test_l11_handler_records_a_risk_note_on_a_lead_through_the_page(client, org, assigned):
    lead = assigned(summary="反映某干警与涉案人员频繁接触")
    client.force_login(org.handler.user)
    response = client.post(
        reverse("leads:risk_add", args=[lead.pk]),
        {"level": RiskLevel.HIGH, "text": "被反映人可能串供", "measures": "先行调取通话记录"},
    )
    assert response.status_code == 302
    note = RiskNote.objects.get(lead=lead)
    assert (note.level, note.actor) == (RiskLevel.HIGH, org.handler.user)
    event = LeadEvent.objects.get(lead=lead, kind=EventKind.RISK)
    assert "被反映人可能串供" in event.text and "先行调取通话记录" in event.text
    assert AuditEvent.objects.filter(action="leads.risknote.created").count() == 1
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert "被反映人可能串供" in page


def test_l11_a_note_needs_a_level_and_an_assessment(client, org, assigned):
    lead = assigned()
    client.force_login(org.handler.user)
    client.post(reverse("leads:risk_add", args=[lead.pk]), {"level": "high", "text": " "})
    assert not RiskNote.objects.exists()
    with pytest.raises(LeadWorkflowError):
        services.risk_note_add(actor=org.handler.user, lead=lead, level="extreme", text="x")


def test_l11_risk_note_on_an_officer_is_read_by_office_and_leaders_not_by_the_officer(client, org):
    client.force_login(org.office_staff)
    url = reverse("leads:officer_risk", args=[org.officer_a.pk])
    response = client.post(url, {"level": RiskLevel.MEDIUM, "text": "近期家庭经济异常"})
    assert response.status_code == 302
    note = RiskNote.objects.get(officer=org.officer_a)
    assert note.lead is None
    assert "近期家庭经济异常" in client.get(url).content.decode()
    # the leader over the subtree reads it in the list of notes
    client.force_login(org.chief)
    listing = client.get(reverse("leads:risk_notes")).content.decode()
    assert "近期家庭经济异常" in listing
    # an office of another district cannot reach the officer at all
    client.force_login(org.outsider)
    assert client.get(url).status_code == 404
    # the officer, even when they hold an office role, never sees a note about themself
    grant(org.officer_a.user, Role.OFFICE, org.district_a, org.office_a)
    assert note not in risk_notes_visible_to(org.officer_a.user)
    client.force_login(org.officer_a.user)
    assert client.get(url).status_code == 404
    assert "近期家庭经济异常" not in client.get(reverse("leads:risk_notes")).content.decode()


def test_l11_nobody_assesses_themself(org):
    me = OfficerFactory(unit=org.district_a, user=org.office_staff, number="A777")
    with pytest.raises(LeadWorkflowError):
        services.risk_note_add(actor=org.office_staff, officer=me, level="low", text="自评")


def test_l11_notes_list_filters_by_level_in_constant_queries(
    client, org, assigned, django_assert_max_num_queries
):
    def notes(start, stop):
        for i in range(start, stop):
            services.risk_note_add(
                actor=org.office_staff,
                officer=org.officer_a,
                level=RiskLevel.LOW if i % 2 else RiskLevel.HIGH,
                text=f"研判{i}",
            )
            services.risk_note_add(
                actor=org.handler.user, lead=assigned(), level=RiskLevel.HIGH, text=f"线索研判{i}"
            )

    client.force_login(org.office_staff)
    url = reverse("leads:risk_notes")
    notes(0, 2)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    notes(2, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "线索研判19" in page
    high = client.get(url, {"level": "high"}).content.decode()
    assert ">研判0<" in high and ">研判1<" not in high  # officer notes alternate high/low
    assert RiskNote.objects.filter(level="low").count() == 10


# --- scoping, validation and navigation (leads helper C) -------------------------------------


def note_texts(user) -> set[str]:
    return set(risk_notes_visible_to(user).values_list("text", flat=True))


def test_l11_officer_risk_page_is_reached_from_the_lead_page(client, org, assigned):
    lead = assigned(subjects=[org.officer_a])
    url = reverse("leads:officer_risk", args=[org.officer_a.pk])
    client.force_login(org.office_staff)
    assert url in client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    page = client.get(url).content.decode()
    assert "张三" in page and lead.number in page  # the officer and the leads naming them
    response = client.post(url, {"level": "medium", "text": ""})
    assert response.status_code == 422 and not RiskNote.objects.exists()
    client.post(url, {"level": "medium", "text": "其配偶经营公司", "measures": "谈话提醒"})
    listing = client.get(reverse("leads:risk_notes"), {"about": "officer"}).content.decode()
    assert "其配偶经营公司" in listing
    assert (
        "其配偶经营公司"
        not in client.get(reverse("leads:risk_notes"), {"about": "lead"}).content.decode()
    )
    client.force_login(org.handler.user)  # a handler: no officer register, no link
    assert url not in client.get(reverse("leads:detail", args=[lead.pk])).content.decode()


def test_l11_risk_notes_are_scoped(org, assigned, register):
    lead = assigned()
    services.risk_note_add(actor=org.handler.user, lead=lead, level="low", text="线索研判")
    services.risk_note_add(actor=org.chief, officer=org.officer_b, level="low", text="乙区干警")
    services.risk_note_add(actor=org.office_staff, officer=org.officer_a2, level="low", text="甲区")
    assert note_texts(org.handler.user) == {"线索研判"}  # their lead; no officer notes
    assert note_texts(org.unit_head.user) == {"线索研判"}
    assert note_texts(org.office_staff) == {"线索研判", "甲区"}
    assert note_texts(org.outsider) == {"乙区干警"}
    assert note_texts(org.chief) == {"线索研判", "乙区干警", "甲区"}
    assert note_texts(org.reviewer) == set() and note_texts(org.admin) == set()
    # Recusal: a note on a lead about oneself stays hidden.
    me = OfficerFactory(unit=org.district_a, user=org.office_staff, number="A556")
    about_me = register(subjects=[me])
    services.risk_note_add(actor=org.intake, lead=about_me, level="high", text="回避")
    assert "回避" not in note_texts(org.office_staff)
    assert "回避" in note_texts(org.intake)


def test_l11_a_note_is_about_one_lead_or_one_officer(org, assigned):
    lead = assigned()
    for kw in ({}, {"lead": lead, "officer": org.officer_a}):
        with pytest.raises(LeadWorkflowError) as exc:
            services.risk_note_add(actor=org.office_staff, level="low", text="x", **kw)
        assert str(exc.value) == services.RISK_ABOUT_ONE
    with pytest.raises(LeadWorkflowError) as exc:
        services.risk_note_add(actor=org.office_staff, lead=lead, level="extreme", text="x")
    assert str(exc.value) == services.RISK_LEVEL
    assert not RiskNote.objects.exists()


def test_l11_officer_pages_outside_the_scope(client, org):
    url = reverse("leads:officer_risk", args=[org.officer_a.pk])
    client.force_login(org.outsider)
    assert client.post(url, {"level": "low", "text": "x"}).status_code == 404
    client.force_login(org.unit_head.user)  # reads lead notes, not officer notes
    assert client.get(url).status_code == 403
    assert not RiskNote.objects.exists()
