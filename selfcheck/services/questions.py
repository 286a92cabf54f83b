"""Policy questions on a report and their answers (S6)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rectify.audit import audit_record
from rectify.models import AuditVerb

from .. import audit
from ..errors import (
    SelfCheckError,
    refuse_too_long,
)
from ..models import (
    Question,
    SelfCheckReport,
)
from .notices import notice_send

QUESTION_MAX = 4000


@transaction.atomic
def question_ask(*, report: SelfCheckReport, text: str, actor: AbstractBaseUser | None) -> Question:
    text = (text or "").strip()
    if not text:
        raise SelfCheckError(_("请填写问题内容"))
    refuse_too_long(text, QUESTION_MAX, _("咨询问题"))
    question = Question(report=report, text=text)
    question.full_clean()
    question.save()
    audit_record(actor=actor, action=audit.QUESTION_ASKED, verb=AuditVerb.CREATE, target=question)
    return question


@transaction.atomic
def question_answer(*, question: Question, text: str, actor: AbstractBaseUser | None) -> Question:
    text = (text or "").strip()
    if not text:
        raise SelfCheckError(_("请填写答复内容"))
    refuse_too_long(text, QUESTION_MAX, _("答复"))
    question.answer = text
    question.answered_by = actor
    question.answered_at = timezone.now()
    question.full_clean()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    audit_record(
        actor=actor, action=audit.QUESTION_ANSWERED, verb=AuditVerb.CHANGE, target=question
    )
    owner = question.report.officer.user
    if owner is not None:
        notice_send(
            user=owner,
            text=_("您关于自查事项报告的咨询已答复"),
            url=reverse("selfcheck:my_report") + "#questions",
        )
    return question
