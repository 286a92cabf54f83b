"""The public acceptance survey (群众验收, O4) and the campaign's threshold that condition
(2) of the three don'ts reads. Codes are one-time: printed on slips, each answers once.
Nothing here keeps an address, a browser or a cookie of the person answering."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify.models import Campaign, Unit

from .plans import Item


class RemediationPolicy(models.Model):
    """Per-campaign settings of remediation."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="+")
    # An item's survey is passed when it has at least `survey_min_responses` answers and
    # their average satisfaction is at least `survey_threshold` (1–5).
    survey_min_responses = models.PositiveSmallIntegerField(_("群众验收最少份数"), default=5)
    survey_threshold = models.DecimalField(
        _("满意度达标线（1–5分）"), max_digits=3, decimal_places=2, default=Decimal("4.00")
    )
    # R8: sensitive posts and how long an officer may stay in one.
    rotation_years = models.PositiveSmallIntegerField(_("敏感岗位轮岗年限"), default=5)
    sensitive_posts = models.TextField(
        _("敏感岗位（每行一个关键词）"), blank=True, help_text=_("岗位名称含其中任一词即为敏感岗位")
    )

    class Meta:
        verbose_name = _("整改设置")
        verbose_name_plural = _("整改设置")

    def __str__(self) -> str:
        return str(self.campaign)


class SurveyBatch(models.Model):
    """A set of one-time codes printed for an item or for a unit as a whole."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        Item,
        verbose_name=_("整改问题"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_batches",
    )
    size = models.PositiveIntegerField(_("份数"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("群众验收批次")
        verbose_name_plural = _("群众验收批次")

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.item_id or '-'}/{self.size}"


class SurveyCode(models.Model):
    """One slip. Only a digest of the code is stored; the printed code is shown once."""

    batch = models.ForeignKey(SurveyBatch, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("验收码")
        verbose_name_plural = _("验收码")

    def __str__(self) -> str:
        return self.digest[:8]


class SurveyResponse(models.Model):
    """One answer: satisfaction 1–5 and a comment; unit and item copied from the batch so
    results per item and per unit are one indexed aggregate."""

    code = models.OneToOneField(SurveyCode, on_delete=models.PROTECT, related_name="response")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.PROTECT, related_name="survey_responses"
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("满意度"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("意见建议"), blank=True)
    # The day only: a time of day could be matched with a visitor at the office.
    answered_on = models.DateField(_("日期"), default=timezone.localdate)

    class Meta:
        verbose_name = _("群众验收意见")
        verbose_name_plural = _("群众验收意见")
        indexes = [
            models.Index(fields=["item"], name="surveyresponse_item"),
            models.Index(fields=["unit"], name="surveyresponse_unit"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1) & Q(satisfaction__lte=5), name="satisfaction_1_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.satisfaction}"
