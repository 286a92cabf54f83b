"""Meeting records (会商记录, O3): list, page, record and edit. Recusal is in the visible set
(remediation.access.meetings_visible_to); the page names only the leads and items the
viewer may see."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from rectify import access
from rectify.pagination import keyset_page

from .. import audit
from ..access import (
    MEETING_WRITER_ROLES,
    OUTPUT_READER_ROLES,
    can_edit_meeting,
    get_meeting_for_user,
)
from ..forms.outputs import PARTICIPANTS_MAX, MeetingForm
from ..models import MeetingKind
from ..selectors import outputs as selectors
from ..services import meetings as services


@access.role_required(*OUTPUT_READER_ROLES)
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = selectors.meeting_list(request.user, request.GET)
    page = keyset_page(
        selectors.with_meeting_relations(meetings),
        ordering=("-date", "-id"),
        cursor=request.GET.get("after"),
        size=30,
    )
    audit.audit_read(
        actor=request.user,
        action=audit.MEETING_LIST_READ,
        object_type="remediation.meeting",
        data={"ids": [m.pk for m in page.items], "filters": request.GET.dict()},
        request=request,
    )
    return render(
        request,
        "remediation/meetings/list.html",
        {
            "page": page,
            "kinds": MeetingKind.choices,
            "units": selectors.filter_units(request.user),
            "params": request.GET,
            "can_create": access.has_role(request.user, *MEETING_WRITER_ROLES),
        },
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    audit.audit_read(actor=request.user, action=audit.MEETING_READ, target=meeting, request=request)
    return render(
        request,
        "remediation/meetings/detail.html",
        {
            "meeting": meeting,
            "links": selectors.meeting_links(request.user, meeting),
            "can_edit": can_edit_meeting(request.user, meeting),
        },
    )


def _save(request: HttpRequest, form: MeetingForm, meeting: object = None) -> object:
    data = form.cleaned_data
    return services.meeting_save(
        actor=request.user,
        meeting=meeting,  # type: ignore[arg-type]
        unit=data["unit"],
        date=data["date"],
        kind=data["kind"],
        title=data["title"],
        decisions=data["decisions"],
        participants=form.participants(),
        other_participants=data["other_participants"],
        leads=data["lead_numbers"],
        items=data["item_numbers"],
        request=request,
    )


@access.role_required(*MEETING_WRITER_ROLES)
def meeting_create(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = _save(request, form)
        except services.MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("会商记录已保存"))
            return redirect("remediation:meeting_detail", meeting.pk)
    return render(request, "remediation/meetings/form.html", {"form": form, "meeting": None})


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    if not can_edit_meeting(request.user, meeting):
        raise PermissionDenied
    links = selectors.meeting_links(request.user, meeting)
    initial = {
        "unit": meeting.unit_id,
        "date": meeting.date,
        "kind": meeting.kind,
        "title": meeting.title,
        "decisions": meeting.decisions,
        "other_participants": meeting.other_participants,
        "lead_numbers": "，".join(lead.number for lead in links.leads),
        "item_numbers": "，".join(item.number for item in links.items),
    }
    for i, officer in enumerate(links.participants[:PARTICIPANTS_MAX]):
        initial[f"participant_{i}"] = officer
    form = MeetingForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, form, meeting)
        except services.MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("会商记录已保存"))
            return redirect("remediation:meeting_detail", meeting.pk)
    return render(request, "remediation/meetings/form.html", {"form": form, "meeting": meeting})
