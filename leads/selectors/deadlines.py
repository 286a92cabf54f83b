"""The deadline clocks as Q objects: intake and handling overdue (L1, L4), and the L10
untouched and overdue flags.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ..models import (
    OPEN_STATUSES,
    UNSCREENED,
    LeadStatus,
)

S = LeadStatus

# The ledger's figure definitions (selectors.ledger, selectors.counters).
NOT_RECEIVED = (S.UNREGISTERED, S.MERGED)
DISPOSED_STATUSES = (S.CONCLUDED, S.CROSSED_OFF, S.CLOSED)


def intake_cutoff(today: dt.date | None = None) -> dt.date:
    """Leads received before this day and still unscreened are overdue for intake (L2)."""
    today = today or timezone.localdate()
    return today - dt.timedelta(days=settings.LEADS_INTAKE_DAYS)


def intake_overdue_q(today: dt.date | None = None) -> Q:
    return Q(status__in=UNSCREENED, received_date__lt=intake_cutoff(today))


def handling_overdue_q(today: dt.date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(status__in=OPEN_STATUSES, deadline__lt=today)


def overdue_q(today: dt.date | None = None) -> Q:
    return intake_overdue_q(today) | handling_overdue_q(today)


# --- L10: untouched and overdue flags ---------------------------------------------------------


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _days_ago(today: dt.date | None, days: int) -> dt.date:
    return (today or timezone.localdate()) - dt.timedelta(days=days)


def untouched_q(today: dt.date | None = None, *, min_days_late: int = 1) -> Q:
    """有线索不查: under handling, and the last activity (or, before any, the screening,
    registration or creation) lies more than LEADS_UNTOUCHED_DAYS days back — by at least
    `min_days_late` days."""
    day = _days_ago(today, settings.LEADS_UNTOUCHED_DAYS + max(min_days_late, 1) - 1)
    cutoff = _midnight(day)
    none = {"last_activity_at__isnull": True}
    return Q(status=S.HANDLING) & (
        Q(last_activity_at__lt=cutoff)
        | Q(**none, screened_at__lt=cutoff)
        | Q(**none, screened_at__isnull=True, registered_at__lt=cutoff)
        | Q(**none, screened_at__isnull=True, registered_at__isnull=True, created_at__lt=cutoff)
    )


def deadline_overdue_q(today: dt.date | None = None, *, min_days_late: int = 1) -> Q:
    """久查不结: open with its handling deadline passed (selectors.handling_overdue_q)."""
    return handling_overdue_q(_days_ago(today, max(min_days_late, 1) - 1))


def supervision_overdue_q(today: dt.date | None = None, *, min_days_late: int = 1) -> Q:
    """Open, under listed supervision, and the supervision deadline passed."""
    day = _days_ago(today, max(min_days_late, 1) - 1)
    return Q(status__in=OPEN_STATUSES, supervisor__isnull=False, supervision_deadline__lt=day)


def overdue_flag_q(today: dt.date | None = None, *, min_days_late: int = 1) -> Q:
    return deadline_overdue_q(today, min_days_late=min_days_late) | supervision_overdue_q(
        today, min_days_late=min_days_late
    )


def flagged_q(today: dt.date | None = None, *, min_days_late: int = 1) -> Q:
    return untouched_q(today, min_days_late=min_days_late) | overdue_flag_q(
        today, min_days_late=min_days_late
    )
