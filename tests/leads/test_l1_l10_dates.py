"""Impossible dates on the leads side: a lead cannot be received in the future (it was
numbered 开发区-2099-0001), and a deadline before today, which makes the lead overdue at
once, needs an explicit confirmation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from leads import services
from leads.forms import RegisterForm
from leads.models import Lead, LeadCategory, LeadStatus
from leads.workflow import LeadWorkflowError
from rectify.models import Office

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def test_l1_received_date_cannot_lie_in_the_future_in_the_service(org, hotline):
    with pytest.raises(LeadWorkflowError, match=services.RECEIVED_IN_FUTURE):
        services.lead_register(
            office=org.office_a,
            actor=org.intake,
            received_date=days(1),
            channel=hotline,
            category=LeadCategory.INTERFERENCE,
            summary="反映某干警过问案件",
        )
    assert not Lead.objects.exists()
    lead = services.lead_register(
        office=org.office_a,
        actor=org.intake,
        received_date=timezone.localdate(),
        channel=hotline,
        category=LeadCategory.INTERFERENCE,
        summary="反映某干警过问案件",
    )
    assert lead.number.endswith(f"-{timezone.localdate().year}-0001")


def test_l1_register_form_refuses_a_future_received_date(client, org, hotline):
    form = RegisterForm(
        {
            "office": org.office_a.pk,
            "received_date": "2099-12-31",
            "channel": hotline.pk,
            "category": LeadCategory.INTERFERENCE,
            "summary": "反映某干警过问案件",
            "reporter_anonymous": "on",
        },
        offices=Office.objects.filter(pk=org.office_a.pk),
    )
    assert not form.is_valid()
    assert form.errors["received_date"] == [services.RECEIVED_IN_FUTURE]
    client.force_login(org.intake)
    response = client.post(
        reverse("leads:register"),
        {
            "office": org.office_a.pk,
            "received_date": "2099-12-31",
            "channel": hotline.pk,
            "category": LeadCategory.INTERFERENCE,
            "summary": "反映某干警过问案件",
            "reporter_anonymous": "on",
        },
    )
    assert response.status_code != 500
    assert services.RECEIVED_IN_FUTURE in response.content.decode()
    assert not Lead.objects.filter(number__contains="2099").exists()


def test_l10_past_deadline_needs_confirmation_in_the_service(org, register):
    lead = register()
    kwargs = {
        "actor": org.office_staff,
        "unit": org.police_a,
        "handler": org.handler,
        "deadline": dt.date(2020, 1, 1),
        "route": "verification",
    }
    with pytest.raises(LeadWorkflowError, match="办理期限早于今天"):
        services.lead_assign(lead=lead, **kwargs)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.REGISTERED
    services.lead_assign(lead=lead, past_deadline_confirmed=True, **kwargs)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.HANDLING and lead.is_overdue


def test_l10_past_deadline_in_the_triage_form_asks_then_assigns_on_the_second_submit(
    client, org, register
):
    lead = register()
    client.force_login(org.office_staff)
    url = reverse("leads:assign", args=[lead.pk])
    data = {
        "route": "verification",
        "unit": org.police_a.pk,
        "handler": "A100",
        "deadline": "2020-01-01",
    }
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 422
    assert "办理期限早于今天" in page and 'name="confirm_past_deadline"' in page
    assert 'value="2020-01-01"' in page  # the values are kept for the second submit
    lead.refresh_from_db()
    assert lead.status == LeadStatus.REGISTERED
    client.post(url, {**data, "confirm_past_deadline": "on"})
    lead.refresh_from_db()
    assert lead.status == LeadStatus.HANDLING and lead.deadline == dt.date(2020, 1, 1)
    # A deadline from today on needs no confirmation.
    other = register()
    url = reverse("leads:assign", args=[other.pk])
    client.post(url, {**data, "deadline": timezone.localdate().isoformat()})
    other.refresh_from_db()
    assert other.status == LeadStatus.HANDLING
