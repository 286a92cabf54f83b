"""Risk notes (L11) and accountability measures (L10)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from rectify.audit import audit_record
from rectify.models import AuditVerb, Officer, Unit

from ..audit import ACCOUNTABILITY_CREATED, RISKNOTE_CREATED
from ..models import (
    Accountability,
    AccountabilityMeasure,
    EventKind,
    Lead,
    RiskLevel,
    RiskNote,
)
from ..workflow import LeadWorkflowError, lock
from .common import _ensure_writable, _event, _required, _touch

if TYPE_CHECKING:
    from django.http import HttpRequest

    from rectify.models import User

RISK_LEVEL = _("请选择风险等级（低、中、高）")
RISK_ABOUT_ONE = _("风险研判须针对一条线索或一名干警（二者选一）")
RISK_ABOUT_SELF = _("不能对本人作风险研判")
EMPTY_ASSESSMENT = _("请填写研判意见")
NO_PERSON = _("请填写被问责人")
BAD_MEASURE = _("请选择问责方式")


# --- L11: risk notes (风险研判) -------------------------------------------------------------


@transaction.atomic
def risk_note_add(
    *,
    actor: User,
    level: str,
    text: str,
    measures: str = "",
    lead: Lead | None = None,
    officer: Officer | None = None,
    request: HttpRequest | None = None,
) -> RiskNote:
    """A risk assessment about one lead or one officer (never both: a note on an officer is
    read by office staff and leaders of the officer's subtree, who need not see the lead)."""
    if (lead is None) == (officer is None):
        raise LeadWorkflowError(RISK_ABOUT_ONE)
    if level not in RiskLevel.values:
        raise LeadWorkflowError(RISK_LEVEL)
    text = _required(text, EMPTY_ASSESSMENT)
    if officer is not None and officer.user_id and officer.user_id == getattr(actor, "pk", None):
        raise LeadWorkflowError(RISK_ABOUT_SELF)
    if lead is not None:
        lead = lock(lead)
        _ensure_writable(lead)
    note = RiskNote(
        lead=lead,
        officer=officer,
        level=level,
        text=text,
        measures=(measures or "").strip(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    note.full_clean()
    note.save()
    if lead is not None:
        event_text = _("【%(level)s风险】%(text)s") % {
            "level": note.get_level_display(),
            "text": text,
        }
        if note.measures:
            event_text += "\n" + _("防控措施：%(m)s") % {"m": note.measures}
        _event(
            lead,
            kind=EventKind.RISK,
            actor=actor,
            text=event_text,
            data={"note": note.pk, "level": level},
        )
        _touch(lead)
    audit_record(
        actor=actor,
        action=RISKNOTE_CREATED,
        verb=AuditVerb.CREATE,
        target=note,
        data={
            "lead": lead.pk if lead else None,
            "officer": officer.pk if officer else None,
            "level": level,
        },
        request=request,
    )
    return note


# --- L10: accountability (追责问责) ----------------------------------------------------------


@transaction.atomic
def accountability_add(
    *,
    lead: Lead,
    actor: User,
    measure: str,
    reason: str,
    officer: Officer | None = None,
    person_name: str = "",
    unit: Unit | None = None,
    request: HttpRequest | None = None,
) -> Accountability:
    """Attach 追责问责 to a lead: who (an officer on the register, or a name), their unit, the
    measure and the reason. Allowed on concluded and archived leads too: accountability for
    a lead that was neglected often follows its conclusion, and it adds a record without
    changing the archived conclusion."""
    if measure not in AccountabilityMeasure.values:
        raise LeadWorkflowError(BAD_MEASURE)
    reason = _required(reason)
    name = (officer.name if officer else "") or (person_name or "").strip()
    if not name:
        raise LeadWorkflowError(NO_PERSON)
    if unit is None and officer is not None:
        unit = officer.unit
    lead = lock(lead)
    record = Accountability(
        lead=lead,
        officer=officer,
        person_name=name,
        unit=unit,
        measure=measure,
        reason=reason,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record.full_clean()
    record.save()
    _event(
        lead,
        kind=EventKind.ACCOUNTABILITY,
        actor=actor,
        text=_("%(name)s（%(unit)s）：%(measure)s。事由：%(reason)s")
        % {
            "name": name,
            "unit": unit.name if unit else "—",
            "measure": record.get_measure_display(),
            "reason": reason,
        },
        data={"accountability": record.pk, "measure": measure},
    )
    audit_record(
        actor=actor,
        action=ACCOUNTABILITY_CREATED,
        verb=AuditVerb.CREATE,
        target=record,
        data={
            "lead": lead.pk,
            "officer": officer.pk if officer else None,
            "unit": unit.pk if unit else None,
            "measure": measure,
        },
        request=request,
    )
    return record
