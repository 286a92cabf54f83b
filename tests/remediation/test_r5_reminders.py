"""R5 reminders: due within 3 days and overdue, to measure owners and responsible persons."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from remediation.services.reminders import remediation_reminders_send
from remediation.tasks import remediation_send_reminders
from selfcheck.models import Notice
from tests.factories import RemediationMeasureFactory

from .closure_helpers import make_item

pytestmark = pytest.mark.django_db


def test_r5_reminders_idempotent(org, settings):
    settings.EMAIL_HOST = "smtp.example.org"
    org.officer_a2.user.email = "lisi@example.org"
    org.officer_a2.user.save()
    today = timezone.localdate()
    item = make_item(
        org.station_a1, responsible_person=org.officer_a, deadline=today - dt.timedelta(days=2)
    )
    RemediationMeasureFactory(
        item=item, owner=org.officer_a2, deadline=today + dt.timedelta(days=3)
    )
    RemediationMeasureFactory(
        item=item, owner=org.officer_a2, deadline=today + dt.timedelta(days=9)
    )
    RemediationMeasureFactory(item=item, owner=org.officer_a2, deadline=today, status="done")
    later = make_item(
        org.station_a1, responsible_person=org.officer_a, deadline=today + dt.timedelta(days=10)
    )
    assert later  # not due yet: no notice

    with_commit = remediation_reminders_send(today=today)
    assert with_commit.sent == 2
    notices = Notice.objects.order_by("id")
    texts = [n.text for n in notices]
    assert any("已逾期2天" in t and item.number in t for t in texts)
    assert any("将于" in t and "到期" in t for t in texts)
    assert {n.user_id for n in notices} == {org.officer_a.user_id, org.officer_a2.user_id}

    again = remediation_reminders_send(today=today)
    assert again.sent == 0 and again.already == 2
    assert remediation_send_reminders() == 0
    call_command("remediation_reminders")
    assert Notice.objects.count() == 2
    # The next day the overdue item is told again (overdue is computed, not stored).
    assert remediation_reminders_send(today=today + dt.timedelta(days=1)).sent == 2


def test_r5_reminders_email_when_smtp(org, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_HOST = "smtp.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    org.officer_a2.user.email = "lisi@example.org"
    org.officer_a2.user.save()
    item = make_item(org.station_a1)
    RemediationMeasureFactory(item=item, owner=org.officer_a2, deadline=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        remediation_reminders_send()
    assert [m.to for m in mail.outbox] == [["lisi@example.org"]]
    settings.EMAIL_HOST = ""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        remediation_reminders_send(today=timezone.localdate() + dt.timedelta(days=1))
    assert mail.outbox == []


def test_r5_reminders_skip_people_recused_from_the_source_lead(org, make_lead):
    """An item generated from a lead naming its measure owner (or responsible person) tells
    them nothing: recusal reaches the reminders too."""
    today = timezone.localdate()
    lead = make_lead(subjects=[org.officer_a2])
    item = make_item(
        org.station_a1,
        responsible_person=org.officer_a2,
        deadline=today - dt.timedelta(days=1),
        source_lead=lead,
        origin="lead",
    )
    RemediationMeasureFactory(item=item, owner=org.officer_a2, deadline=today)
    RemediationMeasureFactory(item=item, owner=org.officer_a, deadline=today)

    result = remediation_reminders_send(today=today)
    assert result.sent == 1
    assert set(Notice.objects.values_list("user_id", flat=True)) == {org.officer_a.user_id}
