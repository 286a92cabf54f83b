"""Remediation plans (整治方案, R4): one per unit, campaign and chronic problem or "N" item.
Created and edited by office staff of the unit's jurisdiction (checked by the caller with
remediation.access.can_manage_plans_of); each change is audited."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from rectify.audit import audit_record
from rectify.models import AuditVerb

from ..audit import PLAN_CHANGED, PLAN_CREATED
from ..models import Plan
from ..workflow import RemediationError
from .documents import document_store

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

    from rectify.models import AnyUser, Campaign, Officer, Unit

PLAN_EXISTS = _("该单位在本次活动中已有针对该问题的整治方案，请直接在原方案中增加问题")
PLAN_DATES_REVERSED = _("完成时限不能早于开始日期")
PLAN_NEEDS_PROBLEM = _("请选择六大顽瘴痼疾之一，或本单位的一项“N”项问题")

PLAN_FIELDS = ("title", "goal", "measures", "leader", "start_date", "end_date")


class PlanError(RemediationError):
    pass


def _check(plan: Plan) -> None:
    if plan.end_date < plan.start_date:
        raise PlanError(PLAN_DATES_REVERSED)
    if bool(plan.problem) == bool(plan.n_item_id):
        raise PlanError(PLAN_NEEDS_PROBLEM)
    try:
        plan.full_clean(exclude=["campaign", "unit", "n_item", "document", "leader"])
    except ValidationError as exc:
        raise PlanError("；".join(exc.messages)) from exc


def plan_create(
    *,
    actor: AnyUser,
    campaign: Campaign,
    unit: Unit,
    problem: str = "",
    n_item_id: int | None = None,
    title: str,
    goal: str,
    measures: str = "",
    leader: Officer | None = None,
    start_date: dt.date,
    end_date: dt.date,
    upload: UploadedFile | None = None,
    request: HttpRequest | None = None,
) -> Plan:
    plan = Plan(
        campaign=campaign,
        unit=unit,
        problem=problem,
        n_item_id=n_item_id,
        title=title.strip(),
        goal=goal.strip(),
        measures=measures.strip(),
        leader=leader,
        start_date=start_date,
        end_date=end_date,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _check(plan)
    try:
        with transaction.atomic():
            if Plan.objects.filter(
                campaign=campaign, unit=unit, problem=problem, n_item_id=n_item_id
            ).exists():
                raise PlanError(PLAN_EXISTS)
            if upload is not None:
                plan.document = document_store(upload=upload, actor=actor)
            plan.save()
            audit_record(
                actor=actor,
                action=PLAN_CREATED,
                verb=AuditVerb.CREATE,
                target=plan,
                data={"unit": unit.code, "problem": problem or f"n{n_item_id}"},
                request=request,
            )
    except IntegrityError as exc:  # a concurrent twin won the unique constraint
        raise PlanError(PLAN_EXISTS) from exc
    return plan


@transaction.atomic
def plan_update(
    *,
    plan: Plan,
    actor: AnyUser,
    upload: UploadedFile | None = None,
    request: HttpRequest | None = None,
    **changes: object,
) -> Plan:
    """Change the plan's own fields (not its unit or problem); a new upload replaces the
    document (the old file stays in the database: evidence of what was planned)."""
    changed = []
    for name in PLAN_FIELDS:
        if name in changes:
            value = changes[name]
            if isinstance(value, str):
                value = value.strip()
            if getattr(plan, name) != value:
                setattr(plan, name, value)
                changed.append(name)
    _check(plan)
    if upload is not None:
        plan.document = document_store(upload=upload, actor=actor)
        changed.append("document")
    if changed:
        plan.save()
        audit_record(
            actor=actor,
            action=PLAN_CHANGED,
            verb=AuditVerb.CHANGE,
            target=plan,
            data={"fields": changed},
            request=request,
        )
    return plan
