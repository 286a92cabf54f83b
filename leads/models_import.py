"""Models owned by the import/screening side of the leads app (imported by leads.models).

- LeadImportJob: an uploaded ledger workbook, stored in the database (web and worker
  containers are stateless), and the outcome of its import run by a Celery task.
- LeadGram: the character bigrams of each lead's summary, indexed, for smart screening
  (leads.screening): candidates are found by the rarest grams of a query text.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("有错误，未导入")


class LeadImportJob(models.Model):
    office = models.ForeignKey(
        "rectify.Office", verbose_name=_("办公室"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    filename = models.CharField(_("文件名"), max_length=255)
    content = models.BinaryField(_("文件内容"))
    dry_run = models.BooleanField(_("仅校验"), default=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total = models.PositiveIntegerField(_("总行数"), default=0)
    processed = models.PositiveIntegerField(_("已处理"), default=0)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    message = models.TextField(_("说明"), blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("台账导入")
        verbose_name_plural = _("台账导入")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return int(100 * self.processed / self.total) if self.total else 0


class LeadGram(models.Model):
    lead = models.ForeignKey("leads.Lead", on_delete=models.CASCADE, related_name="+")
    gram = models.CharField(max_length=8)

    class Meta:
        verbose_name = _("线索摘要字元")
        constraints = [models.UniqueConstraint(fields=["gram", "lead"], name="leadgram_uniq")]
        indexes = [models.Index(fields=["lead"], name="leadgram_lead")]

    def __str__(self) -> str:
        return self.gram
