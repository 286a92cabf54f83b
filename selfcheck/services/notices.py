"""In-app notices and the self-check reminders (S3)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rectify.audit import audit_record
from rectify.models import AuditVerb, Campaign, Officer

from .. import audit
from ..models import (
    Notice,
    SelfCheckReport,
)


def notice_send(
    *, user: AbstractBaseUser, text: str, url: str = "", dedupe_key: str = "", email: bool = False
) -> Notice | None:
    """An in-app notice (and an email when asked and the account has an address)."""
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                user=user, text=text[:300], url=url, dedupe_key=dedupe_key
            )
    except IntegrityError:
        return None  # already sent (idempotent reminders)
    if email and user.email:
        link = url
        transaction.on_commit(
            lambda: send_mail(
                subject=_("查纠整改工作平台提醒"),
                message=f"{text}\n{link}",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[user.email],
                fail_silently=True,
            )
        )
    return notice


@dataclass
class ReminderResult:
    """What one round of reminders did: a user is told all three, not only `sent`."""

    sent: int = 0  # notified now
    already: int = 0  # not submitted, but already reminded today (idempotent per day)
    no_account: int = 0  # not submitted and without a login: nobody to notify

    @property
    def pending(self) -> int:
        return self.sent + self.already + self.no_account


def reminders_send(
    *,
    campaign: Campaign,
    officers: QuerySet[Officer],
    actor: AbstractBaseUser | None,
    today: dt.date | None = None,
) -> ReminderResult:
    """Remind every officer in `officers` (a scoped queryset) who has not submitted.

    Idempotent per day: the notice's dedupe key holds the date.
    """
    today = today or timezone.localdate()
    submitted = SelfCheckReport.objects.filter(
        campaign=campaign, first_submitted_at__isnull=False
    ).values("officer_id")
    pending = officers.filter(is_active=True).exclude(pk__in=submitted)
    targets = pending.filter(user__isnull=False).select_related("user")
    result = ReminderResult(no_account=pending.filter(user__isnull=True).count())
    url = reverse("selfcheck:my_report")
    for officer in targets.iterator(chunk_size=500):
        deadline = campaign.deadline_for(officer)
        text = _("请于%(d)s前填报并提交自查事项报告表（自查从宽、被查从严）") % {"d": deadline}
        if notice_send(
            user=officer.user,
            text=text,
            url=url,
            dedupe_key=f"remind-{campaign.pk}-{today.isoformat()}",
            email=True,
        ):
            result.sent += 1
        else:
            result.already += 1
    audit_record(
        actor=actor,
        action=audit.REPORT_REMINDED,
        verb=AuditVerb.OTHER,
        object_type="rectify.campaign",
        object_id=campaign.pk,
        data={"sent": result.sent, "already": result.already, "no_account": result.no_account},
    )
    return result


def reminders_message(result: ReminderResult) -> str:
    """The sentence shown after 一键提醒: who was reminded now and who had been today."""
    if not result.pending:
        return str(_("本范围内的干警均已提交，无需提醒。"))
    parts = [_("已向%(n)s名未提交的干警发送提醒") % {"n": result.sent}]
    if result.already:
        parts.append(_("另有%(n)s名今日已提醒过，不重复发送") % {"n": result.already})
    if result.no_account:
        parts.append(_("%(n)s名未开通账号，无法在线提醒") % {"n": result.no_account})
    return "；".join(str(p) for p in parts) + "。"


REMIND_DAYS_BEFORE = 3


def reminders_due(*, today: dt.date | None = None) -> int:
    """Daily: remind officers of the current campaign whose own deadline is at most
    REMIND_DAYS_BEFORE days away (cadres earlier, S3) and who have not submitted yet.
    Idempotent per day. Shared by the Celery task and `manage.py selfcheck_remind`."""
    campaign = Campaign.current()
    if campaign is None:
        return 0
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=REMIND_DAYS_BEFORE)
    officers = Officer.objects.none()
    if today <= campaign.cadre_deadline <= horizon:
        officers = officers | Officer.objects.filter(is_leading_cadre=True)
    if today <= campaign.selfcheck_deadline <= horizon:
        officers = officers | Officer.objects.filter(is_leading_cadre=False)
    return reminders_send(campaign=campaign, officers=officers, actor=None, today=today).sent


@transaction.atomic
def notices_mark_read(*, user: AbstractBaseUser) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
