"""Reports: the draft, submission into frozen versions, review, audited reads."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rectify import figures
from rectify.audit import audit_record
from rectify.models import AuditVerb, Campaign, Officer

from .. import audit
from ..errors import (
    NOT_EDITABLE,
    RETURN_NEEDS_REASON,
    REVIEW_NOT_SUBMITTED,
    SelfCheckError,
    refuse_too_long,
)
from ..forms.draft import (
    DRAFT_NOT_SAVED,
    Item,
    draft_errors,
    draft_limit_errors,
    draft_snapshot,
    form_items,
    parse_amount,
    parse_date,
)
from ..models import (
    BusinessRow,
    LendingRow,
    ReportStatus,
    ReportVersion,
    ReviewAction,
    ReviewDecision,
    SelfCheckReport,
    VersionAnswer,
    content_hash,
)
from .notices import notice_send


def report_for_officer(*, officer: Officer, campaign: Campaign) -> SelfCheckReport:
    report, _created = SelfCheckReport.objects.get_or_create(campaign=campaign, officer=officer)
    return report


DRAFT_FIELDS = ("draft", "draft_saved_at")


@transaction.atomic
def report_save_draft(
    *,
    report: SelfCheckReport,
    draft: dict,
    actor: AbstractBaseUser | None,
    items: list[Item] | None = None,
) -> SelfCheckReport:
    """Keep the draft (autosave, every few seconds: kept to few queries). `items` are the
    report's `form_items` when the caller has just computed them for the same report."""
    report = SelfCheckReport.objects.select_for_update().get(pk=report.pk)
    if not report.is_editable:
        raise SelfCheckError(str(NOT_EDITABLE))
    if items is None:
        items = form_items(officer=report.officer, campaign=report.campaign)
    too_long = [m for ms in draft_limit_errors(draft, items).values() for m in ms]
    if too_long:  # refuse rather than keep a shortened text the officer never saw
        raise SelfCheckError([DRAFT_NOT_SAVED % {"reason": m} for m in too_long])
    report.draft = draft
    report.draft_saved_at = timezone.now()
    # Only the draft changes: the other fields (foreign keys, the unique pair) were checked
    # when they were written, and re-checking them cost five queries per autosave.
    report.full_clean(exclude=[f.name for f in report._meta.fields if f.name not in DRAFT_FIELDS])
    report.save(update_fields=list(DRAFT_FIELDS))
    audit_record(actor=actor, action=audit.REPORT_DRAFT_SAVED, verb=AuditVerb.CHANGE, target=report)
    return report


def in_window(*, campaign: Campaign, officer: Officer, when: dt.datetime) -> bool:
    day = timezone.localdate(when)
    return campaign.selfcheck_start <= day <= campaign.deadline_for(officer)


def version_rows(
    version_id: int, content: dict
) -> tuple[list[VersionAnswer], list[BusinessRow], list[LendingRow]]:
    """The rows a version's snapshot stands for: one answer per item, the business and
    lending rows (written by report_submit, and in bulk by the province generator)."""
    answers = [
        VersionAnswer(
            version_id=version_id,
            key=it["key"],
            position=pos,
            label=it["label"][:300],
            kind=it["kind"],
            yes=it["yes"],
            details=it["details"],
            date=parse_date(it["date"]),
        )
        for pos, it in enumerate(content["items"], start=1)
    ]
    business = [
        BusinessRow(version_id=version_id, position=pos, **row)
        for pos, row in enumerate(content["business"], start=1)
    ]
    lending = [
        LendingRow(
            version_id=version_id,
            position=pos,
            counterparty=row["counterparty"],
            amount=parse_amount(row.get("amount", "")),
            date=parse_date(row.get("date", "")),
            duty_relation=row.get("duty_relation", ""),
        )
        for pos, row in enumerate(content["lending"], start=1)
    ]
    return answers, business, lending


