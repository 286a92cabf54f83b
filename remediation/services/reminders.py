"""The daily remediation reminders (R5): owners of measures and responsible persons of
items are told what falls due within REMIND_DAYS_BEFORE days and what is overdue. In-app
notices through selfcheck's notice service (its unread count is on the home page), with an
e-mail as well when SMTP is configured. Idempotent per day: one dedupe key per object and
day. People recused from the item's source lead are skipped. Overdue is computed here from the deadline, never stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from rectify.audit import audit_record
from rectify.models import AuditVerb
from selfcheck.services import notice_send

from .. import audit
from ..access import recused_from_source_lead
from ..models import Item
from ..selectors.closure import items_due, measures_due

REMIND_DAYS_BEFORE = 3


@dataclass
class RemediationReminders:
    sent: int = 0  # notices written now
    already: int = 0  # already sent today for the same object


def _when(deadline: dt.date, today: dt.date) -> str:
    if deadline < today:
        return _("已逾期%(n)s天（期限%(d)s）") % {"n": (today - deadline).days, "d": deadline}
    if deadline == today:
        return _("今日到期")
    return _("将于%(d)s到期") % {"d": deadline}


def item_url(item: Item | int) -> str:
    pk = item if isinstance(item, int) else item.pk
    return reverse("remediation:item_detail", args=[pk])


def remediation_reminders_send(*, today: dt.date | None = None) -> RemediationReminders:
    """Send today's reminders; a second run the same day sends nothing new."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=REMIND_DAYS_BEFORE)
    email = bool(getattr(settings, "EMAIL_HOST", ""))
    result = RemediationReminders()
    day = today.isoformat()

    def send(user: object, text: str, url: str, key: str) -> None:
        if notice_send(user=user, text=text, url=url, dedupe_key=key, email=email):
            result.sent += 1
        else:
            result.already += 1

    for m in measures_due(today=today, horizon=horizon).iterator(chunk_size=500):
        if recused_from_source_lead(m.owner.user, m.item):
            continue  # recusal: nothing about an item from a lead naming the owner
        text = _("整改措施“%(m)s”（问题%(n)s）%(when)s") % {
            "m": Truncator(m.text).chars(40),
            "n": m.item.number,
            "when": _when(m.deadline, today),
        }
        send(m.owner.user, text, item_url(m.item_id), f"rem-measure-{m.pk}-{day}")
    for item in items_due(today=today, horizon=horizon).iterator(chunk_size=500):
        if recused_from_source_lead(item.responsible_person.user, item):
            continue
        text = _("整改问题%(n)s“%(d)s”%(when)s") % {
            "n": item.number,
            "d": Truncator(item.description).chars(40),
            "when": _when(item.deadline, today),
        }
        send(item.responsible_person.user, text, item_url(item), f"rem-item-{item.pk}-{day}")
    audit_record(
        actor="remediation_reminders",
        action=audit.REMINDER_SENT,
        verb=AuditVerb.OTHER,
        object_type="remediation.item",
        data={"day": day, "sent": result.sent, "already": result.already},
    )
    return result
