"""Files attached to a lead (L4): stored in the database, read only through
leads.services.attachments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .lead import Lead


class LeadAttachment(models.Model):
    """A file attached to a lead. Kept in the database (PostgreSQL is the only state; nothing
    under the web root); served only through the permission-checked, audited download view."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField(editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    # Sent by the reporter with a public report: part of the original report, never removed.
    from_reporter = models.BooleanField(_("举报人提交"), default=False, editable=False)

    class Meta:
        verbose_name = _("线索附件")
        verbose_name_plural = _("线索附件")
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["lead", "uploaded_at"], name="leadattachment_lead")]

    def __str__(self) -> str:
        return self.name
