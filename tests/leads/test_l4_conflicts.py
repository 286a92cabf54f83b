"""L4 triage: conflict warnings when choosing a handler (leads.conflicts) and the recorded
override; the warnings on the lead page without JavaScript, and the htmx hint."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from leads import services
from leads.models import EventKind, LeadStatus
from leads.rules.conflicts import CONFLICT_NEEDS_REASON, HandlerConflictError, handler_conflicts
from rectify.models import AuditEvent, UnitKind, UnitLevel
from tests.factories import OfficerFactory, ReportVersionFactory, UnitFactory

pytestmark = pytest.mark.django_db

DEADLINE = timezone.localdate() + dt.timedelta(days=30)


def declare_names(officer, campaign, *, business=(), lending=()):
    """A submitted self-check of `officer` with business rows (name, enterprise) and lending
    counterparties."""
    return ReportVersionFactory(
        report__campaign=campaign, report__officer=officer, business=business, lending=lending
    )


def assign(org, lead, **kw):
    return services.lead_assign(
        lead=lead,
        actor=org.office_staff,
        unit=org.police_a,
        handler=org.handler,
        deadline=DEADLINE,
        route="verification",
        **kw,
    )


# --- the reasons -----------------------------------------------------------------------------


def test_l4_conflict_when_the_handler_works_in_the_subjects_sub_unit(org, register):
    # handler at 甲区公安分局, subject at its 甲区一派出所: the same organ
    lead = register(subjects=[org.officer_a2])
    reasons = handler_conflicts(lead=lead, handler=org.handler)
    assert len(reasons) == 1
    assert "李四" in reasons[0] and "同属甲区公安分局" in reasons[0]


def test_l4_conflict_between_two_stations_of_one_bureau(org, register):
    station_a2 = UnitFactory(
        parent=org.police_a,
        code="DA-POL-2",
        name="甲区二派出所",
        kind=UnitKind.STATION,
        level=UnitLevel.SUBUNIT,
    )
    handler = OfficerFactory(unit=station_a2, name="钱承办")
    lead = register(subjects=[org.officer_a2])
    assert any("同属甲区公安分局" in r for r in handler_conflicts(lead=lead, handler=handler))


def test_l4_no_conflict_between_organs_of_one_district(org, register):
    # court and police bureau of the same district are different sub-units
    lead = register(subjects=[org.officer_a])
    assert handler_conflicts(lead=lead, handler=org.handler) == []


def test_l4_region_units_are_not_a_shared_sub_unit(org, register):
    on_district = OfficerFactory(unit=org.district_a, name="区直干警")
    lead = register(subjects=[org.officer_a])  # court_a, inside district_a
    assert handler_conflicts(lead=lead, handler=on_district) == []
    colleague = OfficerFactory(unit=org.district_a, name="区直同事")
    lead = register(subjects=[colleague])  # the same (region) unit
    assert len(handler_conflicts(lead=lead, handler=on_district)) == 1


def test_l4_conflict_when_the_handler_is_a_subject(org, register):
    lead = register(subjects=[org.handler])
    reasons = handler_conflicts(lead=lead, handler=org.handler)
    assert reasons == ["承办人孙承办本人是本线索的被反映人"]
    free_text = register(subjects=[services.SubjectInput(name="孙承办", unit_name="某单位")])
    assert "同名" in handler_conflicts(lead=free_text, handler=org.handler)[0]


def test_l4_conflict_when_a_declared_relative_or_enterprise_is_named(org, register):
    declare_names(
        org.handler,
        org.campaign,
        business=[("孙小红", "秦皇岛鑫源贸易有限公司")],
        lending=["周某某"],
    )
    # full-width and spaced text still matches (normalised)
    lead = register(
        summary="反映某干警长期为 秦皇岛鑫源贸易 有限公司 招揽生意",
        subjects=[services.SubjectInput(name="孙小红", unit_name="")],
    )
    reasons = handler_conflicts(lead=lead, handler=org.handler)
    assert any("秦皇岛鑫源贸易有限公司" in r and "反映内容" in r for r in reasons)
    assert any("孙小红" in r and "被反映人" in r for r in reasons)
    assert not any("周某某" in r for r in reasons)
    lead = register(summary="反映某干警向ＡＢＣ周某某借款")
    assert any("周某某" in r for r in handler_conflicts(lead=lead, handler=org.handler))


def test_l4_one_character_declared_names_do_not_match(org, register):
    declare_names(org.handler, org.campaign, business=[("孙", "鑫")])
    lead = register(summary="反映孙某经营鑫字号商店")
    assert handler_conflicts(lead=lead, handler=org.handler) == []


def test_l4_only_the_latest_self_check_counts(org, register):
    declare_names(org.handler, org.campaign, business=[("孙旧名", "旧公司")])
    declare_names(org.handler, org.campaign, business=[("孙新名", "新公司")])
    lead = register(summary="反映旧公司和孙旧名的问题")
    assert handler_conflicts(lead=lead, handler=org.handler) == []


# --- assigning: refused without a reason, recorded with one ---------------------------------


def test_l4_assign_with_conflicts_is_refused_without_an_override_reason(org, register):
    lead = register(subjects=[org.officer_a2])
    with pytest.raises(HandlerConflictError) as info:
        assign(org, lead, override_reason="  ")
    assert str(info.value) == CONFLICT_NEEDS_REASON and info.value.conflicts
    lead.refresh_from_db()
    assert lead.status == LeadStatus.REGISTERED and lead.handler is None
    assert not lead.events.filter(kind=EventKind.TRIAGE).exists()


def test_l4_assign_with_an_override_reason_records_conflicts_and_reason(org, register):
    lead = register(subjects=[org.officer_a2])
    assign(org, lead, override_reason="分局仅一名具备资格的承办人，已报分管领导同意")
    lead.refresh_from_db()
    assert lead.status == LeadStatus.HANDLING and lead.handler == org.handler
    event = lead.events.get(kind=EventKind.TRIAGE)
    assert event.data["override_reason"] == "分局仅一名具备资格的承办人，已报分管领导同意"
    assert "同属甲区公安分局" in event.data["conflicts"][0]
    audit = AuditEvent.objects.get(action="leads.lead.conflict_overridden")
    assert audit.actor == org.office_staff and audit.object_id == str(lead.pk)
    assert audit.summary["override_reason"].startswith("分局仅一名")
    assert audit.summary["conflicts"] == event.data["conflicts"]


def test_l4_assign_without_conflicts_needs_no_reason(org, register):
    lead = register(subjects=[org.officer_a])
    assign(org, lead)
    event = lead.events.get(kind=EventKind.TRIAGE)
    assert "conflicts" not in event.data
    assert not AuditEvent.objects.filter(action="leads.lead.conflict_overridden").exists()


# --- through the lead page ------------------------------------------------------------------


def _post_assign(client, lead, org, **extra):
    return client.post(
        reverse("leads:assign", args=[lead.pk]),
        {
            "route": "talk_inquiry",
            "unit": org.police_a.pk,
            "handler": "A100",
            "deadline": DEADLINE.isoformat(),
            "reason": "交分局核查",
            **extra,
        },
    )


def test_l4_assign_page_shows_the_warnings_and_keeps_the_values(client, org, register):
    lead = register(subjects=[org.officer_a2])
    client.force_login(org.office_staff)
    response = _post_assign(client, lead, org)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="assign-conflict-list"' in page and "同属甲区公安分局" in page
    assert 'name="override_reason"' in page
    assert 'value="A100"' in page and DEADLINE.isoformat() in page and "交分局核查" in page
    assert f'<option value="{org.police_a.pk}" selected>' in page
    assert '<option value="talk_inquiry" selected>' in page
    lead.refresh_from_db()
    assert lead.status == LeadStatus.REGISTERED and lead.handler is None

    response = _post_assign(client, lead, org, override_reason="经领导批准仍由其承办")
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == LeadStatus.HANDLING and lead.route == "talk_inquiry"
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert "经领导批准仍由其承办" in page and "同属甲区公安分局" in page


def test_l4_assign_page_without_conflicts_assigns_at_once(client, org, register):
    lead = register(subjects=[org.officer_a])
    client.force_login(org.office_staff)
    assert _post_assign(client, lead, org).status_code == 302
    lead.refresh_from_db()
    assert lead.status == LeadStatus.HANDLING


def test_l4_conflict_hint_for_the_typed_handler_number(client, org, register):
    lead = register(subjects=[org.officer_a2])
    url = reverse("leads:assign_conflicts", args=[lead.pk])
    client.force_login(org.office_staff)
    page = client.get(url, {"handler": "A100"}, HTTP_HX_REQUEST="true").content.decode()
    assert "同属甲区公安分局" in page and 'name="override_reason"' in page
    assert AuditEvent.objects.filter(action="leads.lead.conflicts_checked").count() == 1
    assert "同属" not in client.get(url, {"handler": "A001"}).content.decode()
    assert "找不到该警号" in client.get(url, {"handler": "NOPE"}).content.decode()
    # an officer outside the user's scope is not found (no name, unit or conflicts shown)
    outside = client.get(url, {"handler": org.officer_b.number}).content.decode()
    assert "找不到该警号" in outside and org.officer_b.name not in outside
    client.force_login(org.chief)  # sees the lead, does not manage it
    assert client.get(url, {"handler": "A100"}).status_code == 403
    client.force_login(org.outsider)
    assert client.get(url, {"handler": "A100"}).status_code == 404


def test_l4_conflict_with_the_subject_unit_of_an_unregistered_subject(org, register):
    lead = register(
        subjects=[services.SubjectInput(name="某民警", unit_name="甲区一派出所")],
        subject_unit=org.station_a1,
    )
    reasons = handler_conflicts(lead=lead, handler=org.handler)
    assert reasons == ["承办人孙承办（甲区公安分局）与被反映人单位甲区一派出所同属甲区公安分局"]
    other = register(subjects=[], subject_unit=org.court_a)
    assert handler_conflicts(lead=other, handler=org.handler) == []
