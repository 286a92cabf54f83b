"""Officer rotations (干部交流轮岗, R8): recording one, and applying it to the register.

Applying is one idempotent service, `rotation_apply`: on or after the effective date it
moves the officer (Officer.unit, Officer.position, Officer.post_since) and moves their
OFFICER role assignment to the new unit, so their own self-check follows them (self-check
reports are keyed by officer, and reviewers see them through the officer's unit). Other
roles the officer holds over the old unit are left alone: a rotation page lists them for
the office to act on. It is called when a rotation is recorded with a date of today or
earlier, and daily by `remediation.tasks.rotations_apply_due` for the rest.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify import figures
from rectify.access import forget_assignments
from rectify.audit import audit_record
from rectify.models import AnyUser, AuditVerb, Officer, Role, RoleAssignment, Unit

from .. import audit
from ..access import can_record_rotation
from ..models import Rotation
from ..workflow import RemediationError


class RotationError(RemediationError):
    pass


ROTATION_NOT_YOURS = _(
    "只能由同时管辖原单位和新单位的办公室登记：跨辖区交流请由共同上级的办公室登记"
)
ROTATION_SAME_PLACE = _("新单位和新岗位与现任单位和岗位相同，无需登记")
ROTATION_INACTIVE = _("该干警已不在职，不能登记交流轮岗")
ROTATION_PENDING = _("该干警已有一条尚未生效的交流轮岗记录（%(date)s 生效），请勿重复登记")


@transaction.atomic
def rotation_create(
    *,
    actor: AnyUser,
    officer: Officer,
    to_unit: Unit,
    to_post: str,
    effective_date: dt.date,
    reason: str,
    kind: str,
    today: dt.date | None = None,
    request: object = None,
) -> Rotation:
    """Record a rotation from the officer's current unit and post; applied at once when the
    effective date is today or earlier."""
    officer = Officer.objects.select_for_update().select_related("unit").get(pk=officer.pk)
    if not can_record_rotation(actor, officer.unit, to_unit):
        raise RotationError(ROTATION_NOT_YOURS)
    if not officer.is_active:
        raise RotationError(ROTATION_INACTIVE)
    if officer.unit_id == to_unit.pk and officer.position == to_post.strip():
        raise RotationError(ROTATION_SAME_PLACE)
    pending = Rotation.objects.filter(officer=officer, applied_at__isnull=True).first()
    if pending is not None:
        raise RotationError(ROTATION_PENDING % {"date": pending.effective_date.isoformat()})
    rotation = Rotation(
        officer=officer,
        from_unit=officer.unit,
        from_post=officer.position,
        to_unit=to_unit,
        to_post=to_post.strip(),
        effective_date=effective_date,
        reason=reason,
        kind=kind,
        created_by=actor,
    )
    rotation.full_clean()
    rotation.save()
    figures.touch("rm", [rotation.from_unit_id])
    audit_record(
        actor=actor,
        action=audit.ROTATION_CREATED,
        verb=AuditVerb.CREATE,
        target=rotation,
        data={
            "officer": officer.pk,
            "from": [officer.unit_id, officer.position],
            "to": [to_unit.pk, rotation.to_post],
            "effective": effective_date.isoformat(),
        },
        request=request,  # type: ignore[arg-type]
    )
    today = today or timezone.localdate()
    if effective_date <= today:
        rotation_apply(rotation=rotation, today=today, actor=actor)
        rotation.refresh_from_db()
    return rotation


@transaction.atomic
def rotation_apply(
    *, rotation: Rotation, today: dt.date | None = None, actor: AnyUser | None = None
) -> bool:
    """Move the officer in the register if the rotation is due and not yet applied.
    Returns whether this call applied it. Idempotent: the claim is a filtered update of
    `applied_at`, so two workers (or a retry) never move the officer twice."""
    today = today or timezone.localdate()
    claimed = Rotation.objects.filter(
        pk=rotation.pk, applied_at__isnull=True, effective_date__lte=today
    ).update(applied_at=timezone.now())
    if not claimed:
        return False
    rotation = Rotation.objects.select_related("officer", "from_unit", "to_unit").get(
        pk=rotation.pk
    )
    officer = Officer.objects.select_for_update().get(pk=rotation.officer_id)
    old_unit_id = officer.unit_id
    officer.unit = rotation.to_unit
    officer.position = rotation.to_post
    officer.post_since = rotation.effective_date
    officer.save(update_fields=["unit", "position", "post_since"])
    figures.touch("sc", [old_unit_id, officer.unit_id])
    figures.touch("rm", [rotation.from_unit_id, rotation.to_unit_id])
    moved_role = _move_officer_role(officer, old_unit_id, rotation.to_unit)
    audit_record(
        actor=actor,
        action=audit.ROTATION_APPLIED,
        verb=AuditVerb.CHANGE,
        target=rotation,
        data={
            "officer": officer.pk,
            "from_unit": old_unit_id,
            "to_unit": rotation.to_unit_id,
            "officer_role_moved": moved_role,
        },
    )
    return True


def _move_officer_role(officer: Officer, old_unit_id: int, to_unit: Unit) -> bool:
    """The officer's own OFFICER assignment follows them (their self-check login scope)."""
    if officer.user_id is None:
        return False
    assignments = RoleAssignment.objects.filter(user_id=officer.user_id, role=Role.OFFICER)
    old = assignments.filter(unit_id=old_unit_id)
    if not old.exists():
        return False
    if assignments.filter(unit=to_unit).exists():
        old.delete()
    else:
        old.update(unit=to_unit)
    if officer.user is not None:
        forget_assignments(officer.user)
    return True


def rotations_apply_due(*, today: dt.date | None = None) -> int:
    """Apply every rotation due by `today` (oldest first); the number applied now."""
    today = today or timezone.localdate()
    due = (
        Rotation.objects.filter(applied_at__isnull=True, effective_date__lte=today)
        .order_by("effective_date", "id")
        .values_list("pk", flat=True)
    )
    applied = 0
    for pk in list(due[:5000]):
        applied += rotation_apply(rotation=Rotation(pk=pk), today=today)
    return applied
