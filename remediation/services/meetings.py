"""Meeting records of the working mechanisms (工作会商、线索移交、案件查处、干部交流、舆论宣传, O3).

Office staff and leaders of the meeting's unit record them. Linked leads must be leads the
recorder may see (leads.access.leads_visible_to), linked items items they may see, and
participants officers they may see: the form resolves them through the same functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leads.access import leads_visible_to
from rectify.audit import audit_record
from rectify.models import AnyUser, AuditVerb, Officer, Unit

from .. import audit
from ..access import can_record_meetings_of, items_visible_to
from ..models import Item, Meeting
from ..workflow import RemediationError


class MeetingError(RemediationError):
    pass


MEETING_NOT_YOURS = _("只有该单位的办公室工作人员或领导可以登记会商记录")
MEETING_IN_FUTURE = _("会议日期不能晚于今天")
MEETING_LINK_INVISIBLE = _("所选线索或整改问题不在您的查看范围内")


def _check_links(actor: AnyUser, leads: list, items: list[Item]) -> None:
    lead_ids = {lead.pk for lead in leads}
    item_ids = {item.pk for item in items}
    if lead_ids and leads_visible_to(actor).filter(pk__in=lead_ids).count() != len(lead_ids):
        raise MeetingError(MEETING_LINK_INVISIBLE)
    if item_ids and items_visible_to(actor).filter(pk__in=item_ids).count() != len(item_ids):
        raise MeetingError(MEETING_LINK_INVISIBLE)


@transaction.atomic
def meeting_save(
    *,
    actor: AnyUser,
    unit: Unit,
    date: dt.date,
    kind: str,
    title: str,
    decisions: str,
    participants: Iterable[Officer] = (),
    other_participants: str = "",
    leads: Iterable = (),
    items: Iterable[Item] = (),
    meeting: Meeting | None = None,
    request: object = None,
) -> Meeting:
    """Create (`meeting` None) or edit a meeting record. Editing keeps the links the editor
    cannot see: a leader who may not see a linked lead does not unlink it by saving."""
    if not can_record_meetings_of(actor, unit):
        raise MeetingError(MEETING_NOT_YOURS)
    if date > timezone.localdate():
        raise MeetingError(MEETING_IN_FUTURE)
    leads, items, participants = list(leads), list(items), list(participants)
    _check_links(actor, leads, items)
    creating = meeting is None
    if meeting is None:
        meeting = Meeting(created_by=actor)
    else:
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if not can_record_meetings_of(actor, meeting.unit):
            raise MeetingError(MEETING_NOT_YOURS)
    meeting.unit, meeting.date, meeting.kind, meeting.title = unit, date, kind, title
    meeting.decisions, meeting.other_participants = decisions, other_participants
    meeting.full_clean()
    meeting.save()
    hidden_leads: list[int] = []
    hidden_items: list[int] = []
    if not creating:
        hidden_leads = list(
            meeting.leads.exclude(pk__in=leads_visible_to(actor).values("id")).values_list(
                "pk", flat=True
            )
        )
        hidden_items = list(
            meeting.items.exclude(pk__in=items_visible_to(actor).values("id")).values_list(
                "pk", flat=True
            )
        )
    meeting.leads.set([lead.pk for lead in leads] + hidden_leads)
    meeting.items.set([item.pk for item in items] + hidden_items)
    meeting.participants.set(participants)
    audit_record(
        actor=actor,
        action=audit.MEETING_CREATED if creating else audit.MEETING_UPDATED,
        verb=AuditVerb.CREATE if creating else AuditVerb.CHANGE,
        target=meeting,
        data={
            "unit": unit.pk,
            "kind": kind,
            "leads": [lead.pk for lead in leads],
            "items": [item.pk for item in items],
            "participants": [o.pk for o in participants],
        },
        request=request,  # type: ignore[arg-type]
    )
    return meeting
