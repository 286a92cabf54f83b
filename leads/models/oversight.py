"""Oversight of lead handling (L6, L10, L11): jurisdiction changes, risk notes, escalations
and accountability measures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify.models import Officer, Unit

from .lead import Lead


class JurisdictionKind(models.TextChoices):
    CROSS = "cross", _("交叉办理")
    ELSEWHERE = "elsewhere", _("异地办理")
    HIGHER = "higher", _("提级办理")


class JurisdictionChange(models.Model):
    """L6: the lead moves to another handling unit (cross, another place, higher level)."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="jurisdiction_changes")
    kind = models.CharField(_("方式"), max_length=20, choices=JurisdictionKind.choices)
    from_unit = models.ForeignKey(
        Unit, verbose_name=_("原承办单位"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    to_unit = models.ForeignKey(
        Unit, verbose_name=_("新承办单位"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("理由"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("管辖变更")
        verbose_name_plural = _("管辖变更")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.to_unit_id}"


class RiskLevel(models.TextChoices):
    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


class RiskNote(models.Model):
    """L11: a risk assessment (风险研判) about a lead or about an officer."""

    lead = models.ForeignKey(
        Lead, on_delete=models.CASCADE, null=True, blank=True, related_name="risk_notes"
    )
    officer = models.ForeignKey(
        Officer, on_delete=models.CASCADE, null=True, blank=True, related_name="risk_notes"
    )
    level = models.CharField(_("风险等级"), max_length=10, choices=RiskLevel.choices)
    text = models.TextField(_("研判意见"))
    measures = models.TextField(_("防控措施"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("风险研判")
        verbose_name_plural = _("风险研判")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["lead", "at"], name="risknote_lead"),
            models.Index(fields=["officer", "at"], name="risknote_officer"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lead__isnull=False) | models.Q(officer__isnull=False),
                name="risknote_about_something",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.at:%Y-%m-%d}"


class FlagKind(models.TextChoices):
    UNTOUCHED = "untouched", _("有线索不查")
    OVERDUE = "overdue", _("久查不结")


class Escalation(models.Model):
    """L10: a flagged lead reached one more step of the responsibility chain. One row per
    (lead, kind, level): the nightly task is idempotent."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="escalations")
    kind = models.CharField(_("问题"), max_length=20, choices=FlagKind.choices)
    level = models.PositiveSmallIntegerField(_("层级"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        Officer,
        verbose_name=_("责任人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_escalations",
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("逾期上报")
        verbose_name_plural = _("逾期上报")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lead", "kind", "level"], name="escalation_lead_kind_level"
            )
        ]
        indexes = [models.Index(fields=["person", "at"], name="escalation_person")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} L{self.level}"


class AccountabilityMeasure(models.TextChoices):
    TALK = "talk", _("谈话提醒")
    CRITICISM = "criticism", _("批评教育")
    NOTICE = "notice", _("通报批评")
    ADMONITION = "admonition", _("诫勉")
    ADJUSTMENT = "adjustment", _("组织调整")
    DISCIPLINE = "discipline", _("党纪政务处分")
    TRANSFER = "transfer", _("移送纪检监察机关")


class Accountability(models.Model):
    """L10: 追责问责 attached to a lead (for not handling it, or handling it too slowly)."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="accountabilities")
    officer = models.ForeignKey(
        Officer,
        verbose_name=_("被问责人（在册）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    person_name = models.CharField(_("被问责人"), max_length=100)
    unit = models.ForeignKey(
        Unit, verbose_name=_("被问责单位"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    measure = models.CharField(_("问责方式"), max_length=20, choices=AccountabilityMeasure.choices)
    reason = models.TextField(_("问责事由"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("追责问责")
        verbose_name_plural = _("追责问责")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.person_name} {self.get_measure_display()}"
