"""Rules produced by remediation (制度规范, R7): create, edit, issue, repeal.

Office staff of the issuing unit's subtree write them. A rule may revise an earlier,
issued rule of a unit they manage; issuing the revision marks the earlier one revised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify import figures
from rectify.audit import audit_record
from rectify.models import AnyUser, AuditVerb, Unit

from .. import audit
from ..access import can_manage_rules_of
from ..models import Item, Rule, RuleStatus
from ..workflow import RemediationError
from .documents import document_store


class RuleError(RemediationError):
    pass


RULE_NOT_YOURS = _("您不是该单位的办公室工作人员，不能编辑其制度规范")
RULE_NOT_DRAFT = _("只有草稿状态的制度可以修改")
RULE_NOT_ISSUABLE = _("只有草稿状态的制度可以印发")
RULE_NOT_REPEALABLE = _("只有已印发的制度可以废止")
RULE_REVISES_NOT_ISSUED = _("被修订的原制度须为已印发状态")
RULE_REVISES_SELF = _("制度不能修订其本身")
RULE_REVISES_OUT_OF_SCOPE = _("被修订的原制度须为您管辖范围内单位的制度")
RULE_ISSUE_NEEDS_DATE = _("印发前请填写印发日期")
RULE_DATE_IN_FUTURE = _("印发日期不能晚于今天")


def _check_revises(actor: AnyUser, rule: Rule, revises: Rule | None) -> None:
    if revises is None:
        return
    if rule.pk and revises.pk == rule.pk:
        raise RuleError(RULE_REVISES_SELF)
    if not can_manage_rules_of(actor, revises.unit):
        raise RuleError(RULE_REVISES_OUT_OF_SCOPE)
    if revises.status != RuleStatus.ISSUED:
        raise RuleError(RULE_REVISES_NOT_ISSUED)


def _check_date(issued_on: dt.date | None) -> None:
    if issued_on and issued_on > timezone.localdate():
        raise RuleError(RULE_DATE_IN_FUTURE)


@transaction.atomic
def rule_create(
    *,
    actor: AnyUser,
    unit: Unit,
    title: str,
    issued_on: dt.date | None = None,
    summary: str = "",
    items: Iterable[Item] = (),
    revises: Rule | None = None,
    upload: UploadedFile | None = None,
    issue: bool = False,
    request: object = None,
) -> Rule:
    """A draft rule of `unit`, issued at once when `issue` (which needs the date)."""
    if not can_manage_rules_of(actor, unit):
        raise RuleError(RULE_NOT_YOURS)
    rule = Rule(
        unit=unit,
        title=title,
        issued_on=issued_on,
        summary=summary,
        revises=revises,
        created_by=actor,
    )
    _check_revises(actor, rule, revises)
    _check_date(issued_on)
    if upload:
        rule.document = document_store(upload=upload, actor=actor)
    rule.full_clean()
    rule.save()
    figures.touch("rm", [rule.unit_id])
    rule.items.set(list(items))
    audit_record(
        actor=actor,
        action=audit.RULE_CREATED,
        verb=AuditVerb.CREATE,
        target=rule,
        data={"unit": unit.pk, "items": [i.pk for i in items], "revises": rule.revises_id},
        request=request,  # type: ignore[arg-type]
    )
    if issue:
        rule = rule_issue(rule=rule, actor=actor, request=request)
    return rule


@transaction.atomic
def rule_update(
    *,
    rule: Rule,
    actor: AnyUser,
    title: str,
    issued_on: dt.date | None,
    summary: str,
    items: Iterable[Item],
    revises: Rule | None = None,
    upload: UploadedFile | None = None,
    request: object = None,
) -> Rule:
    """Edit a draft (what was issued stays as issued: revise it with a new rule). The item
    links may change in any state: a later item may show the rule covers it too."""
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    if not can_manage_rules_of(actor, rule.unit):
        raise RuleError(RULE_NOT_YOURS)
    items = list(items)
    changed = ["items"]
    if rule.status == RuleStatus.DRAFT:
        _check_revises(actor, rule, revises)
        _check_date(issued_on)
        rule.title, rule.issued_on, rule.summary, rule.revises = title, issued_on, summary, revises
        changed += ["title", "issued_on", "summary", "revises"]
        if upload:
            rule.document = document_store(upload=upload, actor=actor)
            changed.append("document")
        rule.full_clean()
        rule.save()
    elif (title, issued_on, summary, getattr(revises, "pk", None), upload) != (
        rule.title,
        rule.issued_on,
        rule.summary,
        rule.revises_id,
        None,
    ):
        raise RuleError(RULE_NOT_DRAFT)
    rule.items.set(items)
    audit_record(
        actor=actor,
        action=audit.RULE_UPDATED,
        verb=AuditVerb.CHANGE,
        target=rule,
        data={"fields": changed, "items": [i.pk for i in items]},
        request=request,  # type: ignore[arg-type]
    )
    return rule


@transaction.atomic
def rule_issue(*, rule: Rule, actor: AnyUser, request: object = None) -> Rule:
    """印发: draft → issued; the rule it revises becomes revised (one transaction)."""
    rule = Rule.objects.select_for_update().select_related("unit").get(pk=rule.pk)
    if not can_manage_rules_of(actor, rule.unit):
        raise RuleError(RULE_NOT_YOURS)
    if rule.status != RuleStatus.DRAFT:
        raise RuleError(RULE_NOT_ISSUABLE)
    if not rule.issued_on:
        raise RuleError(RULE_ISSUE_NEEDS_DATE)
    if rule.revises_id:
        earlier = Rule.objects.select_for_update().select_related("unit").get(pk=rule.revises_id)
        _check_revises(actor, rule, earlier)
        earlier.status = RuleStatus.REVISED
        earlier.save(update_fields=["status"])
        figures.touch("rm", [earlier.unit_id])
        audit_record(
            actor=actor,
            action=audit.RULE_REVISED,
            verb=AuditVerb.CHANGE,
            target=earlier,
            data={"from": RuleStatus.ISSUED, "to": RuleStatus.REVISED, "by": rule.pk},
            request=request,  # type: ignore[arg-type]
        )
    rule.status = RuleStatus.ISSUED
    rule.save(update_fields=["status"])
    figures.touch("rm", [rule.unit_id])
    audit_record(
        actor=actor,
        action=audit.RULE_ISSUED,
        verb=AuditVerb.CHANGE,
        target=rule,
        data={"from": RuleStatus.DRAFT, "to": RuleStatus.ISSUED},
        request=request,  # type: ignore[arg-type]
    )
    return rule


@transaction.atomic
def rule_repeal(*, rule: Rule, actor: AnyUser, request: object = None) -> Rule:
    """废止: an issued rule no longer applies (kept, with its links, for the record)."""
    rule = Rule.objects.select_for_update().select_related("unit").get(pk=rule.pk)
    if not can_manage_rules_of(actor, rule.unit):
        raise RuleError(RULE_NOT_YOURS)
    if rule.status != RuleStatus.ISSUED:
        raise RuleError(RULE_NOT_REPEALABLE)
    rule.status = RuleStatus.REPEALED
    rule.save(update_fields=["status"])
    figures.touch("rm", [rule.unit_id])
    audit_record(
        actor=actor,
        action=audit.RULE_REPEALED,
        verb=AuditVerb.CHANGE,
        target=rule,
        data={"from": RuleStatus.ISSUED, "to": RuleStatus.REPEALED},
        request=request,  # type: ignore[arg-type]
    )
    return rule
