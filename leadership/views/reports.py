"""Pages of the periodic report, its submission up the chain and the 通报 (O7)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rectify import figures
from rectify.access import role_required
from rectify.params import date_param, id_param

from ..access import (
    DASHBOARD_ROLES,
    acts_for,
    get_bulletin_for_user,
    get_report_for_user,
    offices_of,
)
from ..models import ReportSubmission
from ..selectors import reports as sel
from ..services import reports as svc

if TYPE_CHECKING:
    from django.http import HttpRequest

    from rectify.models import Office


def _office(request: HttpRequest, source: object = None) -> Office:
    """The office the user works for on this page (`office` parameter, default the first)."""
    offices = offices_of(request.user)
    if not offices:
        raise Http404
    wanted = id_param(source if source is not None else request.GET, "office")
    if wanted is None:
        return offices[0]
    for office in offices:
        if office.pk == wanted:
            return office
    raise Http404


@login_required
@role_required(*DASHBOARD_ROLES)
def reports_home(request: HttpRequest) -> HttpResponse:
    if not offices_of(request.user):
        # A leader or office role on a unit without an office: nothing to report for.
        return render(
            request,
            "leadership/reports/home.html",
            {"office": None, "received": sel.bulletins_received_by(request.user)[:20]},
        )
    office = _office(request)
    campaign = figures.current_campaign()
    day = date_param(request.GET, "day") or timezone.localdate()
    context: dict = {"office": office, "offices": offices_of(request.user), "day": day}
    if campaign is not None:
        period, start, end = sel.current_period(campaign, day)
        status = sel.reporting_status(office, campaign, period, start)
        context.update(
            period=period,
            start=start,
            end=end,
            superior=sel.get_superior(office),
            submission=sel.submission_of(office, campaign, period, start),
            status=status,
        )
    context["reports"] = sel.reports_of_office(office)[:20]
    context["bulletins"] = sel.bulletins_of_office(office)[:20]
    context["received"] = sel.bulletins_received_by(request.user)[:20]
    return render(request, "leadership/reports/home.html", context)


@login_required
@role_required(*DASHBOARD_ROLES)
@require_POST
def report_request(request: HttpRequest) -> HttpResponse:
    office = _office(request, request.POST)
    try:
        report = svc.report_request(
            office=office, actor=request.user, day=date_param(request.POST, "day")
        )
    except svc.ReportError as exc:
        messages.error(request, str(exc))
        return redirect("leadership:reports")
    return redirect("leadership:report_detail", report.pk)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    context = {"report": report, "can_submit": acts_for(request.user, report.office)}
    if getattr(request, "htmx", False):
        return render(request, "leadership/reports/_progress.html", context)
    return render(request, "leadership/reports/detail.html", context)


@login_required
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    if report.status != "ready":
        raise Http404
    content = svc.report_book_for(report=report, reader=request.user)
    svc.report_downloaded(report=report, actor=request.user, request=request)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = _attachment(report.filename)
    return response


def _attachment(filename: str) -> str:
    return f"attachment; filename=\"report.xlsx\"; filename*=UTF-8''{quote(filename)}"


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    if not acts_for(request.user, report.office):
        raise Http404
    try:
        svc.report_submit(report=report, actor=request.user)
        messages.success(request, _("已报送上级办公室"))
    except svc.ReportError as exc:
        messages.error(request, str(exc))
    return redirect(f"{_home_url()}?office={report.office_id}")


def _home_url() -> str:
    return reverse("leadership:reports")


@login_required
@require_POST
def submission_return(request: HttpRequest, pk: int) -> HttpResponse:
    sub = ReportSubmission.objects.filter(pk=pk).select_related("superior").first()
    if sub is None or not acts_for(request.user, sub.superior):
        raise Http404
    try:
        svc.submission_return(
            submission=sub, actor=request.user, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("已退回"))
    except svc.ReportError as exc:
        messages.error(request, str(exc))
    return redirect(f"{_home_url()}?office={sub.superior_id}")


# --- 通报 ---------------------------------------------------------------------------------


@login_required
@role_required(*DASHBOARD_ROLES)
@require_POST
def bulletin_generate(request: HttpRequest) -> HttpResponse:
    office = _office(request, request.POST)
    try:
        bulletin = svc.bulletin_generate(
            office=office, actor=request.user, day=date_param(request.POST, "day")
        )
    except svc.ReportError as exc:
        messages.error(request, str(exc))
        return redirect("leadership:reports")
    return redirect("leadership:bulletin_edit", bulletin.pk)


@login_required
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = get_bulletin_for_user(request.user, pk)
    svc.bulletin_opened(bulletin=bulletin, user=request.user)
    issuer = acts_for(request.user, bulletin.office)
    context = {
        "bulletin": bulletin,
        "issuer": issuer,
        "rows": sel.bulletin_rows_for(request.user, bulletin),
    }
    if issuer:
        read, total = sel.receipt_counts(bulletin)
        context.update(read=read, total=total, receipts=sel.bulletin_receipts(bulletin))
    return render(request, "leadership/reports/bulletin.html", context)


@login_required
def bulletin_edit(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = get_bulletin_for_user(request.user, pk)
    if not acts_for(request.user, bulletin.office):
        raise Http404
    if request.method == "POST":
        try:
            svc.bulletin_edit(
                bulletin=bulletin,
                actor=request.user,
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
            )
            messages.success(request, _("已保存"))
            return redirect("leadership:bulletin_detail", bulletin.pk)
        except svc.ReportError as exc:
            messages.error(request, str(exc))
    return render(request, "leadership/reports/bulletin_edit.html", {"bulletin": bulletin})


@login_required
@require_POST
def bulletin_issue(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = get_bulletin_for_user(request.user, pk)
    if not acts_for(request.user, bulletin.office):
        raise Http404
    try:
        svc.bulletin_issue(bulletin=bulletin, actor=request.user)
        messages.success(request, _("已印发"))
    except svc.ReportError as exc:
        messages.error(request, str(exc))
    return redirect("leadership:bulletin_detail", bulletin.pk)
