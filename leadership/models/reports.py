"""The periodic report to the superior office (进展统计表), its submission up the chain, and
the 通报 ranking units, with read receipts.

A Report is one generated workbook, stored in the database (web and worker containers are
stateless) with its generation status and progress. A ReportSubmission is an office's report
for one period as sent to its superior office (one row per office and period: a returned
report is resubmitted on the same row). A Bulletin is a 通报 whose ranking is frozen when it
is generated; issuing it creates one BulletinReceipt per addressee, stamped when they open it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify.models import Campaign, Office

from .policy import ReportPeriod


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    READY = "ready", _("已生成")
    FAILED = "failed", _("生成失败")


class Report(models.Model):
    office = models.ForeignKey(
        Office, verbose_name=_("填报单位"), on_delete=models.PROTECT, related_name="+"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("报送周期"), max_length=20, choices=ReportPeriod.choices)
    period_start = models.DateField(_("统计期间起"))
    period_end = models.DateField(_("统计期间止"))
    # Empty for the reports the schedule generates at the end of each period.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scheduled = models.BooleanField(_("定时生成"), default=False)
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    filename = models.CharField(_("文件名"), max_length=255, blank=True)
    content = models.BinaryField(_("文件内容"), blank=True, default=b"")
    message = models.TextField(_("说明"), blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("进展统计表")
        verbose_name_plural = _("进展统计表")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The schedule makes one report per office and period, however often it runs.
            models.UniqueConstraint(
                fields=["office", "campaign", "period", "period_start"],
                condition=Q(scheduled=True),
                name="report_one_scheduled_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.period_start}–{self.period_end}"

    @property
    def finished(self) -> bool:
        return self.status in (ReportStatus.READY, ReportStatus.FAILED)


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("已退回")


class ReportSubmission(models.Model):
    office = models.ForeignKey(
        Office, verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+"
    )
    superior = models.ForeignKey(
        Office, verbose_name=_("报送至"), on_delete=models.PROTECT, related_name="+"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("报送周期"), max_length=20, choices=ReportPeriod.choices)
    period_start = models.DateField(_("统计期间起"))
    period_end = models.DateField(_("统计期间止"))
    report = models.ForeignKey(
        Report, verbose_name=_("报表"), on_delete=models.PROTECT, related_name="submissions"
    )
    status = models.CharField(_("状态"), max_length=10, choices=SubmissionStatus.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("报送时间"), default=timezone.now)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)

    class Meta:
        verbose_name = _("报表报送")
        verbose_name_plural = _("报表报送")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "campaign", "period", "period_start"],
                name="submission_one_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.office} → {self.superior} {self.period_start}"


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已印发")


class Bulletin(models.Model):
    office = models.ForeignKey(
        Office, verbose_name=_("印发单位"), on_delete=models.PROTECT, related_name="+"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("报送周期"), max_length=20, choices=ReportPeriod.choices)
    period_start = models.DateField(_("统计期间起"))
    period_end = models.DateField(_("统计期间止"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    # The ranking as it stood when generated: editing the text never changes the figures.
    ranking = models.JSONField(_("排名"), default=list)
    status = models.CharField(
        _("状态"), max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class BulletinReceipt(models.Model):
    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通报阅读回执")
        verbose_name_plural = _("通报阅读回执")
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "user"], name="bulletin_receipt_once")
        ]

    def __str__(self) -> str:
        return f"{self.bulletin_id} {self.user_id}"
