"""Problem-list items (问题清单, R1–R3): creation, edits, stable numbers, and generation from
a lead or a self-check declaration (生成整改问题). Status is never written here: it moves
only through remediation.workflow.item_transition.

An item made from a lead or a declaration links its source but copies none of its content:
the office writes the description, so the item page can be shown to people who may not
see the lead (its reporter and its text stay in leads)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify import figures
from rectify.audit import audit_record
from rectify.models import AuditVerb, Officer, Unit

from ..audit import ITEM_CHANGED, ITEM_CREATED
from ..models import Item, ItemOrigin, Plan
from ..workflow import RemediationError

if TYPE_CHECKING:
    # leads.Lead and selfcheck.SelfCheckReport: remediation reaches those apps only
    # through their ports, so the type names are aliases, not imports.
    from django.db.models import Model as Lead
    from django.db.models import Model as SelfCheckReport
    from django.http import HttpRequest

    from rectify.models import AnyUser

NUMBER_PREFIX = "ZG"
NUMBER_TAKEN = _("问题编号“%(number)s”已被使用")
RESPONSIBLE_UNIT_OUTSIDE = _("责任单位须为方案所属单位或其下级单位")
SOURCE_MISMATCH = _("问题来源与来源对象不一致")

# Fields an edit may change (not the plan, the number, the origin or the source).
ITEM_FIELDS = (
    "description",
    "kind",
    "is_hotspot",
    "is_blocking",
    "is_difficulty",
    "cause_ideals",
    "cause_purpose",
    "cause_party_spirit",
    "cause_discipline",
    "responsible_unit",
    "responsible_person",
    "deadline",
)


class ItemError(RemediationError):
    pass


def item_number_prefix(unit: Unit, year: int) -> str:
    return f"{NUMBER_PREFIX}-{unit.code}-{year}-"


def item_next_number(*, unit: Unit, year: int | None = None) -> str:
    """The next free number `ZG-<unit code>-<year>-<seq>` (seq from 0001, per unit and
    year). Callers hold the unit's row lock (item_create), so two creations never draw
    the same number; longest-then-greatest finds the last one past 9999 too."""
    year = year or timezone.localdate().year
    prefix = item_number_prefix(unit, year)
    last = (
        Item.objects.filter(number__startswith=prefix)
        .annotate(n=Length("number"))
        .order_by("-n", "-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = 1
    if last:
        tail = last[len(prefix) :]
        seq = int(tail) + 1 if tail.isdigit() else 1
    return f"{prefix}{seq:04d}"


def _check_item(item: Item) -> None:
    if not item.responsible_unit.is_within(item.plan.unit):
        raise ItemError(RESPONSIBLE_UNIT_OUTSIDE)
    try:
        item.full_clean(
            exclude=[
                "plan",
                "unit",
                "responsible_unit",
                "responsible_person",
                "source_lead",
                "source_report",
                "escalated_to",
                "number",
            ]
        )
    except ValidationError as exc:
        raise ItemError("；".join(exc.messages)) from exc


@transaction.atomic
def item_create(
    *,
    plan: Plan,
    actor: AnyUser,
    description: str,
    kind: str,
    origin: str,
    deadline: dt.date,
    responsible_unit: Unit | None = None,
    responsible_person: Officer | None = None,
    is_hotspot: bool = False,
    is_blocking: bool = False,
    is_difficulty: bool = False,
    cause_ideals: str = "",
    cause_purpose: str = "",
    cause_party_spirit: str = "",
    cause_discipline: str = "",
    subjects: Iterable[Officer] = (),
    source_lead: Lead | None = None,
    source_report: SelfCheckReport | None = None,
    source_item_key: str = "",
    number: str = "",
    request: HttpRequest | None = None,
) -> Item:
    """Add an item to `plan` (the caller checked can_manage_plans_of / generation rights)."""
    if source_lead is not None and origin != ItemOrigin.LEAD:
        raise ItemError(SOURCE_MISMATCH)
    if source_report is not None and origin != ItemOrigin.SELFCHECK:
        raise ItemError(SOURCE_MISMATCH)
    # The unit row is the lock that serialises numbering within the unit.
    unit = Unit.objects.select_for_update().get(pk=plan.unit_id)
    number = number.strip() or item_next_number(unit=unit)
    if Item.objects.filter(number=number).exists():
        raise ItemError(NUMBER_TAKEN % {"number": number})
    now = timezone.now()
    item = Item(
        plan=plan,
        unit=plan.unit,
        number=number,
        description=description.strip(),
        kind=kind,
        is_hotspot=is_hotspot,
        is_blocking=is_blocking,
        is_difficulty=is_difficulty,
        origin=origin,
        source_lead=source_lead,
        source_report=source_report,
        source_item_key=source_item_key,
        cause_ideals=cause_ideals.strip(),
        cause_purpose=cause_purpose.strip(),
        cause_party_spirit=cause_party_spirit.strip(),
        cause_discipline=cause_discipline.strip(),
        responsible_unit=responsible_unit or plan.unit,
        responsible_person=responsible_person,
        deadline=deadline,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
        updated_at=now,
    )
    _check_item(item)
    item.save()
    figures.touch("rm", [item.unit_id])
    subjects = list(subjects)
    if subjects:
        item.subjects.set(subjects)
    audit_record(
        actor=actor,
        action=ITEM_CREATED,
        verb=AuditVerb.CREATE,
        target=item,
        data={
            "number": number,
            "plan": plan.pk,
            "origin": origin,
            "source_lead": source_lead.pk if source_lead else None,
            "source_report": source_report.pk if source_report else None,
            "source_item_key": source_item_key,
        },
        request=request,
    )
    return item


@transaction.atomic
def item_update(
    *,
    item: Item,
    actor: AnyUser,
    subjects: Iterable[Officer] | None = None,
    request: HttpRequest | None = None,
    **changes: object,
) -> Item:
    """Change the item's own fields (ITEM_FIELDS) and, if given, its subjects."""
    changed = []
    for name in ITEM_FIELDS:
        if name in changes:
            value = changes[name]
            if isinstance(value, str):
                value = value.strip()
            if getattr(item, name) != value:
                setattr(item, name, value)
                changed.append(name)
    _check_item(item)
    if subjects is not None:
        wanted = {o.pk for o in subjects}
        if wanted != set(item.subjects.values_list("pk", flat=True)):
            item.subjects.set(list(subjects))
            changed.append("subjects")
    if changed:
        item.updated_at = timezone.now()
        item.save()
        figures.touch("rm", [item.unit_id])
        audit_record(
            actor=actor,
            action=ITEM_CHANGED,
            verb=AuditVerb.CHANGE,
            target=item,
            data={"fields": changed},
            request=request,
        )
    return item
