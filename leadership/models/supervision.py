"""Supervision (O1): the numbered supervision order (督办单, 督办通知书) a leader sends to a
unit with its replies (督办回复), and the leader's written instruction (批示).

Both are about exactly one thing: a lead, a remediation item, or a lagging figure of the
addressee unit (a counter key of leadership.selectors.levers with its value when issued).
Leads and items are referenced by label ("leads.Lead", "remediation.Item"): leadership
reaches those apps only through their ports, never through their models modules.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify.models import Officer, Unit


class SupervisionAbout(models.TextChoices):
    LEAD = "lead", _("问题线索")
    ITEM = "item", _("整改问题")
    FIGURE = "figure", _("工作指标")


# One of lead, item, figure_key is set, matching `about`.
ABOUT_ONE_Q = (
    Q(about=SupervisionAbout.LEAD, lead__isnull=False, item__isnull=True, figure_key="")
    | Q(about=SupervisionAbout.ITEM, item__isnull=False, lead__isnull=True, figure_key="")
    | Q(about=SupervisionAbout.FIGURE, lead__isnull=True, item__isnull=True) & ~Q(figure_key="")
)


class SupervisedMatter(models.Model):
    """What an order or an instruction is about, and to whom it goes (the fields both share)."""

    about = models.CharField(_("督办事项类别"), max_length=10, choices=SupervisionAbout.choices)
    lead = models.ForeignKey(
        "leads.Lead",
        verbose_name=_("问题线索"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    item = models.ForeignKey(
        "remediation.Item",
        verbose_name=_("整改问题"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    figure_key = models.CharField(_("指标"), max_length=80, blank=True)
    figure_value = models.FloatField(_("下发时指标值"), null=True, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("主送单位"), on_delete=models.PROTECT, related_name="+"
    )
    issuer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发领导"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("下发时间"), default=timezone.now)

    class Meta:
        abstract = True


class OrderStatus(models.TextChoices):
    ISSUED = "issued", _("已下发，待回复")
    REPLIED = "replied", _("已回复，待审核")
    RETURNED = "returned", _("已退回，待再次回复")
    CLOSED = "closed", _("已办结")


OPEN_ORDER_STATUSES = (OrderStatus.ISSUED, OrderStatus.REPLIED, OrderStatus.RETURNED)


class SupervisionSequence(models.Model):
    """The last number given in a year: locked while an order is numbered, so numbers are
    gapless and never given twice (the unique (year, seq) of the order is the backstop)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("督办单编号")
        verbose_name_plural = _("督办单编号")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class SupervisionOrder(SupervisedMatter):
    """督办通知书: numbered 督办〔year〕seq号, a deadline and a required reply. Issued by a
    leader (Role.LEADER over the addressee unit) in their own name; office staff prepare but
    do not sign, so the signer printed on the notice is always the leader who issued it."""

    year = models.PositiveSmallIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("序号"))
    content = models.TextField(_("督办事项"))
    requirement = models.TextField(_("督办要求"))
    deadline = models.DateField(_("回复期限"))
    status = models.CharField(
        _("状态"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.ISSUED
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # Set once by the daily escalation when no reply was accepted by the deadline.
    escalated_at = models.DateTimeField(_("逾期上报时间"), null=True, blank=True)
    escalated_unit = models.ForeignKey(
        Unit,
        verbose_name=_("上报至单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    escalated_person = models.ForeignKey(
        Officer,
        verbose_name=_("上报至责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "seq"], name="supervision_order_number"),
            models.CheckConstraint(condition=ABOUT_ONE_Q, name="supervision_order_about_one"),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="sv_order_status_deadline"),
            models.Index(fields=["issuer", "status"], name="sv_order_issuer_status"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"督办〔{self.year}〕{self.seq}号"

    @property
    def is_open(self) -> bool:
        return self.status != OrderStatus.CLOSED

    def is_overdue(self, today: object = None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.deadline < today


class ReplyState(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("已认可")
    RETURNED = "returned", _("已退回")


class SupervisionReply(models.Model):
    """督办回复: one round of the addressee unit's answer, accepted or returned by the issuer."""

    order = models.ForeignKey(SupervisionOrder, on_delete=models.CASCADE, related_name="replies")
    round = models.PositiveSmallIntegerField(_("轮次"))
    text = models.TextField(_("回复内容"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回复人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("回复时间"), default=timezone.now)
    state = models.CharField(
        _("审核"), max_length=10, choices=ReplyState.choices, default=ReplyState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("退回理由"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("督办回复")
        verbose_name_plural = _("督办回复")
        ordering = ["order", "round"]
        constraints = [
            models.UniqueConstraint(fields=["order", "round"], name="supervision_reply_round")
        ]

    def __str__(self) -> str:
        return f"{self.order.number} · {self.round}"


class InstructionStatus(models.TextChoices):
    ISSUED = "issued", _("待签收")
    ACKNOWLEDGED = "acknowledged", _("已签收，待报办理情况")
    ANSWERED = "answered", _("已办理")


class Instruction(SupervisedMatter):
    """批示: a leader's written instruction to a unit (and optionally a named person of it);
    the addressee acknowledges it (签收) and answers how it was handled (办理情况)."""

    person = models.ForeignKey(
        Officer,
        verbose_name=_("批示对象（个人）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("批示内容"))
    deadline = models.DateField(_("办理期限"), null=True, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=14,
        choices=InstructionStatus.choices,
        default=InstructionStatus.ISSUED,
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    answer = models.TextField(_("办理情况"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("办理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("领导批示")
        verbose_name_plural = _("领导批示")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=ABOUT_ONE_Q, name="instruction_about_one"),
        ]
        indexes = [models.Index(fields=["issuer", "status"], name="sv_instr_issuer_status")]

    def __str__(self) -> str:
        return _("批示 %(unit)s %(date)s") % {
            "unit": self.unit.name,
            "date": timezone.localtime(self.issued_at).date(),
        }

    def is_overdue(self, today: object = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status != InstructionStatus.ANSWERED
            and self.deadline is not None
            and self.deadline < today
        )
