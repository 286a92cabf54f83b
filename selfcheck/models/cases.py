"""Warning education cases (S2 / O6) and confirmed reading."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify.approval import ApprovalMixin, ApprovalStatus
from rectify.models import ChronicProblem, Officer, Unit

# The states of rectify.approval, under the name self-check has always used.
CaseStatus = ApprovalStatus


class WarningCase(ApprovalMixin, models.Model):
    """A typical case for warning education; published only after a leader approves (O6).
    Status and decision fields come from rectify.approval.ApprovalMixin."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("发布范围（含下级）"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    category = models.CharField(
        _("问题类别"), max_length=20, choices=ChronicProblem.choices, blank=True
    )
    body = models.TextField(_("案例内容"))
    lesson = models.TextField(_("警示启示"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("警示教育案例")
        verbose_name_plural = _("警示教育案例")
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return self.title


class CaseRead(models.Model):
    case = models.ForeignKey(WarningCase, on_delete=models.CASCADE, related_name="reads")
    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("警示案例学习记录")
        verbose_name_plural = _("警示案例学习记录")
        constraints = [
            models.UniqueConstraint(fields=["case", "officer"], name="one_read_per_officer")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.officer_id}"
