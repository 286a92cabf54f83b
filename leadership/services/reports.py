"""Writes of the periodic report, its submission up the chain and the 通报 (O7).

Generation runs in a Celery task (`leadership.tasks.report_generate_run`) on the report's id:
the task claims the row with a filtered update, writes the workbook into it and marks it
ready; running it again for a ready report does nothing. Callers check access through
`leadership.access` (acts_for, get_report_for_user) before calling these.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from celery import current_app
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from rectify import figures
from rectify.audit import audit_record
from rectify.models import AuditVerb, Office, Role, RoleAssignment
from rectify.selectors import subordinate_offices, superior_office

from ..models import (
    Bulletin,
    BulletinReceipt,
    BulletinStatus,
    CampaignPolicy,
    Report,
    ReportStatus,
    ReportSubmission,
    SubmissionStatus,
)
from ..report_book import BookHead, build_report_book
from ..selectors.periods import period_bounds
from ..selectors.reports import (
    bulletin_ranking,
    child_units,
    hides_more_than_the_report,
    report_levers,
)

if TYPE_CHECKING:
    from rectify.models import AnyUser, Campaign

logger = logging.getLogger(__name__)


class ReportError(Exception):
    """A report, submission or 通报 action that cannot be done; the message is for the user."""


NO_CAMPAIGN = "当前没有进行中的教育整顿活动"
NOT_READY = "报表尚未生成完毕，不能报送"
NO_SUPERIOR = "本办公室没有上级办公室，无需报送"
ALREADY_SUBMITTED = "本期报表已报送，上级退回后才能重新报送"
NOT_SUBMITTED = "该报表不在已报送状态，不能退回"
REASON_REQUIRED = "请填写退回原因"
NOT_DRAFT = "通报已印发，不能再修改"
TITLE_REQUIRED = "请填写通报标题"
NO_ADDRESSEES = "下级单位没有可接收通报的办公室或主要负责人账号"


def _campaign() -> Campaign:
    campaign = figures.current_campaign()
    if campaign is None:
        raise ReportError(NO_CAMPAIGN)
    return campaign


# leadership.tasks imports this module, so the task is named, not imported (no cycle);
# LeadershipConfig.ready() loads leadership.tasks, so the name resolves in every process.
RUN_TASK = "leadership.tasks.report_generate_run"


def _enqueue(report: Report) -> None:
    """Generate once this transaction commits (eagerly when no broker is configured)."""
    report_generate_run = current_app.tasks[RUN_TASK]  # KeyError, loud, if the name drifts
    transaction.on_commit(lambda: report_generate_run.delay(report.pk))


@transaction.atomic
def report_request(*, office: Office, actor: AnyUser, day: dt.date | None = None) -> Report:
    """Queue the report of `office` for the period holding `day` (today by default)."""
    campaign = _campaign()
    period = CampaignPolicy.for_campaign(campaign).report_period
    start, end = period_bounds(period, day or timezone.localdate())
    report = Report(
        office=office,
        campaign=campaign,
        period=period,
        period_start=start,
        period_end=end,
        requested_by=actor,
    )
    report.full_clean(exclude=["content"])
    report.save()
    audit_record(
        actor=actor,
        verb=AuditVerb.CREATE,
        action="leadership.report.requested",
        target=report,
        data={"office": office.pk, "start": str(start), "end": str(end)},
    )
    _enqueue(report)
    return report


def _filer(report: Report) -> str:
    user = report.requested_by
    if user is None:
        return f"{report.office.name}（定时生成）"
    officer = getattr(user, "officer", None)
    return officer.name if officer else user.get_username()


def report_generate(*, report_id: int) -> Report | None:
    """Build the workbook of one report (idempotent: a ready report is left as it is)."""
    claimed = Report.objects.filter(
        pk=report_id, status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING]
    ).update(status=ReportStatus.RUNNING, progress=5)
    report = Report.objects.filter(pk=report_id).select_related("office__jurisdiction").first()
    if report is None or not claimed:
        return report
    try:
        unit = report.office.jurisdiction
        total, children = report_levers(report.requested_by, report.campaign, unit)

        def progress(pct: int) -> None:
            Report.objects.filter(pk=report_id).update(progress=pct)

        head = BookHead(
            unit_name=unit.name,
            start=report.period_start,
            end=report.period_end,
            filer=_filer(report),
            filed_on=timezone.localdate(),
        )
        content = build_report_book(head, total, children, progress)
    except Exception as exc:
        logger.exception("report %s failed", report_id)
        Report.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED,
            message=f"生成失败：{exc.__class__.__name__}",
            finished_at=timezone.now(),
        )
        report.refresh_from_db()
        return report
    filename = f"{unit.name}进展统计表_{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}.xlsx"
    Report.objects.filter(pk=report_id).update(
        status=ReportStatus.READY,
        progress=100,
        content=content,
        filename=filename,
        finished_at=timezone.now(),
    )
    audit_record(
        actor="celery",
        verb=AuditVerb.CHANGE,
        action="leadership.report.generated",
        object_type="leadership.report",
        object_id=report_id,
        data={"bytes": len(content), "children": len(children)},
    )
    report.refresh_from_db()
    return report


def report_book_for(*, report: Report, reader: AnyUser) -> bytes:
    """The report's workbook as `reader` may see it: the stored file, or, when the reader may
    not see counts it holds (recusal), the same layout rebuilt now from their own view."""
    if not hides_more_than_the_report(reader, report):
        return bytes(report.content)
    unit = report.office.jurisdiction
    total, children = report_levers(reader, report.campaign, unit)
    head = BookHead(
        unit_name=unit.name,
        start=report.period_start,
        end=report.period_end,
        filer=_filer(report),
        filed_on=timezone.localdate(report.finished_at or timezone.now()),
    )
    return build_report_book(head, total, children)


def report_downloaded(*, report: Report, actor: AnyUser, request: object = None) -> None:
    audit_record(
        actor=actor,
        verb=AuditVerb.EXPORT,
        action="leadership.report.downloaded",
        target=report,
        request=request,  # type: ignore[arg-type]
    )


def offices_on_schedule() -> list[Office]:
    """Offices someone works in: staff of the office, or a leader or office role on its unit."""
    staffed = RoleAssignment.objects.filter(role__in=[Role.OFFICE, Role.LEADER])
    return list(
        Office.objects.filter(
            Q(pk__in=staffed.values("office_id")) | Q(jurisdiction_id__in=staffed.values("unit_id"))
        )
        .select_related("jurisdiction")
        .order_by("jurisdiction__path")
    )


def reports_schedule(*, today: dt.date | None = None) -> int:
    """On the last day of each period, one scheduled report per office and period (a second
    run the same period creates nothing). Returns how many reports it queued."""
    campaign = figures.current_campaign()
    if campaign is None:
        return 0
    today = today or timezone.localdate()
    period = CampaignPolicy.for_campaign(campaign).report_period
    start, end = period_bounds(period, today)
    if today != end:
        return 0
    queued = 0
    for office in offices_on_schedule():
        with transaction.atomic():
            report, created = Report.objects.get_or_create(
                office=office,
                campaign=campaign,
                period=period,
                period_start=start,
                scheduled=True,
                defaults={"period_end": end},
            )
            if created:
                audit_record(
                    actor="celery",
                    verb=AuditVerb.CREATE,
                    action="leadership.report.scheduled",
                    target=report,
                )
                _enqueue(report)
                queued += 1
    return queued


# --- submission up the chain --------------------------------------------------------------


@transaction.atomic
def report_submit(*, report: Report, actor: AnyUser) -> ReportSubmission:
    """Send the office's report for its period to the superior office (once per period; a
    returned report is resubmitted on the same row)."""
    if report.status != ReportStatus.READY:
        raise ReportError(NOT_READY)
    superior = superior_office(report.office)
    if superior is None:
        raise ReportError(NO_SUPERIOR)
    sub = (
        ReportSubmission.objects.select_for_update()
        .filter(
            office=report.office,
            campaign=report.campaign,
            period=report.period,
            period_start=report.period_start,
        )
        .first()
    )
    if sub is not None and sub.status == SubmissionStatus.SUBMITTED:
        raise ReportError(ALREADY_SUBMITTED)
    resubmitted = sub is not None
    if sub is None:
        sub = ReportSubmission(
            office=report.office,
            campaign=report.campaign,
            period=report.period,
            period_start=report.period_start,
            period_end=report.period_end,
        )
    sub.superior = superior
    sub.report = report
    sub.status = SubmissionStatus.SUBMITTED
    sub.submitted_by = actor
    sub.submitted_at = timezone.now()
    sub.full_clean()
    sub.save()
    audit_record(
        actor=actor,
        verb=AuditVerb.CHANGE if resubmitted else AuditVerb.CREATE,
        action="leadership.submission.resubmitted"
        if resubmitted
        else "leadership.submission.submitted",
        target=sub,
        data={"report": report.pk, "superior": superior.pk},
    )
    return sub


@transaction.atomic
def submission_return(
    *, submission: ReportSubmission, actor: AnyUser, reason: str
) -> ReportSubmission:
    """The superior office sends a report back with a reason; the lower office resubmits."""
    reason = (reason or "").strip()
    if not reason:
        raise ReportError(REASON_REQUIRED)
    sub = ReportSubmission.objects.select_for_update().get(pk=submission.pk)
    if sub.status != SubmissionStatus.SUBMITTED:
        raise ReportError(NOT_SUBMITTED)
    sub.status = SubmissionStatus.RETURNED
    sub.returned_by = actor
    sub.returned_at = timezone.now()
    sub.return_reason = reason[:2000]
    sub.save(update_fields=["status", "returned_by", "returned_at", "return_reason"])
    audit_record(
        actor=actor,
        verb=AuditVerb.CHANGE,
        action="leadership.submission.returned",
        target=sub,
        data={"reason": sub.return_reason[:200]},
    )
    return sub


# --- 通报 ---------------------------------------------------------------------------------


def _default_text(office: Office, start: dt.date, end: dt.date, rows: list[dict]) -> str:
    lagging = [r["unit"] for r in rows if r["lagging"]]
    text = (
        f"现将{start:%Y年%m月%d日}至{end:%Y年%m月%d日}{office.jurisdiction.name}各单位"
        "教育整顿查纠整改工作进展情况通报如下（排名按线索查结率、自查填报率、整改验收率）。"
    )
    if lagging:
        text += f"\n\n进度滞后的单位：{'、'.join(lagging)}。请上述单位对照问题抓紧整改，按期报告。"
    else:
        text += "\n\n本期各单位均未出现红灯指标。"
    return text


@transaction.atomic
def bulletin_generate(*, office: Office, actor: AnyUser, day: dt.date | None = None) -> Bulletin:
    """A draft 通报 of the office's child units for the period holding `day`; the ranking is
    computed now (as `actor` may see it) and frozen."""
    campaign = _campaign()
    period = CampaignPolicy.for_campaign(campaign).report_period
    start, end = period_bounds(period, day or timezone.localdate())
    rows = bulletin_ranking(actor, campaign, office.jurisdiction)
    bulletin = Bulletin(
        office=office,
        campaign=campaign,
        period=period,
        period_start=start,
        period_end=end,
        title=f"关于{office.jurisdiction.name}教育整顿查纠整改工作进展情况的通报",
        body=_default_text(office, start, end, rows),
        ranking=rows,
        created_by=actor,
    )
    bulletin.full_clean()
    bulletin.save()
    audit_record(
        actor=actor,
        verb=AuditVerb.CREATE,
        action="leadership.bulletin.created",
        target=bulletin,
        data={"units": len(rows), "lagging": sum(1 for r in rows if r["lagging"])},
    )
    return bulletin


@transaction.atomic
def bulletin_edit(*, bulletin: Bulletin, actor: AnyUser, title: str, body: str) -> Bulletin:
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.status != BulletinStatus.DRAFT:
        raise ReportError(NOT_DRAFT)
    title = (title or "").strip()
    if not title:
        raise ReportError(TITLE_REQUIRED)
    bulletin.title = title[:200]
    bulletin.body = (body or "").strip()
    bulletin.full_clean()
    bulletin.save(update_fields=["title", "body"])
    audit_record(
        actor=actor, verb=AuditVerb.CHANGE, action="leadership.bulletin.changed", target=bulletin
    )
    return bulletin


def bulletin_addressees(office: Office) -> list[int]:
    """User ids: the staff and leaders of the subordinate offices, and the heads of the
    child units."""
    offices = subordinate_offices(office)
    children = child_units(office.jurisdiction)
    rows = RoleAssignment.objects.filter(
        Q(role=Role.OFFICE, office__in=offices)
        | Q(role__in=[Role.OFFICE, Role.LEADER], unit_id__in=[o.jurisdiction_id for o in offices])
        | Q(role=Role.UNIT_HEAD, unit__in=children)
    )
    return sorted(set(rows.values_list("user_id", flat=True)))


@transaction.atomic
def bulletin_issue(*, bulletin: Bulletin, actor: AnyUser) -> Bulletin:
    bulletin = (
        Bulletin.objects.select_for_update()
        .select_related("office__jurisdiction")
        .get(pk=bulletin.pk)
    )
    if bulletin.status != BulletinStatus.DRAFT:
        raise ReportError(NOT_DRAFT)
    users = [u for u in bulletin_addressees(bulletin.office) if u != actor.pk]
    if not users:
        raise ReportError(NO_ADDRESSEES)
    bulletin.status = BulletinStatus.ISSUED
    bulletin.issued_by = actor
    bulletin.issued_at = timezone.now()
    bulletin.save(update_fields=["status", "issued_by", "issued_at"])
    BulletinReceipt.objects.bulk_create(
        [BulletinReceipt(bulletin=bulletin, user_id=u) for u in users], ignore_conflicts=True
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.CHANGE,
        action="leadership.bulletin.issued",
        target=bulletin,
        data={"addressees": len(users)},
    )
    return bulletin


def bulletin_opened(*, bulletin: Bulletin, user: AnyUser) -> bool:
    """Stamp the addressee's receipt the first time they open the 通报."""
    stamped = BulletinReceipt.objects.filter(
        bulletin=bulletin, user_id=user.pk, opened_at=None
    ).update(opened_at=timezone.now())
    if stamped:
        audit_record(
            actor=user, verb=AuditVerb.READ, action="leadership.bulletin.read", target=bulletin
        )
    return bool(stamped)
