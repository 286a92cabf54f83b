"""Who may open the leaders' pages, on rectify's primitives."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404

from rectify.access import assignments_of, audited_lookup
from rectify.models import Office, Role

from .models import Bulletin, BulletinStatus, Report
from .selectors.offices import superior_office

if TYPE_CHECKING:
    from rectify.models import AnyUser

# Leaders and the campaign offices that prepare their dashboards and reports.
DASHBOARD_ROLES = (Role.LEADER, Role.OFFICE)


# --- Reports to the superior and 通报 (O7) -------------------------------------------------
# A user acts for an office when they are its staff (an OFFICE assignment naming it) or lead
# at its jurisdiction (a LEADER assignment on the office's unit). A report is readable by
# whoever requested it, by the office it reports for, and by the superior office it is
# addressed to; anyone else gets 404 (missing and invisible alike).


def offices_of(user: AnyUser) -> list[Office]:
    """The offices the user acts for, nearest the root first."""
    if not getattr(user, "is_authenticated", False):
        return []
    ids = {a.office_id for a in assignments_of(user) if a.role == Role.OFFICE and a.office_id}
    led = [a.unit_id for a in assignments_of(user) if a.role in (Role.LEADER, Role.OFFICE)]
    rows = Office.objects.filter(Q(pk__in=ids) | Q(jurisdiction_id__in=led))
    return list(rows.select_related("jurisdiction").order_by("jurisdiction__path"))


def acts_for(user: AnyUser, office: Office | None) -> bool:
    return office is not None and any(o.pk == office.pk for o in offices_of(user))


def can_read_report(user: AnyUser, report: Report, superior: Office | None) -> bool:
    if report.requested_by_id and report.requested_by_id == getattr(user, "pk", None):
        return True
    return acts_for(user, report.office) or acts_for(user, superior)


@audited_lookup("leadership.report")
def get_report_for_user(user: AnyUser, pk: int) -> Report:
    report = Report.objects.filter(pk=pk).select_related("office__jurisdiction").first()
    if report is None or not can_read_report(user, report, superior_office(report.office)):
        raise Http404
    return report


def can_read_bulletin(user: AnyUser, bulletin: Bulletin) -> bool:
    """The issuing office always; an addressee once it is issued."""
    if acts_for(user, bulletin.office):
        return True
    return (
        bulletin.status == BulletinStatus.ISSUED
        and bulletin.receipts.filter(user_id=getattr(user, "pk", None)).exists()
    )


@audited_lookup("leadership.bulletin")
def get_bulletin_for_user(user: AnyUser, pk: int) -> Bulletin:
    bulletin = Bulletin.objects.filter(pk=pk).select_related("office__jurisdiction").first()
    if bulletin is None or not can_read_bulletin(user, bulletin):
        raise Http404
    return bulletin
