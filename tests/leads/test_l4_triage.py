"""L4: every lead is screened — transfer to the discipline commission, assign, merge, hold,
close with a recorded reason; the number is given per office and year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from leads import services
from leads.models import EventKind, LeadConclusion, LeadStatus
from leads.workflow import LeadWorkflowError
from rectify.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_it_numbers_leads_per_office_and_year(org, register):
    year = timezone.localdate().year
    first, second = register(), register()
    other = register(office=org.office_b)
    last_year = register(received_date=dt.date(year - 1, 12, 31))
    assert first.number == f"甲区-{year}-0001"
    assert second.number == f"甲区-{year}-0002"
    assert other.number == f"乙区-{year}-0001"
    assert last_year.number == f"甲区-{year - 1}-0001"


def test_l4_transfer_records_body_date_and_feedback(org, register):
    lead = register()
    day = timezone.localdate()
    services.lead_transfer(lead=lead, actor=org.office_staff, body="甲区纪委监委", date=day)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.TRANSFERRED
    assert (lead.transfer_body, lead.transfer_date) == ("甲区纪委监委", day)
    assert lead.screened_at is not None
    services.lead_transfer_feedback(
        lead=lead,
        actor=org.office_staff,
        feedback="纪委监委反馈：已立案审查",
        conclusion=LeadConclusion.SUBSTANTIATED,
    )
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONCLUDED
    assert lead.transfer_feedback == "纪委监委反馈：已立案审查"
    assert (
        AuditEvent.objects.filter(action="leads.lead.transitioned", object_id=str(lead.pk)).count()
        == 2
    )


def test_l4_transfer_needs_a_receiving_body(org, register):
    lead = register()
    with pytest.raises(LeadWorkflowError):
        services.lead_transfer(lead=lead, actor=org.office_staff, body="", date=None)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.REGISTERED


def test_l4_assign_sets_unit_handler_and_deadline(org, assigned):
    lead = assigned()
    assert lead.status == LeadStatus.HANDLING
    assert (lead.handling_unit, lead.handler) == (org.police_a, org.handler)
    assert lead.events.filter(kind=EventKind.TRIAGE).exists()


def test_l4_assign_refuses_a_handler_outside_the_unit(org, register):
    lead = register()
    with pytest.raises(LeadWorkflowError):
        services.lead_assign(
            lead=lead,
            actor=org.office_staff,
            unit=org.police_a,
            handler=org.officer_b,
            deadline=timezone.localdate(),
            route="verification",
        )


def test_l4_close_and_hold_need_a_recorded_reason(org, register):
    lead = register()
    with pytest.raises(LeadWorkflowError):
        services.lead_close(lead=lead, actor=org.office_staff, reason="  ")
    services.lead_hold(lead=lead, actor=org.office_staff, reason="反映内容不具体，暂存待查")
    lead.refresh_from_db()
    assert lead.status == LeadStatus.HELD and lead.close_reason == "反映内容不具体，暂存待查"
    services.lead_close(lead=lead, actor=org.office_staff, reason="经了解已无核查价值")
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CLOSED and lead.close_reason == "经了解已无核查价值"
    event = lead.events.filter(kind=EventKind.TRANSITION).last()
    assert event.text == "经了解已无核查价值"


def test_l4_merge_as_duplicate(org, register):
    main, dup = register(), register()
    services.lead_merge(lead=dup, into=main, actor=org.office_staff)
    dup.refresh_from_db()
    assert dup.status == LeadStatus.MERGED and dup.merged_into == main
    with pytest.raises(LeadWorkflowError):
        services.lead_merge(lead=main, into=main, actor=org.office_staff)


def test_it_refuses_an_illegal_move(org, register):
    lead = register()
    with pytest.raises(LeadWorkflowError):
        services.lead_cross_off(lead=lead, actor=org.office_staff)
