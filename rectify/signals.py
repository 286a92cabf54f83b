"""Logins, logouts and failed logins go to the audit trail."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import audit_record
from .models import AuditVerb


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, verb=AuditVerb.LOGIN, action="rectify.user.login", request=request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(
            actor=user, verb=AuditVerb.LOGOUT, action="rectify.user.logout", request=request
        )


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit_record(
        actor=None,
        verb=AuditVerb.LOGIN_FAILED,
        action="rectify.user.login_failed",
        data={"username": str(credentials.get("username", ""))[:150]},
        request=request,
    )
