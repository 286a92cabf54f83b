"""Remediation plans, their problem lists and what an item needs to close (R1–R6).

A plan (整治方案) exists per unit, per campaign, per chronic problem (one of the six, or one
of the unit's "N" self-check items). Its items (问题清单) carry kind, tags, origin, root
causes, measures, evidence, every acceptance attempt and the accountability records that
the third of the three don'ts (三个不放过) asks for. Status moves only through
remediation.services (one state machine); overdue is computed from the deadline.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify.models import Campaign, ChronicProblem, Officer, ResponsibleMixin, Unit


class Document(models.Model):
    """A file kept in the database (plan documents, evidence, rules): served only through
    permission-checked, audited download views of the object that links it."""

    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField(editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("整改文件")
        verbose_name_plural = _("整改文件")

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    """整治方案: one per unit, campaign and chronic problem (or "N" item) (R4)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="remediation_plans"
    )
    problem = models.CharField(
        _("顽瘴痼疾"), max_length=20, choices=ChronicProblem.choices, blank=True
    )
    # One of the unit's "N" items (六+N) instead of the six; by name, not import: remediation
    # reaches selfcheck only through its services and selectors.
    n_item = models.ForeignKey(
        "selfcheck.ItemConfig",
        verbose_name=_("“N”项问题"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("方案名称"), max_length=200)
    goal = models.TextField(_("整治目标"))
    measures = models.TextField(_("主要措施"), blank=True)
    leader = models.ForeignKey(
        Officer,
        verbose_name=_("责任领导"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("完成时限"))
    document = models.ForeignKey(
        Document,
        verbose_name=_("方案文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("整治方案")
        verbose_name_plural = _("整治方案")
        constraints = [
            models.CheckConstraint(
                condition=(Q(problem="") & Q(n_item__isnull=False))
                | (~Q(problem="") & Q(n_item__isnull=True)),
                name="plan_one_problem",
            ),
            models.UniqueConstraint(
                fields=["campaign", "unit", "problem"],
                condition=~Q(problem=""),
                name="plan_unique_problem",
            ),
            models.UniqueConstraint(
                fields=["campaign", "unit", "n_item"],
                condition=Q(n_item__isnull=False),
                name="plan_unique_n_item",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "unit"], name="plan_campaign_unit")]

    def __str__(self) -> str:
        return self.title


class ItemKind(models.TextChoices):
    """R1: 多发性、顽固性、典型性."""

    FREQUENT = "frequent", _("多发性")
    STUBBORN = "stubborn", _("顽固性")
    TYPICAL = "typical", _("典型性")


class ItemOrigin(models.TextChoices):
    SELFCHECK = "selfcheck", _("自查自纠")
    LEAD = "lead", _("问题线索")
    CASE_REVIEW = "case_review", _("案件评查")
    PUBLIC = "public", _("群众反映")
    INSPECTION = "inspection", _("督导检查")


class ItemStatus(models.TextChoices):
    """R5. Overdue is not a status: it is computed from the deadline."""

    OPEN = "open", _("待整改")
    IN_PROGRESS = "in_progress", _("整改中")
    RECTIFIED = "rectified", _("待验收")
    ACCEPTED = "accepted", _("已验收")


class Item(ResponsibleMixin, models.Model):
    """One problem of a plan's problem list (问题清单)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="items")
    # Denormalised from the plan for scoped, indexed lists (the item's own unit).
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    # Stable number: the key of idempotent imports and of every reference on paper.
    number = models.CharField(_("问题编号"), max_length=40, unique=True)
    description = models.TextField(_("问题描述"))
    kind = models.CharField(_("问题类型"), max_length=12, choices=ItemKind.choices)
    # R2 tags.
    is_hotspot = models.BooleanField(_("群众反映强烈的热点"), default=False)
    is_blocking = models.BooleanField(_("制约执法司法的堵点"), default=False)
    is_difficulty = models.BooleanField(_("影响“四化”建设的难点"), default=False)
    origin = models.CharField(_("问题来源"), max_length=12, choices=ItemOrigin.choices)
    # The source object, where there is one (生成整改问题). Named, not imported.
    source_lead = models.ForeignKey(
        "leads.Lead",
        verbose_name=_("来源线索"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="remediation_items",
    )
    source_report = models.ForeignKey(
        "selfcheck.SelfCheckReport",
        verbose_name=_("来源自查报告"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="remediation_items",
    )
    source_item_key = models.CharField(_("来源自查事项"), max_length=40, blank=True)
    # R3 root-cause analysis.
    cause_ideals = models.TextField(_("理想信念方面"), blank=True)
    cause_purpose = models.TextField(_("宗旨意识方面"), blank=True)
    cause_party_spirit = models.TextField(_("党性修养方面"), blank=True)
    cause_discipline = models.TextField(_("纪律观念方面"), blank=True)
    deadline = models.DateField(_("整改时限"))
    status = models.CharField(
        _("状态"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    # Officers the item is about: recusal applies to them (like lead subjects).
    subjects = models.ManyToManyField(
        Officer, verbose_name=_("涉及人员"), blank=True, related_name="+"
    )
    rectified_at = models.DateTimeField(_("整改完成时间"), null=True, blank=True)
    rectified_note = models.TextField(_("整改情况"), blank=True)
    accepted_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Condition (2) of the three don'ts may be waived by a leader, with a reason.
    survey_waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    survey_waiver_reason = models.CharField(_("免于群众验收理由"), max_length=500, blank=True)
    # R6: escalated to the superior unit's item (表现在基层、根子在上面).
    escalated_to = models.OneToOneField(
        "self",
        verbose_name=_("上报上级问题"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalated_from",
    )
    escalation_reason = models.CharField(_("上报理由"), max_length=500, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("整改问题")
        verbose_name_plural = _("整改问题")
        indexes = [
            models.Index(fields=["unit", "status", "deadline"], name="item_unit_status"),
            models.Index(fields=["status", "deadline"], name="item_status_deadline"),
            models.Index(fields=["-created_at", "-id"], name="item_created"),
            models.Index(fields=["plan", "status"], name="item_plan_status"),
            models.Index(fields=["origin"], name="item_origin"),
        ]

    def __str__(self) -> str:
        return self.number

    def is_overdue(self, today: object) -> bool:
        return self.status != ItemStatus.ACCEPTED and self.deadline < today  # type: ignore[operator]


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("未开始")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")


class Measure(models.Model):
    """对策措施: an item has several, each with owner, deadline, status and progress notes."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="measures")
    text = models.TextField(_("措施内容"))
    owner = models.ForeignKey(
        Officer,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deadline = models.DateField(_("完成时限"))
    status = models.CharField(
        _("状态"), max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("对策措施")
        verbose_name_plural = _("对策措施")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["owner", "status", "deadline"], name="measure_owner")]

    def __str__(self) -> str:
        return self.text[:40]


class MeasureNote(models.Model):
    """A progress note on a measure (append-only)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("进展情况"))
    progress = models.PositiveSmallIntegerField(_("完成进度（%）"), null=True, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("措施进展")
        verbose_name_plural = _("措施进展")
        ordering = ["written_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class EvidenceStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已认可")
    REJECTED = "rejected", _("不予认可")


class Evidence(models.Model):
    """整改佐证材料: a file and a note, reviewed by the supervising office."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="evidence")
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("说明"), max_length=500, blank=True)
    status = models.CharField(
        _("审核状态"),
        max_length=10,
        choices=EvidenceStatus.choices,
        default=EvidenceStatus.SUBMITTED,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return self.note or str(self.document_id)


class AttemptDecision(models.TextChoices):
    PENDING = "pending", _("待验收")
    ACCEPTED = "accepted", _("验收通过")
    RETURNED = "returned", _("退回整改")


class AcceptanceAttempt(models.Model):
    """Every submission for acceptance and its outcome; a return keeps its reason."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="attempts")
    note = models.TextField(_("整改情况"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(
        _("验收结论"),
        max_length=10,
        choices=AttemptDecision.choices,
        default=AttemptDecision.PENDING,
    )
    reason = models.TextField(_("退回理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("验收记录")
        verbose_name_plural = _("验收记录")
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.decision}"


class ResponsibilityLevel(models.TextChoices):
    DIRECT = "direct", _("直接责任")
    MAIN_LEADER = "main_leader", _("主要领导责任")
    LEADER = "leader", _("重要领导责任")


class Disposition(models.TextChoices):
    """The four forms of supervision and discipline (监督执纪“四种形态”)."""

    FIRST = "first", _("第一种形态（批评教育、谈话提醒）")
    SECOND = "second", _("第二种形态（党纪轻处分、组织调整）")
    THIRD = "third", _("第三种形态（党纪重处分、重大职务调整）")
    FOURTH = "fourth", _("第四种形态（严重违纪涉嫌违法立案审查）")


class Accountability(models.Model):
    """问责记录: condition (3) of the three don'ts. Either a person dealt with, or a
    recorded finding that nobody is to blame (`no_one_to_blame`, with its reason)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="accountability")
    officer = models.ForeignKey(
        Officer,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    person_name = models.CharField(_("姓名"), max_length=100, blank=True)
    level = models.CharField(
        _("责任类型"), max_length=12, choices=ResponsibilityLevel.choices, blank=True
    )
    disposition = models.CharField(
        _("处理方式"), max_length=8, choices=Disposition.choices, blank=True
    )
    detail = models.TextField(_("处理情况"), blank=True)
    no_one_to_blame = models.BooleanField(_("经查无责任人"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("问责记录")
        verbose_name_plural = _("问责记录")
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(no_one_to_blame=True)
                | (
                    ~Q(level="")
                    & ~Q(disposition="")
                    & (Q(officer__isnull=False) | ~Q(person_name=""))
                ),
                name="accountability_complete",
            )
        ]

    def __str__(self) -> str:
        return self.person_name or str(self.officer_id or "")
