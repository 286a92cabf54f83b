"""Issue 10 / L9: the conflict rules apply to the second signature too — a unit head signing
off a lead about an officer of his own bureau is warned, and signing anyway needs a recorded
reason (like the handler assignment)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from leads import services
from leads.models import EventKind, LeadConclusion, LeadStatus, Signature, SignatureRole
from leads.rules.conflicts import HandlerConflictError
from rectify.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_bureau_lead(org, register):
    """Unfounded, signed by the handler, about 李四 of a station of the head's bureau."""
    lead = register(subjects=[org.officer_a2])
    services.lead_assign(
        lead=lead,
        actor=org.office_staff,
        unit=org.police_a,
        handler=org.handler,
        deadline=timezone.localdate() + dt.timedelta(days=30),
        route="verification",
        override_reason="分局纪委专人承办",
    )
    services.lead_conclude(
        lead=lead,
        actor=org.handler.user,
        conclusion=LeadConclusion.UNFOUNDED,
        result="经核查，反映的问题查无实据",
    )
    services.lead_sign(lead=lead, actor=org.handler.user, role=SignatureRole.HANDLER)
    return lead


def test_l9_unit_head_of_the_subjects_bureau_needs_a_reason_to_sign(org, own_bureau_lead):
    with pytest.raises(HandlerConflictError) as exc:
        services.lead_sign(
            lead=own_bureau_lead, actor=org.unit_head.user, role=SignatureRole.UNIT_HEAD
        )
    assert any("李四" in r and "甲区公安分局" in r for r in exc.value.conflicts)
    assert not Signature.objects.filter(lead=own_bureau_lead, role=SignatureRole.UNIT_HEAD)
    services.lead_sign(
        lead=own_bureau_lead,
        actor=org.unit_head.user,
        role=SignatureRole.UNIT_HEAD,
        override_reason="分局仅一名主要负责人",
    )
    own_bureau_lead.refresh_from_db()
    assert own_bureau_lead.status == LeadStatus.CONCLUDED
    event = own_bureau_lead.events.filter(kind=EventKind.SIGNATURE).last()
    assert event.data["override_reason"] == "分局仅一名主要负责人"
    assert event.data["conflicts"]
    assert AuditEvent.objects.filter(
        action="leads.lead.conflict_overridden", summary__role="unit_head"
    ).exists()


def test_l9_the_sign_form_warns_the_unit_head_and_keeps_the_lead_unsigned(
    client, org, own_bureau_lead
):
    client.force_login(org.unit_head.user)
    url = reverse("leads:detail", args=[own_bureau_lead.pk])
    page = client.get(url).content.decode()
    assert 'id="sign-conflict-list"' in page and "李四" in page
    action = reverse("leads:sign", args=[own_bureau_lead.pk])
    response = client.post(action, {"role": "unit_head"})
    assert response.status_code == 422
    assert "仍然签字的理由" in response.content.decode()
    own_bureau_lead.refresh_from_db()
    assert own_bureau_lead.status == LeadStatus.SIGNING
    response = client.post(action, {"role": "unit_head", "override_reason": "分局仅一名负责人"})
    assert response.status_code == 302
    own_bureau_lead.refresh_from_db()
    assert own_bureau_lead.status == LeadStatus.CONCLUDED
