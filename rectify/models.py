"""The shared organisation model: campaign, unit tree, officers, roles, responsibility, audit.

The unit tree uses django-treebeard's materialised path (MP_Node): a subtree is one indexed
`path LIKE 'prefix%'` scan on PostgreSQL and SQLite alike, so scoping stays one query at
2,000 units and 150,000 officers. Nested sets would make inserts rewrite half the table, and
ltree would need a separate SQLite code path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Never, TypeAlias

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class User(AbstractUser):
    """A login account. Officers link to one; administrators may have none."""

    must_change_password = models.BooleanField(_("首次登录须修改密码"), default=False)

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def display_name(self) -> str:
        return self.get_full_name() or self.username


# Who a request or a service may be acting for: a signed-in user or the anonymous one.
AnyUser: TypeAlias = "User | AnonymousUser"


class Campaign(models.Model):
    """One education-and-rectification campaign with its phase dates and self-check window."""

    name = models.CharField(_("名称"), max_length=200)
    is_current = models.BooleanField(_("当前活动"), default=False)
    study_start = models.DateField(_("学习教育开始"), null=True, blank=True)
    study_end = models.DateField(_("学习教育结束"), null=True, blank=True)
    rectify_start = models.DateField(_("查纠整改开始"), null=True, blank=True)
    rectify_end = models.DateField(_("查纠整改结束"), null=True, blank=True)
    summary_start = models.DateField(_("总结提升开始"), null=True, blank=True)
    summary_end = models.DateField(_("总结提升结束"), null=True, blank=True)
    selfcheck_start = models.DateField(_("自查开始"))
    selfcheck_deadline = models.DateField(_("自查截止"))
    cadre_deadline = models.DateField(
        _("领导干部自查截止"), help_text=_("领导干部带头自查，截止日期早于一般干警")
    )

    class Meta:
        verbose_name = _("教育整顿活动")
        verbose_name_plural = _("教育整顿活动")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_campaign"
            ),
            models.CheckConstraint(
                condition=Q(cadre_deadline__lte=models.F("selfcheck_deadline")),
                name="cadre_deadline_not_after_general",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> Campaign | None:
        return cls.objects.filter(is_current=True).first()

    def deadline_for(self, officer: Officer) -> object:
        return self.cadre_deadline if officer.is_leading_cadre else self.selfcheck_deadline


class ChronicProblem(models.TextChoices):
    """The six chronic problems (六大顽瘴痼疾): the shared vocabulary of all three apps.

    Self-check items, lead categories and remediation plans all key on these codes, which
    is what lets a lead be matched against an officer's self-declaration (L12).
    """

    INTERFERENCE = "interference", _("违反防止干预司法“三个规定”")
    BUSINESS = "business", _("违规经商办企业，配偶、子女及其配偶违规从事经营活动")
    LENDING = "lending", _("违规参股借贷")
    SENTENCE = "sentence", _("违规违法减刑、假释、暂予监外执行")
    INACTION = "inaction", _("有案不立、压案不查、有罪不究")
    BROKER = "broker", _("法官检察官离任后违规从事律师执业、充当司法掮客")


class UnitKind(models.TextChoices):
    REGION = "region", _("党委/地区")
    COMMITTEE = "committee", _("政法委")
    COURT = "court", _("法院")
    PROCURATORATE = "procuratorate", _("检察院")
    POLICE = "police", _("公安")
    JUSTICE = "justice", _("司法局")
    PRISON = "prison", _("监狱")
    STATION = "station", _("派出所")
    DIVISION = "division", _("庭")
    OTHER = "other", _("其他")


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("县区级")
    SUBUNIT = "subunit", _("基层单位")


class UnitQuerySet(MP_NodeQuerySet):
    def subtree_of(self, unit: Unit) -> UnitQuerySet:
        return self.filter(path__startswith=unit.path)


class UnitManager(MP_NodeManager.from_queryset(UnitQuerySet)):
    pass


class Unit(MP_Node):
    """A political-legal unit. `path` encodes its ancestry (treebeard, 4 chars per level)."""

    steplen = 4
    node_order_by = ["code"]

    code = models.CharField(_("单位代码"), max_length=40, unique=True)
    name = models.CharField(_("单位名称"), max_length=200)
    # Names offices write instead of the full name (简称, old names), matched by imports.
    aliases = models.CharField(
        _("别名/简称"),
        max_length=500,
        blank=True,
        help_text=_("导入台账时也按这些名称识别本单位，多个以“、”或逗号分隔"),
    )
    kind = models.CharField(_("类别"), max_length=20, choices=UnitKind.choices)
    level = models.CharField(_("层级"), max_length=20, choices=UnitLevel.choices)
    is_active = models.BooleanField(_("启用"), default=True)
    # Responsibility chain: the party committee's main leader is personally responsible
    # (第一责任人); the unit itself carries direct responsibility (直接责任人).
    primary_responsible = models.ForeignKey(
        "Officer",
        verbose_name=_("第一责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    direct_responsible = models.ForeignKey(
        "Officer",
        verbose_name=_("直接责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = UnitManager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        indexes = [models.Index(fields=["kind", "level"])]

    def __str__(self) -> str:
        return self.name

    def ancestor_paths(self) -> list[str]:
        """Paths of this unit and all its ancestors, root first (pure, no query)."""
        return [self.path[: i * self.steplen] for i in range(1, self.depth + 1)]

    def parent_path(self) -> str:
        """Path of the parent unit ("" for a root), pure, no query."""
        return self.path[: -self.steplen] if self.depth > 1 else ""

    def is_within(self, other: Unit) -> bool:
        return self.path.startswith(other.path)


class Officer(models.Model):
    """A member of the workforce (干警). Belongs to exactly one unit."""

    number = models.CharField(_("警号/工号"), max_length=40, unique=True)
    name = models.CharField(_("姓名"), max_length=100)
    unit = models.ForeignKey(
        Unit, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="officers"
    )
    position = models.CharField(_("职务"), max_length=100, blank=True)
    # Since when the officer holds `position` where no applied rotation says so (R8 tenure).
    post_since = models.DateField(
        _("现岗位任职起始日期"),
        null=True,
        blank=True,
        help_text=_("用于敏感岗位到期轮岗提示；经系统记录的交流轮岗以其生效日期为准"),
    )
    is_leading_cadre = models.BooleanField(_("领导干部"), default=False)
    is_active = models.BooleanField(_("在职"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officer",
    )

    class Meta:
        verbose_name = _("干警")
        verbose_name_plural = _("干警")
        indexes = [
            models.Index(fields=["unit", "is_active"]),
            models.Index(fields=["is_leading_cadre", "unit"]),
            models.Index(fields=["name"]),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.number}）"


class Office(models.Model):
    """The office of a leading group (领导小组办公室): it covers the subtree of `jurisdiction`."""

    name = models.CharField(_("名称"), max_length=200)
    short_name = models.CharField(
        _("简称"), max_length=20, unique=True, help_text=_("用于线索编号，如“开发区”")
    )
    host_unit = models.ForeignKey(
        Unit, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="hosted_offices"
    )
    jurisdiction = models.OneToOneField(
        Unit, verbose_name=_("管辖范围"), on_delete=models.PROTECT, related_name="office"
    )

    class Meta:
        verbose_name = _("领导小组办公室")
        verbose_name_plural = _("领导小组办公室")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OFFICER = "officer", _("干警")
    REVIEWER = "reviewer", _("审核员")
    INTAKE = "intake", _("受理专员")
    OFFICE = "office", _("办公室工作人员")
    HANDLER = "handler", _("承办人")
    UNIT_HEAD = "unit_head", _("单位主要负责人")
    LEADER = "leader", _("领导")
    ADMIN = "admin", _("系统管理员")


class RoleAssignment(models.Model):
    """A user holds `role` over the subtree rooted at `unit`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("范围（含下级）"), on_delete=models.CASCADE, related_name="+"
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("所属办公室"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )
    granted_at = models.DateTimeField(_("授予时间"), default=timezone.now)

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="unique_role_assignment")
        ]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class ResponsibleMixin(models.Model):
    """Every tracked item names a responsible unit and person (O2). Later apps inherit this."""

    responsible_unit = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    responsible_person = models.ForeignKey(
        Officer,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class AuditVerb(models.TextChoices):
    CREATE = "create", _("新增")
    CHANGE = "change", _("修改")
    DELETE = "delete", _("删除")
    READ = "read", _("查阅")
    EXPORT = "export", _("导出")
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    # A signed-in user asked for an object that is invisible to them or missing (404).
    DENIED = "denied", _("拒绝访问")
    OTHER = "other", _("其他")


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs) -> Never:
        raise AuditImmutableError("audit events are append-only")

    def delete(self) -> Never:
        raise AuditImmutableError("audit events are append-only")


