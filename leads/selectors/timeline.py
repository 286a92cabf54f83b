"""What a lead's page shows: its timeline, public status, merged leads and original report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from ..access import leads_visible_to
from ..models import (
    PUBLIC_KINDS,
    EventKind,
    Lead,
    LeadEvent,
    LeadOriginal,
    Signature,
)
from .deadlines import S

if TYPE_CHECKING:
    from rectify.models import AnyUser


def lead_timeline(lead: Lead) -> QuerySet[LeadEvent]:
    return lead.events.select_related("actor").order_by("at", "id")


def public_timeline(lead: Lead) -> QuerySet[LeadEvent]:
    """What the reporter may read: replies from the office and their own messages."""
    return lead.events.filter(kind__in=PUBLIC_KINDS).order_by("at", "id")


def merged_leads(user: AnyUser, lead: Lead) -> list[Lead]:
    """The duplicates merged into `lead` that the user may see (recusal applies to each),
    with their reporters' messages in `reporter_messages`, oldest first (two queries)."""
    return list(
        leads_visible_to(user)
        .filter(merged_into=lead)
        .select_related("channel")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=LeadEvent.objects.filter(kind=EventKind.REPORTER).order_by("at", "id"),
                to_attr="reporter_messages",
            )
        )
        .order_by("received_date", "id")
    )


def public_status(lead: Lead) -> str:
    """A coarse status for the reporter (no internal detail). A merged duplicate's reporter
    follows the main lead, which is where their report is handled."""
    if lead.status == S.MERGED and lead.merged_into_id:
        main = public_status(lead.merged_into) if lead.merged_into.status != S.MERGED else ""
        return (
            _("已与其他线索合并办理：%(status)s") % {"status": main}
            if main
            else _("已与其他线索合并办理")
        )
    if lead.status == S.UNREGISTERED:
        return _("已收到，待受理")
    if lead.status in (S.REGISTERED,):
        return _("已受理，正在筛查")
    if lead.status in (S.HANDLING, S.SIGNING, S.HELD, S.TRANSFERRED):
        return _("正在办理")
    if lead.status == S.MERGED:
        return _("已与其他线索合并办理")
    if lead.status == S.CLOSED:
        return _("已了结")
    return _("已办结")


def has_original(lead: Lead) -> bool:
    return lead.is_public and LeadOriginal.objects.filter(lead=lead).exists()


def original_of(lead: Lead) -> LeadOriginal | None:
    return LeadOriginal.objects.filter(lead=lead).first()


def original_files(lead: Lead) -> QuerySet:
    """The files the reporter sent with the public report (without their contents)."""
    return lead.attachments.filter(from_reporter=True).defer("content").order_by("id")


def signatures_of(lead: Lead) -> list[Signature]:
    """Every signature of the lead, voided ones included (the page shows the history)."""
    return list(Signature.objects.filter(lead=lead).select_related("signer"))


def live_signatures_of(lead: Lead) -> QuerySet[Signature]:
    """The signatures not voided (the archive sheet)."""
    return Signature.objects.filter(lead=lead, voided_at__isnull=True)
