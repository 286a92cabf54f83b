"""Login lockout across addresses, and the retention of staff login records (issue 9)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from rectify.models import AuditEvent
from rectify.tasks import login_records_purge

UA = "Mozilla/5.0 (X11; Linux x86_64) rectify-test"


def _login(client, username, password, addr):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=addr,
        HTTP_USER_AGENT=UA,
    )


@pytest.mark.django_db
def test_it_locks_a_username_out_whatever_address_the_tries_come_from(client, org):
    for i in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "officer_a", "wrong-password", f"198.51.100.{i + 1}")
    # A fresh address no longer brings fresh tries, even with the right password.
    response = _login(client, "officer_a", "demo-pass-123", "198.51.100.200")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_locks_a_client_out_that_tries_many_usernames(client, org):
    names = ["officer_a", "officer_a2", "officer_b", "cadre_a", "handler_a"]
    for name in names[: settings.AXES_FAILURE_LIMIT]:
        _login(client, name, "wrong-password", "198.51.100.7")
    assert _login(client, "head_a", "demo-pass-123", "198.51.100.7").status_code == 429
    # Another client may still sign in to an account nobody attacked.
    assert _login(client, "head_a", "demo-pass-123", "198.51.100.8").status_code == 302


def _aged(model, days: float, username: str = "officer_a", **fields):
    row = model.objects.create(
        user_agent=UA,
        ip_address="198.51.100.9",
        username=username,
        http_accept="*/*",
        path_info="/accounts/login/",
        **fields,
    )
    model.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - timedelta(days=days))
    return row


@pytest.mark.django_db
def test_it_purges_staff_login_records_after_the_retention(settings):
    settings.AXES_RETENTION_DAYS = 30
    old = [
        _aged(AccessLog, 31),
        _aged(AccessFailureLog, 31),
        _aged(AccessAttempt, 31, get_data="", post_data="", failures_since_start=1),
    ]
    recent = [
        _aged(AccessLog, 29),
        _aged(AccessFailureLog, 29),
        _aged(AccessAttempt, 29, "officer_b", get_data="", post_data="", failures_since_start=1),
    ]
    result = login_records_purge.delay().get()
    assert result == {"access_logs": 1, "failure_logs": 1, "attempts": 1}
    for row in old:
        assert not type(row).objects.filter(pk=row.pk).exists()
    for row in recent:
        assert type(row).objects.filter(pk=row.pk).exists()
    event = AuditEvent.objects.get(action="rectify.login_records.purged")
    assert event.summary["retention_days"] == 30
    assert "rectify.tasks.login_records_purge" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }


@pytest.mark.django_db
def test_it_never_lifts_a_running_lockout_when_purging(settings):
    settings.AXES_RETENTION_DAYS = 0
    running = _aged(AccessAttempt, 5 / 1440, get_data="", post_data="", failures_since_start=5)
    login_records_purge.delay().get()
    assert AccessAttempt.objects.filter(pk=running.pk).exists()
