"""Heart-to-heart talks (S1) and their corrections."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify.models import Campaign, Officer


class TalkTrigger(models.Model):
    """A case of the "六必谈" rule (configurable: the speech names the rule, not its cases)."""

    code = models.SlugField(unique=True)
    name = models.CharField(_("谈话情形"), max_length=100)
    order = models.PositiveSmallIntegerField(default=10)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("谈心谈话情形")
        verbose_name_plural = _("谈心谈话情形")

    def __str__(self) -> str:
        return self.name


DEFAULT_TALK_TRIGGERS = [
    ("promotion", "职务调整、岗位交流时"),
    ("discipline", "受到批评、处分或问责时"),
    ("family", "家庭发生重大变故时"),
    ("mood", "思想情绪出现明显波动时"),
    ("lead", "涉及问题线索、信访举报时"),
    ("selfcheck", "自查事项报告填报前后"),
]


class Talk(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        Officer, verbose_name=_("谈话对象"), on_delete=models.PROTECT, related_name="talks"
    )
    # The talker is an officer of the register. Records made before that kept a typed name
    # (talker_name); new records leave it empty and the name comes from `talker`.
    talker = models.ForeignKey(
        Officer,
        verbose_name=_("谈话人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="talks_given",
    )
    talker_name = models.CharField(_("谈话人（旧记录）"), max_length=100, blank=True)
    talked_on = models.DateField(_("谈话日期"))
    trigger = models.ForeignKey(
        TalkTrigger, verbose_name=_("谈话情形"), on_delete=models.PROTECT, related_name="talks"
    )
    points = models.TextField(_("谈话要点"))
    follow_up = models.TextField(_("后续跟进"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("谈心谈话记录")
        verbose_name_plural = _("谈心谈话记录")
        indexes = [
            models.Index(fields=["campaign", "officer"]),
            models.Index(fields=["campaign", "trigger"]),
            models.Index(fields=["-talked_on", "-id"]),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.talked_on}"

    @property
    def talker_display(self) -> str:
        return self.talker.name if self.talker_id else self.talker_name


class TalkCorrection(models.Model):
    """A correction of a talk record: why, by whom, and each changed field's old and new
    value (as shown to users), so the record's history stays readable."""

    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="corrections")
    reason = models.TextField(_("更正原因"))
    changes = models.JSONField(_("更正内容"))  # {field label: {"old": str, "new": str}}
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    corrected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["corrected_at", "id"]
        verbose_name = _("谈话记录更正")
        verbose_name_plural = _("谈话记录更正")

    def __str__(self) -> str:
        return f"{self.talk_id} {self.corrected_at:%Y-%m-%d}"
