"""The report: configuration (N items, policy), the report and its frozen versions,
review, and questions (S6)."""

from __future__ import annotations

import hashlib
import json
from typing import NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify.models import Campaign, Officer, Unit

from .uscc import validate_uscc


class AnswerKind(models.TextChoices):
    YESNO = "yesno", _("是/否 + 具体情况")
    TEXT = "text", _("文字填写")
    DATE = "date", _("日期")


class ItemConfig(models.Model):
    """An "N" item (六+N) a unit adds for its officers; inherited by the unit's whole subtree.

    Submitted versions copy the item's text and kind, so editing or retiring an item never
    changes a report already submitted.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("适用单位（含下级）"), on_delete=models.CASCADE)
    order = models.PositiveSmallIntegerField(_("排序"), default=10)
    text = models.CharField(_("自查事项"), max_length=300)
    help_text = models.CharField(_("填写说明"), max_length=500, blank=True)
    kind = models.CharField(
        _("回答方式"), max_length=10, choices=AnswerKind.choices, default=AnswerKind.YESNO
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("“N”项自查事项")
        verbose_name_plural = _("“N”项自查事项")
        indexes = [models.Index(fields=["campaign", "unit", "is_active"])]

    def __str__(self) -> str:
        return self.text

    @property
    def key(self) -> str:
        return f"n{self.pk}"


class CampaignPolicy(models.Model):
    """The campaign's own words for the leniency policy shown on the form (S4)."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="+")
    leniency_text = models.TextField(_("政策宣讲"))

    class Meta:
        verbose_name = _("自查政策说明")
        verbose_name_plural = _("自查政策说明")

    def __str__(self) -> str:
        return str(self.campaign)


DEFAULT_LENIENCY_TEXT = _(
    "在规定期限内主动向组织讲清问题的，依规依纪依法从宽处理；"
    "期限内不说、不主动讲清，被组织查实的，依规依纪依法从严处理。"
)


# --- the report ---------------------------------------------------------------------


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交待审核")
    RETURNED = "returned", _("退回补充")
    ACCEPTED = "accepted", _("审核通过")


class SelfCheckReport(models.Model):
    """One 自查事项报告表 per officer per campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="selfchecks")
    status = models.CharField(
        _("状态"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    draft = models.JSONField(_("草稿"), default=dict, blank=True)
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    latest_version = models.ForeignKey(
        "ReportVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_submitted_at = models.DateTimeField(_("首次提交"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("最近提交"), null=True, blank=True)
    # Late = the first submission fell after the deadline that applies to this officer
    # (cadres earlier, S3). Not-yet-submitted reports are late by date, see selectors.late_q.
    first_in_window = models.BooleanField(null=True, blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("自查事项报告表")
        verbose_name_plural = _("自查事项报告表")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "officer"], name="one_report_per_campaign")
        ]
        indexes = [
            models.Index(fields=["campaign", "status", "-last_submitted_at", "-id"]),
            models.Index(fields=["campaign", "-last_submitted_at", "-id"]),
            models.Index(fields=["campaign", "first_in_window"]),
            # The review queue's groups, newest first (selectors.queue_page).
            models.Index(fields=["campaign", "status", "id"], name="sc_report_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.officer} · {self.get_status_display()}"

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


def content_hash(content: dict) -> str:
    """SHA-256 of the canonical JSON (sorted keys), stable across SQLite JSON and PG jsonb."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class VersionQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> NoReturn:
        raise ValidationError("submitted versions are never changed")

    def delete(self) -> NoReturn:
        raise ValidationError("submitted versions are never deleted")


class ReportVersion(models.Model):
    """A frozen submission. Never updated or deleted: a resubmission makes a new one."""

    report = models.ForeignKey(SelfCheckReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    submitted_at = models.DateTimeField(_("提交时间"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    content = models.JSONField(_("内容快照"))
    content_hash = models.CharField(_("内容哈希（SHA-256）"), max_length=64)
    deadline = models.DateField(_("适用截止日期"))
    in_window = models.BooleanField(_("期限内提交"))

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("报告版本")
        verbose_name_plural = _("报告版本")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="unique_version_number")
        ]
        indexes = [models.Index(fields=["in_window", "submitted_at"])]

    def __str__(self) -> str:
        return f"v{self.number} {self.submitted_at:%Y-%m-%d %H:%M}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValidationError("submitted versions are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> NoReturn:
        raise ValidationError("submitted versions are never deleted")

    def hash_matches(self) -> bool:
        """True when the stored content still hashes to the hash recorded at submission."""
        return content_hash(self.content) == self.content_hash


class VersionAnswer(models.Model):
    """One item's answer in a version: `key` is a ChronicProblem value or "n<ItemConfig id>"."""

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="answers")
    key = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=AnswerKind.choices)
    yes = models.BooleanField(null=True)
    details = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("自查报告各项答复")
        verbose_name_plural = _("自查报告各项答复")
        indexes = [models.Index(fields=["key", "yes", "version"])]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_answer_key")]

    def __str__(self) -> str:
        return f"{self.key}: {self.yes}"


class Relation(models.TextChoices):
    SELF = "self", _("本人")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    CHILD_SPOUSE = "child_spouse", _("子女配偶")
    OTHER = "other", _("其他")


class BusinessRow(models.Model):
    """Item 2: business activity of the officer or a relative (structured, not free text)."""

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="business")
    position = models.PositiveSmallIntegerField()
    relation = models.CharField(_("关系"), max_length=20, choices=Relation.choices)
    name = models.CharField(_("姓名"), max_length=100)
    enterprise = models.CharField(_("企业名称"), max_length=200)
    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, validators=[validate_uscc]
    )
    role = models.CharField(_("担任职务/角色"), max_length=100, blank=True)
    shareholding = models.CharField(_("持股情况"), max_length=100, blank=True)
    period = models.CharField(_("经营期间"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("经商办企业情况")
        verbose_name_plural = _("经商办企业情况")
        indexes = [models.Index(fields=["enterprise"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.name} {self.enterprise}"


class LendingRow(models.Model):
    """Item 3: shareholding and lending."""

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="lending")
    position = models.PositiveSmallIntegerField()
    counterparty = models.CharField(_("对方"), max_length=200)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2, null=True)
    date = models.DateField(_("日期"), null=True, blank=True)
    duty_relation = models.CharField(_("与本人职务的关系"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("参股借贷情况")
        verbose_name_plural = _("参股借贷情况")
        indexes = [models.Index(fields=["counterparty"])]

    def __str__(self) -> str:
        return self.counterparty


class ReviewDecision(models.TextChoices):
    ACCEPT = "accept", _("审核通过")
    RETURN = "return", _("退回补充")


class ReviewAction(models.Model):
    report = models.ForeignKey(SelfCheckReport, on_delete=models.PROTECT, related_name="reviews")
    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="reviews")
    decision = models.CharField(max_length=10, choices=ReviewDecision.choices)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("自查审核记录")
        verbose_name_plural = _("自查审核记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["report", "at"])]

    def __str__(self) -> str:
        return f"{self.decision} {self.at:%Y-%m-%d}"


# --- questions (S6) ---------------------------------------------------------------------


class Question(models.Model):
    """A confidential question from an officer about their form, answered in place."""

    report = models.ForeignKey(SelfCheckReport, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("问题"))
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("自查咨询")
        verbose_name_plural = _("自查咨询")
        ordering = ["asked_at", "id"]
        indexes = [
            models.Index(fields=["report", "asked_at"]),
            models.Index(fields=["answered_at"]),
        ]

    def __str__(self) -> str:
        return self.text[:40]
