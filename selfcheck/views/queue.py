"""The review queue, reminders, figures and the exports."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rectify import access
from rectify.excel import xlsx_response
from rectify.models import AuditVerb, ChronicProblem, Role, Unit

from .. import access as rules
from .. import audit, selectors, services
from ..forms import (
    QueueFilterForm,
)
from ..models import ReportStatus
from .common import current_campaign, unit_param


@access.role_required(Role.REVIEWER)
def review_queue(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign()
    reviewer_paths = access.scope_paths(request.user, [Role.REVIEWER])
    columns = selectors.item_columns(selectors.n_items_for(campaign=campaign, paths=reviewer_paths))
    form = QueueFilterForm(request.GET or None, columns=columns)
    filters = selectors.QueueFilters()
    unit = None
    if form.is_valid():
        data = form.cleaned_data
        if data.get("unit"):
            unit = access.get_unit_for_user(request.user, data["unit"])
        filters = selectors.QueueFilters(
            status=data.get("status") or "",
            unit=unit,
            cadre=data.get("cadre") or "",
            yes_item=data.get("yes_item") or "",
            late=bool(data.get("late")),
            q=data.get("q") or "",
        )
    qs = selectors.review_queue(
        reports=rules.reports_to_review(request.user),
        campaign=campaign,
        filters=filters,
    )
    # submitted first (s > r > d > a), cadres first within (S3)
    page = selectors.queue_page(qs, cursor=request.GET.get("after"), size=50)
    today = timezone.localdate()
    # What each row shows, worked out once here rather than per row in the template (a
    # URL reversed, a label translated and a date formatted 50 times a page).
    labels = {value: str(label) for value, label in ReportStatus.choices}
    detail = reverse("selfcheck:report_detail", args=[0]).removesuffix("0/")
    for report in page.items:
        report.campaign = campaign
        report.late = selectors.report_is_late(report, today)
        content = report.latest_version.content if report.latest_version else {}
        report.yes_numbers = [i["number"] for i in content.get("items", []) if i.get("yes")]
        report.status_label = labels.get(report.status, report.status)
        report.url = f"{detail}{report.pk}/"
        report.submitted_text = (
            timezone.localtime(report.last_submitted_at).strftime("%Y-%m-%d %H:%M")
            if report.last_submitted_at
            else "—"
        )
    # The list reveals status and yes-declarations: one audit event per page viewed.
    audit.audit_read(
        actor=request.user,
        action=audit.QUEUE_READ,
        object_type="selfcheck.selfcheckreport",
        data={"ids": [r.pk for r in page.items], "filters": request.GET.dict()},
        request=request,
    )
    units = rules.units_to_choose(request.user, [Role.REVIEWER], 300)
    # Up to 300 options in one string join: a template per option made the filter the page's
    # cost that grew with the reviewer's tree (#14). Same markup, same escaping.
    unit_options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((u.pk, mark_safe(" selected") if unit and unit.pk == u.pk else "", u.name) for u in units),  # noqa: S308
    )
    return render(
        request,
        "selfcheck/queue.html",
        {
            "page": page,
            "form": form,
            "unit_options": unit_options,
            "unit": unit,
            "campaign": campaign,
        },
    )


@access.role_required(Role.REVIEWER, Role.OFFICE)
@require_POST
def remind(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign()
    officers = rules.selfcheck_officers_to_remind(request.user)
    result = services.reminders_send(campaign=campaign, officers=officers, actor=request.user)
    messages.success(request, services.reminders_message(result))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("selfcheck:queue")
    return redirect(target or reverse("selfcheck:queue"))


def _figures_unit(request: HttpRequest) -> Unit:
    return rules.figures_unit_for_user(request.user, unit_param(request))


@access.role_required(*rules.SELFCHECK_FIGURES)
def figures(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign()
    unit = _figures_unit(request)
    fig = selectors.unit_figures(unit=unit, campaign=campaign)
    children = selectors.child_figures(unit=unit, campaign=campaign)
    n_items = selectors.n_items_for(campaign=campaign, paths=[unit.path])
    items = [
        {"number": i, "key": value, "label": label, "n": fig.yes_per_item.get(value, 0)}
        for i, (value, label) in enumerate(ChronicProblem.choices, start=1)
    ]
    items += [
        {"number": "N", "key": cfg.key, "label": cfg.text, "n": fig.yes_per_item.get(cfg.key, 0)}
        for cfg in n_items
    ]
    chart = {
        "labels": [c.unit.name for c in children],
        "required": [c.required for c in children],
        "submitted": [c.submitted for c in children],
        "cadre_required": [c.cadre_required for c in children],
        "cadre_submitted": [c.cadre_submitted for c in children],
    }
    parent = rules.figures_parent_for_user(request.user, unit)
    return render(
        request,
        "selfcheck/figures.html",
        {
            "campaign": campaign,
            "unit": unit,
            "fig": fig,
            "children": children,
            "items": items,
            "chart": chart,
            "parent": parent,
            "can_queue": access.has_role(request.user, Role.REVIEWER),
            "can_export": access.has_role(request.user, *rules.SELFCHECK_EXPORTERS),
            "can_remind": access.has_role(request.user, Role.REVIEWER, Role.OFFICE),
        },
    )


@access.role_required(*rules.SELFCHECK_EXPORTERS)
def export(request: HttpRequest) -> HttpResponse:
    """The report summary: one row per officer, answers only where the user may read them
    (own report, reviewed subtree); office staff get officers and progress of their scope."""
    campaign = current_campaign()
    reports = rules.selfcheck_reports_for_export(request.user)
    paths = access.scope_paths(request.user, rules.SELFCHECK_EXPORTERS)
    unit_id = unit_param(request)
    if unit_id:
        unit = access.get_unit_for_user(request.user, unit_id)
        reports = selectors.reports_below(reports, unit)
        paths = [unit.path]
    columns = selectors.item_columns(selectors.n_items_for(campaign=campaign, paths=paths))
    audit.audit_read(
        actor=request.user,
        action=audit.REPORT_EXPORTED,
        verb=AuditVerb.EXPORT,
        object_type="rectify.campaign",
        object_id=campaign.pk,
        data={"unit": unit_id or None},
        request=request,
    )
    rows = selectors.export_rows(
        reports=reports,
        campaign=campaign,
        columns=columns,
        content_q=rules.selfcheck_content_q(request.user),
    )
    return xlsx_response(
        f"selfcheck-{timezone.localdate():%Y%m%d}.xlsx",
        [(_("自查事项汇总"), selectors.export_headers(columns), rows)],
    )


@access.role_required(*rules.SELFCHECK_FIGURES)
def figures_export(request: HttpRequest) -> HttpResponse:
    """Completion figures of the unit and its children (aggregates only, for leaders too)."""
    campaign = current_campaign()
    unit = _figures_unit(request)
    rows = [selectors.unit_figures(unit=unit, campaign=campaign)]
    rows += selectors.child_figures(unit=unit, campaign=campaign)
    columns = selectors.item_columns(selectors.n_items_for(campaign=campaign, paths=[unit.path]))
    audit.audit_read(
        actor=request.user,
        action=audit.FIGURES_EXPORTED,
        verb=AuditVerb.EXPORT,
        target=unit,
        request=request,
    )
    return xlsx_response(
        f"selfcheck-figures-{timezone.localdate():%Y%m%d}.xlsx",
        [
            (
                _("完成情况"),
                selectors.figures_headers(columns),
                selectors.figures_rows(rows, columns),
            )
        ],
    )
