"""L9: an unfounded conclusion needs the handler's and the handling unit head's signatures,
each from their own account, each binding the exact text; then it is archived read-only."""

from __future__ import annotations

import pytest

from leads import services
from leads.models import LeadConclusion, LeadStatus, Signature, SignatureRole
from leads.workflow import LeadWorkflowError

pytestmark = pytest.mark.django_db

TEXT = "经核查，反映的问题查无实据，予以查否"


def unfounded(org, lead, text=TEXT):
    return services.lead_conclude(
        lead=lead, actor=org.handler.user, conclusion=LeadConclusion.UNFOUNDED, result=text
    )


def test_l9_unfounded_needs_two_signatures(org, assigned):
    lead = assigned()
    unfounded(org, lead)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.SIGNING and lead.concluded_at is None
    services.lead_sign(lead=lead, actor=org.handler.user, role=SignatureRole.HANDLER)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.SIGNING  # one signature is not enough
    services.lead_sign(lead=lead, actor=org.unit_head.user, role=SignatureRole.UNIT_HEAD)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONCLUDED
    assert lead.concluded_at and lead.archived_at
    hashes = set(Signature.objects.filter(lead=lead).values_list("text_hash", flat=True))
    assert hashes == {lead.conclusion_hash()}


def test_l9_unit_head_cannot_sign_the_handlers_part(org, assigned):
    lead = assigned()
    unfounded(org, lead)
    with pytest.raises(LeadWorkflowError):
        services.lead_sign(lead=lead, actor=org.unit_head.user, role=SignatureRole.HANDLER)
    with pytest.raises(LeadWorkflowError):
        services.lead_sign(lead=lead, actor=org.handler.user, role=SignatureRole.UNIT_HEAD)
    with pytest.raises(LeadWorkflowError):
        services.lead_sign(lead=lead, actor=org.office_staff, role=SignatureRole.UNIT_HEAD)
    assert not Signature.objects.filter(lead=lead).exists()


def test_l9_editing_the_text_voids_both_signatures(org, assigned):
    lead = assigned()
    unfounded(org, lead)
    services.lead_sign(lead=lead, actor=org.handler.user, role=SignatureRole.HANDLER)
    unfounded(org, lead, text=TEXT + "。补充：另查明无其他问题")
    lead.refresh_from_db()
    assert lead.status == LeadStatus.SIGNING
    assert Signature.objects.filter(lead=lead, voided_at__isnull=True).count() == 0
    services.lead_sign(lead=lead, actor=org.unit_head.user, role=SignatureRole.UNIT_HEAD)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.SIGNING  # the handler must sign the new text again
    services.lead_sign(lead=lead, actor=org.handler.user, role=SignatureRole.HANDLER)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONCLUDED


def test_l9_archived_lead_is_read_only(org, assigned):
    lead = assigned()
    unfounded(org, lead)
    services.lead_sign(lead=lead, actor=org.handler.user, role=SignatureRole.HANDLER)
    services.lead_sign(lead=lead, actor=org.unit_head.user, role=SignatureRole.UNIT_HEAD)
    lead.refresh_from_db()
    with pytest.raises(LeadWorkflowError):
        unfounded(org, lead, text="改动")
    with pytest.raises(LeadWorkflowError):
        services.lead_add_event(lead=lead, actor=org.handler.user, kind="note", text="补记")
    services.lead_cross_off(lead=lead, actor=org.office_staff)  # crossing off is still allowed
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CROSSED_OFF and lead.result == TEXT
