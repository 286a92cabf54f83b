"""Lead ledger (组织查处, DOMAIN.md §4): channels, the lead and its status, numbering,
subjects and their register candidates, the original public report (timeline and
signatures: leads.models.events).

`Lead.status` is written only by `leads.workflow.lead_transition` (STYLE.md §2). Reporter
identity is encrypted at rest (leads.crypto, MultiFernet); a public report is found again
only by the SHA-256 of its high-entropy receipt code, never by anything about the reporter.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify.models import ChronicProblem, Office, Officer, Unit

from .. import crypto


class Channel(models.Model):
    """Where a lead came from (configurable; the speech's twelve are seeded by migration)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("线索来源")
        verbose_name_plural = _("线索来源")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


PUBLIC_CHANNEL_CODE = "online"

# The four focus areas (四个方面的查处重点, L8).
FOCUS_AREAS = ("two_faced", "umbrella", "judicial_corruption", "unrestrained")


class LeadCategory(models.TextChoices):
    INTERFERENCE = ChronicProblem.INTERFERENCE.value, ChronicProblem.INTERFERENCE.label
    BUSINESS = ChronicProblem.BUSINESS.value, ChronicProblem.BUSINESS.label
    LENDING = ChronicProblem.LENDING.value, ChronicProblem.LENDING.label
    SENTENCE = ChronicProblem.SENTENCE.value, ChronicProblem.SENTENCE.label
    INACTION = ChronicProblem.INACTION.value, ChronicProblem.INACTION.label
    BROKER = ChronicProblem.BROKER.value, ChronicProblem.BROKER.label
    TWO_FACED = "two_faced", _("对党不忠诚不老实、搞团团伙伙的“两面人”")
    UMBRELLA = "umbrella", _("充当黑恶势力“保护伞”")
    JUDICIAL_CORRUPTION = "judicial_corruption", _("滥权裁判、徇私枉法等司法腐败")
    UNRESTRAINED = "unrestrained", _("党的十八大以来不收敛不收手")
    OTHER = "other", _("其他")


class LeadStatus(models.TextChoices):
    UNREGISTERED = "unregistered", _("待登记")
    REGISTERED = "registered", _("待筛查")
    HANDLING = "handling", _("办理中")
    HELD = "held", _("暂存待查")
    TRANSFERRED = "transferred", _("已移交纪委监委")
    SIGNING = "signing", _("查否待签字")
    CONCLUDED = "concluded", _("已办结")
    CROSSED_OFF = "crossed_off", _("已销号")
    MERGED = "merged", _("已并案")
    CLOSED = "closed", _("予以了结")


UNSCREENED = (LeadStatus.UNREGISTERED, LeadStatus.REGISTERED)
# Ended without further work: nothing more is recorded on these (crossing off is the end of
# CONCLUDED, which workflow handles).
FINAL_STATUSES = (LeadStatus.CROSSED_OFF, LeadStatus.MERGED, LeadStatus.CLOSED)
OPEN_STATUSES = (
    LeadStatus.UNREGISTERED,
    LeadStatus.REGISTERED,
    LeadStatus.HANDLING,
    LeadStatus.HELD,
    LeadStatus.TRANSFERRED,
    LeadStatus.SIGNING,
)


class LeadRoute(models.TextChoices):
    """How a screened lead is handled (the triage's disposal route)."""

    VERIFICATION = "verification", _("交办核查")
    TALK_INQUIRY = "talk_inquiry", _("谈话函询")
    PRELIMINARY = "preliminary", _("初步核实")


class LeadConclusion(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("查实")
    PARTLY = "partly", _("部分查实")
    UNFOUNDED = "unfounded", _("查否")


class DispositionForm(models.TextChoices):
    """四种形态 for substantiated leads."""

    FIRST = "1", _("第一种形态：批评教育、谈话提醒")
    SECOND = "2", _("第二种形态：轻处分、组织调整")
    THIRD = "3", _("第三种形态：重处分、重大职务调整")
    FOURTH = "4", _("第四种形态：严重违纪违法、移送司法")


def conclusion_hash(conclusion: str, result: str, form: str = "") -> str:
    """SHA-256 of the exact conclusion a signature binds (any edit changes it)."""
    payload = "\x1f".join([conclusion or "", form or "", result or ""])
    return hashlib.sha256(payload.encode()).hexdigest()


def receipt_hash(code: str) -> str:
    return hashlib.sha256(("rectify-receipt:" + code).encode()).hexdigest()


class Lead(models.Model):
    number = models.CharField(_("线索编号"), max_length=40, unique=True, null=True, blank=True)
    office = models.ForeignKey(
        Office, verbose_name=_("受理办公室"), on_delete=models.PROTECT, related_name="leads"
    )
    received_date = models.DateField(_("受理日期"), default=timezone.localdate)
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("线索来源"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.CharField(
        _("问题类别"), max_length=30, choices=LeadCategory.choices, default=LeadCategory.OTHER
    )
    summary = models.TextField(_("反映内容摘要"))
    subject_unit = models.ForeignKey(
        Unit,
        verbose_name=_("被反映人单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("办理状态"), max_length=20, choices=LeadStatus.choices, default=LeadStatus.REGISTERED
    )
    route = models.CharField(_("处置方式"), max_length=20, choices=LeadRoute.choices, blank=True)
    handling_unit = models.ForeignKey(
        Unit,
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handler = models.ForeignKey(
        Officer,
        verbose_name=_("承办人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_leads",
    )
    # A handler named in an imported ledger who is not in the officer register: kept as
    # written (never a refused row) until someone picks the officer.
    handler_text = models.CharField(_("承办人（未在册）"), max_length=100, blank=True)
    deadline = models.DateField(_("办理期限"), null=True, blank=True)
    transfer_body = models.CharField(_("移交机关"), max_length=200, blank=True)
    transfer_date = models.DateField(_("移交日期"), null=True, blank=True)
    transfer_feedback = models.TextField(_("移交反馈"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("并入线索"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    close_reason = models.TextField(_("了结/暂存理由"), blank=True)
    conclusion = models.CharField(
        _("办理结论"), max_length=20, choices=LeadConclusion.choices, blank=True
    )
    disposition_form = models.CharField(
        _("处理形态"), max_length=2, choices=DispositionForm.choices, blank=True
    )
    result = models.TextField(_("办理结果"), blank=True)
    # Substantiated leads: who was dealt with and how (四种形态 per person).
    dealt_with = models.TextField(_("处理人员及处理情况"), blank=True)
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    crossed_off_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    screened_at = models.DateTimeField(_("筛查时间"), null=True, blank=True)
    registered_at = models.DateTimeField(_("登记时间"), null=True, blank=True)
    reporter_anonymous = models.BooleanField(_("匿名"), default=True)
    reporter_name_enc = models.TextField(_("反映人（密文）"), blank=True, editable=False)
    reporter_contact_enc = models.TextField(_("联系方式（密文）"), blank=True, editable=False)
    is_public = models.BooleanField(_("网上举报"), default=False)
    receipt_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    reporter_rating = models.PositiveSmallIntegerField(_("举报人评价"), null=True, blank=True)
    # L10: the last time anybody worked the lead (assignment, a timeline entry, a conclusion);
    # a lead under handling with no activity for LEADS_UNTOUCHED_DAYS is 有线索不查.
    last_activity_at = models.DateTimeField(_("最近办理时间"), null=True, blank=True)
    # L6: listed supervision (挂牌督办) by a named leader, with its own deadline.
    supervisor = models.ForeignKey(
        Officer,
        verbose_name=_("挂牌督办领导"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_leads",
    )
    supervision_deadline = models.DateField(_("督办期限"), null=True, blank=True)
    supervision_listed_at = models.DateTimeField(_("挂牌时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("问题线索")
        verbose_name_plural = _("问题线索")
        ordering = ["-received_date", "-id"]
        indexes = [
            models.Index(fields=["office", "status", "received_date"], name="lead_office_status"),
            models.Index(fields=["-received_date", "-id"], name="lead_received"),
            models.Index(fields=["status", "received_date"], name="lead_status_received"),
            models.Index(fields=["handling_unit", "status"], name="lead_unit_status"),
            models.Index(fields=["handler", "status"], name="lead_handler_status"),
            models.Index(fields=["category"], name="lead_category"),
            models.Index(fields=["channel"], name="lead_channel"),
            models.Index(fields=["deadline"], name="lead_deadline"),
            models.Index(fields=["status", "last_activity_at"], name="lead_status_activity"),
            models.Index(fields=["supervisor", "status"], name="lead_supervisor_status"),
        ]

    def __str__(self) -> str:
        if self.number:
            return self.number
        # Not numbered yet: the database id means nothing to people and the receipt code
        # belongs to the reporter alone, so the lead is named by the day it came in.
        day = f"{self.received_date:%Y-%m-%d}" if self.received_date else ""
        label = _("未登记网上举报") if self.is_public else _("未登记线索")
        return f"{label}（{day} 收到）" if day else str(label)

    # Reporter identity: plaintext never touches the database.
    @property
    def reporter_name(self) -> str:
        return crypto.decrypt(self.reporter_name_enc)

    @reporter_name.setter
    def reporter_name(self, value: str) -> None:
        self.reporter_name_enc = crypto.encrypt((value or "").strip())

    @property
    def reporter_contact(self) -> str:
        return crypto.decrypt(self.reporter_contact_enc)

    @reporter_contact.setter
    def reporter_contact(self, value: str) -> None:
        self.reporter_contact_enc = crypto.encrypt((value or "").strip())

    @property
    def is_screened(self) -> bool:
        return self.status not in UNSCREENED

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_writable(self) -> bool:
        """Whether anything may still be recorded on the lead (not archived, not ended)."""
        return not self.is_archived and self.status not in FINAL_STATUSES

    @property
    def is_overdue(self) -> bool:
        return bool(self.deadline and self.is_open and self.deadline < timezone.localdate())

    def intake_due(self) -> dt.date:
        return self.received_date + dt.timedelta(days=settings.LEADS_INTAKE_DAYS)

    @property
    def is_intake_overdue(self) -> bool:
        return self.status in UNSCREENED and self.intake_due() < timezone.localdate()

    def conclusion_hash(self) -> str:
        return conclusion_hash(self.conclusion, self.result, self.disposition_form)


class LeadCounter(models.Model):
    """The last number given per office and year (locked row → concurrency-safe numbering)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("线索编号计数器")
        verbose_name_plural = _("线索编号计数器")
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="leadcounter_office_year")
        ]

    def __str__(self) -> str:
        return f"{self.office_id}-{self.year}: {self.last}"


class LeadSubject(models.Model):
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="subjects")
    officer = models.ForeignKey(
        Officer,
        verbose_name=_("被反映人（在册）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_subjects",
    )
    name = models.CharField(_("被反映人"), max_length=100)
    unit_name = models.CharField(_("单位"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("被反映人")
        verbose_name_plural = _("被反映人")
        indexes = [
            models.Index(fields=["officer", "lead"], name="leadsubject_officer"),
            # A lead's linked subjects (L12's subqueries, recusal): both conditions in one
            # index, so the plan cannot scan every linked subject per lead (it did, at 50,000
            # leads imported in one transaction before statistics caught up).
            models.Index(fields=["lead", "officer"], name="leadsubject_lead_officer"),
        ]

    def __str__(self) -> str:
        return self.name


class CandidateState(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    RULED_OUT = "ruled_out", _("已排除")


class LeadSubjectCandidate(models.Model):
    """An officer a subject of the lead may mean (recusal by identity, not only by a link).

    Written with the subjects (`leads.services.lead_subject_candidates_sync`) by every path
    that writes them: the public page, registration, edits, the ledger import. A subject
    typed as a name or a number is matched against the whole officer register, whatever the
    writer's scope: the rows only ever exclude (`leads.access.leads_visible_to` hides the
    lead from every officer with a row that is not ruled out), they never show anybody an
    officer outside their scope. Intake confirms the officer (the subject is linked to them)
    or rules the match out; until then the officer is recused.
    """

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="subject_candidates")
    officer = models.ForeignKey(
        Officer, verbose_name=_("可能的被反映人"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("被反映人（填写）"), max_length=100)
    state = models.CharField(
        _("确认状态"),
        max_length=20,
        choices=CandidateState.choices,
        default=CandidateState.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("被反映人待确认")
        verbose_name_plural = _("被反映人待确认")
        ordering = ["lead", "name", "officer"]
        constraints = [
            models.UniqueConstraint(fields=["lead", "officer"], name="leadcandidate_lead_officer")
        ]
        # The recusal subquery: officer_id IN (me) AND state <> ruled_out -> lead ids.
        indexes = [
            models.Index(fields=["officer", "state", "lead"], name="leadcandidate_officer"),
            models.Index(fields=["lead", "state"], name="leadcandidate_lead_state"),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.officer_id} ({self.state})"


class LeadOriginal(models.Model):
    """A public report as the reporter submitted it (原始举报内容): written once with the
    report, never changed. Registration writes the office's summary on the lead beside it.
    The files the reporter sent are the lead's attachments marked `from_reporter`."""

    lead = models.OneToOneField(Lead, on_delete=models.CASCADE, related_name="original")
    text = models.TextField(_("举报内容"))
    subject_name = models.CharField(_("被反映人"), max_length=100, blank=True)
    subject_unit = models.CharField(_("被反映人单位"), max_length=200, blank=True)
    category = models.CharField(_("问题类别"), max_length=30, choices=LeadCategory.choices)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = _("原始举报内容")
        verbose_name_plural = _("原始举报内容")

    def __str__(self) -> str:
        return f"{self.lead_id} {self.submitted_at:%Y-%m-%d}"

    def save(self, *args, **kwargs) -> None:
        # Immutable: what the reporter wrote is evidence; only the first save is allowed.
        if not self._state.adding:
            raise ValueError("LeadOriginal is immutable")
        super().save(*args, **kwargs)
