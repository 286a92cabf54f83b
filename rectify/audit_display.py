"""The audit log page in words: action codes in Chinese, objects by their number or name,
summaries as "key: value" lines.

Only presentation lives here; the trail itself is written by `rectify.audit`. Objects are
resolved per page in one query per object type (never one per row), and each type names
only what is safe to show an administrator: a lead's number, an officer's name and number,
a unit's name, never a lead's summary or a self-check answer. A link is drawn only where
the viewer may open the object (the apps' own visibility rules).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import access
from .models import AuditEvent, Role
from .params import id_value

if TYPE_CHECKING:
    from rectify.models import AnyUser


# One table of codes. A code missing here falls back to "<verb><object>" (below) and, when
# even that is unknown, to the code itself.
ACTION_LABELS: dict[str, str] = {
    # accounts and organisation
    "rectify.user.login": _("登录"),
    "rectify.user.login_failed": _("登录失败"),
    "rectify.user.logout": _("退出登录"),
    "rectify.user.created": _("开通账号"),
    "rectify.roleassignment.created": _("分配角色"),
    "rectify.roleassignment.changed": _("变更角色"),
    "rectify.roleassignment.deleted": _("撤销角色"),
    "rectify.roleassignment.self_refused": _("拒绝为本人分配角色"),
    "rectify.user.otp_enrolled": _("启用双因素认证"),
    "rectify.user.otp_enrol_failed": _("启用双因素认证失败"),
    "rectify.user.otp_verified": _("双因素认证通过"),
    "rectify.user.otp_failed": _("双因素认证失败"),
    "rectify.user.otp_recovery_regenerated": _("重新生成恢复码"),
    "rectify.user.otp_reset": _("重置双因素认证"),
    "rectify.org.imported": _("导入组织架构"),
    "rectify.login_records.purged": _("清理过期登录记录"),
    # self-check
    "selfcheck.report.draft_saved": _("保存自查草稿"),
    "selfcheck.report.submitted": _("提交自查报告"),
    "selfcheck.report.accepted": _("审核通过自查报告"),
    "selfcheck.report.returned": _("退回自查报告"),
    "selfcheck.report.read": _("查阅自查报告"),
    "selfcheck.report.reminded": _("一键提醒未提交干警"),
    "selfcheck.report.exported": _("导出自查报告汇总"),
    "selfcheck.version.read": _("查阅自查报告历史版本"),
    "selfcheck.diff.read": _("比对自查报告版本"),
    "selfcheck.queue.read": _("查看自查审核列表"),
    "selfcheck.figures.exported": _("导出自查统计"),
    "selfcheck.item.created": _("新增“N”项"),
    "selfcheck.item.changed": _("修改“N”项"),
    "selfcheck.question.asked": _("提出政策咨询"),
    "selfcheck.question.answered": _("答复政策咨询"),
    "selfcheck.talk.recorded": _("登记谈心谈话"),
    "selfcheck.talk.corrected": _("更正谈心谈话记录"),
    "selfcheck.case.created": _("新增警示案例"),
    "selfcheck.case.approved": _("审批通过警示案例"),
    "selfcheck.case.rejected": _("退回警示案例"),
    "selfcheck.case.read_confirmed": _("确认已学警示案例"),
    # leads
    "leads.lead.public_submitted": _("收到网上举报"),
    "leads.lead.registered": _("登记线索"),
    "leads.lead.imported": _("导入线索"),
    "leads.lead.import_updated": _("导入更新线索"),
    "leads.lead.merged_read": _("查看并案线索"),
    "leads.lead.read": _("查看线索"),
    "leads.lead.edited": _("修改线索登记信息"),
    "leads.lead.original_read": _("查阅网上举报原件"),
    "leads.lead.subject_confirmed": _("确认被反映人身份"),
    "leads.lead.subject_ruled_out": _("排除被反映人"),
    "leads.lead.transitioned": _("变更线索状态"),
    "leads.lead.reassigned": _("改派承办人"),
    "leads.lead.replied": _("答复举报人"),
    "leads.lead.reporter_message": _("举报人补充留言"),
    "leads.lead.reporter_rated": _("举报人评价"),
    "leads.lead.reporter_revealed": _("查看举报人身份"),
    "leads.lead.signed": _("签批线索"),
    "leads.lead.conclusion_edited": _("修改办理结论"),
    "leads.lead.conflicts_checked": _("检查回避冲突"),
    "leads.lead.conflict_overridden": _("确认回避冲突后仍指派"),
    "leads.lead.archive_printed": _("打印归档材料"),
    "leads.lead.jurisdiction_changed": _("变更管辖"),
    "leads.lead.supervision_listed": _("挂牌督办"),
    "leads.lead.supervision_unlisted": _("撤销挂牌督办"),
    # lead_add_event: one code per event kind
    "leads.lead.note": _("记录办理进展"),
    "leads.lead.verification": _("记录核查情况"),
    "leads.lead.consultation": _("记录会商情况"),
    "leads.lead.supervision": _("记录督办情况"),
    "leads.lead.risk": _("记录风险研判"),
    "leads.ledger.read": _("查看线索台账"),
    "leads.ledger.exported": _("导出线索台账"),
    "leads.intake.read": _("查看线索受理列表"),
    "leads.my_work.read": _("查看我的线索"),
    "leads.screening.read": _("查看智能排查"),
    "leads.screening.viewed": _("查看智能排查"),  # the code recorded until issue 11
    "leads.similar.read": _("查看相似线索"),
    "leads.oversight.read": _("查看督办逾期"),
    "leads.risknote.created": _("记录廉政风险提示"),
    "leads.risknote.read": _("查阅干警廉政风险提示"),
    "leads.risknote.list_read": _("查看廉政风险提示列表"),
    "leads.escalation.created": _("逾期线索逐级提醒"),
    "leads.accountability.created": _("记录追责问责"),
    "leads.attachment.added": _("上传线索附件"),
    "leads.attachment.read": _("查阅线索附件"),
    "leads.attachment.removed": _("删除线索附件"),
    "leads.import.uploaded": _("上传线索台账"),
    "leads.import.confirmed": _("确认导入线索台账"),
    "leads.import.cancelled": _("取消导入线索台账"),
    "leads.import.errors_exported": _("导出台账导入问题清单"),
    "leads.reporter_keys.rotated": _("轮换举报人信息密钥"),
}

# The last part of a code, for codes not in the table: "<verb><object's verbose name>".
VERB_WORDS: dict[str, str] = {
    "created": _("新增"),
    "changed": _("修改"),
    "deleted": _("删除"),
    "read": _("查阅"),
    "exported": _("导出"),
    "imported": _("导入"),
    "admin_created": _("在管理后台新增"),
    "admin_changed": _("在管理后台修改"),
    "admin_deleted": _("在管理后台删除"),
    "denied": _("拒绝访问"),  # invisible or missing: answered alike, recorded alike
}

# Summary keys. Unknown keys are shown as they are.
KEY_LABELS: dict[str, str] = {
    "from": _("原状态"),
    "to": _("新状态"),
    "reason": _("理由"),
    "fields": _("修改的字段"),
    "ids": _("涉及记录"),
    "leads": _("涉及线索"),
    "number": _("编号"),
    "channel": _("线索来源"),
    "category": _("问题类别"),
    "office": _("办公室"),
    "handler": _("承办人"),
    "unit": _("单位"),
    "user": _("账号"),
    "role": _("角色"),
    "officer": _("干警"),
    "filters": _("筛选条件"),
    "rows": _("行数"),
    "filename": _("文件名"),
    "dry_run": _("仅预检"),
    "supervisor": _("督办领导"),
    "deadline": _("期限"),
    "relisted": _("再次挂牌"),
    "hash": _("内容哈希"),
    "sha256": _("文件哈希"),
    "version": _("版本"),
    "version_id": _("版本记录"),
    "in_window": _("在申报期内"),
    "sent": _("本次提醒人数"),
    "already": _("今日已提醒人数"),
    "no_account": _("未开通账号人数"),
    "username": _("用户名"),
    "must_change_password": _("须首次改密"),
    "attachment": _("附件"),
    "name": _("名称"),
    "event": _("办理记录"),
    "conflicts": _("回避冲突"),
    "repeated": _("重复举报"),
    "undeclared_page": _("本页未申报"),
    "created": _("新增"),
    "updated": _("更新"),
    "unchanged": _("未变"),
    "errors": _("错误"),
    "warnings": _("警告"),
}

# Values of these keys are choices of the object's own field ("from"/"to" are statuses).
KEY_CHOICE_FIELD = {"from": "status", "to": "status", "role": "role", "category": "category"}

# Summary values that are ids of people or offices, shown by name (one query per model).
KEY_OBJECTS = {
    "handler": "rectify.officer",
    "supervisor": "rectify.officer",
    "office": "rectify.office",
}

MAX_LIST = 10  # ids listed before "… 共 N 条"
MAX_VALUE = 200


@dataclass
class AuditRow:
    event: AuditEvent
    action_label: str
    object_label: str = ""
    object_url: str = ""
    lines: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ObjectKind:
    """How one object type is named and linked. `label` must not touch related rows beyond
    `related`; `visible(user)` gives the objects the viewer may open (for links only)."""

    label: Callable[[Any], str]
    related: tuple[str, ...] = ()
    only: tuple[str, ...] = ()
    url: Callable[[Any], str] | None = None
    visible: Callable[[Any], QuerySet] | None = None


def _admin_url(obj: Model) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


# Apps add their own kinds from AppConfig.ready (rectify imports no app): see
# selfcheck/audit.py.
OBJECT_KINDS: dict[str, ObjectKind] = {
    "rectify.officer": ObjectKind(
        label=str, url=_admin_url, visible=lambda user: access.officers_visible_to(user)
    ),
    "rectify.unit": ObjectKind(
        label=str,
        url=lambda o: reverse("rectify:unit_tree") + f"?open={o.pk}#unit-{o.pk}",
        visible=lambda user: access.units_visible_to(user),
    ),
    "rectify.office": ObjectKind(label=str),
    "rectify.campaign": ObjectKind(label=str),
    "rectify.user": ObjectKind(label=lambda u: u.get_username()),
    "rectify.roleassignment": ObjectKind(
        label=lambda a: f"{a.user.get_username()} · {a.get_role_display()} · {a.unit}",
        related=("user", "unit"),
    ),
    "leads.leadimportjob": ObjectKind(label=lambda j: j.filename),
}


def _model_for(object_type: str) -> type[Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _action_label(action: str, model: type[Model] | None) -> str:
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    verb = action.rsplit(".", 1)[-1]
    if verb in VERB_WORDS and model is not None:
        return f"{VERB_WORDS[verb]}{model._meta.verbose_name}"
    return action


def _recused_lead_ids(user: AnyUser, ids: Iterable[str]) -> set[str]:
    """Leads in which the viewer is a subject: not even their number is shown (recusal)."""
    subject = _model_for("leads.leadsubject")
    if subject is None:
        return set()
    rows = subject._default_manager.filter(officer__user=user, lead_id__in=list(ids))
    return {str(pk) for pk in rows.values_list("lead_id", flat=True)}


RECUSED = object()  # the viewer is a subject of this lead: no number, no summary


def _resolve(user: AnyUser, object_type: str, ids: set[str]) -> dict[str, tuple[str, str] | object]:
    """{object id: (label, url) or RECUSED} for one type, in at most three queries."""
    kind = OBJECT_KINDS.get(object_type)
    model = _model_for(object_type)
    if kind is None or model is None:
        return {}
    pks = [i for i in ids if id_value(i) is not None]
    recused: set[str] = set()
    if object_type == "leads.lead":
        recused = _recused_lead_ids(user, pks)
        pks = [pk for pk in pks if pk not in recused]
    objects = model._default_manager.filter(pk__in=pks)
    if kind.related:
        objects = objects.select_related(*kind.related)
    if kind.only:
        objects = objects.only(*kind.only)
    openable: set[str] = set()
    # Admin pages open only for staff accounts; app pages follow the app's visibility.
    may_open = kind.url is not None and (kind.url is not _admin_url or user.is_staff)
    if may_open and kind.visible is not None:
        visible = kind.visible(user).filter(pk__in=pks).values_list("pk", flat=True)
        openable = {str(pk) for pk in visible}
    elif may_open:
        openable = set(pks)
    resolved: dict[str, tuple[str, str] | object] = dict.fromkeys(recused, RECUSED)
    for obj in objects:
        url = kind.url(obj) if kind.url is not None and str(obj.pk) in openable else ""
        resolved[str(obj.pk)] = (kind.label(obj), url)
    return resolved


def _choice_labels(model: type[Model] | None, name: str) -> dict[str, str]:
    if name == "role":
        return {k: str(v) for k, v in Role.choices}
    if model is None:
        return {}
    try:
        choices = model._meta.get_field(name).flatchoices
    except Exception:  # noqa: BLE001 - no such field on this model: no labels
        return {}
    return {str(k): str(v) for k, v in choices}


def _field_label(model: type[Model] | None, name: str) -> str:
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001 - not a field: keep the name
            pass
    return name


def _value(value: Any, *, choices: dict[str, str] | None = None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("是")) if value else str(_("否"))
    if isinstance(value, dict):
        return "；".join(f"{k}={_value(v)}" for k, v in value.items()) or "—"
    if isinstance(value, list | tuple):
        shown = "、".join(_value(v, choices=choices) for v in value[:MAX_LIST])
        if len(value) > MAX_LIST:
            shown += str(_(" … 共 %(n)s 条")) % {"n": len(value)}
        return shown or "—"
    text = str(value)
    if choices and text in choices:
        return choices[text]
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE] + "…"


def _named_values(events: list[AuditEvent]) -> dict[str, dict[str, str]]:
    """{key: {raw value: name}} for summary values that are ids or codes of known rows."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if isinstance(event.summary, dict):
            for key in (*KEY_OBJECTS, "channel"):
                value = event.summary.get(key)
                if isinstance(value, int | str) and str(value).strip():
                    wanted[key].add(str(value))
    names: dict[str, dict[str, str]] = {}
    by_model: dict[str, set[str]] = defaultdict(set)
    for key, values in wanted.items():
        if key in KEY_OBJECTS:
            by_model[KEY_OBJECTS[key]] |= {v for v in values if id_value(v) is not None}
    for label, pks in by_model.items():
        model = _model_for(label)
        if model is not None and pks:
            found = {str(o.pk): str(o) for o in model._default_manager.filter(pk__in=pks)}
            for key, target in KEY_OBJECTS.items():
                if target == label:
                    names[key] = found
    channel = _model_for("leads.channel")
    if channel is not None and wanted.get("channel"):
        rows = channel._default_manager.filter(code__in=wanted["channel"])
        names["channel"] = dict(rows.values_list("code", "name"))
    return names


