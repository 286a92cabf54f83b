"""Writes of the organisation model (accounts, role assignments), each one audited.

Bulk writes of a whole workbook live in rectify/importers.py (one audit event per import);
these are the single-object operations an administrator or a command performs.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .audit import audit_record
from .models import AuditVerb, Office, Officer, Role, RoleAssignment, Unit, User

if TYPE_CHECKING:
    from django.http import HttpRequest

    from rectify.models import AnyUser

ROLE_SELF_ASSIGN = "不能给自己分配或修改角色：须由另一名管理员操作。"

# No 0/O/1/l/I: initial passwords are read off a screen or a sheet of paper.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def initial_password_generate(length: int = 12) -> str:
    """A random initial password (shown once, changed at first login)."""
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))


@transaction.atomic
def officer_create_account(
    *,
    officer: Officer,
    username: str = "",
    password: str = "",
    must_change: bool = True,
    actor: AnyUser | str | None = None,
    request: HttpRequest | None = None,
) -> tuple[User, str]:
    """Create the login of `officer` (username defaults to the officer number) with role
    officer on the officer's own unit. Returns (user, password); the password is random when
    none is given and must be shown to the administrator once — it is stored only hashed."""
    if officer.user_id is not None:
        raise ValidationError({"officer": "该干警已有登录账号"})
    username = username or officer.number
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": "用户名已被占用"})
    password = password or initial_password_generate()
    user = User(username=username, first_name=officer.name, must_change_password=must_change)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    officer.user = user
    officer.save(update_fields=["user"])
    RoleAssignment.objects.get_or_create(user=user, role=Role.OFFICER, unit_id=officer.unit_id)
    audit_record(
        actor=actor,
        verb=AuditVerb.CREATE,
        action="rectify.user.created",
        target=user,
        data={"officer": officer.number, "must_change_password": must_change},
        request=request,
    )
    return user, password


def role_refuse_self_assignment(
    *, actor: AnyUser | str | None, user: User, role: str = "", request: HttpRequest | None = None
) -> None:
    """Nobody grants or changes a role of their own (a superuser once gave themself the
    intake role and revealed a reporter): a second person must do it. The refusal is
    audited; raises ValidationError(ROLE_SELF_ASSIGN). The admin, the services and the
    importers all call this one check."""
    actor_pk = getattr(actor, "pk", None)
    if actor_pk is None or not getattr(actor, "is_authenticated", False):
        return  # commands and seeding act as the system, not as a person
    if actor_pk != getattr(user, "pk", user):
        return
    audit_record(
        actor=actor,
        verb=AuditVerb.OTHER,
        action="rectify.roleassignment.self_refused",
        object_type="rectify.user",
        object_id=actor_pk,
        data={"role": str(role)},
        request=request,
    )
    raise ValidationError(ROLE_SELF_ASSIGN)


def role_assign(
    *,
    user: User,
    role: str,
    unit: Unit,
    office: Office | None = None,
    actor: AnyUser | str | None,
    request: HttpRequest | None = None,
) -> RoleAssignment:
    """Give `user` the `role` over the subtree of `unit` (idempotent). Refused (and audited)
    when `actor` is `user`; the check runs before the write's transaction so that the
    refusal's audit event is not rolled back with it."""
    role_refuse_self_assignment(actor=actor, user=user, role=role, request=request)
    return _role_assign(
        user=user, role=role, unit=unit, office=office, actor=actor, request=request
    )


@transaction.atomic
def _role_assign(
    *,
    user: User,
    role: str,
    unit: Unit,
    office: Office | None,
    actor: AnyUser | str | None,
    request: HttpRequest | None,
) -> RoleAssignment:
    if role not in Role.values:
        raise ValidationError({"role": f"未知角色：{role}"})
    if role in (Role.INTAKE, Role.OFFICE) and office is None:
        office = Office.objects.filter(jurisdiction=unit).first()
    assignment = RoleAssignment.objects.filter(user=user, role=role, unit=unit).first()
    if assignment is not None:
        if office is not None and assignment.office_id != office.pk:
            assignment.office = office
            assignment.full_clean()
            assignment.save(update_fields=["office"])
            audit_record(
                actor=actor,
                verb=AuditVerb.CHANGE,
                action="rectify.roleassignment.changed",
                target=assignment,
                data={"user": user.username, "role": role, "unit": unit.code},
                request=request,
            )
        return assignment
    assignment = RoleAssignment(user=user, role=role, unit=unit, office=office)
    assignment.full_clean()
    assignment.save()
    audit_record(
        actor=actor,
        verb=AuditVerb.CREATE,
        action="rectify.roleassignment.created",
        target=assignment,
        data={
            "user": user.username,
            "role": role,
            "unit": unit.code,
            "office": office.short_name if office else "",
        },
        request=request,
    )
    return assignment


@transaction.atomic
def role_revoke(
    *, assignment: RoleAssignment, actor: AnyUser | str | None, request: HttpRequest | None = None
) -> None:
    data = {
        "user": assignment.user.username,
        "role": assignment.role,
        "unit": assignment.unit.code,
    }
    object_id = assignment.pk
    assignment.delete()
    audit_record(
        actor=actor,
        verb=AuditVerb.DELETE,
        action="rectify.roleassignment.deleted",
        object_type="rectify.roleassignment",
        object_id=object_id,
        data=data,
        request=request,
    )


@transaction.atomic
def login_records_purge(*, now: datetime | None = None) -> dict[str, int]:
    """Delete staff login records (axes: address, browser, time) past AXES_RETENTION_DAYS.

    Failed-attempt counters younger than the lockout's cool-off are kept whatever the
    retention, so purging never lifts a running lockout. Audited when anything went.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.AXES_RETENTION_DAYS)
    attempts_cutoff = min(cutoff, now - settings.AXES_COOLOFF_TIME)
    counts = {
        "access_logs": AccessLog.objects.filter(attempt_time__lt=cutoff).delete()[0],
        "failure_logs": AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()[0],
        "attempts": AccessAttempt.objects.filter(attempt_time__lt=attempts_cutoff).delete()[0],
    }
    if any(counts.values()):
        audit_record(
            actor=None,
            verb=AuditVerb.DELETE,
            action="rectify.login_records.purged",
            data={**counts, "retention_days": settings.AXES_RETENTION_DAYS},
        )
    return counts
