"""A campaign's settings for the leaders' side: traffic-light thresholds and the period of the
report to the superior (周报, 旬报, 月报)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from rectify.models import Campaign

PCT = [MinValueValidator(0), MaxValueValidator(100)]


class ReportPeriod(models.TextChoices):
    WEEKLY = "weekly", _("每周（周报）")
    TEN_DAY = "ten_day", _("每旬（旬报）")
    MONTHLY = "monthly", _("每月（月报）")


# What the settings page edits and the audit records.
POLICY_FIELDS = (
    "report_period",
    "filing_green",
    "filing_red",
    "closure_green",
    "closure_red",
    "accepted_green",
    "accepted_red",
    "overdue_amber",
    "overdue_red",
)


class CampaignPolicy(models.Model):
    """Thresholds: a rate at or above `*_green` is green, below `*_red` is red, between is
    amber; an overdue count above `overdue_red` is red, above `overdue_amber` amber."""

    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, related_name="leadership_policy"
    )
    report_period = models.CharField(
        _("报送周期"), max_length=20, choices=ReportPeriod.choices, default=ReportPeriod.WEEKLY
    )
    filing_green = models.PositiveSmallIntegerField(
        _("填报率绿灯（%）"), default=95, validators=PCT
    )
    filing_red = models.PositiveSmallIntegerField(_("填报率红灯（%）"), default=80, validators=PCT)
    closure_green = models.PositiveSmallIntegerField(
        _("查结率绿灯（%）"), default=90, validators=PCT
    )
    closure_red = models.PositiveSmallIntegerField(_("查结率红灯（%）"), default=60, validators=PCT)
    accepted_green = models.PositiveSmallIntegerField(
        _("整改验收率绿灯（%）"), default=80, validators=PCT
    )
    accepted_red = models.PositiveSmallIntegerField(
        _("整改验收率红灯（%）"), default=40, validators=PCT
    )
    overdue_amber = models.PositiveIntegerField(_("逾期件数黄灯（超过）"), default=0)
    overdue_red = models.PositiveIntegerField(_("逾期件数红灯（超过）"), default=5)

    class Meta:
        verbose_name = _("督导设置")
        verbose_name_plural = _("督导设置")

    def __str__(self) -> str:
        return str(self.campaign)

    def clean(self) -> None:
        """A red threshold may not be above its green one (nor the overdue amber above red):
        checked here so the settings page, the admin and any service get the same rule."""
        errors = {}
        for name, red, green in (
            (_("填报率"), "filing_red", "filing_green"),
            (_("查结率"), "closure_red", "closure_green"),
            (_("整改验收率"), "accepted_red", "accepted_green"),
        ):
            low, high = getattr(self, red), getattr(self, green)
            if low is not None and high is not None and low > high:
                errors[red] = _("%(name)s红灯阈值不能高于绿灯阈值。") % {"name": name}
        if (
            self.overdue_amber is not None
            and self.overdue_red is not None
            and self.overdue_amber > self.overdue_red
        ):
            errors["overdue_amber"] = _("逾期件数黄灯阈值不能高于红灯阈值。")
        if errors:
            raise ValidationError(errors)

    @classmethod
    def for_campaign(cls, campaign: Campaign) -> CampaignPolicy:
        """The campaign's policy, or the defaults (unsaved) when none was set."""
        return cls.objects.filter(campaign=campaign).first() or cls(campaign=campaign)
