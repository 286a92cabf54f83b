"""The lead timeline (LeadEvent) and the signatures a conclusion needs (L9)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .lead import Lead


class EventKind(models.TextChoices):
    NOTE = "note", _("办理进展")
    VERIFICATION = "verification", _("核查")
    CONSULTATION = "consultation", _("会商")
    SUPERVISION = "supervision", _("督办")
    TRANSFER = "transfer", _("移交")
    TRIAGE = "triage", _("筛查处置")
    TRANSITION = "transition", _("状态变更")
    CONCLUSION = "conclusion", _("办理结论")
    SIGNATURE = "signature", _("签字背书")
    REPLY = "reply", _("答复举报人")
    REPORTER = "reporter", _("举报人留言")
    RISK = "risk", _("风险研判")
    LISTED = "listed", _("挂牌督办")
    JURISDICTION = "jurisdiction", _("管辖变更")
    ACCOUNTABILITY = "accountability", _("追责问责")
    ATTACHMENT = "attachment", _("附件")
    ESCALATION = "escalation", _("逾期上报")
    EDIT = "edit", _("修改登记信息")
    SUBJECT = "subject", _("被反映人确认")


# Kinds a reporter may see on the status page (only what the office chooses to tell them).
PUBLIC_KINDS = (EventKind.REPLY, EventKind.REPORTER)


class LeadEvent(models.Model):
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("类型"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("内容"), blank=True)
    participants = models.CharField(_("参加人员"), max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("线索办理记录")
        verbose_name_plural = _("线索办理记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["lead", "at"], name="leadevent_lead_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class SignatureRole(models.TextChoices):
    HANDLER = "handler", _("承办人")
    UNIT_HEAD = "unit_head", _("承办单位主要负责人")


class Signature(models.Model):
    """A sign-off (签字背书) of an unfounded conclusion; binds the hash of the exact text."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="signatures")
    role = models.CharField(_("签字身份"), max_length=20, choices=SignatureRole.choices)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签字人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer_name = models.CharField(_("签字人姓名"), max_length=100)
    signed_at = models.DateTimeField(_("签字时间"), default=timezone.now)
    text_hash = models.CharField(max_length=64)
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("签字背书")
        verbose_name_plural = _("签字背书")
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lead", "role"],
                condition=models.Q(voided_at__isnull=True),
                name="signature_one_live_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.signer_name}"

    def binds(self, lead: Lead) -> bool:
        return self.voided_at is None and self.text_hash == lead.conclusion_hash()