class AuditImmutableError(Exception):
    pass


class AuditEvent(models.Model):
    """One append-only audit record. Write only through `rectify.audit.audit_record`.

    PostgreSQL and SQLite triggers (migration 0002) reject UPDATE and DELETE; the model
    refuses them in Python too. `hash` chains each event to the previous one so that
    `manage.py verify_audit` can name the first event altered or removed behind our back.
    `hash` is an HMAC (rectify.audit) under the key named by `key_id`; the key itself is
    never stored here.
    """

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_repr = models.CharField(_("操作人（记录时）"), max_length=150, blank=True)
    verb = models.CharField(_("类型"), max_length=20, choices=AuditVerb.choices)
    action = models.CharField(_("动作代码"), max_length=80)
    object_type = models.CharField(_("对象类型"), max_length=80, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    summary = models.JSONField(_("摘要"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    key_id = models.CharField(max_length=16, blank=True, default="")

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "at"]),
            models.Index(fields=["verb", "at"]),
            models.Index(fields=["action"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_repr} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AuditImmutableError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs) -> Never:
        raise AuditImmutableError("audit events are append-only")


class UnitFigure(models.Model):
    """A maintained counter: one figure (`key`, e.g. ``ld.received``) of one unit's own rows
    (not its subtree) in a campaign. Written only by `rectify.figures` when the work that
    changes it is saved; a subtree's figure is the sum over its units' rows (a path-prefix
    scan of this small table, never of the ledgers)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("指标"), max_length=80)
    value = models.BigIntegerField(_("数值"), default=0)

    class Meta:
        verbose_name = _("单位指标")
        verbose_name_plural = _("单位指标")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit", "key"], name="unitfigure_key")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.key}={self.value}"


class UnitFigureTotal(models.Model):
    """A unit's subtree total of one figure (its own rows and every descendant's), kept by
    `rectify.figures` beside `UnitFigure` in the same transaction: reading a subtree, the
    province's included, is one indexed lookup of a few dozen rows, however big the tree."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("指标"), max_length=80)
    value = models.BigIntegerField(_("数值"), default=0)

    class Meta:
        verbose_name = _("单位指标（含下级）")
        verbose_name_plural = _("单位指标（含下级）")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit", "key"], name="unitfiguretotal_key")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.key}={self.value}"


class UnitFigureDay(models.Model):
    """The nightly snapshot of a unit's subtree totals (`values`: key → number) for trends.
    One row per campaign, unit and day; taking it again the same day rewrites it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("日期"))
    values = models.JSONField(_("指标"), default=dict)

    class Meta:
        verbose_name = _("单位指标快照")
        verbose_name_plural = _("单位指标快照")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit", "day"], name="unitfigureday_day")
        ]
        indexes = [models.Index(fields=["campaign", "day"], name="unitfigureday_campaign_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}"
