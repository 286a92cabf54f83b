"""Imports of a unit's problem list (问题清单) from Excel: upload -> preview (nothing stored)
-> the uploader confirms -> one transaction through the item services. The upload is kept
only while the job waits for confirmation; when it ends its content is emptied and the job
keeps its counts, preview and problem list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify.models import Unit


class ListImportStatus(models.TextChoices):
    PREVIEW = "preview", _("待确认")
    DONE = "done", _("已导入")
    FAILED = "failed", _("有错误，未导入")
    CANCELLED = "cancelled", _("已取消")


class ProblemListImport(models.Model):
    """One upload of a problem list into the subtree of `unit` (the importer's scope)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("导入范围"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    filename = models.CharField(_("文件名"), max_length=255)
    content = models.BinaryField(_("文件内容"), blank=True)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ListImportStatus.choices,
        default=ListImportStatus.PREVIEW,
    )
    preview = models.JSONField(_("预览"), default=dict, blank=True)
    errors = models.JSONField(_("错误与警告"), default=list, blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    message = models.TextField(_("说明"), blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("问题清单导入")
        verbose_name_plural = _("问题清单导入")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="listimport_user")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def confirmable(self) -> bool:
        return self.status == ListImportStatus.PREVIEW