@transaction.atomic
def report_submit(
    *,
    report: SelfCheckReport,
    draft: dict,
    actor: AbstractBaseUser | None,
    now: dt.datetime | None = None,
) -> ReportVersion:
    """Validate and freeze the draft into a new version (never overwriting an earlier one)."""
    report = (
        SelfCheckReport.objects.select_for_update()
        .select_related("officer__unit", "campaign")
        .get(pk=report.pk)
    )
    if not report.is_editable:
        raise SelfCheckError(str(NOT_EDITABLE))
    now = now or timezone.now()
    items = form_items(officer=report.officer, campaign=report.campaign)
    errors = draft_errors(draft, items, today=timezone.localdate(now))
    if errors:
        raise SelfCheckError([m for ms in errors.values() for m in ms])
    content = draft_snapshot(draft, items)
    number = report.versions.count() + 1
    window = in_window(campaign=report.campaign, officer=report.officer, when=now)
    version = ReportVersion(
        report=report,
        number=number,
        submitted_at=now,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        content=content,
        content_hash=content_hash(content),
        deadline=report.campaign.deadline_for(report.officer),
        in_window=window,
    )
    version.full_clean()
    version.save()
    answers, business, lending = version_rows(version.pk, content)
    VersionAnswer.objects.bulk_create(answers)
    for obj in business:
        obj.full_clean(exclude=["version"])
    BusinessRow.objects.bulk_create(business)
    LendingRow.objects.bulk_create(lending)
    report.status = ReportStatus.SUBMITTED
    report.latest_version = version
    report.last_submitted_at = now
    if report.first_submitted_at is None:
        report.first_submitted_at = now
        report.first_in_window = window
    report.draft = draft
    report.full_clean(exclude=["latest_version"])  # just created above, in this transaction
    report.save()
    figures.touch("sc", [report.officer.unit_id])
    audit_record(
        actor=actor,
        action=audit.REPORT_SUBMITTED,
        verb=AuditVerb.CHANGE,
        target=report,
        data={"version": number, "hash": version.content_hash, "in_window": window},
    )
    return version


RETURN_REASON_MAX = 2000


def _review(
    *, report: SelfCheckReport, actor: AbstractBaseUser | None, decision: str, reason: str
) -> SelfCheckReport:
    report = SelfCheckReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.SUBMITTED or report.latest_version_id is None:
        raise SelfCheckError(str(REVIEW_NOT_SUBMITTED))
    reason = (reason or "").strip()
    if decision == ReviewDecision.RETURN and not reason:
        raise SelfCheckError(str(RETURN_NEEDS_REASON))
    refuse_too_long(reason, RETURN_REASON_MAX, _("退回原因"))
    action = ReviewAction(
        report=report,
        version_id=report.latest_version_id,
        decision=decision,
        reason=reason,
        actor=actor,
    )
    action.full_clean()
    action.save()
    report.status = (
        ReportStatus.ACCEPTED if decision == ReviewDecision.ACCEPT else ReportStatus.RETURNED
    )
    report.return_reason = reason if decision == ReviewDecision.RETURN else ""
    report.reviewed_at = action.at
    report.reviewed_by = actor
    report.save(update_fields=["status", "return_reason", "reviewed_at", "reviewed_by"])
    figures.touch("sc", [report.officer.unit_id])
    audit_record(
        actor=actor,
        action=audit.REPORT_ACCEPTED
        if decision == ReviewDecision.ACCEPT
        else audit.REPORT_RETURNED,
        verb=AuditVerb.CHANGE,
        target=report,
        data={"version_id": report.latest_version_id, "reason": reason},
    )
    owner = report.officer.user if report.officer.user_id else None
    if owner is not None:
        text = (
            _("您的自查事项报告已审核通过")
            if decision == ReviewDecision.ACCEPT
            else _("您的自查事项报告被退回补充：%(r)s") % {"r": reason[:200]}
        )
        notice_send(user=owner, text=text, url=reverse("selfcheck:my_report"))
    return report


@transaction.atomic
def report_accept(*, report: SelfCheckReport, actor: AbstractBaseUser | None) -> SelfCheckReport:
    return _review(report=report, actor=actor, decision=ReviewDecision.ACCEPT, reason="")


@transaction.atomic
def report_return(
    *, report: SelfCheckReport, actor: AbstractBaseUser | None, reason: str
) -> SelfCheckReport:
    return _review(report=report, actor=actor, decision=ReviewDecision.RETURN, reason=reason)


def report_record_read(
    *,
    report: SelfCheckReport,
    actor: object,
    request: HttpRequest | None = None,
    action: str = audit.REPORT_READ,
) -> None:
    """Reads by anyone other than the owner are audited."""
    if report.officer.user_id != getattr(actor, "pk", None):
        audit.audit_read(actor=actor, action=action, target=report, request=request)
