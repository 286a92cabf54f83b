"""Public reporting (L2): receipt codes, the report form's submission, the reporter's
messages and rating, and the office's replies.
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING

from django.db import transaction

from rectify.audit import audit_record
from rectify.models import AuditVerb, Office

from ..audit import LEAD_PUBLIC_SUBMITTED, LEAD_REPLIED, LEAD_REPORTER_MESSAGE, LEAD_REPORTER_RATED
from ..figures import touch_leads
from ..models import (
    PUBLIC_CHANNEL_CODE,
    Channel,
    EventKind,
    Lead,
    LeadEvent,
    LeadOriginal,
    receipt_hash,
)
from ..rules.screening import lead_grams_sync
from ..selectors.subjects import SubjectInput
from ..workflow import (
    LeadWorkflowError,
    lock,
)
from .common import (
    EMPTY_TEXT,
    RATING_NOT_ALLOWED,
    REPORTER_MESSAGE_MAX,
    REPORTER_MESSAGE_TOO_LONG,
    S,
    _event,
)
from .intake import _set_subjects

if TYPE_CHECKING:
    from django.http import HttpRequest

    from rectify.models import User

_RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RECEIPT_LEN = 20


def _new_receipt_code() -> str:
    raw = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(_RECEIPT_LEN))
    return "-".join(raw[i : i + 4] for i in range(0, _RECEIPT_LEN, 4))


def normalise_receipt(code: str) -> str:
    """Accept lower case, spaces and missing dashes; O→0, I/L→1 (Crockford)."""
    raw = re.sub(r"[^0-9A-Za-z]", "", code or "").upper()
    raw = raw.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if len(raw) != _RECEIPT_LEN:
        return ""
    return "-".join(raw[i : i + 4] for i in range(0, _RECEIPT_LEN, 4))


@transaction.atomic
def public_report_submit(
    *,
    office: Office,
    category: str,
    summary: str,
    subject_text: str = "",
    subject_unit_text: str = "",
    reporter_name: str = "",
    reporter_contact: str = "",
) -> tuple[Lead, str]:
    """An anonymous report from the public page: an unregistered lead and its receipt code
    (returned once, only its hash is stored). Nothing about the client is recorded."""
    code = _new_receipt_code()
    lead = Lead(
        office=office,
        status=S.UNREGISTERED,
        channel=Channel.objects.filter(code=PUBLIC_CHANNEL_CODE).first(),
        category=category,
        summary=summary.strip(),
        is_public=True,
        receipt_hash=receipt_hash(code),
        reporter_anonymous=not (reporter_name or reporter_contact),
    )
    lead.reporter_name = reporter_name
    lead.reporter_contact = reporter_contact
    lead.full_clean()
    lead.save()
    touch_leads([lead.pk])
    original = LeadOriginal(
        lead=lead,
        text=lead.summary,
        subject_name=subject_text.strip(),
        subject_unit=subject_unit_text.strip(),
        category=category,
    )
    original.full_clean()
    original.save()
    if subject_text.strip():
        _set_subjects(lead, [SubjectInput(name=subject_text.strip(), unit_name=subject_unit_text)])
    lead_grams_sync(leads=[lead])
    audit_record(
        actor=None,
        action=LEAD_PUBLIC_SUBMITTED,
        verb=AuditVerb.CREATE,
        target=lead,
        data={"office": office.pk},
    )
    return lead, code


def lead_for_receipt(code: str) -> Lead | None:
    code = normalise_receipt(code)
    if not code:
        return None
    return Lead.objects.filter(receipt_hash=receipt_hash(code)).first()


@transaction.atomic
def reporter_message(*, lead: Lead, text: str) -> LeadEvent:
    if not text.strip():
        raise LeadWorkflowError(EMPTY_TEXT)
    if len(text.strip()) > REPORTER_MESSAGE_MAX:  # refused, never cut (the form says so too)
        raise LeadWorkflowError(REPORTER_MESSAGE_TOO_LONG % {"max": REPORTER_MESSAGE_MAX})
    event = _event(lead, kind=EventKind.REPORTER, actor=None, text=text.strip())
    audit_record(actor=None, action=LEAD_REPORTER_MESSAGE, target=lead)
    return event


def reporter_can_rate(lead: Lead) -> bool:
    """Once the lead — or, for a merged duplicate, its main lead — is concluded."""
    main = lead.merged_into if lead.status == S.MERGED and lead.merged_into_id else lead
    return main.concluded_at is not None


@transaction.atomic
def reporter_rate(*, lead: Lead, rating: int) -> Lead:
    lead = lock(lead)
    if not reporter_can_rate(lead):
        raise LeadWorkflowError(RATING_NOT_ALLOWED)
    lead.reporter_rating = max(1, min(5, int(rating)))
    lead.save(update_fields=["reporter_rating"])
    audit_record(actor=None, action=LEAD_REPORTER_RATED, target=lead)
    return lead


@transaction.atomic
def lead_reply(
    *, lead: Lead, actor: User, text: str, request: HttpRequest | None = None
) -> LeadEvent:
    """A reply the reporter can read with the receipt code."""
    if not text.strip():
        raise LeadWorkflowError(EMPTY_TEXT)
    event = _event(lead, kind=EventKind.REPLY, actor=actor, text=text.strip())
    audit_record(
        actor=actor,
        action=LEAD_REPLIED,
        verb=AuditVerb.CHANGE,
        target=lead,
        request=request,
    )
    return event
