"""A 404 from a get_<obj>_for_user helper to a signed-in user leaves an audit trace."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from leads import services as lead_services
from leads.models import Channel, LeadCategory
from rectify.models import AuditEvent


def _lead(org):
    return lead_services.lead_register(
        office=org.office_a,
        actor=org.intake,
        received_date=timezone.localdate(),
        channel=Channel.objects.get(code="hotline"),
        category=LeadCategory.INTERFERENCE,
        summary="反映某干警过问他人案件",
        subjects=[],
    )


@pytest.mark.django_db
def test_it_audits_probing_an_invisible_and_a_missing_lead_alike(client, org):
    lead = _lead(org)
    client.force_login(org.outsider)
    missing = lead.pk + 1000
    for pk in (lead.pk, missing):
        assert client.get(reverse("leads:detail", args=[pk])).status_code == 404
    denied = AuditEvent.objects.filter(verb="denied").order_by("id")
    assert [(e.action, e.object_id, e.actor_id) for e in denied] == [
        ("leads.lead.denied", str(lead.pk), org.outsider.pk),
        ("leads.lead.denied", str(missing), org.outsider.pk),
    ]


@pytest.mark.django_db
def test_it_audits_a_denied_self_check_report(client, org):
    client.force_login(org.officer_b.user)
    assert client.get(reverse("selfcheck:report_detail", args=[424242])).status_code == 404
    event = AuditEvent.objects.get(verb="denied")
    assert (event.action, event.object_id) == ("selfcheck.selfcheckreport.denied", "424242")


@pytest.mark.django_db
def test_it_does_not_audit_a_visible_lead_or_an_anonymous_probe(client, org):
    lead = _lead(org)
    assert client.get(reverse("leads:detail", args=[lead.pk])).status_code == 302  # login
    client.force_login(org.office_staff)
    assert client.get(reverse("leads:detail", args=[lead.pk])).status_code == 200
    assert not AuditEvent.objects.filter(verb="denied").exists()
