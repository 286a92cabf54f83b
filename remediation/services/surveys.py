"""The public acceptance survey (群众验收, O4): one-time codes and the answers they carry.

A code is 10 characters from a 32-letter alphabet without look-alikes (50 bits), printed
as XXXXX-XXXXX. Only an HMAC of it is stored (keyed by SECRET_KEY, so a copy of the table
alone cannot be searched offline); the plain codes exist only in the response that prints
the slips. An answer keeps its satisfaction, comment and the day — no address, no browser,
no time of day — and the audit event of it has no actor and no address either.

Guessing is slowed without knowing who guesses: every failed lookup counts in one shared
cache budget (SURVEY_GUESS_LIMIT per SURVEY_GUESS_WINDOW seconds); when it is spent, code
lookups are refused for everyone until the window ends. With 2**50 codes and a few
hundred guesses per quarter hour, finding one valid code takes longer than the campaign.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify import figures
from rectify.audit import audit_record
from rectify.models import AuditVerb, Unit

from .. import audit
from ..models import Item, SurveyBatch, SurveyCode, SurveyResponse
from ..rules.surveys import BATCH_MAX, COMMENT_MAX
from ..workflow import RemediationError
from .public import current_campaign

if TYPE_CHECKING:
    from django.http import HttpRequest

    from rectify.models import AnyUser

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
CODE_LENGTH = 10

BATCH_SIZE_BAD = _("份数须为 1 至 %(max)s 之间的整数")
BATCH_ITEM_OUTSIDE = _("整改问题须属于所选单位（含下级）")
CODE_UNKNOWN = _("验收码不正确，请核对纸条上的验收码后重新输入")
CODE_USED = _("该验收码已使用过：每个验收码只能提交一次意见")
GUESS_LIMITED = _("验收码输入错误次数过多，请约 %(minutes)s 分钟后再试")
SATISFACTION_BAD = _("请选择满意程度（1–5）")
COMMENT_TOO_LONG = _("意见建议最多%(max)s字，现为%(n)s字，请删减")


class SurveyError(RemediationError):
    """A refused survey action; `str(exc)` is a message fit for the person answering."""


def normalise_code(raw: str) -> str:
    """What the person typed or scanned, without spaces and dashes, in capitals."""
    return "".join(ch for ch in str(raw or "").upper() if ch.isalnum())[: CODE_LENGTH * 2]


def format_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def code_digest(code: str) -> str:
    key = hashlib.sha256(b"remediation-survey-code:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def survey_batch_create(
    *,
    unit: Unit,
    item: Item | None,
    size: int,
    actor: AnyUser,
    request: HttpRequest | None = None,
) -> tuple[SurveyBatch, list[str]]:
    """A batch of `size` one-time codes for an item (or the unit as a whole). Returns the
    plain codes, formatted for print: they are not kept anywhere."""
    if not isinstance(size, int) or not 1 <= size <= BATCH_MAX:
        raise SurveyError(str(BATCH_SIZE_BAD % {"max": BATCH_MAX}))
    if item is not None and not item.unit.path.startswith(unit.path):
        raise SurveyError(str(BATCH_ITEM_OUTSIDE))
    campaign = item.plan.campaign if item is not None else current_campaign()
    batch = SurveyBatch(campaign=campaign, unit=item.unit if item else unit, item=item, size=size)
    batch.created_by = actor if getattr(actor, "is_authenticated", False) else None
    batch.full_clean()
    batch.save()
    codes: set[str] = set()
    while len(codes) < size:
        codes.add(_new_code())
    SurveyCode.objects.bulk_create(SurveyCode(batch=batch, digest=code_digest(c)) for c in codes)
    audit_record(
        actor=actor,
        action=audit.SURVEY_BATCH_CREATED,
        verb=AuditVerb.CREATE,
        target=batch,
        data={"size": size, "item": item.pk if item else None, "unit": batch.unit_id},
        request=request,
    )
    return batch, [format_code(c) for c in sorted(codes)]


# --- guessing budget (cache only: nothing about the visitor) -------------------------------

_GUESS_KEY = "remediation:survey:failures"


def _guess_limit() -> int:
    return int(getattr(settings, "SURVEY_GUESS_LIMIT", 300))


def _guess_window() -> int:
    return int(getattr(settings, "SURVEY_GUESS_WINDOW", 900))


def survey_guess_wait() -> int:
    """Seconds until code lookups are accepted again (0: now)."""
    state = cache.get(_GUESS_KEY)
    if not state or state["n"] < _guess_limit():
        return 0
    return max(1, int(state["until"] - time.time()))


def _count_failure() -> None:
    now = time.time()
    state = cache.get(_GUESS_KEY) or {"n": 0, "until": now + _guess_window()}
    state["n"] += 1
    cache.set(_GUESS_KEY, state, timeout=max(1, int(state["until"] - now)))


def _limited() -> SurveyError | None:
    wait = survey_guess_wait()
    if wait:
        return SurveyError(str(GUESS_LIMITED % {"minutes": max(1, -(-wait // 60))}))
    return None


def survey_code_lookup(raw: str) -> SurveyCode:
    """The unused code typed or scanned, with what it accepts; SurveyError otherwise
    (unknown and used codes say so plainly: a used one was printed, so it is no secret
    that it exists)."""
    limited = _limited()
    if limited is not None:
        raise limited
    code = normalise_code(raw)
    found = None
    if len(code) == CODE_LENGTH:
        found = (
            SurveyCode.objects.filter(digest=code_digest(code))
            .select_related("batch__unit", "batch__item")
            .first()
        )
    if found is None:
        _count_failure()
        raise SurveyError(str(CODE_UNKNOWN))
    if found.used_at is not None:
        raise SurveyError(str(CODE_USED))
    return found


def survey_answer(*, raw_code: str, satisfaction: object, comment: str) -> SurveyResponse:
    """Store one answer for one code. The code row is locked and the response is one-to-one
    with it, so two submits of the same slip at once store one answer and refuse the other."""
    try:
        value = int(str(satisfaction))
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise SurveyError(str(SATISFACTION_BAD))
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise SurveyError(str(COMMENT_TOO_LONG % {"max": COMMENT_MAX, "n": len(comment)}))
    code = survey_code_lookup(raw_code)
    try:
        with transaction.atomic():
            locked = SurveyCode.objects.select_for_update().select_related("batch").get(pk=code.pk)
            if locked.used_at is not None:
                raise SurveyError(str(CODE_USED))
            response = SurveyResponse(
                code=locked,
                unit_id=locked.batch.unit_id,
                item_id=locked.batch.item_id,
                satisfaction=value,
                comment=comment,
                answered_on=timezone.localdate(),
            )
            response.full_clean(exclude=["code"])
            response.save()
            figures.touch("rm", [response.unit_id])
            # Only the day: the used_at of a code would date the visit to the second.
            locked.used_at = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
            locked.save(update_fields=["used_at"])
            # No actor, no request: the trail knows that an answer came, not from whom.
            audit_record(
                actor=None,
                action=audit.SURVEY_RESPONSE_CREATED,
                verb=AuditVerb.CREATE,
                target=response,
                data={"unit": response.unit_id, "item": response.item_id},
            )
    except IntegrityError as exc:
        raise SurveyError(str(CODE_USED)) from exc
    return response
