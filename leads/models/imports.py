"""Models owned by the import/screening side of the leads app.

- LeadImportJob: an uploaded ledger workbook, stored in the database (web and worker
  containers are stateless), and the outcome of its import run by a Celery task.
- LeadGram: the character bigrams of each lead's summary, indexed, for smart screening
  (leads.rules.screening): candidates are found by the rarest grams of a query text.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .lead import Channel, LeadConclusion, LeadStatus


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("处理中")
    PREVIEW = "preview", _("待确认")
    DONE = "done", _("已完成")
    FAILED = "failed", _("有错误，未导入")
    CANCELLED = "cancelled", _("已取消")


# A job whose upload is gone: nothing more can run on it.
ENDED_STATUSES = (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.CANCELLED)


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
    # Set when the uploader confirmed the preview; only then does the task store anything.
    confirmed = models.BooleanField(_("已确认"), default=False)
    preview = models.JSONField(_("预览"), default=dict, blank=True)
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
        """No task is running or due: ended, or waiting for the uploader's confirmation."""
        return self.status in (*ENDED_STATUSES, ImportStatus.PREVIEW)

    @property
    def ended(self) -> bool:
        return self.status in ENDED_STATUSES

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return int(100 * self.processed / self.total) if self.total else 0


class LeadImportVocabulary(models.Model):
    """An office's own words for its ledger, on top of the built-in vocabulary
    (leads.ledger): {word: LeadStatus value}, {word: LeadConclusion value} and
    {word: Channel code}. Edited in the admin."""

    office = models.OneToOneField(
        "rectify.Office",
        verbose_name=_("办公室"),
        on_delete=models.CASCADE,
        related_name="lead_import_vocabulary",
    )
    status_words = models.JSONField(
        _("办理状态用语"), default=dict, blank=True, help_text=_('如 {"未办理": "registered"}')
    )
    result_words = models.JSONField(
        _("办理结论用语"), default=dict, blank=True, help_text=_('如 {"情况属实": "substantiated"}')
    )
    channel_words = models.JSONField(
        _("线索来源用语"), default=dict, blank=True, help_text=_('如 {"信访件": "mailbox"}')
    )

    class Meta:
        verbose_name = _("台账导入用语")
        verbose_name_plural = _("台账导入用语")

    def __str__(self) -> str:
        return str(self.office)

    def clean(self) -> None:
        allowed = {
            "status_words": set(LeadStatus.values),
            "result_words": set(LeadConclusion.values),
            "channel_words": set(Channel.objects.values_list("code", flat=True)),
        }
        errors = {}
        for name, values in allowed.items():
            table = getattr(self, name)
            if not isinstance(table, dict):
                errors[name] = _("须为 {用语: 代码} 形式")
                continue
            wrong = sorted(str(v) for v in table.values() if v not in values)
            if wrong:
                errors[name] = _("未知代码：%(codes)s（可用：%(allowed)s）") % {
                    "codes": "、".join(wrong),
                    "allowed": "、".join(sorted(values)),
                }
        if errors:
            raise ValidationError(errors)


class LeadGram(models.Model):
    lead = models.ForeignKey("leads.Lead", on_delete=models.CASCADE, related_name="+")
    gram = models.CharField(max_length=8)

    class Meta:
        verbose_name = _("线索摘要字元")
        verbose_name_plural = _("线索摘要字元")
        constraints = [models.UniqueConstraint(fields=["gram", "lead"], name="leadgram_uniq")]
        indexes = [models.Index(fields=["lead"], name="leadgram_lead")]

    def __str__(self) -> str:
        return self.gram
