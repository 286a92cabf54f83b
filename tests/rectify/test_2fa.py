"""Second factor (TOTP with django-otp, recovery codes), its reset, and no self-assigned roles.

Issue 9: no role had a second factor, and a superuser granted themself the intake role in the
admin and revealed a reporter.
"""

from __future__ import annotations

import os
import subprocess
import sys
from base64 import b32decode
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from rectify import otp
from rectify.models import AuditEvent, Role, RoleAssignment
from rectify.services import ROLE_SELF_ASSIGN, role_assign
from tests.conftest import login

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def enforced(settings):
    settings.OTP_ENFORCE = True
    return settings


def _code(device: TOTPDevice, *, ahead: int = 0) -> str:
    """The device's current code (or the one `ahead` steps later: a used step is refused)."""
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0 - ahead * device.step,
        digits=device.digits,
        drift=device.drift,
    )
    return str(value).zfill(device.digits)


def _enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="codes", confirmed=True)
    codes = ["abcd2345", "efgh6723"]
    for code in codes:
        StaticToken.objects.create(device=static, token=code)
    return device, codes


def _verified_client(client, user):
    """A client whose session passed the second factor (enrols the user if needed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device, _codes = _enrolled(user)
    client.force_login(user)
    response = client.post(reverse("otp_verify"), {"code": _code(device)})
    assert response.status_code == 302, response.content.decode()
    return client


# --- enforcement --------------------------------------------------------------------


@pytest.mark.django_db
def test_it_blocks_an_unverified_intake_user_and_lets_a_verified_one_through(client, org, enforced):
    device, _codes = _enrolled(org.intake)
    client.force_login(org.intake)

    response = client.get(reverse("leads:intake"))
    assert response.status_code == 302
    assert response["Location"] == reverse("otp_verify") + "?next=%2Fleads%2Fintake%2F"
    # htmx requests are sent to the same page by a client-side redirect, not a partial.
    response = client.get(reverse("leads:ledger"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("otp_verify")
    # Nothing opens behind the gate, not the admin either.
    assert client.get("/admin/").status_code == 302
    assert client.get(reverse("password_change")).status_code == 302

    response = client.post(
        reverse("otp_verify"), {"code": _code(device), "next": reverse("leads:intake")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("leads:intake")
    assert client.get(reverse("leads:intake")).status_code == 200
    event = AuditEvent.objects.get(action="rectify.user.otp_verified")
    assert event.actor_id == org.intake.pk and event.summary["method"] == "totp"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["intake", "office_staff", "chief", "unit_head", "admin"])
def test_it_requires_the_second_factor_of_every_privileged_role(client, org, enforced, who):
    user = getattr(org, who)
    user = getattr(user, "user", user)  # unit_head is an officer with a login
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_enrol"))


@pytest.mark.django_db
def test_it_counts_staff_as_administrators(client, org, enforced):
    org.reviewer.is_staff = True
    org.reviewer.save()
    client.force_login(org.reviewer)
    assert client.get(reverse("home"))["Location"].startswith(reverse("otp_enrol"))


@pytest.mark.django_db
def test_it_lets_an_officer_in_with_a_password_only(client, org, enforced):
    client.force_login(org.officer_a.user)
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_it_keeps_the_demo_and_public_pages_open(client, org, settings):
    settings.OTP_ENFORCE = False
    client.force_login(org.intake)
    assert client.get(reverse("leads:intake")).status_code == 200
    settings.OTP_ENFORCE = True
    # Logout, health and the public reporting pages stay open behind the gate.
    assert client.get(reverse("healthz")).status_code in (200, 503)
    assert client.get(reverse("leads:public_report")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_it_enforces_the_second_factor_in_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rectify.settings.prod",
        "SECRET_KEY": "x" * 60,
        "OTP_ENFORCE": "0",  # the environment cannot turn it off in production
    }
    out = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.OTP_ENFORCE)"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "True"


@pytest.mark.django_db
def test_it_asks_for_the_second_factor_after_the_password_at_login(client, org, enforced):
    _enrolled(org.chief)
    response = client.post(
        reverse("login"), {"username": "chief", "password": "demo-pass-123"}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith(reverse("otp_verify"))
    assert "两步验证" in response.content.decode()


@pytest.mark.django_db
def test_it_enrols_before_the_first_password_change(client, org, enforced):
    # An imported account that must change its password still enrols first (no loop).
    org.intake.must_change_password = True
    org.intake.save()
    client.force_login(org.intake)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("otp_enrol"))
    assert response.status_code == 200


# --- enrolment ----------------------------------------------------------------------


@pytest.mark.django_db
def test_it_enrols_with_a_qr_code_drawn_locally_and_a_real_totp_code(client, org, enforced):
    client.force_login(org.intake)
    response = client.get(reverse("otp_enrol"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and "http://" not in page.split("<svg", 1)[1].split("</svg>")[0]
    device = TOTPDevice.objects.get(user=org.intake, confirmed=False)
    secret = otp.otp_secret_text(device)
    assert secret in page
    # The secret on the page is the device's key: an app typing it in gets the same codes.
    assert b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8)) == (
        device.bin_key
    )
    # A reload keeps the same key (the QR code already scanned stays valid).
    client.get(reverse("otp_enrol"))
    assert TOTPDevice.objects.filter(user=org.intake).count() == 1

    wrong = "000000" if _code(device) != "000000" else "111111"
    response = client.post(reverse("otp_enrol"), {"code": wrong})
    assert response.status_code == 422 and otp.OTP_CODE_INVALID in response.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0  # skip the one-second wait after the failure
    device.throttling_failure_timestamp = None
    device.save()

    response = client.post(reverse("otp_enrol"), {"code": _code(device)})
    assert response.status_code == 200
    codes = list(
        StaticToken.objects.filter(device__user=org.intake).values_list("token", flat=True)
    )
    assert len(codes) == 10
    assert all(code in response.content.decode() for code in codes)
    assert response["Cache-Control"].startswith("max-age=0")
    device.refresh_from_db()
    assert device.confirmed
    event = AuditEvent.objects.get(action="rectify.user.otp_enrolled")
    assert event.actor_id == org.intake.pk
    assert not any(code in str(event.summary) for code in codes)
    # The session that enrolled is verified; enrolling again is refused.
    assert client.get(reverse("leads:intake")).status_code == 200
    assert client.get(reverse("otp_enrol"))["Location"] == reverse("account_security")


@pytest.mark.django_db
def test_it_accepts_a_recovery_code_once(client, org, enforced, django_user_model):
    _device, codes = _enrolled(org.office_staff)
    client.force_login(org.office_staff)
    response = client.post(reverse("otp_verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    event = AuditEvent.objects.get(action="rectify.user.otp_verified")
    assert event.summary == {"method": "recovery", "recovery_left": 1}

    client.post(reverse("logout"))
    client.force_login(org.office_staff)
    response = client.post(reverse("otp_verify"), {"code": codes[0]})
    assert response.status_code == 422
    assert otp.OTP_RECOVERY_INVALID in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(action="rectify.user.otp_failed").count() == 1


@pytest.mark.django_db
def test_it_throttles_and_audits_failed_codes(client, org, enforced):
    device, _codes = _enrolled(org.intake)
    client.force_login(org.intake)
    wrong = "000000" if _code(device) != "000000" else "111111"
    client.post(reverse("otp_verify"), {"code": wrong})
    # The right code right after a failure waits for the back-off (django-otp throttling).
    response = client.post(reverse("otp_verify"), {"code": _code(device)})
    assert response.status_code == 422
    assert "尝试次数过多" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    failures = AuditEvent.objects.filter(action="rectify.user.otp_failed").order_by("id")
    assert [e.summary["throttled"] for e in failures] == [False, True]
    assert wrong not in str([e.summary for e in failures])


@pytest.mark.django_db
def test_it_regenerates_recovery_codes_against_a_fresh_code(client, org, enforced):
    device, old = _enrolled(org.chief)
    _verified_client(client, org.chief)
    response = client.post(reverse("account_security"), {"code": _code(device, ahead=1)})
    assert response.status_code == 200
    new = set(StaticToken.objects.filter(device__user=org.chief).values_list("token", flat=True))
    assert len(new) == 10 and not new & set(old)
    assert AuditEvent.objects.filter(action="rectify.user.otp_recovery_regenerated").exists()


# --- reset by an administrator ------------------------------------------------------


@pytest.mark.django_db
def test_it_lets_an_administrator_reset_another_users_second_factor_with_a_reason(
    client, org, enforced
):
    _enrolled(org.intake)
    _verified_client(client, org.admin)
    url = reverse("admin:rectify_user_otp_reset", args=[org.intake.pk])
    assert (
        "重置"
        in client.get(reverse("admin:rectify_user_change", args=[org.intake.pk])).content.decode()
    )

    response = client.post(url, {"reason": ""})
    assert response.status_code == 422 and "请填写重置原因" in response.content.decode()
    assert TOTPDevice.objects.filter(user=org.intake).exists()

    response = client.post(url, {"reason": "手机遗失，已当面核实身份"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=org.intake).exists()
    assert not StaticDevice.objects.filter(user=org.intake).exists()
    event = AuditEvent.objects.get(action="rectify.user.otp_reset")
    assert event.actor_id == org.admin.pk and event.object_id == str(org.intake.pk)
    assert event.summary["reason"] == "手机遗失，已当面核实身份"
    assert event.summary["removed"] == 2


@pytest.mark.django_db
def test_it_refuses_an_administrator_resetting_their_own_second_factor(client, org, enforced):
    _verified_client(client, org.admin)
    url = reverse("admin:rectify_user_otp_reset", args=[org.admin.pk])
    response = client.post(url, {"reason": "想换手机"})
    assert response.status_code == 422
    assert otp.OTP_RESET_SELF in response.content.decode()
    assert TOTPDevice.objects.filter(user=org.admin).exists()
    assert not AuditEvent.objects.filter(action="rectify.user.otp_reset").exists()


@pytest.mark.django_db
def test_it_hides_device_secrets_from_the_admin(client, org):
    client.force_login(org.admin)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404


# --- nobody assigns a role to themselves --------------------------------------------


@pytest.mark.django_db
def test_it_refuses_a_role_the_administrator_assigns_to_themself_in_the_admin(client, org):
    client.force_login(org.admin)
    form = {"role": Role.INTAKE, "unit": org.district_a.pk, "office": org.office_a.pk}
    form |= {"granted_at_0": "2026-01-01", "granted_at_1": "08:00:00"}
    response = client.post(
        reverse("admin:rectify_roleassignment_add"), {**form, "user": org.admin.pk}
    )
    assert response.status_code == 200
    assert ROLE_SELF_ASSIGN in response.content.decode()
    assert not RoleAssignment.objects.filter(user=org.admin, role=Role.INTAKE).exists()
    refusal = AuditEvent.objects.get(action="rectify.roleassignment.self_refused")
    assert refusal.actor_id == org.admin.pk and refusal.summary["role"] == Role.INTAKE

    # Moving another person's assignment onto oneself is refused the same way.
    theirs = RoleAssignment.objects.get(user=org.intake, role=Role.INTAKE)
    response = client.post(
        reverse("admin:rectify_roleassignment_change", args=[theirs.pk]),
        {**form, "user": org.admin.pk},
    )
    assert response.status_code == 200 and ROLE_SELF_ASSIGN in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.user_id == org.intake.pk

    # For somebody else it works.
    response = client.post(
        reverse("admin:rectify_roleassignment_add"), {**form, "user": org.reviewer.pk}
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=org.reviewer, role=Role.INTAKE).exists()


@pytest.mark.django_db
def test_it_shows_the_administrators_own_roles_and_privileges_read_only(client, org):
    client.force_login(org.admin)
    url = reverse("admin:rectify_user_change", args=[org.admin.pk])
    page = client.get(url).content.decode()
    assert 'name="role_assignments-TOTAL_FORMS"' in page
    assert 'name="is_superuser"' not in page
    # A hand-made POST adding an inline role to one's own account changes nothing.
    data = {
        "username": "admin",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "role_assignments-TOTAL_FORMS": "1",
        "role_assignments-INITIAL_FORMS": "0",
        "role_assignments-0-role": Role.INTAKE,
        "role_assignments-0-unit": org.district_a.pk,
        "role_assignments-0-office": org.office_a.pk,
        "role_assignments-0-granted_at_0": "2026-01-01",
        "role_assignments-0-granted_at_1": "08:00:00",
    }
    client.post(url, data)
    assert not RoleAssignment.objects.filter(user=org.admin, role=Role.INTAKE).exists()


@pytest.mark.django_db
def test_it_refuses_a_self_assigned_role_in_the_service(org):
    with pytest.raises(ValidationError) as exc:
        role_assign(user=org.admin, role=Role.INTAKE, unit=org.district_a, actor=org.admin)
    assert exc.value.messages == [ROLE_SELF_ASSIGN]
    assert not RoleAssignment.objects.filter(user=org.admin, role=Role.INTAKE).exists()
    assert AuditEvent.objects.filter(
        action="rectify.roleassignment.self_refused", actor=org.admin
    ).exists()
    # Another administrator may.
    role_assign(user=org.admin, role=Role.INTAKE, unit=org.district_a, actor=org.chief)
    assert RoleAssignment.objects.filter(user=org.admin, role=Role.INTAKE).exists()


# --- in a real browser --------------------------------------------------------------


def _enrol_in_browser(page, username: str) -> list[str]:
    login(page, username)
    assert "/accounts/2fa/enrol/" in page.url
    page.locator("#otp-qr svg").wait_for()
    secret = page.locator("#otp-secret").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    code = str(totp(key)).zfill(6)
    page.fill("#id_code", code)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    return [c.strip() for c in page.locator("#otp-codes li").all_inner_texts()]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_enrols_in_the_browser_at_desktop_size(org, page, enforced):
    login(page, "intake_a")
    assert "/accounts/2fa/enrol/" in page.url
    qr = page.locator("#otp-qr svg")
    box = qr.bounding_box()
    assert box and box["width"] >= 150 and box["height"] >= 150
    page.screenshot(path="/tmp/rectify-otp-enrol-desktop.png", full_page=True)
    page.context.clear_cookies()
    codes = _enrol_in_browser(page, "intake_a")
    assert len(codes) == 10
    page.screenshot(path="/tmp/rectify-otp-codes-desktop.png", full_page=True)
    with page.expect_navigation():
        page.get_by_text("我已保存，继续").click()
    assert "/accounts/" not in page.url
    assert TOTPDevice.objects.get(user=org.intake).confirmed


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_enrols_in_the_browser_on_a_phone(org, phone_page, enforced):
    login(phone_page, "office_a")
    phone_page.locator("#otp-qr svg").wait_for()
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    box = phone_page.locator("#otp-qr svg").bounding_box()
    assert box and 150 <= box["width"] <= 390
    phone_page.screenshot(path="/tmp/rectify-otp-enrol-phone.png", full_page=True)
    phone_page.context.clear_cookies()
    codes = _enrol_in_browser(phone_page, "office_a")
    assert len(codes) == 10
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    phone_page.screenshot(path="/tmp/rectify-otp-codes-phone.png", full_page=True)
