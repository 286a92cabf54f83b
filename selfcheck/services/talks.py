"""Heart-to-heart talk records and their corrections (S1)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from rectify.audit import audit_record
from rectify.models import AuditVerb, Campaign, Officer

from .. import audit
from ..errors import (
    TALK_CORRECTION_NEEDS_REASON,
    TALK_CORRECTION_NO_CHANGE,
    TALK_DATE_FUTURE,
    SelfCheckError,
)
from ..models import (
    DEFAULT_TALK_TRIGGERS,
    Talk,
    TalkCorrection,
    TalkTrigger,
)


def talk_triggers_ensure() -> None:
    """The default "six must-talk" triggers, editable afterwards in the admin."""
    for order, (code, name) in enumerate(DEFAULT_TALK_TRIGGERS, start=1):
        TalkTrigger.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def _talk_date_checked(talked_on: dt.date) -> dt.date:
    # A talk is recorded after it took place; a future date would count in coverage.
    if talked_on > timezone.localdate():
        raise SelfCheckError(str(TALK_DATE_FUTURE))
    return talked_on


@transaction.atomic
def talk_record(
    *,
    campaign: Campaign,
    officer: Officer,
    talker: Officer,
    talked_on: dt.date,
    trigger: TalkTrigger,
    points: str,
    follow_up: str = "",
    actor: AbstractBaseUser | None,
) -> Talk:
    """Record a heart-to-heart talk. The caller has checked that both officers are in the
    actor's scope (selfcheck.access.talk_officers_visible_to / officers_visible_to)."""
    talk = Talk(
        campaign=campaign,
        officer=officer,
        talker=talker,
        talked_on=_talk_date_checked(talked_on),
        trigger=trigger,
        points=points,
        follow_up=follow_up,
        recorded_by=actor,
    )
    talk.full_clean()
    talk.save()
    audit_record(actor=actor, action=audit.TALK_RECORDED, verb=AuditVerb.CREATE, target=talk)
    return talk


def _talk_shown(name: str, value: object) -> str:
    """A field's value as users read it (kept in the correction history)."""
    if value is None:
        return ""
    if name in ("officer", "talker"):
        return f"{value.name}（{value.number}）"
    if name == "talked_on":
        return value.isoformat()
    return str(value)


TALK_CORRECTABLE = ("officer", "talker", "talked_on", "trigger", "points", "follow_up")


@transaction.atomic
def talk_correct(
    *, talk: Talk, actor: AbstractBaseUser | None, reason: str, **changes: object
) -> Talk:
    """Correct a talk record with a reason; old and new values are kept (TalkCorrection)
    and audited. `changes` holds new values of TALK_CORRECTABLE fields; unchanged ones are
    ignored. The caller has checked the talk and new officers are in the actor's scope."""
    talk = (
        # lock the talk row only: PostgreSQL refuses FOR UPDATE on the nullable talker join
        Talk.objects.select_for_update(of=("self",))
        .select_related("officer", "talker", "trigger")
        .get(pk=talk.pk)
    )
    reason = (reason or "").strip()
    if not reason:
        raise SelfCheckError(str(TALK_CORRECTION_NEEDS_REASON))
    diff: dict[str, dict[str, str]] = {}
    for name in TALK_CORRECTABLE:
        if name not in changes:
            continue
        new = changes[name]
        old = getattr(talk, name)
        if old == new:
            continue
        if name == "talked_on":
            _talk_date_checked(new)
        # a record from before talkers were officers shows its typed name
        legacy = name == "talker" and old is None
        diff[str(Talk._meta.get_field(name).verbose_name)] = {
            "old": talk.talker_name if legacy else _talk_shown(name, old),
            "new": _talk_shown(name, new),
        }
        setattr(talk, name, new)
    if not diff:
        raise SelfCheckError(str(TALK_CORRECTION_NO_CHANGE))
    if talk.talker_id:
        talk.talker_name = ""
    talk.full_clean()
    talk.save()
    correction = TalkCorrection(talk=talk, reason=reason, changes=diff, corrected_by=actor)
    correction.full_clean()
    correction.save()
    audit_record(
        actor=actor,
        action=audit.TALK_CORRECTED,
        verb=AuditVerb.CHANGE,
        target=talk,
        data={"reason": reason, "changes": diff},
    )
    return talk
