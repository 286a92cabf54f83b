"""The second factor (django-otp): who needs it, enrolment, verification, recovery codes, reset.

A user needs a second factor when `OTP_ENFORCE` is on and they hold one of
`OTP_REQUIRED_ROLES` anywhere (staff and superusers count as administrators), or when they
have enrolled a device of their own accord. Each account has at most one TOTP device (the
authenticator app) and one static device holding single-use recovery codes. Every success,
failure, enrolment and reset goes to the audit trail; the codes themselves never do.

Verification deliberately does not raise from inside its transaction: django-otp's throttle
counter and the audit event of a failed try must be committed, not rolled back with the error.
"""

from __future__ import annotations

import re
from base64 import b32encode
from dataclasses import dataclass
from typing import TYPE_CHECKING

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import roles_of
from .audit import audit_record
from .models import AuditVerb, Role, User

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django_otp.models import Device

    from rectify.models import AnyUser

OTP_CODE_INVALID = "验证码不正确或已过期，请查看验证器应用中当前的 6 位数字后重试。"
OTP_RECOVERY_INVALID = "恢复码不正确或已使用过。"
OTP_THROTTLED = "尝试次数过多，请 {seconds} 秒后再试。"
OTP_NOT_ENROLLED = "该账号尚未启用两步验证。"
OTP_ALREADY_ENROLLED = "该账号已启用两步验证；如需更换手机，请联系系统管理员重置。"
OTP_RESET_SELF = "不能重置自己的两步验证：须由另一名系统管理员操作。"
OTP_RESET_REASON_REQUIRED = "请填写重置原因。"

_TOTP_NAME = "验证器应用"
_STATIC_NAME = "恢复码"
_TOTP_SHAPE = re.compile(r"^\d{6}$")
_REQUEST_CACHE = "_rectify_otp_required"