def _lines(
    summary: Any, model: type[Model] | None, named: dict[str, dict[str, str]]
) -> list[tuple[str, str]]:
    if not isinstance(summary, dict):
        return [("", _value(summary))] if summary else []
    lines = []
    for key, value in summary.items():
        if key in named and str(value) in named[key]:
            lines.append((str(KEY_LABELS.get(key, key)), named[key][str(value)]))
            continue
        if key == "fields" and isinstance(value, list):
            text = "、".join(_field_label(model, str(v)) for v in value) or "—"
        else:
            choice_field = KEY_CHOICE_FIELD.get(key)
            choices = _choice_labels(model, choice_field) if choice_field else None
            text = _value(value, choices=choices)
        lines.append((str(KEY_LABELS.get(key, key)), text))
    return lines


def audit_rows(*, events: Iterable[AuditEvent], user: AnyUser) -> list[AuditRow]:
    """The page's events in words. Queries: one or a few per object type on the page."""
    events = list(events)
    by_type: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.object_type and event.object_id:
            by_type[event.object_type].add(str(event.object_id))
    resolved = {t: _resolve(user, t, ids) for t, ids in by_type.items()}
    named = _named_values(events)
    rows = []
    for event in events:
        model = _model_for(event.object_type) if event.object_type else None
        row = AuditRow(
            event=event,
            action_label=_action_label(event.action, model),
            lines=_lines(event.summary, model, named),
        )
        if event.object_type:
            found = resolved.get(event.object_type, {}).get(str(event.object_id), ("", ""))
            if found is RECUSED:
                # Recusal: the event stays visible (the trail is complete), what it was
                # about does not.
                row.object_label = str(_("问题线索（本人回避）"))
                row.lines = []
                rows.append(row)
                continue
            label, url = found
            if not label:
                kind = model._meta.verbose_name if model is not None else event.object_type
                label = f"{kind} #{event.object_id}" if event.object_id else str(kind)
            row.object_label, row.object_url = label, url
        rows.append(row)
    return rows
