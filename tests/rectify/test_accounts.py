from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from rectify.models import AuditEvent, AuditVerb


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_it_locks_out_after_repeated_failures(client, org):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "officer_a", "wrong-password")
    response = _login(client, "officer_a", "demo-pass-123")  # right password, but locked
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(verb=AuditVerb.LOGIN_FAILED).count() >= 5


@pytest.mark.django_db
def test_a_correct_login_reaches_home_and_is_audited(client, org):
    response = _login(client, "officer_a", "demo-pass-123")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    event = AuditEvent.objects.get(verb=AuditVerb.LOGIN)
    assert event.actor_id == org.officer_a.user.pk


@pytest.mark.django_db
def test_a_failed_login_is_audited_with_the_username_tried(client, org):
    _login(client, "officer_a", "wrong-password")
    event = AuditEvent.objects.get(verb=AuditVerb.LOGIN_FAILED)
    assert event.summary["username"] == "officer_a"
    assert "wrong-password" not in str(event.summary)


@contextmanager
def _clock(minutes: float):
    """Move Django's (and axes') clock forward by `minutes`."""
    moved = timezone.now() + timedelta(minutes=minutes)
    with (
        mock.patch("django.utils.timezone.now", return_value=moved),
        mock.patch("axes.attempts.now", return_value=moved),
        mock.patch("axes.handlers.proxy.now", return_value=moved),
    ):
        yield


@pytest.mark.django_db
def test_the_lockout_lifts_after_the_cool_off(client, org):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "officer_a", "wrong-password")
    assert _login(client, "officer_a", "demo-pass-123").status_code == 429
    cool_off = settings.AXES_COOLOFF_TIME.total_seconds() / 60
    with _clock(cool_off + 1):
        assert _login(client, "officer_a", "demo-pass-123").status_code == 302


@pytest.mark.django_db
def test_an_idle_session_expires_after_30_minutes_but_activity_keeps_it(client, org):
    _login(client, "officer_a", "demo-pass-123")
    home = reverse("home")
    with _clock(25):
        assert client.get(home).status_code == 200  # activity renews the 30 minutes
    with _clock(50):
        assert client.get(home).status_code == 200  # 25 idle minutes since the last request
    with _clock(50 + 31):
        response = client.get(home)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_sessions_expire_after_30_idle_minutes_and_at_browser_close():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True  # idle time, not since login
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


@pytest.mark.django_db
def test_the_session_cookie_dies_with_the_browser(client, org):
    _login(client, "officer_a", "demo-pass-123")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]
    assert client.session.get_expiry_age() == 30 * 60


@pytest.mark.parametrize("password", ["12345678901", "password123", "short"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.django_db
def test_imported_accounts_must_change_password_first(client, org):
    user = org.officer_a.user
    user.must_change_password = True
    user.save()
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "demo-pass-123",
            "new_password1": "A-much-better-pass-2021",
            "new_password2": "A-much-better-pass-2021",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_it_creates_an_officer_account_with_a_one_time_password(org):
    from rectify.models import Role, RoleAssignment
    from rectify.services import officer_create_account
    from tests.factories import OfficerFactory

    officer = OfficerFactory(unit=org.station_a1, number="A-77")
    user, password = officer_create_account(officer=officer, actor=org.admin)
    assert user.username == "A-77" and user.must_change_password
    assert len(password) >= 12 and user.check_password(password)
    assert user.password != password  # only the hash is stored
    assert RoleAssignment.objects.filter(user=user, role=Role.OFFICER, unit=org.station_a1)
    assert AuditEvent.objects.filter(action="rectify.user.created").count() == 1
    with pytest.raises(ValidationError):
        officer_create_account(officer=officer, actor=org.admin)


@pytest.mark.django_db
def test_it_assigns_roles_once_and_audits_the_grant(org):
    from rectify.models import Role
    from rectify.services import role_assign, role_revoke

    first = role_assign(user=org.outsider, role=Role.REVIEWER, unit=org.district_a, actor=org.admin)
    again = role_assign(user=org.outsider, role=Role.REVIEWER, unit=org.district_a, actor=org.admin)
    assert first.pk == again.pk
    assert AuditEvent.objects.filter(action="rectify.roleassignment.created").count() == 1
    with pytest.raises(ValidationError):
        role_assign(user=org.outsider, role="king", unit=org.district_a, actor=org.admin)
    role_revoke(assignment=first, actor=org.admin)
    assert AuditEvent.objects.filter(action="rectify.roleassignment.deleted").count() == 1
