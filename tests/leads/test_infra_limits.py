"""Lead texts have a stated maximum; longer input is refused with an error, never cut."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from leads import services
from leads.models import Lead, LeadEvent
from leads.workflow import LeadWorkflowError


@pytest.mark.django_db
def test_it_refuses_a_reporter_message_over_its_limit_instead_of_cutting_it(register):
    lead = register()
    with pytest.raises(LeadWorkflowError, match="留言最多2000字"):
        services.reporter_message(lead=lead, text="补" * 2001)
    assert not LeadEvent.objects.filter(lead=lead, kind="reporter").exists()
    event = services.reporter_message(lead=lead, text="补" * 2000)
    assert len(event.text) == 2000


@pytest.mark.django_db
def test_it_refuses_a_summary_over_5000_characters_on_registration(client, org, hotline):
    client.force_login(org.intake)
    data = {
        "office": org.office_a.pk,
        "received_date": timezone.localdate().isoformat(),
        "channel": hotline.pk,
        "category": "interference",
        "summary": "摘" * 5001,
        "reporter_anonymous": "on",
    }
    response = client.post(reverse("leads:register"), data)
    page = response.content.decode()
    assert response.status_code == 200 and not Lead.objects.exists()
    assert "5000" in page and 'maxlength="5000"' in page
    # the limit is stated in text beside the box (a live counter with JavaScript)
    assert '<small class="char-limit" id="id_summary-limit">最多 5000 字</small>' in page


@pytest.mark.django_db
def test_it_refuses_an_over_long_hold_reason_posted_to_a_lead_action(client, org, register):
    lead = register()
    before = lead.status
    client.force_login(org.office_staff)
    url = reverse("leads:hold", args=[lead.pk])
    response = client.post(url, {"reason": "因" * 2001}, follow=True)
    assert "“理由”最多2000字，现为2001字" in response.content.decode()
    lead.refresh_from_db()
    assert lead.status == before
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert 'id="hold-reason" name="reason" rows="2" required maxlength="2000"' in page