class OtpError(Exception):
    """A second-factor step that failed; `message` is shown to the user as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def otp_required_roles_held(user: AnyUser) -> bool:
    """True when the user holds a role for which the second factor is compulsory."""
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return True
    required = set(settings.OTP_REQUIRED_ROLES) | {Role.ADMIN}
    return bool(roles_of(user) & required)


def otp_has_device(user: AnyUser) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def otp_required_for(user: AnyUser) -> bool:
    """Whether `user` must pass a second factor before any page (cached per user object).

    Nobody is asked while `OTP_ENFORCE` is off (the demo). With it on: the privileged roles,
    and anyone who enrolled voluntarily (they asked for the protection)."""
    if not getattr(user, "is_authenticated", False) or not settings.OTP_ENFORCE:
        return False
    cached = getattr(user, _REQUEST_CACHE, None)
    if cached is None:
        cached = otp_required_roles_held(user) or otp_has_device(user)
        setattr(user, _REQUEST_CACHE, cached)
    return cached


def otp_is_verified(user: AnyUser) -> bool:
    """True when this session passed a second factor (django-otp's OTPMiddleware)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


@dataclass(frozen=True)
class OtpStatus:
    enrolled: bool
    enrolled_at: object
    recovery_left: int


def otp_status_of(user: AnyUser) -> OtpStatus:
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return OtpStatus(
        enrolled=device is not None,
        enrolled_at=device.created_at if device else None,
        recovery_left=left,
    )


# --- enrolment ---------------------------------------------------------------------


def otp_pending_device(*, user: User) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled (created on first call, then reused so a
    page reload shows the same QR code). Refused when the user is already enrolled."""
    if otp_has_device(user):
        raise OtpError(OTP_ALREADY_ENROLLED)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_TOTP_NAME, confirmed=False)
    return device


def otp_secret_text(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app that cannot scan."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def otp_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI as an inline SVG QR code, drawn here: nothing leaves the server."""
    qr = segno.make(device.config_url, error="l")  # a screen is not a damaged print
    # A viewBox without a fixed size, so CSS scales it to the screen; the standard 4-module
    # quiet zone so phone cameras find it.
    return qr.svg_inline(omitsize=True, border=4, dark="#000", light="#fff", title="两步验证二维码")


def _new_recovery_codes(device: StaticDevice) -> list[str]:
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.OTP_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def otp_enrol_confirm(*, user: User, code: str, request: HttpRequest | None = None) -> list[str]:
    """Confirm the pending TOTP device with a code from the app; create the recovery codes
    and mark this session verified. Returns the recovery codes (to be shown once only)."""
    code = (code or "").strip().replace(" ", "")
    with transaction.atomic():
        device = otp_pending_device(user=user)
        allowed, info = device.verify_is_allowed()
        ok = allowed and bool(_TOTP_SHAPE.match(code)) and device.verify_token(code)
        if ok:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            # One device of each kind: leftovers of abandoned enrolments go.
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            static, _created = StaticDevice.objects.get_or_create(
                user=user, defaults={"name": _STATIC_NAME, "confirmed": True}
            )
            codes = _new_recovery_codes(static)
            audit_record(
                actor=user,
                verb=AuditVerb.CREATE,
                action="rectify.user.otp_enrolled",
                target=user,
                data={"recovery_codes": len(codes)},
                request=request,
            )
        else:
            if allowed and not _TOTP_SHAPE.match(code):
                device.throttle_increment()
            audit_record(
                actor=user,
                verb=AuditVerb.LOGIN_FAILED,
                action="rectify.user.otp_enrol_failed",
                target=user,
                data={"throttled": not allowed},
                request=request,
            )
    if not ok:
        raise OtpError(_throttle_message(info) if not allowed else OTP_CODE_INVALID)
    _mark_verified(request, device)
    return codes


# --- verification ------------------------------------------------------------------


def _throttle_message(info: dict | None) -> str:
    until = (info or {}).get("locked_until")
    seconds = max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 1
    return OTP_THROTTLED.format(seconds=seconds)


def _mark_verified(request: HttpRequest | None, device: Device) -> None:
    if request is None:
        return
    # A new session key at the privilege step, as at login (no session fixation).
    request.session.cycle_key()
    django_otp.login(request, device)


def otp_verify(*, user: User, code: str, request: HttpRequest | None = None) -> str:
    """Check a TOTP code (six digits) or a recovery code; on success mark the session
    verified and return the method ("totp" or "recovery"). Raises OtpError otherwise.

    Each device throttles its own failures (django-otp: 1, 2, 4 ... seconds), and a code is
    tried against one device only, chosen by its shape, so a guess counts once."""
    code = (code or "").strip().replace(" ", "").replace("-", "").lower()
    method = "totp" if _TOTP_SHAPE.match(code) else "recovery"
    model = TOTPDevice if method == "totp" else StaticDevice
    message = ""
    with transaction.atomic():
        if not otp_has_device(user):
            raise OtpError(OTP_NOT_ENROLLED)
        device = model.objects.devices_for_user(user, confirmed=True).select_for_update().first()
        allowed, info = device.verify_is_allowed() if device else (False, None)
        ok = device is not None and allowed and device.verify_token(code)
        data: dict = {"method": method}
        if ok and method == "recovery":
            data["recovery_left"] = device.token_set.count()
        if not ok:
            data["throttled"] = device is not None and not allowed
            if device is None:
                message = OTP_RECOVERY_INVALID
            elif not allowed:
                message = _throttle_message(info)
            else:
                message = OTP_CODE_INVALID if method == "totp" else OTP_RECOVERY_INVALID
        audit_record(
            actor=user,
            verb=AuditVerb.LOGIN if ok else AuditVerb.LOGIN_FAILED,
            action="rectify.user.otp_verified" if ok else "rectify.user.otp_failed",
            target=user,
            data=data,
            request=request,
        )
    if not ok:
        raise OtpError(message)
    _mark_verified(request, device)
    return method


@transaction.atomic
def otp_recovery_regenerate(*, user: User, request: HttpRequest | None = None) -> list[str]:
    """Replace the user's recovery codes (the old ones stop working). Enrolled users only."""
    if not otp_has_device(user):
        raise OtpError(OTP_NOT_ENROLLED)
    static, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": _STATIC_NAME, "confirmed": True}
    )
    codes = _new_recovery_codes(static)
    audit_record(
        actor=user,
        verb=AuditVerb.CHANGE,
        action="rectify.user.otp_recovery_regenerated",
        target=user,
        data={"recovery_codes": len(codes)},
        request=request,
    )
    return codes


# --- reset by an administrator -----------------------------------------------------


@transaction.atomic
def otp_devices_reset(
    *, user: User, actor: User, reason: str, request: HttpRequest | None = None
) -> int:
    """Remove all second-factor devices of `user` so they enrol afresh at next login (lost
    phone). Only another administrator may do it, with a recorded reason. Returns the number
    of devices removed."""
    reason = (reason or "").strip()
    if actor is not None and actor.pk == user.pk:
        raise OtpError(OTP_RESET_SELF)
    if not reason:
        raise OtpError(OTP_RESET_REASON_REQUIRED)
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        _total, per_model = model.objects.filter(user=user).delete()
        removed += per_model.get(model._meta.label, 0)  # not the cascaded recovery codes
    audit_record(
        actor=actor,
        verb=AuditVerb.DELETE,
        action="rectify.user.otp_reset",
        target=user,
        data={"user": user.username, "reason": reason[:500], "removed": removed},
        request=request,
    )
    return removed
