"""What remediation shows the public (O4–O6): a unit's commitments (整治承诺), its practical
matters for the people (我为群众办实事), and its typical cases (查处典型案例), the last
published only after a leader approves them (rectify.approval, shared with self-check's
warning cases)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify.approval import ApprovalMixin
from rectify.models import Campaign, Officer, Unit

from .plans import Document, Item


class Commitment(models.Model):
    """整治承诺: what a unit promises the public to put right (O4). Shown on the unit's
    public page once published."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("承诺事项"), max_length=200)
    text = models.TextField(_("承诺内容"))
    is_published = models.BooleanField(_("向社会公开"), default=False)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    due_date = models.DateField(_("承诺完成时限"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("整治承诺")
        verbose_name_plural = _("整治承诺")
        indexes = [models.Index(fields=["unit", "is_published"], name="commitment_unit_pub")]

    def __str__(self) -> str:
        return self.title


class PracticalMatter(models.Model):
    """我为群众办实事 (O5): a commitment with an owner and a deadline, completed with
    evidence; a public one appears on the unit's public page."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("实事项目"), max_length=200)
    commitment = models.TextField(_("承诺内容"))
    owner = models.ForeignKey(
        Officer, verbose_name=_("责任人"), on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("完成时限"))
    is_public = models.BooleanField(_("向社会公开"), default=False)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    completion_note = models.TextField(_("完成情况"), blank=True)
    evidence = models.ForeignKey(
        Document,
        verbose_name=_("佐证材料"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("为群众办实事")
        verbose_name_plural = _("为群众办实事")
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="matter_created"),
            models.Index(fields=["unit", "completed_at"], name="matter_unit_done"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(completed_at__isnull=True) | models.Q(evidence__isnull=False),
                name="matter_done_with_evidence",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None

    def is_overdue(self, today: object) -> bool:
        return self.completed_at is None and self.deadline < today  # type: ignore[operator]


class TypicalCase(ApprovalMixin, models.Model):
    """查处典型案例 for publicity (O6): drafted by office staff, published only after a leader
    of the unit's subtree approves it. Published cases appear on the unit's public page and
    in the case list of every officer of the unit's subtree; before that only the office
    staff and leaders of the subtree see them."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, verbose_name=_("发布单位"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("案例内容"))
    items = models.ManyToManyField(
        Item, verbose_name=_("关联整改问题"), blank=True, related_name="typical_cases"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("典型案例宣传")
        verbose_name_plural = _("典型案例宣传")
        indexes = [models.Index(fields=["unit", "status"], name="typicalcase_unit_status")]

    def __str__(self) -> str:
        return self.title
