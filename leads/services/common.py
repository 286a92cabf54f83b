"""Shared pieces of the lead services: refusal messages, the writable check, timeline
events and the activity clock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Lead,
    LeadEvent,
    LeadStatus,
)
from ..workflow import (
    ARCHIVED,
    REASON_REQUIRED,
    LeadWorkflowError,
)

if TYPE_CHECKING:
    from rectify.models import User

S = LeadStatus

NOT_HANDLER = _("只有本线索的承办人本人才能以承办人身份签字")
NOT_UNIT_HEAD = _("只有承办单位主要负责人本人才能以单位负责人身份签字")
HANDLER_CANNOT_SIGN_AS_HEAD = _("承办人不能代承办单位主要负责人签字")
NOT_SIGNING = _("线索不在查否待签字状态")
ALREADY_SIGNED = _("您已签字")
NOT_INTAKE = _("只有受理专员可以查看举报人身份")
EMPTY_TEXT = _("内容不能为空")
REPORTER_MESSAGE_MAX = 2000
REPORTER_MESSAGE_TOO_LONG = _("留言最多%(max)s字，请删减后再提交")
MERGE_SELF = _("不能并入本线索自身")
MERGE_INTO_MERGED = _("该线索本身已并入其他线索，请并入其主线索")
MERGE_INTO_UNREGISTERED = _("主线索尚未登记，请先登记主线索，或将其并入本线索")
HANDLER_NOT_IN_UNIT = _("承办人须为承办单位（含下级）的干警")
RECEIVED_IN_FUTURE = _("受理日期不能晚于今天")
DEADLINE_IN_PAST = _(
    "办理期限早于今天，线索交办后将立即显示逾期。如确需如此，请勾选“确认办理期限早于今天”后再次提交"
)
RATING_NOT_ALLOWED = _("线索办结后才能评价")
CONSULTATION_NEEDS_PARTICIPANTS = _("会商记录须填写参加人员")
CONSULTATION_NEEDS_CONCLUSION = _("会商记录须填写会商结论")
CANDIDATE_DECIDED = _("该同名干警已确认或已排除")
NOT_EDITABLE = _("该线索已办结或归档，不能再修改登记信息")

# Receipt codes: 20 symbols of Crockford's base32 (100 bits), shown in groups of four.


def _ensure_writable(lead: Lead) -> None:
    if not lead.is_writable:
        raise LeadWorkflowError(ARCHIVED)


def _event(
    lead: Lead,
    *,
    kind: str,
    actor: User | None,
    text: str = "",
    participants: str = "",
    data: dict | None = None,
):
    event = LeadEvent(
        lead=lead,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        text=text,
        participants=participants,
        data=data or {},
    )
    event.full_clean()
    event.save()
    return event


def _touch(lead: Lead) -> None:
    """L10: somebody worked the lead now (resets the 有线索不查 clock)."""
    lead.last_activity_at = timezone.now()
    Lead.objects.filter(pk=lead.pk).update(last_activity_at=lead.last_activity_at)


def _required(text: str, message: str = REASON_REQUIRED) -> str:
    if not (text or "").strip():
        raise LeadWorkflowError(message)
    return text.strip()


def reason_required(reason: str) -> str:
    if not (reason or "").strip():
        raise LeadWorkflowError(REASON_REQUIRED)
    return reason.strip()
