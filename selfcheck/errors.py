"""The self-check app's one base error and the refusal messages its services raise
(module constants, so tests assert on them; forms reuse them for the same rule)."""

from __future__ import annotations

from django.utils.translation import gettext as _


class SelfCheckError(Exception):
    def __init__(self, messages: list[str] | str) -> None:
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("; ".join(str(m) for m in self.messages))


TEXT_TOO_LONG = _("“%(field)s”最多%(max)s字，现为%(n)s字，请删减")


def refuse_too_long(text: str, limit: int, field: str) -> None:
    """Services refuse over-long text (forms, commands and imports alike); never cut it."""
    if len(text) > limit:
        raise SelfCheckError(str(TEXT_TOO_LONG % {"field": field, "max": limit, "n": len(text)}))


REVIEW_NOT_SUBMITTED = _("只有已提交待审核的报告可以审核")


RETURN_NEEDS_REASON = _("退回补充必须填写原因")


NOT_EDITABLE = _("报告已提交，审核完成前不能修改；如被退回可补充后重新提交")


TALK_DATE_FUTURE = _("谈话日期不能晚于今天")


TALK_CORRECTION_NEEDS_REASON = _("更正谈话记录必须填写更正原因")


TALK_CORRECTION_NO_CHANGE = _("没有修改任何内容，无需更正")


CASE_NOT_PENDING = _("只有待审批的案例可以审批")


CASE_NOT_PUBLISHED = _("案例尚未发布")
