"""What remediation produces besides closed items: rules (建章立制, R7), officer rotations
(干部交流轮岗, R8) and meeting records of the working mechanisms (工作会商 …, O3).

Rules and meetings link to the items (and meetings to the leads) they came from; a
rotation, once applied on its effective date, has moved the officer in the register
(remediation.services.rotations is the one place that does it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify.models import Officer, Unit

from .plans import Document, Item


class RuleStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已印发")
    REVISED = "revised", _("已修订")
    REPEALED = "repealed", _("已废止")


class Rule(models.Model):
    """制度规范: a rule or mechanism a unit created or revised as a lasting outcome (R7)."""

    title = models.CharField(_("制度名称"), max_length=200)
    unit = models.ForeignKey(
        Unit, verbose_name=_("制定单位"), on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    document = models.ForeignKey(
        Document,
        verbose_name=_("制度文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=RuleStatus.choices, default=RuleStatus.DRAFT
    )
    # The earlier rule this one revises: issuing this one marks that one revised.
    revises = models.ForeignKey(
        "self",
        verbose_name=_("修订的原制度"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    summary = models.TextField(_("主要内容"), blank=True)
    items = models.ManyToManyField(
        Item, verbose_name=_("对应整改问题"), blank=True, related_name="rules"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("制度规范")
        verbose_name_plural = _("制度规范")
        indexes = [
            models.Index(fields=["unit", "status"], name="rule_unit_status"),
            models.Index(fields=["-created_at", "-id"], name="rule_created"),
        ]

    def __str__(self) -> str:
        return self.title


class RotationKind(models.TextChoices):
    EXCHANGE = "exchange", _("交流")
    ROTATION = "rotation", _("轮岗")
    ADJUSTMENT = "adjustment", _("调整")


class Rotation(models.Model):
    """干部交流轮岗: an officer moves from one unit and post to another on a date (R8).
    `applied_at` is set once the register has moved the officer; never twice."""

    officer = models.ForeignKey(
        Officer, verbose_name=_("干警"), on_delete=models.PROTECT, related_name="+"
    )
    from_unit = models.ForeignKey(
        Unit, verbose_name=_("原单位"), on_delete=models.PROTECT, related_name="+"
    )
    from_post = models.CharField(_("原岗位"), max_length=100, blank=True)
    to_unit = models.ForeignKey(
        Unit, verbose_name=_("新单位"), on_delete=models.PROTECT, related_name="+"
    )
    to_post = models.CharField(_("新岗位"), max_length=100)
    effective_date = models.DateField(_("生效日期"))
    reason = models.TextField(_("交流轮岗事由"))
    kind = models.CharField(_("类型"), max_length=12, choices=RotationKind.choices)
    applied_at = models.DateTimeField(_("已调整干警信息"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("干部交流轮岗")
        verbose_name_plural = _("干部交流轮岗")
        indexes = [
            models.Index(fields=["applied_at", "effective_date"], name="rotation_due"),
            models.Index(fields=["officer", "applied_at"], name="rotation_officer"),
            models.Index(fields=["-effective_date", "-id"], name="rotation_date"),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id}: {self.from_unit_id} → {self.to_unit_id}"


class MeetingKind(models.TextChoices):
    CONSULTATION = "consultation", _("工作会商")
    LEAD_HANDOVER = "lead_handover", _("线索移交")
    CASE = "case", _("案件查处")
    CADRE_EXCHANGE = "cadre_exchange", _("干部交流")
    PUBLICITY = "publicity", _("舆论宣传")


class Meeting(models.Model):
    """会商记录: a meeting of one of the working mechanisms (O3), linked to leads and items.
    Those who are a subject of a linked lead never see it (recusal)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("会议日期"))
    kind = models.CharField(_("会商类型"), max_length=16, choices=MeetingKind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    participants = models.ManyToManyField(
        Officer, verbose_name=_("参会干警"), blank=True, related_name="+"
    )
    other_participants = models.CharField(_("其他参会人员"), max_length=500, blank=True)
    decisions = models.TextField(_("议定事项"))
    # By name, not import: remediation reaches leads only through its ports.
    leads = models.ManyToManyField(
        "leads.Lead", verbose_name=_("涉及线索"), blank=True, related_name="+"
    )
    items = models.ManyToManyField(
        Item, verbose_name=_("涉及整改问题"), blank=True, related_name="meetings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("会商记录")
        verbose_name_plural = _("会商记录")
        indexes = [
            models.Index(fields=["-date", "-id"], name="meeting_date"),
            models.Index(fields=["unit", "kind"], name="meeting_unit_kind"),
        ]

    def __str__(self) -> str:
        return self.title
