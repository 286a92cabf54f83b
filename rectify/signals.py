"""Logins, logouts and failed logins go to the audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import audit_record
from .models import AuditVerb

if TYPE_CHECKING:
    from typing import Any

    from django.db.models import Model
    from django.http import HttpRequest

    from rectify.models import AnyUser


@receiver(user_logged_in)
def _logged_in(sender: type[Model], request: HttpRequest | None, user: AnyUser, **kwargs):
    audit_record(actor=user, verb=AuditVerb.LOGIN, action="rectify.user.login", request=request)


@receiver(user_logged_out)
def _logged_out(sender: type[Model], request: HttpRequest | None, user: AnyUser, **kwargs):
    if user is not None:
        audit_record(
            actor=user, verb=AuditVerb.LOGOUT, action="rectify.user.logout", request=request
        )


@receiver(user_login_failed)
def _login_failed(
    sender: type[Model], credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs
):
    audit_record(
        actor=None,
        verb=AuditVerb.LOGIN_FAILED,
        action="rectify.user.login_failed",
        data={"username": str(credentials.get("username", ""))[:150]},
        request=request,
    )
